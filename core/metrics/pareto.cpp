#include "metrics/pareto.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace routerlab {

std::vector<int> paretoFront(const std::vector<CostQualityPoint>& points) {
    std::vector<int> order;
    order.reserve(points.size());
    for (int i = 0; i < static_cast<int>(points.size()); ++i) {
        if (std::isfinite(points[i].cost) && std::isfinite(points[i].quality))
            order.push_back(i);
    }
    // Cheapest first, best quality first within a cost, lower index first among duplicates:
    // then a point survives exactly when it beats every cheaper-or-equal point's quality.
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        if (points[a].cost != points[b].cost)
            return points[a].cost < points[b].cost;
        return points[a].quality > points[b].quality;
    });
    std::vector<int> front;
    double best = -std::numeric_limits<double>::infinity();
    for (int i : order) {
        if (points[i].quality > best) {
            front.push_back(i);
            best = points[i].quality;
        }
    }
    return front;
}

std::vector<CostQualityPoint> upperConvexHull(const std::vector<CostQualityPoint>& points) {
    // The Pareto front already runs from the cheapest to the best point with quality strictly
    // rising, so its upper hull is the non-decreasing one.
    std::vector<CostQualityPoint> hull;
    for (int i : paretoFront(points)) {
        const CostQualityPoint& p = points[i];
        // Pop the last point while it lies on or below the chord from its predecessor to p.
        while (hull.size() >= 2) {
            const CostQualityPoint& a = hull[hull.size() - 2];
            const CostQualityPoint& b = hull.back();
            const double cross = (b.cost - a.cost) * (p.quality - a.quality) -
                                 (b.quality - a.quality) * (p.cost - a.cost);
            if (cross < 0)
                break;
            hull.pop_back();
        }
        hull.push_back(p);
    }
    return hull;
}

namespace {

// The hull as a function of cost, for cost >= hull.front().cost (flat past the last point).
double hullQualityAt(const std::vector<CostQualityPoint>& hull, double cost) {
    if (cost >= hull.back().cost)
        return hull.back().quality;
    const auto upper =
        std::upper_bound(hull.begin(), hull.end(), cost,
                         [](double c, const CostQualityPoint& p) { return c < p.cost; });
    if (upper == hull.begin())
        return hull.front().quality;
    const CostQualityPoint& a = *(upper - 1);
    const CostQualityPoint& b = *upper;
    const double t = (cost - a.cost) / (b.cost - a.cost);
    return a.quality + t * (b.quality - a.quality);
}

} // namespace

double aiq(const std::vector<CostQualityPoint>& points, double costMin, double costMax) {
    const std::vector<CostQualityPoint> hull = upperConvexHull(points);
    if (hull.empty() || !std::isfinite(costMin) || !std::isfinite(costMax))
        return std::numeric_limits<double>::quiet_NaN();
    if (costMax <= costMin)
        return hull.back().quality;

    // The part left of the hull contributes 0, and the rest is piecewise linear, so trapezoids
    // between the breakpoints are exact.
    const double lo = std::max(costMin, hull.front().cost);
    const double hi = costMax;
    double area = 0;
    if (hi > lo) {
        std::vector<double> xs{lo};
        for (const CostQualityPoint& p : hull) {
            if (p.cost > lo && p.cost < hi)
                xs.push_back(p.cost);
        }
        xs.push_back(hi);
        for (size_t i = 1; i < xs.size(); ++i) {
            area += (xs[i] - xs[i - 1]) *
                    (hullQualityAt(hull, xs[i - 1]) + hullQualityAt(hull, xs[i])) / 2;
        }
    }
    return area / (costMax - costMin);
}

} // namespace routerlab
