#pragma once

#include <QBrush>
#include <QPen>
#include <QSet>
#include <QWidget>

class QAbstractSeries;
class QChart;

namespace routerlab {

// A chart's legend as a widget under the chart: each entry shows its series' line style or
// fill and its full name, and the entries wrap into as many rows as they need. The chart's own
// legend elides names and drops entries once it runs out of room, which it hides here.
// A click on an entry hides or shows every series of its router (line, band, error bars,
// markers: see seriesKey); a Shift-click highlights them and dims the others, and a second
// Shift-click on the same entry ends that. Hidden entries stay, greyed and struck through.
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
        QString key; // the router (or group) whose series the entry stands for
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

    // Hidden and highlighted routers survive redraws: refresh() applies them to new series.
    void setHidden(const QString& key, bool hidden);
    bool isHidden(const QString& key) const { return hidden_.contains(key); }
    void setHighlighted(const QString& key); // empty: none
    QString highlighted() const { return highlighted_; }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void visibilityChanged();

protected:
    bool event(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    int entryWidth(int index) const;
    QList<QRect> layoutFor(int width) const;
    void paintSwatch(QPainter& painter, const Entry& entry, const QRect& box) const;
    void applyVisibility();

    QChart* chart_;
    QList<Entry> entries_;
    QSet<QString> hidden_;
    QString highlighted_;
};

// What a series belongs to in the legend: its "legendKey" property (a group such as the
// operating points), else its "router" property, else its name. A legend entry stands for
// every series whose key or router is the entry's key.
QString seriesKey(const QAbstractSeries* series);
void setLegendKey(QAbstractSeries* series, const QString& key);

// Leaves a series out of the legend (an error bar, a band: its router has an entry already).
void hideFromLegend(QChart* chart, QAbstractSeries* series);

} // namespace routerlab
