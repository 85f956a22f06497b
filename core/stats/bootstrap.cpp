#include "stats/bootstrap.h"

#include "common/random.h"
#include "metrics/series_stats.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

constexpr std::uint64_t kBlockSalt = 0x626c6f636b73ULL; // fixed: the grouping never changes
constexpr std::uint64_t kSeedDrawStream = 0x7365656473ULL;

// A resample's own stream: splitmix64, cheap to start (a plan starts thousands) and the same on
// every machine. Draws in [0, n) from the top 32 bits by a multiply; the bias is below n / 2^32.
class ResampleStream {
public:
    explicit ResampleStream(std::uint64_t seed) : state_(seed) {}
    int below(int n) {
        state_ += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        z ^= z >> 31;
        return static_cast<int>(((z >> 32) * static_cast<std::uint64_t>(n)) >> 32);
    }

private:
    std::uint64_t state_;
};

template <typename T> BlockSeries totalsOf(const std::vector<T>& values) {
    BlockSeries out;
    const int blocks = blockCount(values.size());
    out.sum.assign(static_cast<std::size_t>(blocks), 0.0f);
    out.count.assign(static_cast<std::size_t>(blocks), 0.0f);
    // Summed in double per block, then stored as float: a block of 10,000 steps keeps its
    // digits, and the stored totals stay small.
    std::vector<double> sum(static_cast<std::size_t>(blocks), 0.0);
    for (std::size_t t = 0; t < values.size(); ++t) {
        const double v = static_cast<double>(values[t]);
        if (std::isnan(v))
            continue;
        const auto b = static_cast<std::size_t>(blockOfStep(t, values.size()));
        sum[b] += v;
        out.count[b] += 1.0f;
    }
    for (std::size_t b = 0; b < sum.size(); ++b)
        out.sum[b] = static_cast<float>(sum[b]);
    return out;
}

} // namespace

int blockCount(std::size_t steps) {
    return static_cast<int>(std::min<std::size_t>(steps, kBootstrapBlocks));
}

int blockOfStep(std::size_t step, std::size_t steps) {
    if (steps <= static_cast<std::size_t>(kBootstrapBlocks))
        return static_cast<int>(step);
    return static_cast<int>(Random::mix(kBlockSalt, step) % kBootstrapBlocks);
}

BlockSeries blockSeries(const std::vector<float>& values) {
    return totalsOf(values);
}

BlockSeries blockSeries(const std::vector<double>& values) {
    return totalsOf(values);
}

BootstrapPlan::BootstrapPlan(int blocks, int seeds, const BootstrapOptions& options)
    : seeds_(std::max(1, seeds)) {
    const int resamples = std::clamp(options.resamples, 0, kMaxBootstrapResamples);
    blocks = std::max(0, blocks);
    weights_ = Eigen::MatrixXf::Zero(resamples, blocks);
    seedDraws_.resize(static_cast<std::size_t>(resamples) * seeds_);
    for (int b = 0; b < resamples; ++b) {
        // One stream per resample: the plan does not depend on how many were asked for.
        ResampleStream random(Random::mix(options.seed, static_cast<std::uint64_t>(b)));
        for (int i = 0; i < blocks; ++i)
            weights_(b, random.below(blocks)) += 1.0f;
        ResampleStream seedRandom(
            Random::mix(options.seed ^ kSeedDrawStream, static_cast<std::uint64_t>(b)));
        for (int s = 0; s < seeds_; ++s)
            seedDraws_[static_cast<std::size_t>(b) * seeds_ + s] = seedRandom.below(seeds_);
    }
}

std::vector<double> BootstrapPlan::meanReplicates(const std::vector<const BlockSeries*>& runs,
                                                  double scale) const {
    const int count = resamples();
    std::vector<double> out(static_cast<std::size_t>(count),
                            std::numeric_limits<double>::quiet_NaN());
    if (runs.empty() || count == 0)
        return out;
    // ratio(b, r): run r's mean under resample b's block weights.
    Eigen::MatrixXd ratio(count, static_cast<Eigen::Index>(runs.size()));
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const BlockSeries& s = *runs[r];
        if (static_cast<int>(s.sum.size()) != blocks() ||
            static_cast<int>(s.count.size()) != blocks())
            return out; // a run over other prompts: no paired interval
        const Eigen::Map<const Eigen::VectorXf> sum(s.sum.data(), blocks());
        const Eigen::Map<const Eigen::VectorXf> n(s.count.data(), blocks());
        const Eigen::VectorXf num = weights_ * sum;
        const Eigen::VectorXf den = weights_ * n;
        for (int b = 0; b < count; ++b)
            ratio(b, static_cast<Eigen::Index>(r)) =
                den(b) > 0 ? scale * static_cast<double>(num(b)) / static_cast<double>(den(b))
                           : std::numeric_limits<double>::quiet_NaN();
    }
    const int runCount = static_cast<int>(runs.size());
    for (int b = 0; b < count; ++b) {
        if (runCount == 1) {
            out[static_cast<std::size_t>(b)] = ratio(b, 0);
            continue;
        }
        // The seeds are resampled too: a router that learns online varies from seed to seed.
        // A row with fewer runs than the plan's seeds (a partial merge) folds the draws onto
        // the runs it has.
        const int* draw = seedDraw(b);
        double sum = 0;
        for (int j = 0; j < runCount; ++j)
            sum += ratio(b, draw[j % seeds_] % runCount);
        out[static_cast<std::size_t>(b)] = sum / runCount;
    }
    return out;
}

Interval percentileInterval(std::vector<double> replicates, double level) {
    Interval out;
    if (replicates.empty())
        return out;
    for (const double v : replicates)
        if (std::isnan(v))
            return out;
    const double tail = 50.0 * (1.0 - level);
    out.low = percentile(replicates, tail);
    out.high = percentile(std::move(replicates), 100.0 - tail);
    return out;
}

double pairedPValue(const std::vector<double>& differenceReplicates, double observed) {
    if (differenceReplicates.empty() || std::isnan(observed))
        return std::numeric_limits<double>::quiet_NaN();
    std::size_t atLeastAsFar = 0;
    for (const double d : differenceReplicates) {
        if (std::isnan(d))
            return std::numeric_limits<double>::quiet_NaN();
        // Centred on the observed difference: the null distribution's stand-in.
        if (std::abs(d - observed) >= std::abs(observed))
            ++atLeastAsFar;
    }
    return static_cast<double>(1 + atLeastAsFar) /
           static_cast<double>(1 + differenceReplicates.size());
}

Interval meanInterval(const std::vector<double>& values, const BootstrapOptions& options) {
    const BlockSeries series = blockSeries(values);
    int present = 0;
    for (const float n : series.count)
        present += n > 0 ? 1 : 0;
    if (present < 2)
        return {};
    const BootstrapPlan plan(static_cast<int>(series.sum.size()), 1, options);
    return percentileInterval(plan.meanReplicates({&series}));
}

} // namespace routerlab
