#include "store/workspace_store.h"

namespace routerlab {

qint64 WorkspaceStore::recordExperiment(const QString& name, const QByteArray& configJson,
                                        const std::vector<FinishedRunRecord>& runs) {
    Transaction transaction(db_, QStringLiteral("recording experiment '%1'").arg(name));
    const qint64 experiment = addExperiment(name, configJson);
    for (const FinishedRunRecord& finished : runs) {
        RunRecord run;
        run.experimentId = experiment;
        run.router = finished.router;
        run.preferenceJson = finished.preferenceJson;
        run.seed = finished.seed;
        run.configJson = finished.configJson;
        // Added, then finished: the same rows a run recorded while it runs leaves behind.
        const qint64 id = addRun(run);
        finishRun(id, finished.status, finished.summaryJson);
        for (const auto& [seriesName, values] : finished.series)
            addSeries(id, seriesName, values);
    }
    transaction.commit();
    return experiment;
}

} // namespace routerlab
