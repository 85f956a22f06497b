#include "stats/bootstrap.h"

#include "common/random.h"

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

static_assert(kBootstrapBlocks <= 256, "a block index is kept in one byte");

// The hashed block of each step up to `steps`, computed once per thread and extended as runs
// grow: every run of a sweep sums five series over the same grouping. Null for runs of at most
// kBootstrapBlocks steps, where each step is its own block.
const std::uint8_t* hashedBlocks(std::size_t steps) {
    if (steps <= static_cast<std::size_t>(kBootstrapBlocks))
        return nullptr;
    thread_local std::vector<std::uint8_t> blocks;
    for (std::size_t t = blocks.size(); t < steps; ++t)
        blocks.push_back(static_cast<std::uint8_t>(Random::mix(kBlockSalt, t) % kBootstrapBlocks));
    return blocks.data();
}

template <typename T> BlockSeries totalsOf(const std::vector<T>& values) {
    BlockSeries out;
    const int blocks = blockCount(values.size());
    out.sum.assign(static_cast<std::size_t>(blocks), 0.0f);
    out.count.assign(static_cast<std::size_t>(blocks), 0.0f);
    // Summed in double per block, then stored as float: a block of 10,000 steps keeps its
    // digits, and the stored totals stay small.
    std::vector<double> sum(static_cast<std::size_t>(blocks), 0.0);
    const std::uint8_t* blockOf = hashedBlocks(values.size());
    for (std::size_t t = 0; t < values.size(); ++t) {
        const double v = static_cast<double>(values[t]);
        if (std::isnan(v))
            continue;
        const auto b = blockOf ? static_cast<std::size_t>(blockOf[t]) : t;
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

BootstrapPlan::BootstrapPlan(int blocks, const BootstrapOptions& options) : seed_(options.seed) {
    const int resamples = std::clamp(options.resamples, 0, kMaxBootstrapResamples);
    blocks = std::max(0, blocks);
    weights_ = Eigen::MatrixXf::Zero(resamples, blocks);
    for (int b = 0; b < resamples; ++b) {
        // One stream per resample: the plan does not depend on how many were asked for.
        ResampleStream random(Random::mix(options.seed, static_cast<std::uint64_t>(b)));
        for (int i = 0; i < blocks; ++i)
            weights_(b, random.below(blocks)) += 1.0f;
    }
}

std::vector<double> BootstrapPlan::meanReplicates(const std::vector<const BlockSeries*>& runs,
                                                  double scale) const {
    return meanReplicates(std::vector<std::vector<const BlockSeries*>>{runs}, {scale}).front();
}

std::vector<std::vector<double>>
BootstrapPlan::meanReplicates(const std::vector<std::vector<const BlockSeries*>>& figures,
                              const std::vector<double>& scales) const {
    const int count = resamples();
    const auto figureCount = static_cast<Eigen::Index>(figures.size());
    std::vector<std::vector<double>> out(
        figures.size(), std::vector<double>(static_cast<std::size_t>(count),
                                            std::numeric_limits<double>::quiet_NaN()));
    const std::size_t runCount = figures.empty() ? 0 : figures.front().size();
    if (runCount == 0 || count == 0)
        return out;
    // ratio[f](b, r): run r's mean of figure f under resample b's block weights.
    std::vector<Eigen::MatrixXd> ratio(figures.size(),
                                       Eigen::MatrixXd(count, static_cast<Eigen::Index>(runCount)));
    // One product for every figure of every run, so the weights are read once. The runs of a
    // row share their prompts, so a count column usually repeats: it is multiplied once.
    std::vector<const std::vector<float>*> columns;
    auto columnOf = [&](const std::vector<float>& values) {
        for (std::size_t c = 0; c < columns.size(); ++c)
            if (*columns[c] == values)
                return static_cast<Eigen::Index>(c);
        columns.push_back(&values);
        return static_cast<Eigen::Index>(columns.size() - 1);
    };
    std::vector<std::pair<Eigen::Index, Eigen::Index>> sumAndCount; // per (run, figure)
    for (std::size_t r = 0; r < runCount; ++r)
        for (Eigen::Index f = 0; f < figureCount; ++f) {
            const BlockSeries& s = *figures[static_cast<std::size_t>(f)][r];
            if (static_cast<int>(s.sum.size()) != blocks() ||
                static_cast<int>(s.count.size()) != blocks())
                return out; // a run over other prompts: no paired interval
            const Eigen::Index sum = columnOf(s.sum);
            sumAndCount.emplace_back(sum, columnOf(s.count));
        }
    Eigen::MatrixXf totals(blocks(), static_cast<Eigen::Index>(columns.size()));
    for (std::size_t c = 0; c < columns.size(); ++c)
        totals.col(static_cast<Eigen::Index>(c)) =
            Eigen::Map<const Eigen::VectorXf>(columns[c]->data(), blocks());
    const Eigen::MatrixXf weighted = weights_ * totals;
    for (std::size_t r = 0; r < runCount; ++r)
        for (Eigen::Index f = 0; f < figureCount; ++f) {
            const auto [sum, n] = sumAndCount[r * static_cast<std::size_t>(figureCount) +
                                              static_cast<std::size_t>(f)];
            const double scale = scales[static_cast<std::size_t>(f)];
            for (int b = 0; b < count; ++b) {
                const double den = weighted(b, n);
                ratio[static_cast<std::size_t>(f)](b, static_cast<Eigen::Index>(r)) =
                    den > 0 ? scale * static_cast<double>(weighted(b, sum)) / den
                            : std::numeric_limits<double>::quiet_NaN();
            }
        }
    for (std::size_t f = 0; f < figures.size(); ++f)
        for (int b = 0; b < count; ++b) {
            if (runCount == 1) {
                out[f][static_cast<std::size_t>(b)] = ratio[f](b, 0);
                continue;
            }
            // The seeds are resampled too: a router that learns online varies from seed to
            // seed. Every figure and every row with as many runs gets the same draws.
            ResampleStream draw(
                Random::mix(seed_ ^ kSeedDrawStream, static_cast<std::uint64_t>(b)));
            double sum = 0;
            for (std::size_t j = 0; j < runCount; ++j)
                sum += ratio[f](b, draw.below(static_cast<int>(runCount)));
            out[f][static_cast<std::size_t>(b)] = sum / static_cast<double>(runCount);
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
    // Each end interpolates between its two closest ranks, as percentile() does; a partial
    // selection finds them without sorting (a result asks for thousands of intervals).
    auto at = [&](double p) {
        const double rank = (static_cast<double>(replicates.size()) - 1) * p;
        const auto below = static_cast<std::size_t>(std::floor(rank));
        const auto nth = replicates.begin() + static_cast<std::ptrdiff_t>(below);
        std::nth_element(replicates.begin(), nth, replicates.end());
        const double low = *nth;
        const double high =
            below + 1 < replicates.size() ? *std::min_element(nth + 1, replicates.end()) : low;
        return low + (rank - static_cast<double>(below)) * (high - low);
    };
    const double tail = (1.0 - level) / 2;
    out.low = at(tail);
    out.high = at(1.0 - tail);
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
    const BootstrapPlan plan(static_cast<int>(series.sum.size()), options);
    return percentileInterval(plan.meanReplicates({&series}));
}

} // namespace routerlab
