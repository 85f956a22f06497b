#pragma once

#include "ui/charts/selection_trace.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace routerlab {

struct RunComparison;

// An overlay of several runs names each router "<run label> · <router>" ("B · barp").
QString overlayName(const QString& runLabel, const QString& router);
// The router a row, curve or series stands for, without an overlay's run label.
QString routerOfName(const QString& name);

// One router's series from the simulate part, averaged over the seeds finished so far.
struct RouterSeries {
    QString name;
    bool reference = false; // oracle, random, best-single
    int seeds = 0;
    // Either one value per step (steps empty), or down-sampled with the step of each value.
    std::vector<int> steps;
    std::vector<double> cumulativeReward;
    std::vector<double> cumulativeRegret;
    std::vector<double> cumulativeCost;
    std::vector<double> sessionCost; // USD per session
    std::vector<float> latency;      // every call of every seed, seconds
    SelectionTrace selection;

    int stepAt(std::size_t i) const { return steps.empty() ? static_cast<int>(i) : steps[i]; }
};

// What every chart reads: the result JSON the CLI prints for the simulate part and for the
// sweep part (either may be empty), and the per-router series. A live run fills it cell by
// cell; a stored run or a merged result file fills what it has.
struct ExperimentResults {
    QString title;
    QStringList models;
    QJsonObject simulate; // buildResult() of planSimulate's context (routers, oracle, ...)
    QJsonObject sweep;    // buildResult() of planSweep's context (curves, models, aiq)
    std::vector<RouterSeries> series;
    int cellsDone = 0;
    int cellCount = 0;
    // What the run was configured with, beyond what the result JSONs carry: the configuration
    // a workspace recorded with a stored experiment, or this window's experiment for its runs
    // (datasets, pool, router specs, version); empty for a result file.
    QJsonObject config;
    // Set when these results are several runs overlaid (run_overlay.h): their labels,
    // configurations and metric differences, for the Runs page.
    std::shared_ptr<const RunComparison> comparison;

    bool isEmpty() const { return simulate.isEmpty() && sweep.isEmpty() && series.empty(); }
    // Router rows of the simulate result: the routers asked for, then the references.
    std::vector<QJsonObject> simulateRows() const;
    // Sweep curves: the routers, then the oracle (last).
    std::vector<QJsonObject> sweepCurves() const;
};

} // namespace routerlab
