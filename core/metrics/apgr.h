#pragma once

#include <limits>
#include <vector>

namespace routerlab {

// RouteLLM's metrics for routing between one weak and one strong model.

// (qRouter - qWeak) / (qStrong - qWeak); NaN when qStrong == qWeak (no gap to recover).
double performanceGapRecovered(double qualityRouter, double qualityWeak, double qualityStrong);

struct ApgrCurvePoint {
    double strongShare = 0;
    double pgr = 0;
};

struct ApgrResult {
    double apgr = 0;
    std::vector<ApgrCurvePoint> curve; // N + 1 points, strongShare = k / N for k = 0..N
    double cpt50 = std::numeric_limits<double>::quiet_NaN();
    double cpt80 = std::numeric_limits<double>::quiet_NaN();
};

// Sweeps the router's threshold: for k = 0..N the k prompts with the highest strongScore go
// to the strong model (ties to the lower index; NaN scores rank last), quality(k) is the mean
// over prompts of the quality of the model each was sent to, and PGR(k) is measured against
// quality(0) (all weak) and quality(N) (all strong). APGR is the trapezoid area under PGR vs
// strong share. cpt50 / cpt80 are callPerformanceThreshold(result, 0.5 / 0.8).
// Empty input, or quality(0) == quality(N), gives NaN for apgr and every PGR.
// Throws std::invalid_argument when the three vectors differ in length.
ApgrResult averagePerformanceGapRecovered(const std::vector<double>& strongScore,
                                          const std::vector<double>& weakQuality,
                                          const std::vector<double>& strongQuality);

// The smallest strong share on the curve at which PGR >= pgrTarget (a fraction: 0.5 for
// CPT(50%)); NaN when never reached. PGR need not rise monotonically, so this is the first
// crossing. A tolerance of 1e-9 absorbs rounding in the PGR ratio, so a curve that reaches the
// target exactly on paper is not missed by one ulp.
double callPerformanceThreshold(const ApgrResult& result, double pgrTarget);

// APGR of a router that is not a score but a set of operating points, e.g. one per preference
// of a sweep: each point is (share of calls to the strong model, PGR of its mean quality).
// The curve is the points sorted by share, anchored at (0, 0) (all weak) and (1, 1) (all
// strong) unless points sit there already; APGR is its trapezoid area, CPT the first crossing.
// Points with a NaN PGR are left out; none left gives NaN.
ApgrResult apgrFromOperatingPoints(std::vector<ApgrCurvePoint> points);

} // namespace routerlab
