#pragma once

#include <vector>

namespace routerlab {

// One operating point of a router: mean cost and mean quality over a run.
struct CostQualityPoint {
    double cost = 0;
    double quality = 0;
};

// Indices of the non-dominated points (no other point has cost <= and quality >=, with one of
// the two strict), sorted by cost ascending. Of exact duplicates only the first index is kept.
// Points with a non-finite cost or quality are ignored: they cannot be placed on a chart.
std::vector<int> paretoFront(const std::vector<CostQualityPoint>& points);

// The non-decreasing upper concave hull over cost (RouterBench). Routing a fraction of queries
// to each of two operating points reaches every mix of them, so the hull is achievable. It
// starts at the cheapest point (best quality among equal cost) and ends at the best-quality
// point (cheapest among equal quality); costlier points are dominated and dropped. Points that
// lie on a hull segment (collinear) are dropped too: they do not change the curve. Non-finite
// points are ignored.
std::vector<CostQualityPoint> upperConvexHull(const std::vector<CostQualityPoint>& points);

// Average improvement in quality (RouterBench AIQ): the area under the hull over
// [costMin, costMax] divided by (costMax - costMin). Outside the hull's own cost range:
// - right of its last point the curve stays flat at the best quality (a larger budget can
//   always be left unspent, so it never hurts);
// - left of its first point no operating point is affordable, so quality counts as 0.
// Compare routers over the same range, or a router with a narrow hull is flattered.
// costMax <= costMin is a degenerate range: the best quality on the hull is returned.
// NaN when there is no finite point or either bound is not finite.
double aiq(const std::vector<CostQualityPoint>& points, double costMin, double costMax);

} // namespace routerlab
