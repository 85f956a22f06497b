#include "experiment/experiment_plan.h"

#include "common/version.h"
#include "experiment/result_intervals.h"
#include "metrics/apgr.h"
#include "metrics/pareto.h"
#include "routers/router_registry.h"
#include "store/workspace_store.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <limits>
#include <map>

namespace routerlab {

namespace {

constexpr int kMaxPairedRows = 20;

QStringList stringsOf(const QJsonValue& value) {
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out << v.toString();
    return out;
}

QJsonArray specsToJson(const std::vector<RouterSpec>& routers) {
    QJsonArray out;
    for (const RouterSpec& r : routers)
        out.append(r.toString());
    return out;
}

QJsonArray modelNamesOf(const SimulationSetup& setup) {
    return QJsonArray::fromStringList(setup.problem().modelNames);
}

std::vector<Preference> sweepPreferences(const QJsonObject& context) {
    const int count = context.value(QStringLiteral("points")).toInt();
    const double latency = context.value(QStringLiteral("latency_weight")).toDouble();
    std::vector<Preference> out;
    for (int i = 0; i < count; ++i) {
        // Both weights as quotients, not 1 - cost: 1 - 0.7 prints as 0.30000000000000004.
        const double cost = static_cast<double>(i) / (count - 1);
        const double quality = static_cast<double>(count - 1 - i) / (count - 1);
        out.push_back({quality, cost, latency});
    }
    return out;
}

// NaN and infinities have no JSON form; shards spell them so that they come back unchanged.
QJsonValue exactNumber(double v) {
    if (std::isfinite(v))
        return v;
    return QString::number(v);
}
double exactNumber(const QJsonValue& v) {
    if (v.isString())
        return v.toString().toDouble();
    return v.toDouble();
}

// Mean of each figure over the given runs (the seeds of one router, at one preference).
CellSummary averageSummaries(const std::vector<const CellSummary*>& runs, int models) {
    CellSummary mean;
    mean.selectionShare.assign(models, 0.0);
    const double n = static_cast<double>(runs.size());
    for (const CellSummary* s : runs) {
        mean.meanQuality += s->meanQuality / n;
        mean.totalCostUsd += s->totalCostUsd / n;
        mean.meanCostUsd += s->meanCostUsd / n;
        mean.meanLatencyS += s->meanLatencyS / n;
        mean.p95LatencyS += s->p95LatencyS / n;
        mean.meanReward += s->meanReward / n;
        mean.regret += s->regret / n;
        mean.meanConvergenceStep += s->meanConvergenceStep / n;
        mean.steps = s->steps;
        mean.complete = mean.complete && s->complete;
        for (int k = 0; k < models && k < static_cast<int>(s->selectionShare.size()); ++k)
            mean.selectionShare[k] += s->selectionShare[k] / n;
    }
    return mean;
}

QJsonObject listMissingCells(const std::vector<Cell>& cells,
                             const std::vector<const CellSummary*>& summaries, QJsonObject result) {
    QJsonArray missing;
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (!summaries[i])
            missing.append(
                QJsonObject{{QStringLiteral("index"), static_cast<int>(i)},
                            {QStringLiteral("router"), cells[i].router.toString()},
                            {QStringLiteral("preference"), cells[i].preference.toString()},
                            {QStringLiteral("seed"), static_cast<int>(cells[i].seed)}});
    if (!missing.isEmpty()) {
        result.insert(QStringLiteral("complete"), false);
        result.insert(QStringLiteral("missing_cells"), missing);
    }
    return result;
}

// The rows a significant lead is looked for among: not the routers that see the outcomes.
std::vector<int> leaderCandidates(const QStringList& names) {
    std::vector<int> out;
    const RouterRegistry& registry = RouterRegistry::instance();
    for (int i = 0; i < names.size(); ++i) {
        const RouterSpec spec = RouterSpec::parse(names[i]);
        if (!registry.can(spec, Capability::Hindsight) &&
            !registry.can(spec, Capability::UpperBound))
            out.push_back(i);
    }
    return out;
}

QJsonObject simulateResult(const QJsonObject& context,
                           const std::vector<const CellSummary*>& summaries,
                           const ResultOptions& options) {
    const QStringList models = stringsOf(context.value(QStringLiteral("model_names")));
    const int seeds = context.value(QStringLiteral("seeds")).toInt();
    const QStringList routers = stringsOf(context.value(QStringLiteral("routers")));
    const QStringList names = QStringList(routers) << simulateReferenceRouters();
    const ExperimentBootstrap bootstrap(summaries, options.bootstrap);
    std::vector<QJsonObject> rows;
    std::vector<FigureReplicates> replicates;
    for (int r = 0; r < names.size(); ++r) {
        std::vector<const CellSummary*> runs;
        for (int s = 0; s < seeds; ++s)
            if (const CellSummary* c = summaries[static_cast<std::size_t>(r * seeds + s)])
                runs.push_back(c);
        QJsonObject o = averageSummaries(runs, static_cast<int>(models.size())).toJson(models);
        o.insert(QStringLiteral("name"), names[r]);
        if (static_cast<int>(runs.size()) < seeds)
            o.insert(QStringLiteral("seeds_run"), static_cast<int>(runs.size()));
        replicates.push_back(bootstrap.simulateRow(runs));
        insertIntervals(o, replicates.back());
        rows.push_back(o);
    }
    QJsonArray routerArray;
    for (int r = 0; r < routers.size(); ++r)
        routerArray.append(rows[static_cast<std::size_t>(r)]);
    QJsonObject json{{QStringLiteral("routers"), routerArray},
                     {QStringLiteral("preference"), context.value(QStringLiteral("preference"))},
                     {QStringLiteral("seeds"), seeds},
                     {QStringLiteral("setup"), context.value(QStringLiteral("setup"))}};
    for (int i = static_cast<int>(routers.size()); i < names.size(); ++i)
        json.insert(resultKeyOf(names[i]), rows[static_cast<std::size_t>(i)]);
    if (!bootstrap.active())
        return json;
    json.insert(QStringLiteral("bootstrap"),
                QJsonObject{{QStringLiteral("resamples"), options.bootstrap.resamples},
                            {QStringLiteral("seed"), static_cast<double>(options.bootstrap.seed)},
                            {QStringLiteral("blocks"), bootstrap.blocks()}});
    json.insert(QStringLiteral("leaders"), leadersOf(rows, replicates, leaderCandidates(names)));
    // Every pair, for the workbench's paired test of any two rows; past a score of rows the
    // pairs would outgrow the rest of the result.
    if (names.size() <= kMaxPairedRows) {
        QJsonArray pairs;
        for (std::size_t a = 0; a < rows.size(); ++a)
            for (std::size_t b = a + 1; b < rows.size(); ++b)
                pairs.append(
                    QJsonObject{{QStringLiteral("a"), names[static_cast<int>(a)]},
                                {QStringLiteral("b"), names[static_cast<int>(b)]},
                                {QStringLiteral("metrics"),
                                 compareRows(rows[a], replicates[a], rows[b], replicates[b])}});
        json.insert(QStringLiteral("pairs"), pairs);
    }
    if (options.compare.size() == 2) {
        const auto a = static_cast<std::size_t>(names.indexOf(options.compare[0]));
        const auto b = static_cast<std::size_t>(names.indexOf(options.compare[1]));
        if (a < rows.size() && b < rows.size())
            json.insert(QStringLiteral("comparison"),
                        QJsonObject{{QStringLiteral("a"), names[static_cast<int>(a)]},
                                    {QStringLiteral("b"), names[static_cast<int>(b)]},
                                    {QStringLiteral("metrics"),
                                     compareRows(rows[a], replicates[a], rows[b], replicates[b])}});
    }
    return json;
}

// With exactly two models, RouteLLM's view of each curve: share of calls to the stronger
// model against the performance gap recovered.
struct StrongWeak {
    int strong = -1;
    double weakQuality = 0, strongQuality = 0;
};

StrongWeak strongWeakOf(const QJsonObject& context) {
    const QJsonArray models = context.value(QStringLiteral("models")).toArray();
    StrongWeak out;
    if (models.size() != 2)
        return out;
    const double q0 = models[0].toObject().value(QStringLiteral("quality")).toDouble();
    const double q1 = models[1].toObject().value(QStringLiteral("quality")).toDouble();
    out.strong = q1 > q0 ? 1 : 0;
    out.strongQuality = std::max(q0, q1);
    out.weakQuality = std::min(q0, q1);
    return out;
}

QJsonValue finiteOrNull(double v) {
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

// AIQ under each resample: the plane rebuilt from the points' replicates.
std::vector<double> aiqReplicates(const std::vector<FigureReplicates>& points, double costMin,
                                  double costMax) {
    std::vector<double> out;
    if (points.empty() || points.front().empty())
        return out;
    const std::size_t resamples = points.front().at(QStringLiteral("cost_usd")).size();
    for (std::size_t b = 0; b < resamples; ++b) {
        std::vector<CostQualityPoint> plane;
        for (const FigureReplicates& p : points)
            plane.push_back(
                {p.at(QStringLiteral("cost_usd"))[b], p.at(QStringLiteral("quality"))[b]});
        out.push_back(aiq(plane, costMin, costMax));
    }
    return out;
}

QJsonObject sweepCurve(const QString& name, int router, const QJsonObject& context,
                       const std::vector<const CellSummary*>& summaries,
                       const ExperimentBootstrap& bootstrap) {
    const std::vector<Preference> preferences = sweepPreferences(context);
    const int seeds = context.value(QStringLiteral("seeds")).toInt();
    const QJsonArray range = context.value(QStringLiteral("cost_range_usd")).toArray();
    const StrongWeak sw = strongWeakOf(context);
    const int count = static_cast<int>(preferences.size());

    QJsonArray points;
    std::vector<CostQualityPoint> plane;
    std::vector<int> planeIndex; // point index of each plane entry (absent points left out)
    std::vector<ApgrCurvePoint> gapCurve;
    std::vector<FigureReplicates> pointReplicates; // of the plane's points, when all have them
    bool everyPointResampled = true;
    for (int i = 0; i < count; ++i) {
        std::vector<const CellSummary*> runs;
        for (int s = 0; s < seeds; ++s)
            if (const CellSummary* c =
                    summaries[static_cast<std::size_t>((router * count + i) * seeds + s)])
                runs.push_back(c);
        const Preference w = preferences[i].normalised();
        QJsonObject point{
            {QStringLiteral("preference"), QJsonObject{{QStringLiteral("quality"), w.quality},
                                                       {QStringLiteral("cost"), w.cost},
                                                       {QStringLiteral("latency"), w.latency}}}};
        if (runs.empty()) {
            point.insert(QStringLiteral("seeds_run"), 0);
            points.append(point);
            continue;
        }
        double cost = 0, quality = 0, latency = 0, p95Latency = 0, reward = 0, strongShare = 0;
        for (const CellSummary* r : runs) {
            cost += r->meanCostUsd / runs.size();
            quality += r->meanQuality / runs.size();
            latency += r->meanLatencyS / runs.size();
            p95Latency += r->p95LatencyS / runs.size();
            reward += r->meanReward / runs.size();
            if (sw.strong >= 0 && sw.strong < static_cast<int>(r->selectionShare.size()))
                strongShare += r->selectionShare[sw.strong] / runs.size();
        }
        plane.push_back({cost, quality});
        planeIndex.push_back(i);
        point.insert(QStringLiteral("cost_usd"), cost);
        point.insert(QStringLiteral("quality"), quality);
        point.insert(QStringLiteral("latency_s"), latency);
        point.insert(QStringLiteral("p95_latency_s"), p95Latency); // mean over seeds
        point.insert(QStringLiteral("reward"), reward);
        FigureReplicates replicates = bootstrap.sweepPoint(runs);
        insertIntervals(point, replicates);
        everyPointResampled = everyPointResampled && !replicates.empty();
        pointReplicates.push_back(std::move(replicates));
        if (sw.strong >= 0) {
            point.insert(QStringLiteral("strong_share"), strongShare);
            gapCurve.push_back(
                {strongShare, performanceGapRecovered(quality, sw.weakQuality, sw.strongQuality)});
        }
        if (static_cast<int>(runs.size()) < seeds)
            point.insert(QStringLiteral("seeds_run"), static_cast<int>(runs.size()));
        points.append(point);
    }
    QJsonArray pareto;
    for (const int i : paretoFront(plane))
        pareto.append(planeIndex[static_cast<std::size_t>(i)]);
    QJsonObject curve{
        {QStringLiteral("name"), name},
        {QStringLiteral("points"), points},
        {QStringLiteral("pareto"), pareto},
        {QStringLiteral("aiq"), aiq(plane, range[0].toDouble(), range[1].toDouble())}};
    if (everyPointResampled) {
        const Interval interval = percentileInterval(
            aiqReplicates(pointReplicates, range[0].toDouble(), range[1].toDouble()));
        if (interval.valid())
            curve.insert(QStringLiteral("aiq_ci95"), QJsonArray{interval.low, interval.high});
    }
    if (sw.strong >= 0) {
        const ApgrResult gap = apgrFromOperatingPoints(gapCurve);
        curve.insert(QStringLiteral("apgr"), finiteOrNull(gap.apgr));
        curve.insert(QStringLiteral("cpt50"), finiteOrNull(gap.cpt50));
        curve.insert(QStringLiteral("cpt80"), finiteOrNull(gap.cpt80));
    }
    return curve;
}

QJsonObject sweepResult(const QJsonObject& context,
                        const std::vector<const CellSummary*>& summaries,
                        const ResultOptions& options) {
    const QStringList routers = stringsOf(context.value(QStringLiteral("routers")));
    const ExperimentBootstrap bootstrap(summaries, options.bootstrap);
    QJsonArray curves;
    for (int r = 0; r < routers.size(); ++r)
        curves.append(sweepCurve(routers[r], r, context, summaries, bootstrap));
    QJsonObject json{
        {QStringLiteral("points"), context.value(QStringLiteral("points"))},
        {QStringLiteral("seeds"), context.value(QStringLiteral("seeds"))},
        {QStringLiteral("cost_range_usd"), context.value(QStringLiteral("cost_range_usd"))},
        {QStringLiteral("models"), context.value(QStringLiteral("models"))},
        {QStringLiteral("routers"), curves},
        {sweepUpperBoundKey(),
         sweepCurve(RouterRegistry::instance().upperBound().name, static_cast<int>(routers.size()),
                    context, summaries, bootstrap)},
        {QStringLiteral("setup"), context.value(QStringLiteral("setup"))}};
    if (bootstrap.active())
        json.insert(
            QStringLiteral("bootstrap"),
            QJsonObject{{QStringLiteral("resamples"), options.bootstrap.resamples},
                        {QStringLiteral("seed"), static_cast<double>(options.bootstrap.seed)},
                        {QStringLiteral("blocks"), bootstrap.blocks()}});
    const StrongWeak sw = strongWeakOf(context);
    if (sw.strong >= 0)
        json.insert(QStringLiteral("strong_model"),
                    context.value(QStringLiteral("model_names")).toArray()[sw.strong]);
    return json;
}

ExperimentPlan finishPlan(QJsonObject context, const QString& dataFingerprint) {
    ExperimentPlan plan;
    plan.cells = cellsOf(context);
    plan.configHash = configHashOf(context, dataFingerprint);
    plan.context = std::move(context);
    return plan;
}

} // namespace

QStringList simulateReferenceRouters() {
    return {RouterRegistry::instance().upperBound().name, QStringLiteral("random"),
            QStringLiteral("best-single")};
}

QString resultKeyOf(const QString& router) {
    return QString(router).replace(QLatin1Char('-'), QLatin1Char('_'));
}

QString sweepUpperBoundKey() {
    return resultKeyOf(RouterRegistry::instance().upperBound().name);
}

ExperimentPlan planSimulate(const std::vector<RouterSpec>& routers, const Preference& preference,
                            int seeds, const SimulationSetup& setup,
                            const QString& dataFingerprint) {
    return finishPlan({{QStringLiteral("command"), QStringLiteral("simulate")},
                       {QStringLiteral("routers"), specsToJson(routers)},
                       {QStringLiteral("preference"), preference.toString()},
                       {QStringLiteral("seeds"), seeds},
                       {QStringLiteral("setup"), setup.describe()},
                       {QStringLiteral("model_names"), modelNamesOf(setup)}},
                      dataFingerprint);
}

ExperimentPlan planSweep(const std::vector<RouterSpec>& routers, int points, double latencyWeight,
                         int seeds, const SimulationSetup& setup, const QString& dataFingerprint) {
    // Single models are fixed points of the plane; their cost range is the AIQ range.
    const RoutingProblem& problem = setup.problem();
    QJsonArray models;
    double costMin = INFINITY, costMax = 0;
    const double n = static_cast<double>(setup.scoredRows().size());
    for (int k = 0; k < problem.modelCount(); ++k) {
        double cost = 0, quality = 0;
        for (const int i : setup.scoredRows()) {
            cost += (*problem.cost)(i, k);
            quality += (*problem.quality)(i, k);
        }
        cost /= n;
        quality /= n;
        costMin = std::min(costMin, cost);
        costMax = std::max(costMax, cost);
        models.append(QJsonObject{{QStringLiteral("name"), problem.modelNames[k]},
                                  {QStringLiteral("cost_usd"), cost},
                                  {QStringLiteral("quality"), quality}});
    }
    return finishPlan({{QStringLiteral("command"), QStringLiteral("sweep")},
                       {QStringLiteral("routers"), specsToJson(routers)},
                       {QStringLiteral("points"), points},
                       {QStringLiteral("latency_weight"), latencyWeight},
                       {QStringLiteral("seeds"), seeds},
                       {QStringLiteral("models"), models},
                       {QStringLiteral("cost_range_usd"), QJsonArray{costMin, costMax}},
                       {QStringLiteral("setup"), setup.describe()},
                       {QStringLiteral("model_names"), modelNamesOf(setup)}},
                      dataFingerprint);
}

std::vector<Cell> cellsOf(const QJsonObject& context) {
    const QString command = context.value(QStringLiteral("command")).toString();
    const int seeds = context.value(QStringLiteral("seeds")).toInt();
    QStringList routers = stringsOf(context.value(QStringLiteral("routers")));
    std::vector<Preference> preferences;
    if (command == QLatin1String("simulate")) {
        routers << simulateReferenceRouters();
        preferences.push_back(
            Preference::parse(context.value(QStringLiteral("preference")).toString()));
    } else if (command == QLatin1String("sweep")) {
        routers << RouterRegistry::instance().upperBound().name;
        preferences = sweepPreferences(context);
    } else {
        throw std::invalid_argument(
            QStringLiteral("unknown experiment command '%1'").arg(command).toStdString());
    }
    std::vector<Cell> cells;
    for (const QString& router : routers) {
        const RouterSpec spec = RouterSpec::parse(router);
        for (const Preference& preference : preferences)
            for (int s = 1; s <= seeds; ++s)
                cells.push_back({spec, preference, static_cast<std::uint64_t>(s)});
    }
    return cells;
}

QString configHashOf(const QJsonObject& context, const QString& dataFingerprint) {
    const QJsonObject keyed{{QStringLiteral("context"), context},
                            {QStringLiteral("version"), versionString()},
                            {QStringLiteral("data"), dataFingerprint}};
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(keyed).toJson(QJsonDocument::Compact),
                                 QCryptographicHash::Sha256)
            .toHex());
}

QJsonObject buildResult(const QJsonObject& context,
                        const std::vector<const CellSummary*>& summaries,
                        const ResultOptions& options) {
    const std::vector<Cell> cells = cellsOf(context);
    if (summaries.size() != cells.size())
        throw std::invalid_argument("buildResult: one summary slot per cell expected");
    const QJsonObject result =
        context.value(QStringLiteral("command")).toString() == QLatin1String("simulate")
            ? simulateResult(context, summaries, options)
            : sweepResult(context, summaries, options);
    return listMissingCells(cells, summaries, result);
}

QJsonObject cellSummaryToJson(const CellSummary& s) {
    QJsonArray share, sessionCost, sessionConvergence;
    for (const double v : s.selectionShare)
        share.append(exactNumber(v));
    for (const double v : s.sessionCostUsd)
        sessionCost.append(exactNumber(v));
    for (const double v : s.sessionConvergenceStep)
        sessionConvergence.append(exactNumber(v));
    return {{QStringLiteral("mean_quality"), exactNumber(s.meanQuality)},
            {QStringLiteral("total_cost_usd"), exactNumber(s.totalCostUsd)},
            {QStringLiteral("mean_cost_usd"), exactNumber(s.meanCostUsd)},
            {QStringLiteral("mean_latency_s"), exactNumber(s.meanLatencyS)},
            {QStringLiteral("p95_latency_s"), exactNumber(s.p95LatencyS)},
            {QStringLiteral("mean_reward"), exactNumber(s.meanReward)},
            {QStringLiteral("regret"), exactNumber(s.regret)},
            {QStringLiteral("convergence_step"), exactNumber(s.meanConvergenceStep)},
            {QStringLiteral("selection"), share},
            {QStringLiteral("session_cost_usd"), sessionCost},
            {QStringLiteral("session_convergence_step"), sessionConvergence},
            {QStringLiteral("blocks"), blockTotalsToJson(s.blocks)},
            {QStringLiteral("steps"), s.steps},
            {QStringLiteral("complete"), s.complete}};
}

CellSummary cellSummaryFromJson(const QJsonObject& j) {
    CellSummary s;
    s.meanQuality = exactNumber(j.value(QStringLiteral("mean_quality")));
    s.totalCostUsd = exactNumber(j.value(QStringLiteral("total_cost_usd")));
    s.meanCostUsd = exactNumber(j.value(QStringLiteral("mean_cost_usd")));
    s.meanLatencyS = exactNumber(j.value(QStringLiteral("mean_latency_s")));
    s.p95LatencyS = exactNumber(j.value(QStringLiteral("p95_latency_s")));
    s.meanReward = exactNumber(j.value(QStringLiteral("mean_reward")));
    s.regret = exactNumber(j.value(QStringLiteral("regret")));
    s.meanConvergenceStep = exactNumber(j.value(QStringLiteral("convergence_step")));
    for (const QJsonValue& v : j.value(QStringLiteral("selection")).toArray())
        s.selectionShare.push_back(exactNumber(v));
    for (const QJsonValue& v : j.value(QStringLiteral("session_cost_usd")).toArray())
        s.sessionCostUsd.push_back(exactNumber(v));
    for (const QJsonValue& v : j.value(QStringLiteral("session_convergence_step")).toArray())
        s.sessionConvergenceStep.push_back(exactNumber(v));
    s.blocks = blockTotalsFromJson(j.value(QStringLiteral("blocks")).toObject());
    s.steps = j.value(QStringLiteral("steps")).toInt();
    s.complete = j.value(QStringLiteral("complete")).toBool(true);
    return s;
}

QString fingerprintFiles(const QStringList& files) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString& f : files)
        hash.addData(sha256OfFile(f).toLatin1());
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace routerlab
