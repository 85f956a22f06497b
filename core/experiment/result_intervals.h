#pragma once

#include "sim/simulation.h"
#include "stats/bootstrap.h"

#include <QJsonObject>
#include <QString>
#include <map>
#include <vector>

namespace routerlab {

// The bootstrap replicates of a result row's figures, keyed by the row's JSON field
// ("mean_quality", "regret", ...): one value per resample of the experiment's plan.
using FigureReplicates = std::map<QString, std::vector<double>>;

// The resampling of one experiment, shared by all its rows so differences are paired: one
// plan over the blocks of the scored prompts, one over the sessions (convergence step).
class ExperimentBootstrap {
public:
    // Sizes come from the first summary that carries block totals; none (intervals off, or
    // summaries from a version without them) leaves the bootstrap inactive.
    ExperimentBootstrap(const std::vector<const CellSummary*>& summaries,
                        const BootstrapOptions& options);
    bool active() const { return active_; }
    const BootstrapOptions& options() const { return options_; }
    int blocks() const { return steps_.blocks(); }

    // A simulate row's figures from its runs (the seeds of one router).
    FigureReplicates simulateRow(const std::vector<const CellSummary*>& runs) const;
    // A sweep point's figures (cost_usd, quality, latency_s, reward) from its runs.
    FigureReplicates sweepPoint(const std::vector<const CellSummary*>& runs) const;

private:
    // A figure of a row: its JSON field, its block series, and whether it is a mean per step
    // (else a total over the run's steps).
    struct RowFigure {
        QString field;
        BlockSeries BlockTotals::*series;
        bool perStep;
    };
    FigureReplicates replicatesOf(const std::vector<const CellSummary*>& runs,
                                  const std::vector<RowFigure>& wanted) const;

    BootstrapOptions options_;
    BootstrapPlan steps_;
    BootstrapPlan sessions_;
    bool active_ = false;
};

// Adds "<field>_ci95": [low, high] to `row` for every figure with a valid interval.
void insertIntervals(QJsonObject& row, const FigureReplicates& replicates);

// The figures a comparison and the leaders cover, and which way is better.
struct ComparedFigure {
    QString field;
    bool higherIsBetter;
};
const std::vector<ComparedFigure>& comparedFigures();

// Row a minus row b for each compared figure: the difference, its interval and the paired
// p-value. `a` and `b` are the rows' JSON (for the point values).
QJsonObject compareRows(const QJsonObject& a, const FigureReplicates& ra, const QJsonObject& b,
                        const FigureReplicates& rb);

// For each compared figure, the best row among `candidates` (indexes into rows) and whether
// its lead over the runner-up is significant at 5%.
QJsonObject leadersOf(const std::vector<QJsonObject>& rows,
                      const std::vector<FigureReplicates>& replicates,
                      const std::vector<int>& candidates);

// Block totals as shards and the workspace store them: little-endian float32, base64.
QJsonObject blockTotalsToJson(const BlockTotals& totals);
BlockTotals blockTotalsFromJson(const QJsonObject& json);

} // namespace routerlab
