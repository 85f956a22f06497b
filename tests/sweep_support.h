#pragma once

// Preference sweeps and RouterBench's train/test files, shared by the router tests.
#include "formats/dataset_loader.h"
#include "metrics/pareto.h"
#include "sim/simulation.h"
#include "test_support.h"

#include <QDir>
#include <QFileInfo>
#include <QStringList>
#include <vector>

namespace routerlab::testing {

// A router's mean reward over the setup's scored prompts at one preference, seed 1.
inline double meanRewardOf(const SimulationSetup& setup, const char* router,
                           const Preference& preference) {
    return runCell(setup, {RouterSpec::parse(QLatin1String(router)), preference, 1})
        .summary.meanReward;
}

// The sample data's prompts in one session, 70% of them (drawn) to train on, linear reward:
// where the routers that train offline are checked against the baselines.
inline SimulationOptions sampleTrainTestOptions() {
    SimulationOptions o;
    o.reward = RewardKind::Linear;
    o.sessions = SessionRule::parse(QStringLiteral("single"));
    o.split = SplitRule::parse(QStringLiteral("random:0.7"));
    return o;
}

// Quality against cost, from quality only to cost only; latency left out.
inline std::vector<Preference> costSweep(int points) {
    std::vector<Preference> out;
    for (int i = 0; i < points; ++i) {
        const double cost = static_cast<double>(i) / (points - 1);
        out.push_back({1.0 - cost, cost, 0.0});
    }
    return out;
}

struct SweepResult {
    double meanReward = 0; // averaged over the sweep's points
    std::vector<CostQualityPoint> points;
    std::vector<double> rewards;
};

// One seed per point: the routers compared with sweeps decide deterministically.
inline SweepResult runSweep(const SimulationSetup& setup, const QString& router,
                            const std::vector<Preference>& preferences) {
    std::vector<Cell> cells;
    for (const Preference& p : preferences)
        cells.push_back({RouterSpec::parse(router), p, 1});
    SweepResult out;
    for (const CellResult& r : runCells(setup, cells, 2)) {
        out.meanReward += r.summary.meanReward / static_cast<double>(preferences.size());
        out.points.push_back({r.summary.meanCostUsd, r.summary.meanQuality});
        out.rewards.push_back(r.summary.meanReward);
    }
    return out;
}

// RouterBench's three tasks under `dir`: the *_train files and the *_test files.
inline void routerBenchFiles(const QString& dir, QStringList& train, QStringList& test) {
    for (const char* task : {"arc_challenge", "mbpp", "winograde"}) {
        train << QDir(dir).filePath(QStringLiteral("%1_train.csv").arg(QLatin1String(task)));
        test << QDir(dir).filePath(QStringLiteral("%1_test.csv").arg(QLatin1String(task)));
    }
}

// RouterBench's files from the shared data folder; false when the folder is absent.
inline bool sharedRouterBenchFiles(QStringList& train, QStringList& test) {
    const QString root = sharedDataDir();
    const QString dir =
        root.isEmpty() ? QString() : QDir(root).filePath(QStringLiteral("routerbench"));
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        return false;
    routerBenchFiles(dir, train, test);
    return true;
}

} // namespace routerlab::testing
