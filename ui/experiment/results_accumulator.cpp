#include "ui/experiment/results_accumulator.h"

namespace routerlab {

ResultsAccumulator::ResultsAccumulator(std::shared_ptr<const PreparedExperiment> prepared,
                                       const QString& title)
    : prepared_(std::move(prepared)) {
    summaries_.resize(static_cast<std::size_t>(prepared_->cellCount()));
    results_->title = title;
    results_->models = prepared_->modelNames();
    results_->cellCount = prepared_->cellCount();
    // Both parts' options, for the Runs page (the sweep's keys, the simulate's preference).
    results_->config = prepared_->experiment.sweep().toJson(*prepared_->setup);
    results_->config.insert(QStringLiteral("preference"),
                            prepared_->experiment.simulate.preference.toString());
    const int seeds = std::max(1, prepared_->experiment.simulate.seeds);
    const int routers = prepared_->simulateCellCount() / seeds;
    const int asked = static_cast<int>(prepared_->experiment.simulate.routers.size());
    for (int r = 0; r < routers; ++r) {
        RouterSeries s;
        s.name =
            prepared_->simulatePlan.cells[static_cast<std::size_t>(r * seeds)].router.toString();
        s.reference = r >= asked;
        results_->series.push_back(std::move(s));
    }
}

void ResultsAccumulator::add(CellDigest& digest) {
    if (digest.index < 0 || digest.index >= prepared_->cellCount())
        return;
    summaries_[static_cast<std::size_t>(digest.index)] =
        std::make_shared<const CellSummary>(digest.summary);
    ++results_->cellsDone;
    stale_ = true;
    if (digest.index < prepared_->simulateCellCount()) {
        const int seeds = std::max(1, prepared_->experiment.simulate.seeds);
        addToSeries(results_->series[static_cast<std::size_t>(digest.index / seeds)], digest);
    }
}

void ResultsAccumulator::addToSeries(RouterSeries& series, CellDigest& digest) {
    const int n = ++series.seeds;
    foldSeed(series.cumulativeReward, series.cumulativeRewardM2, digest.cumulativeReward, n);
    foldSeed(series.cumulativeRegret, series.cumulativeRegretM2, digest.cumulativeRegret, n);
    foldSeedMean(series.cumulativeCost, digest.cumulativeCost, n);
    foldSeedMean(series.sessionCost, digest.summary.sessionCostUsd, n);
    series.sessionCosts.insert(series.sessionCosts.end(), digest.summary.sessionCostUsd.begin(),
                               digest.summary.sessionCostUsd.end());
    series.latency.insert(series.latency.end(), digest.latency.begin(), digest.latency.end());
    if (!digest.selection.steps.empty())
        series.selection = std::move(digest.selection);
}

ResultsAccumulator::Jsons ResultsAccumulator::buildJsons(const Snapshot& snapshot) {
    const PreparedExperiment& prepared = *snapshot.prepared;
    auto build = [&](const ExperimentPlan& plan, std::size_t offset) {
        // Cells not run yet are null: buildResult averages over the seeds that ran and lists
        // the rest as missing, so the charts can draw from the first cell on.
        std::vector<const CellSummary*> summaries;
        for (std::size_t i = 0; i < plan.cells.size(); ++i)
            summaries.push_back(snapshot.summaries[offset + i].get());
        return buildResult(plan.context, summaries);
    };
    return {build(prepared.simulatePlan, 0),
            build(prepared.sweepPlan, static_cast<std::size_t>(prepared.simulateCellCount()))};
}

void ResultsAccumulator::setJsons(Jsons jsons) {
    results_->simulate = std::move(jsons.simulate);
    results_->sweep = std::move(jsons.sweep);
}

void ResultsAccumulator::buildNow() {
    if (stale_)
        setJsons(buildJsons(takeSnapshot()));
}

} // namespace routerlab
