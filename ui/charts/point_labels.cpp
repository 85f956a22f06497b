#include "ui/charts/point_labels.h"

#include <QChart>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLogValueAxis>
#include <QValueAxis>
#include <cmath>

namespace routerlab {

namespace {

constexpr double kPadding = 2; // of a label's backing, left and right

// Where a w x h label may sit around a marker's box `m`, `gap` pixels away: right, left,
// above, below, then the four corners.
QList<QRectF> spotsAround(const QRectF& m, double w, double h, double gap) {
    const QPointF c = m.center();
    return {QRectF(m.right() + gap, c.y() - h / 2, w, h),
            QRectF(m.left() - gap - w, c.y() - h / 2, w, h),
            QRectF(c.x() - w / 2, m.top() - gap - h, w, h),
            QRectF(c.x() - w / 2, m.bottom() + gap, w, h),
            QRectF(m.right() + gap, m.top() - gap - h, w, h),
            QRectF(m.right() + gap, m.bottom() + gap, w, h),
            QRectF(m.left() - gap - w, m.top() - gap - h, w, h),
            QRectF(m.left() - gap - w, m.bottom() + gap, w, h)};
}

double overlap(const QRectF& spot, const QList<QRectF>& taken) {
    double area = 0;
    for (const QRectF& t : taken) {
        const QRectF common = spot.intersected(t);
        area += common.width() * common.height();
    }
    return area;
}

} // namespace

PointLabels::PointLabels(QChart* chart) : QObject(chart), chart_(chart) {
    connect(chart_, &QChart::plotAreaChanged, this, &PointLabels::place);
}

void PointLabels::clear() {
    qDeleteAll(items_);
    items_.clear();
    labelled_.clear();
    obstacles_.clear();
    soft_.clear();
}

void PointLabels::addLabel(const QString& text, const Mark& mark) {
    // On a pale backing, so that a name stays readable where it crosses a curve.
    auto* backing = new QGraphicsRectItem(chart_);
    backing->setPen(Qt::NoPen);
    backing->setBrush(QColor(255, 255, 255, 200)); // until place() takes the chart's colours
    backing->setZValue(20);                        // over the series
    auto* item = new QGraphicsSimpleTextItem(text, backing);
    item->setBrush(QColor(50, 50, 50));
    item->setPos(kPadding, 0);
    backing->setRect(0, 0, item->boundingRect().width() + 2 * kPadding,
                     item->boundingRect().height());
    items_ << backing;
    labelled_ << mark;
}

void PointLabels::setObstacles(const QList<Mark>& marks) {
    obstacles_ = marks;
}

void PointLabels::setSoftObstacles(const QList<Mark>& marks) {
    soft_ = marks;
}

QRectF PointLabels::markRect(const Mark& mark) const {
    const QPointF at = chart_->series().isEmpty() ? QPointF() : chart_->mapToPosition(mark.value);
    return QRectF(at.x() - mark.size / 2, at.y() - mark.size / 2, mark.size, mark.size);
}

void PointLabels::followAxes() {
    constexpr char kFollowed[] = "routerlabLabelsFollow";
    for (QAbstractAxis* axis : chart_->axes()) {
        if (axis->property(kFollowed).toBool())
            continue;
        axis->setProperty(kFollowed, true);
        if (auto* value = qobject_cast<QValueAxis*>(axis))
            connect(value, &QValueAxis::rangeChanged, this, &PointLabels::place);
        else if (auto* log = qobject_cast<QLogValueAxis*>(axis))
            connect(log, &QLogValueAxis::rangeChanged, this, &PointLabels::place);
    }
}

void PointLabels::place() {
    if (items_.isEmpty() || chart_->series().isEmpty())
        return;
    followAxes();
    // The chart's colours, which follow the palette.
    QColor backing = chart_->backgroundBrush().color();
    backing.setAlpha(200);
    const QBrush text = chart_->titleBrush();
    const QList<QRectF> marks = markRects();
    const QRectF area = chart_->plotArea();
    QList<QRectF> taken = marks;
    QList<QRectF> soft;
    for (const Mark& m : soft_)
        soft << markRect(m);
    for (int i = 0; i < items_.size(); ++i) {
        items_[i]->setBrush(backing);
        static_cast<QGraphicsSimpleTextItem*>(items_[i]->childItems().first())->setBrush(text);
        const QRectF box = items_[i]->rect();
        const QRectF mark = marks[i];
        items_[i]->setVisible(area.contains(mark.center()));
        if (!items_[i]->isVisible())
            continue;
        QRectF best;
        double bestCost = INFINITY;
        // Rings of spots further and further out; the first spot free of everything wins, else
        // the one that covers least, a marker or a label weighing far more than a curve's point.
        for (const double gap : {2.0, 8.0, 16.0, 28.0}) {
            for (const QRectF& spot : spotsAround(mark, box.width(), box.height(), gap)) {
                double cost = 1000 * overlap(spot, taken) + overlap(spot, soft) + gap;
                if (!area.contains(spot))
                    cost += 1e9; // out of the plot: only when nothing else is free
                if (cost < bestCost) {
                    bestCost = cost;
                    best = spot;
                }
            }
            if (bestCost <= gap)
                break;
        }
        items_[i]->setPos(best.topLeft());
        taken << best;
    }
}

QList<QRectF> PointLabels::labelRects() const {
    QList<QRectF> out;
    for (const QGraphicsRectItem* item : items_)
        out << QRectF(item->pos(), item->rect().size());
    return out;
}

QList<QRectF> PointLabels::markRects() const {
    QList<QRectF> out;
    for (const Mark& m : labelled_)
        out << markRect(m);
    for (const Mark& m : obstacles_)
        out << markRect(m);
    return out;
}

QStringList PointLabels::texts() const {
    QStringList out;
    for (const QGraphicsRectItem* item : items_)
        out << static_cast<const QGraphicsSimpleTextItem*>(item->childItems().first())->text();
    return out;
}

} // namespace routerlab
