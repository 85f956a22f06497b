#pragma once

#include "sim/simulation.h"
#include "stats/bootstrap.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <vector>

namespace routerlab {

// A simulate or sweep experiment reduced to what its result depends on: the cells in their
// one canonical order and a context (routers, preferences, seeds, the setup's description,
// the single models' points). Shards run subsets of the cells and merge rebuilds the result
// from the context and the cell summaries, through the same function a single process uses,
// so the two give the same bytes.
struct ExperimentPlan {
    QJsonObject context;
    std::vector<Cell> cells;
    QString configHash; // sha256 of the context, the version and the input data
};

// Cells of `simulate`: the routers asked for, then simulateReferenceRouters(), each with
// seeds 1..S.
ExperimentPlan planSimulate(const std::vector<RouterSpec>& routers, const Preference& preference,
                            int seeds, const SimulationSetup& setup,
                            const QString& dataFingerprint);
// Cells of `sweep`: each router, then oracle, at `points` preferences from quality=1 to cost=1
// (latency weight fixed), each with seeds 1..S.
ExperimentPlan planSweep(const std::vector<RouterSpec>& routers, int points, double latencyWeight,
                         int seeds, const SimulationSetup& setup, const QString& dataFingerprint);

// The cells a context describes, in canonical order (what plan*() put in `cells`).
std::vector<Cell> cellsOf(const QJsonObject& context);
// The config hash of a context, for shards that carry one.
QString configHashOf(const QJsonObject& context, const QString& dataFingerprint);

// The reference routers every simulate result carries after the ones asked for (the oracle,
// random and best-single), in cell order; a sweep adds the oracle alone.
QStringList simulateReferenceRouters();
// The key buildResult stores a reference router's row or curve under ("best-single" ->
// "best_single").
QString resultKeyOf(const QString& router);
// The key of a sweep result's upper-bound curve: the oracle's.
QString sweepUpperBoundKey();

// How a result is built beyond its cells: the bootstrap behind its intervals, and for a
// simulate result the two routers (by result name) whose paired difference it reports.
struct ResultOptions {
    BootstrapOptions bootstrap;
    QStringList compare; // empty, or two router names
};

// The result JSON. `summaries` is aligned with cellsOf(context); a null entry is a cell that
// did not run (a partial merge): the result then lists it under "missing_cells". With
// resamples > 0 every figure X the runs carry block totals for gains "X_ci95" (README,
// "Intervals and comparisons").
QJsonObject buildResult(const QJsonObject& context,
                        const std::vector<const CellSummary*>& summaries,
                        const ResultOptions& options = {});

// A cell summary as shards store it, losslessly (doubles round-trip exactly through JSON).
QJsonObject cellSummaryToJson(const CellSummary& summary);
CellSummary cellSummaryFromJson(const QJsonObject& json);

// sha256 over the given files' sha256 (the data a run read), in order.
QString fingerprintFiles(const QStringList& files);

} // namespace routerlab
