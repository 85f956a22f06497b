#include "sim/run_recorder.h"

#include <QJsonDocument>

namespace routerlab {

namespace {

QByteArray compactJson(const QJsonObject& json) {
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// A series is stored as its values and, under NAME.step, the step index of each value.
void addSeries(FinishedRunRecord& run, const QString& name, const SeriesPoints& series) {
    run.series.emplace_back(name, series.value);
    run.series.emplace_back(name + QStringLiteral(".step"), series.step);
}

} // namespace

FinishedRunRecord finishedRunOf(const CellResult& result, const QStringList& models) {
    FinishedRunRecord run;
    run.router = result.cell.router.toString();
    const Preference& w = result.cell.preference;
    run.preferenceJson = compactJson(QJsonObject{{QStringLiteral("quality"), w.quality},
                                                 {QStringLiteral("cost"), w.cost},
                                                 {QStringLiteral("latency"), w.latency}});
    run.seed = result.cell.seed;
    run.configJson = compactJson(QJsonObject{{QStringLiteral("router"), run.router}});
    run.status = result.summary.complete ? QStringLiteral("finished") : QStringLiteral("cancelled");
    run.summaryJson = compactJson(result.summary.toJson(models));
    addSeries(run, QStringLiteral("cumulative_reward"), result.cumulativeReward);
    addSeries(run, QStringLiteral("cumulative_regret"), result.cumulativeRegret);
    return run;
}

qint64 recordRuns(WorkspaceStore& store, const QString& name, const QJsonObject& config,
                  const std::vector<CellResult>& results, const QStringList& models) {
    std::vector<FinishedRunRecord> runs;
    runs.reserve(results.size());
    for (const CellResult& result : results)
        runs.push_back(finishedRunOf(result, models));
    return store.recordExperiment(name, compactJson(config), runs);
}

} // namespace routerlab
