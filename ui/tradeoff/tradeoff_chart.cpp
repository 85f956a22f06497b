#include "ui/tradeoff/tradeoff_chart.h"

#include "ui/charts/chart_panel.h"
#include "ui/charts/point_labels.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalPercentBarSeries>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <map>

namespace routerlab {

namespace {

struct Extent {
    double costMin = INFINITY, costMax = 0, qualityMin = INFINITY, qualityMax = -INFINITY;
    void add(double cost, double quality) {
        if (!(cost > 0) || std::isnan(quality))
            return; // a free point has no place on a log axis
        costMin = std::min(costMin, cost);
        costMax = std::max(costMax, cost);
        qualityMin = std::min(qualityMin, quality);
        qualityMax = std::max(qualityMax, quality);
    }
    bool empty() const { return costMax <= 0; }
};

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

QColor colourOf(const QString& router, const QStringList& order) {
    const int index = static_cast<int>(order.indexOf(router));
    return routerColor(index >= 0 ? index : static_cast<int>(order.size()));
}

void drawRouters(QChart* chart, const TradeoffChartInput& input, QAbstractAxis* x,
                 QAbstractAxis* y) {
    // One line per router through its points, in the order they were evaluated or swept.
    std::map<QString, QLineSeries*> lines;
    QStringList names;
    for (const OperatingCandidate& c : *input.candidates) {
        if (c.kind == OperatingCandidate::Kind::SingleModel || !(c.costPer1kUsd > 0))
            continue;
        QLineSeries*& line = lines[c.name];
        if (!line) {
            line = new QLineSeries(chart);
            line->setName(c.name);
            line->setPen(QPen(colourOf(c.name, input.routerOrder), 2));
            line->setPointsVisible(true);
            names << c.name;
        }
        line->append(c.costPer1kUsd, c.quality);
    }
    for (const QString& name : names)
        attach(chart, lines[name], x, y);
    auto* singles = new QScatterSeries(chart);
    singles->setName(QObject::tr("single models"));
    singles->setColor(QColor(0x55, 0x55, 0x55));
    singles->setBorderColor(QColor(0x55, 0x55, 0x55));
    singles->setMarkerSize(9);
    for (const OperatingCandidate& c : *input.candidates)
        if (c.kind == OperatingCandidate::Kind::SingleModel && c.costPer1kUsd > 0)
            singles->append(c.costPer1kUsd, c.quality);
    attach(chart, singles, x, y);
}

void drawLimit(QChart* chart, const TradeoffConstraint& constraint, const Extent& extent,
               QAbstractAxis* x, QAbstractAxis* y) {
    if (constraint.goal == TradeoffGoal::BestQualityUnderLatency)
        return; // latency has no axis here; the table and the sentence carry it
    auto* line = new QLineSeries(chart);
    QPen pen(QColor(0xb0, 0x30, 0x30), 1.5, Qt::DashLine);
    line->setPen(pen);
    if (constraint.goal == TradeoffGoal::BestQualityUnderCost) {
        line->setName(QObject::tr("budget"));
        line->append(constraint.limit, extent.qualityMin);
        line->append(constraint.limit, extent.qualityMax);
    } else {
        line->setName(QObject::tr("quality floor"));
        line->append(extent.costMin, constraint.limit);
        line->append(extent.costMax, constraint.limit);
    }
    attach(chart, line, x, y);
}

// The single models named, clear of the answer's ring and, where they can, of the routers'
// points.
void labelPoints(PointLabels& labels, const TradeoffChartInput& input) {
    labels.clear();
    QList<PointLabels::Mark> routerPoints;
    for (const OperatingCandidate& c : *input.candidates) {
        if (!(c.costPer1kUsd > 0))
            continue;
        const QPointF at(c.costPer1kUsd, c.quality);
        if (c.kind == OperatingCandidate::Kind::SingleModel)
            labels.addLabel(c.name, {at, 9});
        else
            routerPoints << PointLabels::Mark{at, 6};
    }
    labels.setSoftObstacles(routerPoints);
    QList<PointLabels::Mark> ring;
    if (input.answer)
        ring << PointLabels::Mark{*input.answer, 24};
    labels.setObstacles(ring);
    labels.place();
}

} // namespace

void drawTradeoffChart(QChart* chart, const TradeoffChartInput& input) {
    // The axes stay from one drawing to the next: Qt Charts removes a deleted axis's labels
    // only at its next layout, and a redraw in between paints both.
    chart->removeAllSeries();
    if (input.labels)
        input.labels->clear();
    auto* x = qobject_cast<QLogValueAxis*>(chart->axes(Qt::Horizontal).value(0));
    auto* y = qobject_cast<QValueAxis*>(chart->axes(Qt::Vertical).value(0));
    if (!x || !y) {
        clearChart(chart);
        x = new QLogValueAxis(chart);
        x->setTitleText(QObject::tr("USD per 1,000 queries (log scale)"));
        x->setLabelFormat(QStringLiteral("%g"));
        x->setMinorTickCount(-1);
        y = new QValueAxis(chart);
        y->setTitleText(QObject::tr("mean quality"));
        y->setLabelFormat(QStringLiteral("%.2f"));
        chart->addAxis(x, Qt::AlignBottom);
        chart->addAxis(y, Qt::AlignLeft);
    }
    Extent extent;
    if (input.candidates)
        for (const OperatingCandidate& c : *input.candidates)
            extent.add(c.costPer1kUsd, c.quality);
    x->setVisible(!extent.empty());
    y->setVisible(!extent.empty());
    if (extent.empty())
        return;
    drawRouters(chart, input, x, y);
    if (input.constraint)
        drawLimit(chart, *input.constraint, extent, x, y);
    if (input.answer && input.answer->x() > 0) {
        auto* ring = new QScatterSeries(chart);
        ring->setName(QObject::tr("the answer"));
        ring->setMarkerSize(22);
        ring->setColor(Qt::transparent);
        ring->setBorderColor(QColor(0xb0, 0x30, 0x30));
        QPen pen = ring->pen();
        pen.setWidthF(3);
        pen.setColor(QColor(0xb0, 0x30, 0x30));
        ring->setPen(pen);
        ring->append(*input.answer);
        extent.add(input.answer->x(), input.answer->y());
        attach(chart, ring, x, y);
    }
    double costMin = extent.costMin, costMax = extent.costMax;
    if (input.constraint && input.constraint->goal == TradeoffGoal::BestQualityUnderCost &&
        input.constraint->limit > 0) {
        costMin = std::min(costMin, input.constraint->limit);
        costMax = std::max(costMax, input.constraint->limit);
    }
    double qualityMin = extent.qualityMin, qualityMax = extent.qualityMax;
    if (input.constraint && input.constraint->goal == TradeoffGoal::CheapestAtQuality) {
        qualityMin = std::min(qualityMin, input.constraint->limit);
        qualityMax = std::max(qualityMax, input.constraint->limit);
    }
    setDecadeRange(x, costMin / 1.3, costMax * 1.3);
    setNiceRange(y, qualityMin, qualityMax, 5);
    if (input.labels)
        labelPoints(*input.labels, input);
}

void drawModelMix(QChart* chart, const QString& label, const std::vector<double>& share,
                  const QStringList& models) {
    chart->removeAllSeries(); // the axes stay, as in drawTradeoffChart
    auto* category = qobject_cast<QBarCategoryAxis*>(chart->axes(Qt::Vertical).value(0));
    auto* percent = qobject_cast<QValueAxis*>(chart->axes(Qt::Horizontal).value(0));
    if (!category || !percent) {
        clearChart(chart);
        category = new QBarCategoryAxis(chart);
        category->setVisible(false); // one bar: the sentence above names its router
        chart->addAxis(category, Qt::AlignLeft);
        percent = new QValueAxis(chart);
        percent->setLabelsVisible(false); // the legend gives each share
        chart->addAxis(percent, Qt::AlignBottom);
        setNiceRange(percent, 0, 100, 5);
    }
    category->clear();
    category->append(label.isEmpty() ? QStringLiteral(" ") : label);
    percent->setVisible(!share.empty());
    if (share.empty())
        return;
    auto* series = new QHorizontalPercentBarSeries(chart);
    for (std::size_t k = 0; k < share.size(); ++k) {
        if (share[k] < 0.005)
            continue; // the legend names the models that answer, with their share
        const int index = static_cast<int>(k);
        const QString model = index < models.size() ? models[index] : QString::number(index);
        auto* set =
            new QBarSet(QStringLiteral("%1 %2%").arg(model).arg(qRound(share[k] * 100)), series);
        // The same model colours as the dock's mix and the convergence page's trace.
        set->setColor(routerColor(index + 3));
        set->append(share[k]);
        series->append(set);
    }
    chart->addSeries(series);
    series->attachAxis(category);
    series->attachAxis(percent);
}

} // namespace routerlab
