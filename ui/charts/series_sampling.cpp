#include "ui/charts/series_sampling.h"

#include "metrics/series_stats.h"

namespace routerlab {

QList<QPointF> chartPoints(const std::vector<double>& values, const std::vector<int>& steps,
                           int maxPoints) {
    QList<QPointF> points;
    for (const auto& [index, value] : downsampleMinMax(values, maxPoints)) {
        const double x = steps.empty() ? index : steps[static_cast<std::size_t>(index)];
        points.append(QPointF(x, value));
    }
    return points;
}

} // namespace routerlab
