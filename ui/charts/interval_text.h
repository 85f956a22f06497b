#pragma once

#include "stats/bootstrap.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <vector>

namespace routerlab {

// Reading and printing the 95% intervals a result carries next to its figures (`X_ci95`, a
// [low, high] array beside `X`). A result without them (bootstrap off, an older file) gives
// invalid intervals, and the figure is then shown alone.

// A [low, high] JSON array as an interval; invalid when it is not one.
Interval intervalFrom(const QJsonValue& pair);
// The interval stored under `key` + "_ci95" in `object`; invalid when absent or malformed.
Interval intervalOf(const QJsonObject& object, const QString& key);

// "0.612 [0.598, 0.627]": the value and, when valid, its interval after `separator`, every
// number printed with QString::number(v * scale, format, precision).
QString withInterval(double value, const Interval& interval, char format, int precision,
                     double scale = 1.0, const QString& separator = QStringLiteral(" "));

// The 97.5% quantile of Student's t with `df` degrees of freedom: the half-width of a 95%
// interval of a mean over few seeds is this many standard errors (1.96 needs many seeds).
double studentT975(int df);

// Per step, the half-width of the 95% interval of the mean over `seeds` runs, from the sums
// of squared deviations `m2` (Welford's); empty with fewer than two seeds.
std::vector<double> seedHalfWidths(const std::vector<double>& m2, int seeds);

} // namespace routerlab
