#include "ui/dataset/dataset_load_job.h"

#include "common/error_message.h"
#include "common/input_error.h"

namespace routerlab {

LoadOutcome runLoadJob(const LoadRequest& request, const std::shared_ptr<LoadProgress>& progress) {
    LoadOutcome out;
    out.request = request;
    ImportOptions options;
    options.cancel = &progress->cancel;
    options.progress = [progress](qint64 done, qint64 total) {
        progress->done.store(done, std::memory_order_relaxed);
        progress->total.store(total, std::memory_order_relaxed);
    };
    try {
        if (request.poolOnly()) {
            out.pool = std::make_shared<const ModelPool>(ModelPool::load(request.poolPath));
            return out;
        }
        auto priced = std::make_shared<PricedDataset>(
            loadPricedDataset(request.paths, request.poolPath, options));
        // The summary walks every cell; do it here so the GUI thread only draws.
        out.summary = summarize(priced->dataset, priced->pool);
        out.pool = std::shared_ptr<const ModelPool>(priced, &priced->pool);
        out.data = std::move(priced);
    } catch (const ImportCancelled&) {
        out = LoadOutcome{};
        out.request = request;
        out.cancelled = true;
    } catch (...) {
        out.error = currentErrorMessage();
    }
    if (!out.error.isEmpty()) {
        out.data.reset();
        out.pool.reset();
    }
    return out;
}

} // namespace routerlab
