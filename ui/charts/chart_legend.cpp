#include "ui/charts/chart_legend.h"

#include <QAreaSeries>
#include <QChart>
#include <QHelpEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QScatterSeries>
#include <QToolTip>
#include <algorithm>

namespace routerlab {

namespace {

constexpr int kSwatch = 22;  // width of the line or fill sample
constexpr int kGap = 5;      // between the sample and its name
constexpr int kSpacing = 14; // between entries
constexpr int kMargin = 4;

// Set on series left out of the legend. The chart's own markers cannot say so once the
// chart's legend is hidden: they then all read as invisible.
constexpr char kOutOfLegend[] = "routerlabOutOfLegend";

constexpr char kLegendKey[] = "routerlabLegendKey";
constexpr double kDimmed = 0.2;

bool belongsTo(const QAbstractSeries* series, const QString& key) {
    return seriesKey(series) == key || series->property("router").toString() == key;
}

} // namespace

QString seriesKey(const QAbstractSeries* series) {
    for (const char* property : {kLegendKey, "router"}) {
        const QString key = series->property(property).toString();
        if (!key.isEmpty())
            return key;
    }
    return series->name();
}

void setLegendKey(QAbstractSeries* series, const QString& key) {
    series->setProperty(kLegendKey, key);
}

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
    setCursor(Qt::PointingHandCursor);
    chart_->legend()->hide();
}

void ChartLegend::refresh() {
    QList<Entry> entries;
    for (QLegendMarker* marker : chart_->legend()->markers()) {
        if (marker->series()->property(kOutOfLegend).toBool() || marker->label().isEmpty())
            continue;
        Entry e;
        e.label = marker->label();
        e.pen = marker->pen();
        e.brush = marker->brush();
        e.key = seriesKey(marker->series());
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
        std::equal(
            entries.begin(), entries.end(), entries_.begin(), [](const Entry& a, const Entry& b) {
                return a.label == b.label && a.key == b.key && a.pen == b.pen && a.brush == b.brush;
            })) {
        applyVisibility();
        return;
    }
    entries_ = entries;
    applyVisibility();
    setVisible(!entries_.isEmpty());
    updateGeometry();
    update();
}

void ChartLegend::applyVisibility() {
    const QList<QAbstractSeries*> all = chart_->series();
    for (QAbstractSeries* series : all) {
        const bool hidden = std::any_of(hidden_.begin(), hidden_.end(),
                                        [&](const QString& key) { return belongsTo(series, key); });
        if (series->isVisible() == hidden)
            series->setVisible(!hidden);
        const double opacity =
            highlighted_.isEmpty() || belongsTo(series, highlighted_) ? 1.0 : kDimmed;
        if (series->opacity() != opacity)
            series->setOpacity(opacity);
    }
}

void ChartLegend::setHidden(const QString& key, bool hidden) {
    if (hidden == hidden_.contains(key))
        return;
    if (hidden)
        hidden_.insert(key);
    else
        hidden_.remove(key);
    applyVisibility();
    update();
    emit visibilityChanged();
}

void ChartLegend::setHighlighted(const QString& key) {
    if (key == highlighted_)
        return;
    highlighted_ = key;
    applyVisibility();
    update();
    emit visibilityChanged();
}

void ChartLegend::mousePressEvent(QMouseEvent* event) {
    const QList<QRect> rects = entryRects();
    for (int i = 0; i < rects.size(); ++i) {
        if (!rects[i].contains(event->position().toPoint()))
            continue;
        const QString& key = entries_[i].key;
        if (event->modifiers() & Qt::ShiftModifier)
            setHighlighted(highlighted_ == key ? QString() : key);
        else
            setHidden(key, !hidden_.contains(key));
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
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
                QToolTip::showText(
                    help->globalPos(),
                    tr("%1\nClick: hide or show · Shift-click: highlight").arg(entries_[i].label),
                    this, rects[i]);
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
        const bool hidden = hidden_.contains(entries_[i].key);
        const bool dimmed = !highlighted_.isEmpty() && highlighted_ != entries_[i].key;
        // A hidden entry stays in place, faint and struck through, to be clicked back.
        painter.setOpacity(hidden ? 0.35 : dimmed ? 0.55 : 1.0);
        paintSwatch(painter, entries_[i], QRect(r.left(), r.top() + 3, kSwatch, r.height() - 6));
        QFont font = this->font();
        font.setStrikeOut(hidden);
        font.setUnderline(!highlighted_.isEmpty() && highlighted_ == entries_[i].key);
        painter.setFont(font);
        painter.setPen(palette().color(hidden ? QPalette::PlaceholderText : QPalette::WindowText));
        painter.drawText(
            QRect(r.left() + kSwatch + kGap, r.top(), r.width() - kSwatch - kGap, r.height()),
            Qt::AlignLeft | Qt::AlignVCenter, shownText(i));
        painter.setOpacity(1.0);
    }
}

} // namespace routerlab
