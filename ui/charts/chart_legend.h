#pragma once

#include <QBrush>
#include <QPen>
#include <QWidget>

class QAbstractSeries;
class QChart;

namespace routerlab {

// A chart's legend as a widget under the chart: each entry shows its series' line style or
// fill and its full name, and the entries wrap into as many rows as they need. The chart's own
// legend elides names and drops entries once it runs out of room, which it hides here.
class ChartLegend : public QWidget {
    Q_OBJECT

public:
    struct Entry {
        QString label;
        QPen pen;
        QBrush brush;
        bool line = false;   // a line sample in the series' pen, else a filled swatch
        bool marker = false; // a scatter series: its marker, round or square
        bool square = false;
    };

    explicit ChartLegend(QChart* chart, QWidget* parent = nullptr);

    // Reads the chart's visible legend markers again; call after the series change.
    void refresh();
    QChart* chart() const { return chart_; }
    const QList<Entry>& entries() const { return entries_; }
    // Where each entry sits in the widget, and the text it shows (elided only when one entry
    // alone is wider than the widget; its tooltip then gives the full name).
    QList<QRect> entryRects() const { return layoutFor(width()); }
    QString shownText(int index) const;

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    int entryWidth(int index) const;
    QList<QRect> layoutFor(int width) const;
    void paintSwatch(QPainter& painter, const Entry& entry, const QRect& box) const;

    QChart* chart_;
    QList<Entry> entries_;
};

// Leaves a series out of the legend (an error bar, a band: its router has an entry already).
void hideFromLegend(QChart* chart, QAbstractSeries* series);

} // namespace routerlab
