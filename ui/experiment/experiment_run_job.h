#pragma once

#include "ui/charts/selection_trace.h"
#include "ui/experiment/prepared_experiment.h"

#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace routerlab {

// What the charts need from one finished cell, computed on the worker so the GUI thread only
// adds and draws. Sweep cells carry their summary alone.
struct CellDigest {
    int index = -1; // in PreparedExperiment's run order
    CellSummary summary;
    std::vector<double> cumulativeReward; // per step
    std::vector<double> cumulativeRegret;
    std::vector<double> cumulativeCost;
    std::vector<float> latency;
    SelectionTrace selection; // seed 1 of each simulate router only
};

enum class CellState { Queued, Running, Done, Cancelled };

// Shared by the GUI thread and the workers. The GUI samples it on a timer instead of
// receiving a signal per cell: a sweep finishes hundreds of cells a second.
//
// The GUI thread never waits here for a worker. The workers run at a low priority, so one
// holding a lock can wait long for a core while other programs keep it busy, and the window
// would wait with it. That holds for the allocator's locks too: memory a worker allocated is
// freed in that worker's arena, under its lock, so the GUI hands finished digests back and
// the workers free them (recycle).
class RunProgress {
public:
    std::atomic_bool cancel{false};

    // Set once, by the worker, when the experiment is prepared; null before.
    std::shared_ptr<const PreparedExperiment> prepared() const;
    void setPrepared(std::shared_ptr<const PreparedExperiment> prepared);

    CellState state(int cell) const;
    void setState(int cell, CellState state);
    int doneCells() const { return done_.load(std::memory_order_relaxed); }

    // Workers: adds a finished cell's digest and frees the digests the GUI handed back.
    void post(CellDigest digest);
    // GUI: the digests posted since the last call. Without waiting, none while a worker holds
    // the lock (the next call has them); wait only once the workers are done.
    enum class Wait { No, Yes };
    std::vector<CellDigest> takeFinished(Wait wait);
    // GUI: batches of digests (takeFinished()'s vectors) done with, for a worker to free. Empties
    // `batches` unless a worker holds the lock; then the next call passes them on.
    void recycle(std::vector<std::vector<CellDigest>>& batches);

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const PreparedExperiment> prepared_;
    std::atomic_bool preparedSet_{false}; // prepared_ is written once, before this turns true
    std::unique_ptr<std::atomic<int>[]> states_;
    std::atomic<int> done_{0};
    std::vector<CellDigest> outbox_;
    std::vector<std::vector<CellDigest>> spent_;
};

struct RunOutcome {
    std::shared_ptr<const PreparedExperiment> prepared; // null when preparing failed
    bool cancelled = false;
    QString error;
};

// Prepares the experiment and runs every cell on `threads` workers, posting a digest per
// finished cell. Each cell is runCell on the shared setup: numbers depend on the seeds only,
// never on the thread count. Never throws.
RunOutcome runExperimentJob(const GuiExperiment& experiment, const LoadedData& loaded,
                            const std::shared_ptr<RunProgress>& progress, int threads);

} // namespace routerlab
