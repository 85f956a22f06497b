#include "metrics/apgr.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace routerlab {

namespace {
constexpr double kUndefinedApgr = std::numeric_limits<double>::quiet_NaN();
constexpr double kPgrTolerance = 1e-9;
} // namespace

double performanceGapRecovered(double qualityRouter, double qualityWeak, double qualityStrong) {
    if (qualityStrong == qualityWeak)
        return kUndefinedApgr;
    return (qualityRouter - qualityWeak) / (qualityStrong - qualityWeak);
}

ApgrResult averagePerformanceGapRecovered(const std::vector<double>& strongScore,
                                          const std::vector<double>& weakQuality,
                                          const std::vector<double>& strongQuality) {
    if (strongScore.size() != weakQuality.size() || strongScore.size() != strongQuality.size())
        throw std::invalid_argument(
            "averagePerformanceGapRecovered: scores and qualities differ in length");
    ApgrResult result;
    const size_t n = strongScore.size();
    if (n == 0) {
        result.apgr = kUndefinedApgr;
        return result;
    }

    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        const bool aNan = std::isnan(strongScore[a]);
        const bool bNan = std::isnan(strongScore[b]);
        if (aNan || bNan)
            return !aNan && bNan;
        return strongScore[a] > strongScore[b];
    });

    // Work with quality sums rather than means: PGR is a ratio of differences, so the 1/N
    // cancels and the hand-computed cases come out exact.
    std::vector<double> sums(n + 1);
    sums[0] = std::accumulate(weakQuality.begin(), weakQuality.end(), 0.0);
    for (size_t k = 1; k <= n; ++k) {
        const size_t i = order[k - 1];
        sums[k] = sums[k - 1] + (strongQuality[i] - weakQuality[i]);
    }

    result.curve.reserve(n + 1);
    for (size_t k = 0; k <= n; ++k) {
        result.curve.push_back({static_cast<double>(k) / static_cast<double>(n),
                                performanceGapRecovered(sums[k], sums[0], sums[n])});
    }
    double area = 0;
    for (size_t k = 1; k <= n; ++k) {
        const ApgrCurvePoint& a = result.curve[k - 1];
        const ApgrCurvePoint& b = result.curve[k];
        area += (b.strongShare - a.strongShare) * (a.pgr + b.pgr) / 2;
    }
    result.apgr = area;
    result.cpt50 = callPerformanceThreshold(result, 0.5);
    result.cpt80 = callPerformanceThreshold(result, 0.8);
    return result;
}

double callPerformanceThreshold(const ApgrResult& result, double pgrTarget) {
    for (const ApgrCurvePoint& p : result.curve) {
        if (p.pgr >= pgrTarget - kPgrTolerance)
            return p.strongShare;
    }
    return kUndefinedApgr;
}

ApgrResult apgrFromOperatingPoints(std::vector<ApgrCurvePoint> points) {
    ApgrResult result;
    std::erase_if(points, [](const ApgrCurvePoint& p) { return std::isnan(p.pgr); });
    if (points.empty()) {
        result.apgr = kUndefinedApgr;
        return result;
    }
    std::stable_sort(points.begin(), points.end(),
                     [](const ApgrCurvePoint& a, const ApgrCurvePoint& b) {
                         return a.strongShare < b.strongShare;
                     });
    if (points.front().strongShare > 0)
        result.curve.push_back({0, 0});
    result.curve.insert(result.curve.end(), points.begin(), points.end());
    if (points.back().strongShare < 1)
        result.curve.push_back({1, 1});
    for (std::size_t k = 1; k < result.curve.size(); ++k) {
        const ApgrCurvePoint& a = result.curve[k - 1];
        const ApgrCurvePoint& b = result.curve[k];
        result.apgr += (b.strongShare - a.strongShare) * (a.pgr + b.pgr) / 2;
    }
    result.cpt50 = callPerformanceThreshold(result, 0.5);
    result.cpt80 = callPerformanceThreshold(result, 0.8);
    return result;
}

} // namespace routerlab
