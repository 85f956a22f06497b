#pragma once

#include <utility>
#include <vector>

namespace routerlab {

// Statistics over per-step series of a simulation run. NaN marks a missing value (a failed
// call, a prompt without a score): mean and percentile skip NaNs and return NaN when nothing
// is left; the cumulative series let NaN propagate, since a running total with a hole is
// unknown from there on.

double mean(const std::vector<double>& values);

// p in [0, 100]; linear interpolation between the closest ranks (NumPy's default "linear"
// method): rank h = (n - 1) * p / 100. NaN for no values or p outside [0, 100].
double percentile(std::vector<double> values, double p);

std::vector<double> cumulativeSum(const std::vector<double>& values);

// Running sum of (oracle reward - reward). Throws std::invalid_argument when lengths differ.
std::vector<double> cumulativeRegret(const std::vector<double>& oracleReward,
                                     const std::vector<double>& reward);

// PickLLM convergence: the first step t such that choices[t..end] are all equal.
// 0 when constant throughout, -1 when empty.
int convergenceStep(const std::vector<int>& choices);

// The first step t after which topProbability stays >= threshold to the end; -1 when the last
// value is below the threshold (or the series is empty). NaN counts as below.
int convergenceStepByProbability(const std::vector<double>& topProbability, double threshold);

// Share of each model per window. Windows are consecutive chunks of ceil(n / windows) steps,
// the last possibly shorter, so there are at most `windows` rows (fewer when n does not
// split evenly, e.g. 9 steps in 4 windows gives 3 chunks of 3). A choice outside
// [0, modelCount) (e.g. -1 for "no decision") counts towards its window's length but to no
// model, so that row sums to less than 1. Empty for empty input or non-positive counts.
std::vector<std::vector<double>> selectionShareOverTime(const std::vector<int>& choices,
                                                        int modelCount, int windows);

// Thins a series for charting while keeping spikes: the first and last points, and for each
// of (maxPoints - 2) / 2 equal buckets over the interior, its min and max in original order
// (one point when they coincide). Returns (index, value) pairs, at most maxPoints of them;
// the whole series when it already fits. maxPoints 1 keeps the first point only, 2 or 3 the
// first and last. NaNs inside a bucket are skipped when picking min and max.
std::vector<std::pair<int, double>> downsampleMinMax(const std::vector<double>& series,
                                                     int maxPoints);

} // namespace routerlab
