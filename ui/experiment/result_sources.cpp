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
    std::vector<const CellSummary*> summaries;
    for (const Cell& c : cells) {
        const auto it = byCell.find(QStringLiteral("%1|%2|%3")
                                        .arg(c.router.toString(), c.preference.toString())
                                        .arg(c.seed));
        summaries.push_back(it == byCell.end() ? nullptr : &it->second);
    }
    (command == QLatin1String("sweep") ? results.sweep : results.simulate) =
        buildResult(context, summaries);

    if (command != QLatin1String("sweep")) {
        const int asked =
            static_cast<int>(config.value(QStringLiteral("routers")).toArray().size());
        std::map<QString, int> order;
        for (const Cell& c : cells)
            order.emplace(c.router.toString(), static_cast<int>(order.size()));
        for (const RunRecord& r : runs) {
            if (std::any_of(results.series.begin(), results.series.end(),
                            [&](const RouterSeries& s) { return s.name == r.router; }))
                continue; // the first stored seed stands for the router
            RouterSeries s;
            s.name = r.router;
            s.seeds = 1;
            const auto at = order.find(r.router);
            s.reference = at != order.end() && at->second >= asked;
            s.cumulativeReward = store.series(r.id, QStringLiteral("cumulative_reward"));
            s.cumulativeRegret = store.series(r.id, QStringLiteral("cumulative_regret"));
            for (const double step : store.series(r.id, QStringLiteral("cumulative_regret.step")))
                s.steps.push_back(static_cast<int>(step));
            if (s.steps.size() != s.cumulativeRegret.size() ||
                s.cumulativeReward.size() != s.cumulativeRegret.size())
                continue; // damaged series: leave the router out of the charts
            results.series.push_back(std::move(s));
        }
    }
    return results;
}

} // namespace routerlab
