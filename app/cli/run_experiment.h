#pragma once

#include "experiment/simulation_arguments.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QTextStream>
#include <functional>

namespace routerlab {

// Runs an experiment as the command line asks: all of it (result printed, written to --out,
// recorded in --workspace cell by cell as each finishes, --resume continuing a killed run) or
// one shard (written into the --out folder for `merge`).
// `plan` builds the experiment from the loaded setup; `printText` prints the human summary.
int runExperiment(
    const QCommandLineParser& p, const SimulationArguments& a,
    const std::function<ExperimentPlan(const SimulationSetup&, const QString&)>& plan,
    const std::function<void(const QJsonObject&, const SimulationSetup&, QTextStream&)>& printText,
    QTextStream& out, QTextStream& err);

} // namespace routerlab
