#pragma once

#include <QList>
#include <QPointF>
#include <vector>

namespace routerlab {

// Points for a line chart of a per-step series: min/max down-sampled to at most `maxPoints`
// (spikes survive), x = the step of each value (`steps` when given, else its index).
QList<QPointF> chartPoints(const std::vector<double>& values, const std::vector<int>& steps,
                           int maxPoints);

} // namespace routerlab
