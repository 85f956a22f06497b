#include "experiment/result_intervals.h"

#include <QJsonArray>
#include <QtEndian>
#include <cmath>

namespace routerlab {

namespace {

int firstBlockCount(const std::vector<const CellSummary*>& summaries, bool sessions) {
    for (const CellSummary* s : summaries)
        if (s && !s->blocks.empty())
            return sessions ? blockCount(s->sessionConvergenceStep.size())
                            : static_cast<int>(s->blocks.quality.sum.size());
    return 0;
}

std::vector<const BlockSeries*> seriesOf(const std::vector<const CellSummary*>& runs,
                                         BlockSeries BlockTotals::*member) {
    std::vector<const BlockSeries*> out;
    for (const CellSummary* r : runs)
        out.push_back(&(r->blocks.*member));
    return out;
}

bool allCarryBlocks(const std::vector<const CellSummary*>& runs) {
    for (const CellSummary* r : runs)
        if (r->blocks.empty())
            return false;
    return !runs.empty();
}

QJsonArray intervalJson(const Interval& interval) {
    return {interval.low, interval.high};
}

std::vector<double> differenceOf(const std::vector<double>& a, const std::vector<double>& b) {
    std::vector<double> out(a.size());
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
        out[i] = a[i] - b[i];
    return out;
}

QByteArray floatsToBytes(const std::vector<float>& values) {
    if (values.empty())
        return {}; // qToLittleEndian must not see the null data of an empty vector
    QByteArray bytes(static_cast<qsizetype>(values.size() * sizeof(float)), Qt::Uninitialized);
    qToLittleEndian<float>(values.data(), static_cast<qsizetype>(values.size()), bytes.data());
    return bytes.toBase64();
}

std::vector<float> floatsFromBase64(const QJsonValue& value) {
    const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
    std::vector<float> out(static_cast<std::size_t>(bytes.size()) / sizeof(float));
    if (out.empty())
        return out;
    qFromLittleEndian<float>(bytes.constData(), static_cast<qsizetype>(out.size()), out.data());
    return out;
}

struct NamedSeries {
    const char* key;
    BlockSeries BlockTotals::*member;
};
constexpr NamedSeries kSeries[] = {{"quality", &BlockTotals::quality},
                                   {"cost", &BlockTotals::cost},
                                   {"latency", &BlockTotals::latency},
                                   {"reward", &BlockTotals::reward},
                                   {"regret", &BlockTotals::regret}};

} // namespace

ExperimentBootstrap::ExperimentBootstrap(const std::vector<const CellSummary*>& summaries,
                                         const BootstrapOptions& options)
    : options_(options),
      steps_(options.resamples > 0 ? firstBlockCount(summaries, false) : 0, options),
      sessions_(options.resamples > 0 ? firstBlockCount(summaries, true) : 0, options),
      active_(options.resamples > 0 && firstBlockCount(summaries, false) > 0) {}

FigureReplicates ExperimentBootstrap::replicatesOf(const std::vector<const CellSummary*>& runs,
                                                   const std::vector<RowFigure>& wanted) const {
    FigureReplicates out;
    if (!active_ || !allCarryBlocks(runs))
        return out;
    std::vector<std::vector<const BlockSeries*>> figures;
    std::vector<double> scales;
    for (const RowFigure& f : wanted) {
        figures.push_back(seriesOf(runs, f.series));
        scales.push_back(f.perStep ? 1.0 : static_cast<double>(runs.front()->steps));
    }
    std::vector<std::vector<double>> replicates = steps_.meanReplicates(figures, scales);
    for (std::size_t i = 0; i < wanted.size(); ++i)
        out[wanted[i].field] = std::move(replicates[i]);
    return out;
}

FigureReplicates
ExperimentBootstrap::simulateRow(const std::vector<const CellSummary*>& runs) const {
    static const std::vector<RowFigure> figures{
        {QStringLiteral("mean_quality"), &BlockTotals::quality, true},
        {QStringLiteral("mean_reward"), &BlockTotals::reward, true},
        {QStringLiteral("mean_cost_usd"), &BlockTotals::cost, true},
        {QStringLiteral("total_cost_usd"), &BlockTotals::cost, false},
        {QStringLiteral("mean_latency_s"), &BlockTotals::latency, true},
        {QStringLiteral("regret"), &BlockTotals::regret, false}};
    FigureReplicates out = replicatesOf(runs, figures);
    if (out.empty() || sessions_.blocks() == 0)
        return out;
    // Convergence is a figure per session: its resampling unit is the session.
    std::vector<BlockSeries> sessions;
    for (const CellSummary* r : runs)
        sessions.push_back(blockSeries(r->sessionConvergenceStep));
    std::vector<const BlockSeries*> sessionRuns;
    for (const BlockSeries& s : sessions)
        sessionRuns.push_back(&s);
    out[QStringLiteral("convergence_step")] = sessions_.meanReplicates(sessionRuns);
    return out;
}

FigureReplicates
ExperimentBootstrap::sweepPoint(const std::vector<const CellSummary*>& runs) const {
    static const std::vector<RowFigure> figures{
        {QStringLiteral("cost_usd"), &BlockTotals::cost, true},
        {QStringLiteral("quality"), &BlockTotals::quality, true},
        {QStringLiteral("latency_s"), &BlockTotals::latency, true},
        {QStringLiteral("reward"), &BlockTotals::reward, true}};
    return replicatesOf(runs, figures);
}

void insertIntervals(QJsonObject& row, const FigureReplicates& replicates) {
    for (const auto& [field, values] : replicates) {
        const Interval interval = percentileInterval(values);
        if (interval.valid())
            row.insert(field + QStringLiteral("_ci95"), intervalJson(interval));
    }
}

const std::vector<ComparedFigure>& comparedFigures() {
    static const std::vector<ComparedFigure> figures{{QStringLiteral("mean_reward"), true},
                                                     {QStringLiteral("mean_quality"), true},
                                                     {QStringLiteral("mean_cost_usd"), false},
                                                     {QStringLiteral("mean_latency_s"), false},
                                                     {QStringLiteral("regret"), false}};
    return figures;
}

QJsonObject compareRows(const QJsonObject& a, const FigureReplicates& ra, const QJsonObject& b,
                        const FigureReplicates& rb) {
    QJsonObject metrics;
    for (const ComparedFigure& f : comparedFigures()) {
        const double va = a.value(f.field).toDouble();
        const double vb = b.value(f.field).toDouble();
        QJsonObject entry{{QStringLiteral("a"), va},
                          {QStringLiteral("b"), vb},
                          {QStringLiteral("difference"), va - vb},
                          {QStringLiteral("higher_is_better"), f.higherIsBetter}};
        const auto ia = ra.find(f.field);
        const auto ib = rb.find(f.field);
        if (ia != ra.end() && ib != rb.end()) {
            const std::vector<double> diff = differenceOf(ia->second, ib->second);
            const Interval interval = percentileInterval(diff);
            const double p = pairedPValue(diff, va - vb);
            if (interval.valid() && std::isfinite(p)) {
                entry.insert(QStringLiteral("ci95"), intervalJson(interval));
                entry.insert(QStringLiteral("p_value"), p);
            }
        }
        metrics.insert(f.field, entry);
    }
    return metrics;
}

QJsonObject leadersOf(const std::vector<QJsonObject>& rows,
                      const std::vector<FigureReplicates>& replicates,
                      const std::vector<int>& candidates) {
    QJsonObject out;
    for (const ComparedFigure& f : comparedFigures()) {
        int best = -1, second = -1;
        auto better = [&](int i, int j) {
            const double vi = rows[i].value(f.field).toDouble();
            const double vj = rows[j].value(f.field).toDouble();
            return f.higherIsBetter ? vi > vj : vi < vj;
        };
        for (const int i : candidates) {
            if (!std::isfinite(rows[i].value(f.field).toDouble(NAN)))
                continue;
            if (best < 0 || better(i, best)) {
                second = best;
                best = i;
            } else if (second < 0 || better(i, second)) {
                second = i;
            }
        }
        if (best < 0 || second < 0)
            continue;
        const QJsonObject pair =
            compareRows(rows[best], replicates[best], rows[second], replicates[second])
                .value(f.field)
                .toObject();
        const double p = pair.value(QStringLiteral("p_value")).toDouble(NAN);
        QJsonObject leader{
            {QStringLiteral("router"), rows[best].value(QStringLiteral("name"))},
            {QStringLiteral("runner_up"), rows[second].value(QStringLiteral("name"))},
            {QStringLiteral("difference"), pair.value(QStringLiteral("difference"))},
            {QStringLiteral("higher_is_better"), f.higherIsBetter},
            {QStringLiteral("significant"), std::isfinite(p) && p < 0.05}};
        if (pair.contains(QStringLiteral("ci95"))) {
            leader.insert(QStringLiteral("ci95"), pair.value(QStringLiteral("ci95")));
            leader.insert(QStringLiteral("p_value"), p);
        }
        out.insert(f.field, leader);
    }
    return out;
}

QJsonObject blockTotalsToJson(const BlockTotals& totals) {
    QJsonObject out;
    for (const NamedSeries& s : kSeries) {
        const BlockSeries& series = totals.*(s.member);
        out.insert(
            QLatin1String(s.key),
            QJsonObject{
                {QStringLiteral("sum"), QString::fromLatin1(floatsToBytes(series.sum))},
                {QStringLiteral("count"), QString::fromLatin1(floatsToBytes(series.count))}});
    }
    return out;
}

BlockTotals blockTotalsFromJson(const QJsonObject& json) {
    BlockTotals out;
    if (json.isEmpty())
        return out;
    std::size_t blocks = 0;
    for (const NamedSeries& s : kSeries) {
        const QJsonObject o = json.value(QLatin1String(s.key)).toObject();
        BlockSeries& series = out.*(s.member);
        series.sum = floatsFromBase64(o.value(QStringLiteral("sum")));
        series.count = floatsFromBase64(o.value(QStringLiteral("count")));
        if (s.member == &BlockTotals::quality)
            blocks = series.sum.size();
        // Totals that do not line up are dropped, not guessed at: the row loses its interval.
        if (series.sum.size() != blocks || series.count.size() != blocks ||
            blocks > static_cast<std::size_t>(kBootstrapBlocks))
            return {};
    }
    return out;
}

} // namespace routerlab
