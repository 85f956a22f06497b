#pragma once

#include "store/workspace_store.h"
#include "ui/experiment/experiment_results.h"

namespace routerlab {

// Results that were not run in this window: a result file written by `routerlab-cli
// simulate|sweep --out` or `routerlab-cli merge` (the same JSON), or an experiment recorded in
// a workspace with --workspace. False with a readable `error` when the file is not one.
bool readResultFile(const QString& path, ExperimentResults& out, QString& error);

// The stored experiment's runs folded back into result JSONs through core's buildResult, and
// each router's stored (down-sampled) cumulative series, averaged over every stored seed with
// their spread (the band over seeds), and its sessions' costs. With
// `onlyRun` > 0, that run alone. Throws what the store throws (InputError, SqliteError).
ExperimentResults readStoredExperiment(WorkspaceStore& store, const ExperimentRecord& experiment,
                                       qint64 onlyRun = 0);

} // namespace routerlab
