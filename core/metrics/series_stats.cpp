#include "metrics/series_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace routerlab {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

double mean(const std::vector<double>& values) {
    double sum = 0;
    size_t count = 0;
    for (double v : values) {
        if (!std::isnan(v)) {
            sum += v;
            ++count;
        }
    }
    return count == 0 ? kNaN : sum / static_cast<double>(count);
}

double percentile(std::vector<double> values, double p) {
    if (!(p >= 0 && p <= 100))
        return kNaN;
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty())
        return kNaN;
    const double rank = static_cast<double>(values.size() - 1) * p / 100;
    const size_t below = static_cast<size_t>(std::floor(rank));
    const double t = rank - static_cast<double>(below);
    // Two order statistics, not a sort: a 100k-step run's p95 would otherwise cost as much
    // as the run itself.
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(below),
                     values.end());
    const double low = values[below];
    if (below + 1 >= values.size())
        return low;
    const double high =
        *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(below) + 1, values.end());
    return low + t * (high - low);
}

std::vector<double> cumulativeSum(const std::vector<double>& values) {
    std::vector<double> out;
    out.reserve(values.size());
    double sum = 0;
    for (double v : values) {
        sum += v;
        out.push_back(sum);
    }
    return out;
}

std::vector<double> cumulativeRegret(const std::vector<double>& oracleReward,
                                     const std::vector<double>& reward) {
    if (oracleReward.size() != reward.size())
        throw std::invalid_argument("cumulativeRegret: oracle and reward series differ in length");
    std::vector<double> out;
    out.reserve(reward.size());
    double sum = 0;
    for (size_t i = 0; i < reward.size(); ++i) {
        sum += oracleReward[i] - reward[i];
        out.push_back(sum);
    }
    return out;
}

int convergenceStep(const std::vector<int>& choices) {
    if (choices.empty())
        return -1;
    int t = static_cast<int>(choices.size()) - 1;
    while (t > 0 && choices[t - 1] == choices.back())
        --t;
    return t;
}

int convergenceStepByProbability(const std::vector<double>& topProbability, double threshold) {
    // Written as !(x >= threshold) so that NaN counts as below.
    if (topProbability.empty() || !(topProbability.back() >= threshold))
        return -1;
    int t = static_cast<int>(topProbability.size()) - 1;
    while (t > 0 && topProbability[t - 1] >= threshold)
        --t;
    return t;
}

std::vector<std::vector<double>> selectionShareOverTime(const std::vector<int>& choices,
                                                        int modelCount, int windows) {
    std::vector<std::vector<double>> rows;
    if (choices.empty() || modelCount <= 0 || windows <= 0)
        return rows;
    const size_t n = choices.size();
    const size_t length = (n + static_cast<size_t>(windows) - 1) / static_cast<size_t>(windows);
    for (size_t start = 0; start < n; start += length) {
        const size_t end = std::min(start + length, n);
        std::vector<double> row(static_cast<size_t>(modelCount), 0.0);
        for (size_t i = start; i < end; ++i) {
            if (choices[i] >= 0 && choices[i] < modelCount)
                row[static_cast<size_t>(choices[i])] += 1;
        }
        for (double& share : row)
            share /= static_cast<double>(end - start);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<std::pair<int, double>> downsampleMinMax(const std::vector<double>& series,
                                                     int maxPoints) {
    std::vector<std::pair<int, double>> out;
    const int n = static_cast<int>(series.size());
    if (n == 0 || maxPoints <= 0)
        return out;
    if (n <= maxPoints) {
        for (int i = 0; i < n; ++i)
            out.emplace_back(i, series[i]);
        return out;
    }
    out.emplace_back(0, series[0]);
    if (maxPoints == 1)
        return out;

    const std::int64_t interior = n - 2;
    const std::int64_t buckets = (maxPoints - 2) / 2;
    for (std::int64_t b = 0; b < buckets; ++b) {
        // Bucket bounds spread the remainder evenly instead of piling it into the last one.
        const int begin = 1 + static_cast<int>(b * interior / buckets);
        const int end = 1 + static_cast<int>((b + 1) * interior / buckets);
        int lo = -1;
        int hi = -1;
        for (int i = begin; i < end; ++i) {
            if (std::isnan(series[i]))
                continue;
            if (lo < 0 || series[i] < series[lo])
                lo = i;
            if (hi < 0 || series[i] > series[hi])
                hi = i;
        }
        if (lo < 0)
            continue;
        const int first = std::min(lo, hi);
        const int second = std::max(lo, hi);
        out.emplace_back(first, series[first]);
        if (second != first)
            out.emplace_back(second, series[second]);
    }
    out.emplace_back(n - 1, series[n - 1]);
    return out;
}

} // namespace routerlab
