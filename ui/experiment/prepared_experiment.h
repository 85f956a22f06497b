#pragma once

#include "experiment/experiment_file.h"
#include "experiment/experiment_plan.h"
#include "formats/dataset_loader.h"
#include "sim/simulation.h"

#include <atomic>
#include <memory>

namespace routerlab {

// An experiment ready to run: its data, the simulation setup built once over it (reward
// scales, features, the training cache that lets BaRP train once) and the cells of both the
// simulate part and the sweep part. Read-only once built, so the run's workers, the charts
// and the preference slider share it.
struct PreparedExperiment {
    GuiExperiment experiment;
    std::shared_ptr<const Dataset> dataset;
    ModelPool pool; // what prices the dataset (the pool editor's, when it was edited)
    std::unique_ptr<SimulationSetup> setup;
    ExperimentPlan simulatePlan;
    ExperimentPlan sweepPlan;

    QStringList modelNames() const { return dataset->modelNames; }
    int simulateCellCount() const { return static_cast<int>(simulatePlan.cells.size()); }
    int cellCount() const {
        return static_cast<int>(simulatePlan.cells.size() + sweepPlan.cells.size());
    }
    // Cells in run order: the simulate cells, then the sweep cells.
    const Cell& cell(int index) const {
        return index < simulateCellCount()
                   ? simulatePlan.cells[static_cast<std::size_t>(index)]
                   : sweepPlan.cells[static_cast<std::size_t>(index - simulateCellCount())];
    }
};

// The data an experiment may reuse instead of reading its files again: the dataset the
// window shows, priced by the pool the window shows (perhaps edited).
struct LoadedData {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const ModelPool> pool;
};

// Loads the data (or takes `loaded` when set), builds the setup and plans the cells. Throws
// InputError, ImportCancelled or std::exception.
std::shared_ptr<const PreparedExperiment> prepareExperiment(const GuiExperiment& experiment,
                                                            const LoadedData& loaded,
                                                            const std::atomic_bool* cancel);

} // namespace routerlab
