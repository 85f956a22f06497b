#pragma once

#include "tradeoff/tradeoff_choice.h"

#include <QPointF>
#include <QStringList>
#include <optional>

class QChart;

namespace routerlab {

class PointLabels;

// What the Trade-off page's frontier chart shows: every deployable operating point (cost per
// 1,000 queries, log scale, against quality), each router's points joined in cost-weight
// order, single models as grey dots, the constraint's limit as a dashed line and the chosen
// point as a large ring.
struct TradeoffChartInput {
    const std::vector<OperatingCandidate>* candidates = nullptr;
    QStringList routerOrder;       // the experiment's routers: their colours on every page
    std::optional<QPointF> answer; // (USD per 1,000 queries, quality) of the answer
    std::optional<TradeoffConstraint> constraint; // empty: weights mode, no limit line
    PointLabels* labels = nullptr;                // names the single models when set
};

void drawTradeoffChart(QChart* chart, const TradeoffChartInput& input);

// A horizontal 100% bar of one operating point's model mix, one set per model.
void drawModelMix(QChart* chart, const QString& label, const std::vector<double>& share,
                  const QStringList& models);

} // namespace routerlab
