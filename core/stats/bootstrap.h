#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <vector>

namespace routerlab {

// Intervals by a paired bootstrap over prompts, combined with a bootstrap over seeds.
//
// A run's steps are grouped into at most kBootstrapBlocks blocks by a fixed pseudo-random
// rule of the step index, so every run over the same scored prompts groups them the same way.
// A run keeps only its per-block totals (BlockTotals): that is what shards and the workspace
// store, and the intervals are computed from them without the step logs. Resampling blocks
// rather than prompts costs the same at 1,000 or 1,000,000 steps; a block is a random sample
// of prompts, so its total varies as a prompt's does, scaled.
//
// Every router of an experiment is resampled with the same block weights and the same seed
// draws (one BootstrapPlan per experiment), so differences between routers are paired.

struct BootstrapOptions {
    int resamples = 1000; // 0: no intervals
    std::uint64_t seed = 1;
};

inline constexpr int kBootstrapBlocks = 128;
inline constexpr int kMaxBootstrapResamples = 100000;

struct Interval {
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    bool valid() const { return low == low && high == high; }
};

// Blocks a run of `steps` steps is grouped into: min(steps, kBootstrapBlocks).
int blockCount(std::size_t steps);
// The block of step `step` of a run of `steps` steps, in [0, blockCount(steps)).
int blockOfStep(std::size_t step, std::size_t steps);

// One figure's per-block sum and count of the steps that have a value (NaN steps are left
// out, as the run's mean leaves them out).
struct BlockSeries {
    std::vector<float> sum;
    std::vector<float> count;
    bool empty() const { return sum.empty(); }
};

// The per-block totals of one run's per-step figures (what its intervals are computed from).
struct BlockTotals {
    BlockSeries quality, cost, latency, reward, regret;
    bool empty() const { return quality.empty(); }
};

// Totals of per-step values over the blocks of a run of values.size() steps.
BlockSeries blockSeries(const std::vector<float>& values);
BlockSeries blockSeries(const std::vector<double>& values);

// The resampling shared by every run of an experiment: for each resample, a weight per block
// (how often the block was drawn) and a draw of seeds with replacement. The seed draws are
// made as they are needed, from the resample's own stream and the row's run count, so rows
// with as many runs get the same draws and a plan holds nothing per seed (a file may claim
// billions). Deterministic in (blocks, options).
class BootstrapPlan {
public:
    BootstrapPlan(int blocks, const BootstrapOptions& options);
    int resamples() const { return static_cast<int>(weights_.rows()); }
    int blocks() const { return static_cast<int>(weights_.cols()); }
    const Eigen::MatrixXf& blockWeights() const { return weights_; } // resamples x blocks

    // Replicates of a figure's mean, one per resample: for each resample, the ratio of the
    // weighted sum to the weighted count in each seed's run, averaged over the drawn seeds.
    // `runs` holds one BlockSeries per seed (all with blocks() blocks); `scale` multiplies
    // (the step count for totals such as regret or total cost).
    std::vector<double> meanReplicates(const std::vector<const BlockSeries*>& runs,
                                       double scale = 1.0) const;
    // The same for several figures of the same runs, `figures[f][r]` (run r's series of figure
    // f), in one matrix product per run: what a result row asks for.
    std::vector<std::vector<double>>
    meanReplicates(const std::vector<std::vector<const BlockSeries*>>& figures,
                   const std::vector<double>& scales) const;

private:
    Eigen::MatrixXf weights_;
    std::uint64_t seed_ = 1;
};

// The central 95% of the replicates (percentile method); invalid when there are none or
// any is NaN.
Interval percentileInterval(std::vector<double> replicates, double level = 0.95);

// Two-sided p-value of a paired difference: the share of resampled differences at least as
// far from the observed one as the observed one is from zero, (1 + count) / (1 + resamples).
double pairedPValue(const std::vector<double>& differenceReplicates, double observed);

// The interval of the mean of independent values (a plain bootstrap over them), for figures
// computed outside an experiment (the trade-off dock's operating points). NaNs are skipped.
Interval meanInterval(const std::vector<double>& values, const BootstrapOptions& options = {});

} // namespace routerlab
