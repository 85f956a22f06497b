#pragma once

#include "sim/simulation.h"
#include "store/workspace_store.h"

#include <QJsonObject>
#include <vector>

namespace routerlab {

// Stores an experiment and its runs in one transaction: the configuration (enough to re-run
// it), each cell's summary, and down-sampled cumulative reward and regret series with the
// step index of each point. Returns the experiment id.
// One cell's run as the workspace stores it: summary, status and the two series.
FinishedRunRecord finishedRunOf(const CellResult& result, const QStringList& models);

qint64 recordRuns(WorkspaceStore& store, const QString& name, const QJsonObject& config,
                  const std::vector<CellResult>& results, const QStringList& models);

} // namespace routerlab
