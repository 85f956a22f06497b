#pragma once

#include "reward/preference.h"
#include "routers/router_registry.h"
#include "sim/simulation.h"

#include <QCommandLineParser>
#include <QJsonObject>
#include <QTextStream>
#include <vector>

namespace routerlab {

// The options that simulate and sweep share: data, routers, seeds, sessions, split, reward.
struct SimulationArguments {
    QStringList datasets;
    QStringList testDatasets; // scored on these when given (SplitRule::Kind::Sources)
    QString pool;
    std::vector<RouterSpec> routers;
    Preference preference;
    SimulationOptions options;
    int seeds = 5;
    int threads = 1;
    QString workspace; // where runs are recorded; empty: not recorded

    // Everything needed to run it again, as recorded with the runs.
    // Training files then test files: what the loader reads as one dataset.
    QStringList allDatasets() const { return datasets + testDatasets; }
    QJsonObject toJson(const QString& command, const SimulationSetup& setup) const;
};

void describeSimulationOptions(QCommandLineParser& parser);
// False, after a message on `err`, when the command line is wrong.
bool parseSimulationArguments(const QCommandLineParser& p, const QString& command,
                              SimulationArguments& a, QTextStream& err);
// Mean of each summary figure over the seeds of one router.
QJsonObject averageOverSeeds(const std::vector<const CellResult*>& runs, const QStringList& models);

} // namespace routerlab
