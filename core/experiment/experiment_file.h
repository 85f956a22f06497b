#pragma once

#include "experiment/simulation_arguments.h"

#include <QString>

namespace routerlab {

// The designer's experiment is a SimulationArguments, read and written through the CLI's own
// functions so that `routerlab-cli simulate|sweep --experiment E.json` runs the same thing.
// One file serves both commands: it carries the simulate keys (preference) and the sweep
// keys (points, latency); each command ignores the other's.
struct GuiExperiment {
    SimulationArguments simulate; // routers, data, seeds, sessions, split, preference
    int points = 11;              // sweep: preferences from all-quality to all-cost
    double latencyWeight = 0;     // sweep: latency weight kept at every point

    // The same arguments as a sweep (for planSweep and the file's sweep keys).
    SimulationArguments sweep() const;
};

// Parses `file` as the CLI does. False with a readable `error` when it is not a valid
// experiment (unreadable, not JSON, unknown router, bad range...).
bool loadExperimentFile(const QString& file, GuiExperiment& experiment, QString& error);
// Writes atomically; paths become relative to the file's folder. False with `error`.
bool saveExperimentFile(const QString& file, const GuiExperiment& experiment, QString& error);
// The experiment JSON (what saveExperimentFile writes), paths relative to `folder`.
QJsonObject experimentJson(const GuiExperiment& experiment, const QString& folder);

// The ready-made experiment of the first start: the sample data with a few routers.
GuiExperiment sampleExperiment(const QString& datasetPath, const QString& poolPath);

} // namespace routerlab
