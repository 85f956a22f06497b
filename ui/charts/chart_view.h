#pragma once

#include <QChartView>

class QToolButton;

namespace routerlab {

// A chart view an analyst can explore: a tooltip on the point, box or bar under the pointer
// (see chart_tips.h); zoom by dragging a rectangle or turning the wheel, pan by dragging with
// the middle button (or Ctrl and the left one) or with the arrow keys; and back to the whole
// chart by double-click, the context menu, the Home key or the "Reset zoom" button shown
// while zoomed. A reset gives the value axes the round ranges the panel last set (see
// setNiceRange). Colours follow the palette, also when it changes (see chart_palette.h).
class ChartView : public QChartView {
    Q_OBJECT

public:
    explicit ChartView(QChart* chart, QWidget* parent = nullptr);

    // `factor` > 1 zooms in around `position` (viewport coordinates), < 1 zooms out.
    void zoomAround(const QPointF& position, double factor);
    // Moves the view by a fraction of the plot's width and height (positive: right and up).
    void pan(double dx, double dy);
    void resetZoom();
    bool zoomed() const;
    // The text of the tooltip shown last (empty once the pointer left every point).
    QString shownTip() const { return shownTip_; }
    // Colours from the palette again; panels call it after a redraw.
    void restyle();

signals:
    void zoomChanged(bool zoomed);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void changeEvent(QEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void showTip(const QPoint& position);
    QPointF plotCenter() const;
    void connectHovers();
    void zoomDone();
    // Remembers where a reset goes back to before the first zoom or pan.
    void beforeZoom();

    QToolButton* reset_;
    QString shownTip_;
    QString itemTip_; // from a bar under the pointer, set by its series' hovered signal
    QPoint panFrom_;
    bool panning_ = false;
};

} // namespace routerlab
