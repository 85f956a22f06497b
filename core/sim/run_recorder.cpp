#include "sim/run_recorder.h"

#include "metrics/series_stats.h"

#include <QJsonDocument>

namespace routerlab {

namespace {

void storeSeries(WorkspaceStore& store, qint64 run, const QString& name,
                 const SeriesPoints& series) {
    store.addSeries(run, name, series.value);
    store.addSeries(run, name + QStringLiteral(".step"), series.step);
}

} // namespace

qint64 recordRuns(WorkspaceStore& store, const QString& name, const QJsonObject& config,
                  const std::vector<CellResult>& results, const QStringList& models) {
    Transaction transaction(store.database(),
                            QStringLiteral("recording experiment '%1'").arg(name));
    const qint64 experiment =
        store.addExperiment(name, QJsonDocument(config).toJson(QJsonDocument::Compact));
    for (const CellResult& r : results) {
        RunRecord run;
        run.experimentId = experiment;
        run.router = r.cell.router.toString();
        const Preference& w = r.cell.preference;
        run.preferenceJson = QJsonDocument(QJsonObject{{QStringLiteral("quality"), w.quality},
                                                       {QStringLiteral("cost"), w.cost},
                                                       {QStringLiteral("latency"), w.latency}})
                                 .toJson(QJsonDocument::Compact);
        run.seed = r.cell.seed;
        run.configJson = QJsonDocument(QJsonObject{{QStringLiteral("router"), run.router}})
                             .toJson(QJsonDocument::Compact);
        const qint64 id = store.addRun(run);
        store.finishRun(
            id, r.summary.complete ? QStringLiteral("finished") : QStringLiteral("cancelled"),
            QJsonDocument(r.summary.toJson(models)).toJson(QJsonDocument::Compact));
        storeSeries(store, id, QStringLiteral("cumulative_reward"), r.cumulativeReward);
        storeSeries(store, id, QStringLiteral("cumulative_regret"), r.cumulativeRegret);
    }
    transaction.commit();
    return experiment;
}

} // namespace routerlab
