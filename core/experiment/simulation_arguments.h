#pragma once

#include "common/number_option.h"
#include "experiment/experiment_plan.h"
#include "experiment/recorded_traffic.h"
#include "formats/dataset_loader.h"
#include "reward/preference.h"
#include "routers/router_registry.h"
#include "sim/simulation.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QTextStream>
#include <functional>
#include <optional>
#include <vector>

namespace routerlab {

// The options that simulate and sweep share: data, routers, seeds, sessions, split, reward;
// for sweep also the points. They come from the command line, else from an experiment file
// (--experiment E.json, the same JSON the GUI's designer saves), else the defaults.
struct SimulationArguments {
    QString command;
    QStringList datasets;
    QStringList testDatasets; // scored on these when given (SplitRule::Kind::Sources)
    QString pool;
    std::vector<RouterSpec> routers;
    Preference preference;
    SimulationOptions options;
    int seeds = 5;
    int points = 11;          // sweep
    double latencyWeight = 0; // sweep
    int threads = 1;
    QString workspace;    // where runs are recorded; empty: not recorded
    bool resume = false;  // continue the workspace's unfinished run of the same experiment
    QString shard;        // --shard text; empty: the whole experiment
    QString out;          // --out: result file, or the shard folder with --shard
    ResultOptions result; // --bootstrap, --compare: how the result is summarised
    // --traffic (simulate, sweep): where the recorded calls whose prompts are scored are, and
    // the calls, once the command has read them.
    std::optional<TrafficSource> trafficSource;
    std::optional<RecordedTraffic> traffic;

    // Training files then test files: what the loader reads as one dataset.
    QStringList allDatasets() const { return datasets + testDatasets; }
    // Everything needed to run it again, as recorded with the runs.
    QJsonObject toJson(const SimulationSetup& setup) const;
    // The experiment file for these arguments; paths relative to `folder`.
    QJsonObject toExperimentJson(const QString& folder) const;
};

// The numeric options among them (seeds, session length, threads; sweep's points and latency).
std::vector<NumberOption> simulationNumberOptions(const QString& command);
void describeSimulationOptions(QCommandLineParser& parser, const QString& command);
// False, after a message on `err`, when the command line or the experiment file is wrong.
bool parseSimulationArguments(const QCommandLineParser& p, const QString& command,
                              SimulationArguments& a, QTextStream& err);

} // namespace routerlab
