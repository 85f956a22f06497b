#pragma once

#include "data/dataset_summary.h"
#include "formats/dataset_loader.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <memory>

namespace routerlab {

// What the user asked to open: dataset files or folders with an optional pool file, or a
// pool alone (empty `paths`).
struct LoadRequest {
    QStringList paths;
    QString poolPath;

    bool poolOnly() const { return paths.isEmpty(); }
    bool operator==(const LoadRequest&) const = default;
};

// Shared between the GUI thread and the worker: the cancel flag the loader polls and the
// bytes read so far, which a GUI timer samples instead of receiving a signal per chunk.
struct LoadProgress {
    std::atomic_bool cancel{false};
    std::atomic<qint64> done{0};
    std::atomic<qint64> total{0};
};

// The result handed back to the GUI thread by value. Exactly one of: data/pool set,
// `cancelled`, or a non-empty `error`.
struct LoadOutcome {
    LoadRequest request;
    std::shared_ptr<const PricedDataset> data; // null for a pool-only request
    std::shared_ptr<const ModelPool> pool;
    DatasetSummary summary;
    bool cancelled = false;
    QString error;
};

// Runs on a worker thread. Never throws: every failure becomes `error`.
LoadOutcome runLoadJob(const LoadRequest& request, const std::shared_ptr<LoadProgress>& progress);

} // namespace routerlab
