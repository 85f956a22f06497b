#include "ui/charts/chart_legend.h"

#include <QAreaSeries>
#include <QChart>
#include <QHelpEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>

namespace routerlab {

namespace {

constexpr int kSwatch = 22;  // width of the line or fill sample
constexpr int kGap = 5;      // between the sample and its name
constexpr int kSpacing = 14; // between entries
constexpr int kMargin = 4;

// Set on series left out of the legend. The chart's own markers cannot say so once the
// chart's legend is hidden: they then all read as invisible.
constexpr char kOutOfLegend[] = "routerlabOutOfLegend";

} // namespace

void hideFromLegend(QChart* chart, QAbstractSeries* series) {
    series->setProperty(kOutOfLegend, true);
    for (QLegendMarker* marker : chart->legend()->markers(series))
        marker->setVisible(false);
}

ChartLegend::ChartLegend(QChart* chart, QWidget* parent) : QWidget(parent), chart_(chart) {
    setObjectName(QStringLiteral("chartLegend"));
    // As tall as its rows at the width it gets: the layouts ask heightForWidth only of
    // widgets whose policy says so.
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    chart_->legend()->hide();
}

void ChartLegend::refresh() {
    QList<Entry> entries;
    for (QLegendMarker* marker : chart_->legend()->markers()) {
        if (marker->series()->property(kOutOfLegend).toBool() || marker->label().isEmpty())
            continue;
        Entry e{marker->label(), marker->pen(), marker->brush()};
        if (auto* scatter = qobject_cast<QScatterSeries*>(marker->series())) {
            e.marker = true;
            e.square = scatter->markerShape() == QScatterSeries::MarkerShapeRectangle;
            e.brush = scatter->brush();
            e.pen = scatter->pen();
        } else if (auto* line = qobject_cast<QLineSeries*>(marker->series())) {
            e.line = true;
            e.pen = line->pen();
        } else if (auto* area = qobject_cast<QAreaSeries*>(marker->series())) {
            e.brush = area->brush();
            e.pen = area->pen();
        }
        entries << e;
    }
    if (entries.size() == entries_.size() &&
        std::equal(entries.begin(), entries.end(), entries_.begin(),
                   [](const Entry& a, const Entry& b) {
                       return a.label == b.label && a.pen == b.pen && a.brush == b.brush;
                   }))
        return;
    entries_ = entries;
    setVisible(!entries_.isEmpty());
    updateGeometry();
    update();
}

int ChartLegend::entryWidth(int index) const {
    // A pixel to spare: text drawn in exactly its advance may lose its last pixel.
    return kSwatch + kGap + fontMetrics().horizontalAdvance(entries_[index].label) + 1;
}

QList<QRect> ChartLegend::layoutFor(int width) const {
    QList<QRect> rects;
    const int rowHeight = std::max(fontMetrics().height(), 14) + 4;
    const int right = std::max(width - kMargin, kMargin + 1);
    int x = kMargin, y = kMargin;
    for (int i = 0; i < entries_.size(); ++i) {
        const int w = std::min(entryWidth(i), right - kMargin);
        if (x > kMargin && x + w > right) {
            x = kMargin;
            y += rowHeight;
        }
        rects << QRect(x, y, w, rowHeight);
        x += w + kSpacing;
    }
    return rects;
}

QString ChartLegend::shownText(int index) const {
    const QRect r = entryRects().value(index);
    if (r.width() >= entryWidth(index))
        return entries_[index].label;
    return fontMetrics().elidedText(entries_[index].label, Qt::ElideMiddle,
                                    r.width() - kSwatch - kGap);
}

int ChartLegend::heightForWidth(int width) const {
    const QList<QRect> rects = layoutFor(width);
    return rects.isEmpty() ? 0 : rects.back().bottom() + 1 + kMargin;
}

QSize ChartLegend::sizeHint() const {
    int total = kMargin;
    for (int i = 0; i < entries_.size(); ++i)
        total += entryWidth(i) + kSpacing;
    return {std::min(total, 600), minimumSizeHint().height()};
}

// As tall as the rows need at the present width: not every layout asks heightForWidth (a
// dock's does not), and a legend squeezed shorter would cut entries off.
QSize ChartLegend::minimumSizeHint() const {
    return {kSwatch + kGap + fontMetrics().averageCharWidth() * 8,
            heightForWidth(width() > 0 ? width() : 600)};
}

void ChartLegend::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (height() != heightForWidth(width()))
        updateGeometry(); // the rows wrap differently at the new width
}

bool ChartLegend::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QList<QRect> rects = entryRects();
        for (int i = 0; i < rects.size(); ++i)
            if (rects[i].contains(help->pos())) {
                QToolTip::showText(help->globalPos(), entries_[i].label, this, rects[i]);
                return true;
            }
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    return QWidget::event(event);
}

void ChartLegend::paintSwatch(QPainter& painter, const Entry& e, const QRect& box) const {
    const QPoint c = box.center();
    if (e.line) {
        QPen pen = e.pen;
        pen.setWidthF(std::max(2.0, pen.widthF()));
        pen.setCapStyle(Qt::FlatCap);
        painter.setPen(pen);
        painter.drawLine(box.left(), c.y(), box.right(), c.y());
        return;
    }
    painter.setPen(e.pen.style() == Qt::NoPen ? QPen(e.brush.color().darker(130)) : e.pen);
    painter.setBrush(e.brush);
    const QRect mark(c.x() - 6, c.y() - 6, 12, 12);
    if (e.marker && !e.square)
        painter.drawEllipse(mark);
    else
        painter.drawRect(e.marker ? mark : box.adjusted(2, 2, -2, -2));
}

void ChartLegend::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QList<QRect> rects = entryRects();
    for (int i = 0; i < rects.size(); ++i) {
        const QRect& r = rects[i];
        paintSwatch(painter, entries_[i], QRect(r.left(), r.top() + 3, kSwatch, r.height() - 6));
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(
            QRect(r.left() + kSwatch + kGap, r.top(), r.width() - kSwatch - kGap, r.height()),
            Qt::AlignLeft | Qt::AlignVCenter, shownText(i));
    }
}

} // namespace routerlab
