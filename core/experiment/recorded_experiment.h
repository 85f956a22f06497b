#pragma once

#include "experiment/experiment_plan.h"
#include "store/workspace_store.h"

#include <QStringList>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

namespace routerlab {

// The workspace already holds part of this experiment and the caller did not ask to resume.
class PartialRunExists : public std::runtime_error {
public:
    explicit PartialRunExists(const ExperimentProgress& progress)
        : std::runtime_error("the workspace holds a partial run of this experiment"),
          progress_(progress) {}
    const ExperimentProgress& progress() const { return progress_; }

private:
    ExperimentProgress progress_;
};

// A simulate or sweep experiment recorded in a workspace as it runs: one transaction per
// finished cell, keyed by the experiment's identity (its plan's config hash: data hashes,
// routers, parameters, seeds, split, version) and the cell's position in the plan. A run
// killed part-way leaves the cells it had finished; resuming runs only the others and,
// as cells are deterministic, ends with the result and rows an uninterrupted run gives.
class RecordedExperiment {
public:
    // Starts the experiment, or with `resume` continues the latest one of the same identity
    // (starting afresh when there is none). Without `resume`, throws PartialRunExists when the
    // latest one of that identity is unfinished.
    RecordedExperiment(WorkspaceStore& store, const ExperimentPlan& plan, const QString& name,
                       const QByteArray& configJson, bool resume);

    qint64 id() const { return id_; }
    // Cells already stored when this run began.
    int resumedCells() const { return resumedCells_; }
    // The positions in plan.cells still to run, in order.
    const std::vector<int>& pendingCells() const { return pending_; }

    // Stores the result of cell plan.cells[index]; safe to call from worker threads.
    void record(int index, const CellResult& result, const QStringList& models);
    // One summary per plan cell: stored ones as read back, recorded ones as computed. Throws
    // std::logic_error while a cell is missing.
    std::vector<CellSummary> summaries() const;

private:
    WorkspaceStore& store_;
    qint64 id_ = 0;
    int resumedCells_ = 0;
    std::vector<int> pending_;
    std::vector<std::optional<CellSummary>> summaries_;
    std::mutex writing_;
};

} // namespace routerlab
