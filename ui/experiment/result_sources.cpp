#include "ui/experiment/result_sources.h"

#include "experiment/experiment_plan.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <map>

namespace routerlab {

namespace {

// A stored run's summary is CellSummary::toJson: the selection is keyed by model name.
CellSummary summaryOfRun(const QJsonObject& j, const QStringList& models) {
    CellSummary s;
    s.meanQuality = j.value(QStringLiteral("mean_quality")).toDouble();
    s.totalCostUsd = j.value(QStringLiteral("total_cost_usd")).toDouble();
    s.meanCostUsd = j.value(QStringLiteral("mean_cost_usd")).toDouble();
    s.meanLatencyS = j.value(QStringLiteral("mean_latency_s")).toDouble();
    s.p95LatencyS = j.value(QStringLiteral("p95_latency_s")).toDouble();
    s.meanReward = j.value(QStringLiteral("mean_reward")).toDouble();
    s.regret = j.value(QStringLiteral("regret")).toDouble();
    s.meanConvergenceStep = j.value(QStringLiteral("convergence_step")).toDouble();
    s.steps = j.value(QStringLiteral("steps")).toInt();
    s.complete = j.value(QStringLiteral("complete")).toBool(true);
    const QJsonObject selection = j.value(QStringLiteral("selection")).toObject();
    for (const QString& m : models)
        s.selectionShare.push_back(selection.value(m).toDouble());
    return s;
}

QString preferenceKey(const QJsonObject& w) {
    return Preference{w.value(QStringLiteral("quality")).toDouble(),
                      w.value(QStringLiteral("cost")).toDouble(),
                      w.value(QStringLiteral("latency")).toDouble()}
        .toString();
}

// Each router's stored (down-sampled) cumulative series, folded over every stored seed into a
// mean and a spread, and its sessions' costs from every seed's summary.
std::vector<RouterSeries> storedSeries(WorkspaceStore& store, const std::vector<RunRecord>& runs,
                                       const std::vector<Cell>& cells, qsizetype asked) {
    std::map<QString, int> order;
    for (const Cell& c : cells)
        order.emplace(c.router.toString(), static_cast<int>(order.size()));
    std::vector<RouterSeries> out;
    for (const RunRecord& r : runs) {
        std::vector<double> reward = store.series(r.id, QStringLiteral("cumulative_reward"));
        std::vector<double> regret = store.series(r.id, QStringLiteral("cumulative_regret"));
        std::vector<int> steps;
        for (const double step : store.series(r.id, QStringLiteral("cumulative_regret.step")))
            steps.push_back(static_cast<int>(step));
        if (steps.size() != regret.size() || reward.size() != regret.size())
            continue; // damaged series: leave the run out of the charts
        auto s = std::find_if(out.begin(), out.end(),
                              [&](const RouterSeries& o) { return o.name == r.router; });
        if (s == out.end()) {
            RouterSeries fresh;
            fresh.name = r.router;
            const auto at = order.find(r.router);
            fresh.reference = at != order.end() && at->second >= asked;
            fresh.steps = steps;
            s = out.insert(out.end(), std::move(fresh));
        } else if (s->steps != steps) {
            continue; // sampled at other steps (another run length): cannot be averaged
        }
        const int n = ++s->seeds;
        foldSeed(s->cumulativeReward, s->cumulativeRewardM2, reward, n);
        foldSeed(s->cumulativeRegret, s->cumulativeRegretM2, regret, n);
        std::vector<double> sessionCost;
        for (const QJsonValue& v : QJsonDocument::fromJson(r.summaryJson)
                                       .object()
                                       .value(QStringLiteral("session_cost_usd"))
                                       .toArray())
            sessionCost.push_back(v.toDouble());
        foldSeedMean(s->sessionCost, sessionCost, n);
        s->sessionCosts.insert(s->sessionCosts.end(), sessionCost.begin(), sessionCost.end());
    }
    return out;
}

} // namespace

bool readResultFile(const QString& path, ExperimentResults& out, QString& error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
        return false;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        error = QStringLiteral("%1: not a JSON object (%2)").arg(path, parseError.errorString());
        return false;
    }
    const QJsonObject json = doc.object();
    const QJsonArray routers = json.value(QStringLiteral("routers")).toArray();
    if (routers.isEmpty() || !routers.first().isObject()) {
        error = QStringLiteral("%1: not a RouterLab result (no 'routers' list); expected the "
                               "output of routerlab-cli simulate, sweep or merge")
                    .arg(path);
        return false;
    }
    ExperimentResults results;
    results.title = QFileInfo(path).fileName();
    if (routers.first().toObject().contains(QStringLiteral("points")))
        results.sweep = json;
    else if (routers.first().toObject().contains(QStringLiteral("mean_quality")))
        results.simulate = json;
    else {
        error = QStringLiteral("%1: routers have neither 'points' (sweep) nor 'mean_quality' "
                               "(simulate)")
                    .arg(path);
        return false;
    }
    for (const QJsonValue& m : json.value(QStringLiteral("models")).toArray())
        results.models << m.toObject().value(QStringLiteral("name")).toString();
    out = std::move(results);
    return true;
}

namespace {

// The stored runs in cell order (null: a cell with no run). Runs recorded cell by cell keep
// the exact summary too: its block totals give the result its intervals (the run's summary
// JSON has none).
std::vector<const CellSummary*> summariesOfCells(const std::vector<Cell>& cells,
                                                 std::map<QString, CellSummary>& byCell,
                                                 const std::map<qint64, QByteArray>& exact) {
    std::vector<const CellSummary*> summaries;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const Cell& c = cells[i];
        const auto it = byCell.find(QStringLiteral("%1|%2|%3")
                                        .arg(c.router.toString(), c.preference.toString())
                                        .arg(c.seed));
        if (it != byCell.end()) {
            if (const auto cell = exact.find(static_cast<qint64>(i)); cell != exact.end()) {
                const CellSummary stored =
                    cellSummaryFromJson(QJsonDocument::fromJson(cell->second).object());
                it->second.blocks = stored.blocks;
                it->second.sessionConvergenceStep = stored.sessionConvergenceStep;
            }
        }
        summaries.push_back(it == byCell.end() ? nullptr : &it->second);
    }
    return summaries;
}

} // namespace

ExperimentResults readStoredExperiment(WorkspaceStore& store, const ExperimentRecord& experiment,
                                       qint64 onlyRun) {
    const QJsonObject config = QJsonDocument::fromJson(experiment.configJson).object();
    std::vector<RunRecord> runs = store.runs(experiment.id);
    if (onlyRun > 0)
        std::erase_if(runs, [&](const RunRecord& r) { return r.id != onlyRun; });

    ExperimentResults results;
    results.title = experiment.name;
    results.config = config;
    // Model order: the summaries key the selection by name, so any order is faithful.
    for (const RunRecord& r : runs) {
        const QJsonObject selection = QJsonDocument::fromJson(r.summaryJson)
                                          .object()
                                          .value(QStringLiteral("selection"))
                                          .toObject();
        for (const QString& model : selection.keys())
            if (!results.models.contains(model))
                results.models << model;
    }

    // The context a plan would have had; cells are matched to runs by router, preference
    // and seed, so a partial or filtered set of runs still builds (the rest is "missing").
    const QString command = config.value(QStringLiteral("command")).toString();
    QJsonObject context{
        {QStringLiteral("command"), command},
        {QStringLiteral("routers"), config.value(QStringLiteral("routers"))},
        {QStringLiteral("seeds"), config.value(QStringLiteral("seeds"))},
        {QStringLiteral("setup"), config.value(QStringLiteral("setup"))},
        {QStringLiteral("model_names"), QJsonArray::fromStringList(results.models)}};
    double costMin = INFINITY, costMax = 0;
    std::map<QString, CellSummary> byCell; // "router|preference|seed"
    for (const RunRecord& r : runs) {
        const QJsonObject s = QJsonDocument::fromJson(r.summaryJson).object();
        const QString key =
            QStringLiteral("%1|%2|%3")
                .arg(r.router, preferenceKey(QJsonDocument::fromJson(r.preferenceJson).object()))
                .arg(r.seed);
        byCell[key] = summaryOfRun(s, results.models);
        costMin = std::min(costMin, byCell[key].meanCostUsd);
        costMax = std::max(costMax, byCell[key].meanCostUsd);
    }
    if (command == QLatin1String("sweep")) {
        context.insert(QStringLiteral("points"), config.value(QStringLiteral("points")));
        context.insert(QStringLiteral("latency_weight"),
                       config.value(QStringLiteral("latency_weight")));
        context.insert(QStringLiteral("models"), QJsonArray{});
        context.insert(QStringLiteral("cost_range_usd"),
                       QJsonArray{std::isfinite(costMin) ? costMin : 0.0, costMax});
    } else {
        context.insert(QStringLiteral("preference"), config.value(QStringLiteral("preference")));
    }
    std::vector<Cell> cells;
    try {
        cells = cellsOf(context);
    } catch (const std::invalid_argument&) {
        return results; // a configuration this version cannot read: show the title only
    }
    const std::vector<const CellSummary*> summaries = summariesOfCells(
        cells, byCell,
        onlyRun > 0 ? std::map<qint64, QByteArray>{} : store.storedCells(experiment.id));
    (command == QLatin1String("sweep") ? results.sweep : results.simulate) =
        buildResult(context, summaries);

    if (command != QLatin1String("sweep"))
        results.series = storedSeries(store, runs, cells,
                                      config.value(QStringLiteral("routers")).toArray().size());
    return results;
}

} // namespace routerlab
