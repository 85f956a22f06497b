#include "ui/experiment/prepared_experiment.h"

namespace routerlab {

std::shared_ptr<const PreparedExperiment> prepareExperiment(const GuiExperiment& experiment,
                                                            const LoadedData& loaded,
                                                            const std::atomic_bool* cancel) {
    auto prepared = std::make_shared<PreparedExperiment>();
    prepared->experiment = experiment;
    const SimulationArguments& a = experiment.simulate;
    if (loaded.dataset && loaded.pool) {
        prepared->dataset = loaded.dataset;
        prepared->pool = *loaded.pool;
    } else {
        ImportOptions options;
        options.cancel = cancel;
        auto priced =
            std::make_shared<PricedDataset>(loadPricedDataset(a.allDatasets(), a.pool, options));
        prepared->pool = priced->pool;
        prepared->dataset = std::shared_ptr<const Dataset>(priced, &priced->dataset);
    }
    prepared->setup =
        std::make_unique<SimulationSetup>(*prepared->dataset, prepared->pool, a.options);
    if (prepared->setup->scoredRows().empty())
        throw std::invalid_argument("no prompt is left to score: check the split and the "
                                    "missing-cell policy");
    prepared->simulatePlan = planSimulate(a.routers, a.preference, a.seeds, *prepared->setup, {});
    prepared->sweepPlan = planSweep(a.routers, experiment.points, experiment.latencyWeight, a.seeds,
                                    *prepared->setup, {});
    return prepared;
}

} // namespace routerlab
