#include "ui/charts/chart_view.h"

#include "ui/charts/chart_palette.h"
#include "ui/charts/chart_tips.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QContextMenuEvent>
#include <QLogValueAxis>
#include <QMenu>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QValueAxis>

namespace routerlab {

namespace {

constexpr double kReach = 10;       // pixels from a point within which its tooltip shows
constexpr double kWheelStep = 1.25; // zoom per wheel notch
constexpr double kKeyPan = 0.1;     // share of the plot an arrow key moves
constexpr char kHoverConnected[] = "routerlabHoverConnected";

} // namespace

ChartView::ChartView(QChart* chart, QWidget* parent)
    : QChartView(chart, parent), reset_(new QToolButton(this)) {
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    reset_->setObjectName(QStringLiteral("resetZoom"));
    reset_->setText(tr("Reset zoom"));
    reset_->setToolTip(tr("Show the whole chart again (double-click, Home)"));
    reset_->hide();
    connect(reset_, &QToolButton::clicked, this, &ChartView::resetZoom);
    // Axes made by a redraw change the plot's layout: they get the palette's colours on the
    // next turn of the event loop (panels also restyle right after drawing).
    auto* restyleLater = new QTimer(this);
    restyleLater->setSingleShot(true);
    restyleLater->setInterval(0);
    connect(restyleLater, &QTimer::timeout, this, &ChartView::restyle);
    connect(chart, &QChart::plotAreaChanged, restyleLater, qOverload<>(&QTimer::start));
    restyle();
}

void ChartView::restyle() {
    applyChartPalette(chart(), palette());
}

bool ChartView::zoomed() const {
    return chart()->isZoomed();
}

void ChartView::beforeZoom() {
    // QChart remembers the ranges to reset to on its first zoom; a pan alone does not, so a
    // zoom by a factor of one records them first.
    if (!chart()->isZoomed())
        chart()->zoomIn(chart()->plotArea());
}

void ChartView::zoomDone() {
    const bool now = zoomed();
    reset_->setVisible(now);
    if (now)
        reset_->raise();
    emit zoomChanged(now);
}

void ChartView::zoomAround(const QPointF& position, double factor) {
    const QRectF plot = chart()->plotArea();
    const QPointF at = chart()->mapFromScene(mapToScene(position.toPoint()));
    if (!(factor > 0) || !plot.contains(at))
        return;
    beforeZoom();
    // The value under the pointer stays under it.
    const QRectF target(at.x() - (at.x() - plot.left()) / factor,
                        at.y() - (at.y() - plot.top()) / factor, plot.width() / factor,
                        plot.height() / factor);
    chart()->zoomIn(target);
    zoomDone();
}

void ChartView::pan(double dx, double dy) {
    beforeZoom();
    const QRectF plot = chart()->plotArea();
    chart()->scroll(dx * plot.width(), dy * plot.height());
    zoomDone();
}

void ChartView::resetZoom() {
    chart()->zoomReset();
    // Back to the round ranges the panel chose: a redraw while zoomed may have moved them
    // since the zoom began.
    for (QAbstractAxis* axis : chart()->axes()) {
        const QVariant low = axis->property("routerlabNiceMin");
        const QVariant high = axis->property("routerlabNiceMax");
        if (!low.isValid() || !high.isValid())
            continue;
        if (auto* value = qobject_cast<QValueAxis*>(axis))
            value->setRange(low.toDouble(), high.toDouble());
        else if (auto* log = qobject_cast<QLogValueAxis*>(axis))
            log->setRange(low.toDouble(), high.toDouble());
    }
    zoomDone();
}

void ChartView::connectHovers() {
    // Series come and go with every redraw; each is connected once, on the first move over it.
    for (QAbstractSeries* series : chart()->series()) {
        if (series->property(kHoverConnected).toBool())
            continue;
        series->setProperty(kHoverConnected, true);
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(series))
            connect(bars, &QAbstractBarSeries::hovered, this,
                    [this](bool on, int index, QBarSet* set) {
                        itemTip_ = on ? barTip(chart(), set, index) : QString();
                    });
    }
}

void ChartView::showTip(const QPoint& position) {
    const QPointF at = chart()->mapFromScene(mapToScene(position));
    QString tip = pointTip(chart(), pointNear(chart(), at, kReach));
    if (tip.isEmpty())
        tip = boxTipAt(chart(), at);
    if (tip.isEmpty())
        tip = itemTip_;
    if (tip == shownTip_ && QToolTip::isVisible())
        return;
    shownTip_ = tip;
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(viewport()->mapToGlobal(position), tip, viewport());
}

void ChartView::mousePressEvent(QMouseEvent* event) {
    const bool panButton =
        event->button() == Qt::MiddleButton ||
        (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ControlModifier));
    if (panButton) {
        panning_ = true;
        panFrom_ = event->position().toPoint();
        event->accept();
        return;
    }
    QChartView::mousePressEvent(event);
}

void ChartView::mouseMoveEvent(QMouseEvent* event) {
    if (panning_) {
        const QPointF delta = event->position() - QPointF(panFrom_);
        panFrom_ = event->position().toPoint();
        const QRectF plot = chart()->plotArea();
        if (plot.width() > 0 && plot.height() > 0)
            pan(-delta.x() / plot.width(), delta.y() / plot.height());
        event->accept();
        return;
    }
    connectHovers();
    QChartView::mouseMoveEvent(event);
    if (event->buttons() == Qt::NoButton)
        showTip(event->position().toPoint());
}

void ChartView::mouseReleaseEvent(QMouseEvent* event) {
    if (panning_) {
        panning_ = false;
        event->accept();
        return;
    }
    // QChartView zooms out on a right click; here that button opens the context menu.
    if (event->button() == Qt::RightButton) {
        QGraphicsView::mouseReleaseEvent(event);
        return;
    }
    QChartView::mouseReleaseEvent(event);
    zoomDone();
}

void ChartView::mouseDoubleClickEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        resetZoom();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void ChartView::wheelEvent(QWheelEvent* event) {
    const int notches = event->angleDelta().y() / 120;
    if (notches == 0) {
        event->ignore();
        return;
    }
    zoomAround(event->position(), std::pow(kWheelStep, notches));
    event->accept();
}

void ChartView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Left:
        pan(-kKeyPan, 0);
        break;
    case Qt::Key_Right:
        pan(kKeyPan, 0);
        break;
    case Qt::Key_Up:
        pan(0, kKeyPan);
        break;
    case Qt::Key_Down:
        pan(0, -kKeyPan);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAround(plotCenter(), kWheelStep);
        break;
    case Qt::Key_Minus:
        zoomAround(plotCenter(), 1 / kWheelStep);
        break;
    case Qt::Key_Home:
    case Qt::Key_Escape:
        resetZoom();
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

QPointF ChartView::plotCenter() const {
    return mapFromScene(chart()->mapToScene(chart()->plotArea().center()));
}

void ChartView::contextMenuEvent(QContextMenuEvent* event) {
    QMenu menu(this);
    const QPointF at = event->pos();
    menu.addAction(tr("Zoom in"), this, [this, at] { zoomAround(at, 2); });
    menu.addAction(tr("Zoom out"), this, [this, at] { zoomAround(at, 0.5); });
    menu.addAction(tr("Reset zoom"), this, &ChartView::resetZoom)->setEnabled(zoomed());
    menu.exec(event->globalPos());
}

void ChartView::changeEvent(QEvent* event) {
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        restyle();
}

void ChartView::leaveEvent(QEvent* event) {
    // The tooltip stays as Qt keeps it (showing it may itself send a leave).
    itemTip_.clear();
    QChartView::leaveEvent(event);
}

void ChartView::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    reset_->adjustSize();
    reset_->move(width() - reset_->width() - 8, 8);
}

} // namespace routerlab
