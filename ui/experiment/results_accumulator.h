#pragma once

#include "ui/experiment/experiment_results.h"
#include "ui/experiment/experiment_run_job.h"

#include <memory>
#include <vector>

namespace routerlab {

// Folds finished cells into ExperimentResults while a run streams in: series become running
// means over the seeds so far, and the result JSONs are rebuilt from the summaries through
// core's buildResult, so a finished run shows exactly what `routerlab-cli` prints.
class ResultsAccumulator {
public:
    ResultsAccumulator(std::shared_ptr<const PreparedExperiment> prepared, const QString& title);

    // The summaries so far, shareable with a worker that builds the result JSONs.
    struct Snapshot {
        std::shared_ptr<const PreparedExperiment> prepared;
        std::vector<std::shared_ptr<const CellSummary>> summaries; // null: not run yet
    };
    struct Jsons {
        QJsonObject simulate;
        QJsonObject sweep;
    };

    // Folds a cell's series in at once (cheap); its summary reaches the JSONs with the next
    // buildJsons, which may run on a worker: over tens of thousands of cells it takes a while.
    // Copies what it keeps but the selection trace, which it moves out of `digest`.
    void add(CellDigest& digest);
    // The summaries as they are now; the JSONs count as up to date from here.
    Snapshot takeSnapshot() {
        stale_ = false;
        return {prepared_, summaries_};
    }
    static Jsons buildJsons(const Snapshot& snapshot);
    void setJsons(Jsons jsons);
    // Builds the JSONs here when cells came in since; for small experiments and tests.
    void buildNow();
    bool jsonsStale() const { return stale_; }

    std::shared_ptr<const ExperimentResults> results() const { return results_; }
    const PreparedExperiment& prepared() const { return *prepared_; }

private:
    void addToSeries(RouterSeries& series, CellDigest& digest);

    std::shared_ptr<const PreparedExperiment> prepared_;
    std::vector<std::shared_ptr<const CellSummary>> summaries_; // in run order
    std::shared_ptr<ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    bool stale_ = true;
};

} // namespace routerlab
