#pragma once

#include "ui/charts/chart_legend.h"
#include "ui/charts/chart_view.h"
#include "ui/charts/csv_table.h"
#include "ui/experiment/experiment_results.h"

#include <QWidget>
#include <memory>

class QChart;
class QLogValueAxis;
class QHBoxLayout;
class QLabel;
class QTimer;
class QValueAxis;
class QVBoxLayout;

namespace routerlab {

// A page of the results: a header with its title, controls of its own and the export
// buttons, over a canvas of chart views. Every page exports the canvas as PNG and SVG and
// the data it draws as CSV.
class ChartPanel : public QWidget {
    Q_OBJECT

public:
    ChartPanel(const QString& title, const QString& fileStem, QWidget* parent = nullptr);

    // The results stay shared with the window (a run updates them in place and calls this
    // again); panels read them when drawing and never copy them. A hidden page draws when it
    // is next shown: only the page in view pays for a streaming run.
    void showResults(std::shared_ptr<const ExperimentResults> results);
    // A running experiment's update: drawn once the event loop has gone idle (a zero timer
    // waits for that), so each redraw is a burst of its own, never chained to the burst that
    // delivered the results, and updates arriving meanwhile coalesce.
    void streamResults(std::shared_ptr<const ExperimentResults> results);
    // Draws now, shown or not.
    virtual void setResults(std::shared_ptr<const ExperimentResults> results) = 0;
    virtual CsvTable table() const = 0;

    QString title() const { return title_; }
    QString fileStem() const { return fileStem_; }
    QWidget* canvas() const { return canvas_; }
    QList<ChartView*> chartViews() const;
    // The grey caption under the title (what the chart shows).
    QLabel* caption() const { return note_; }

    // False with a readable `error` when the file cannot be written.
    bool exportPng(const QString& path, QString& error);
    bool exportSvg(const QString& path, QString& error);
    bool exportCsv(const QString& path, QString& error);

signals:
    void exportFailed(const QString& message);
    void exported(const QString& path);

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;
    // Drawing a page may leave work for later turns of the event loop; exports need it done.
    virtual void finishDrawing() {}
    // A chart view in the canvas, stacked under the previous ones; `stretch` shares the height.
    ChartView* addChartView(QChart* chart, int stretch = 1);
    // The chart's legend as a widget under the views added so far (see ChartLegend).
    ChartLegend* addLegend(QChart* chart);
    QHBoxLayout* controls() const { return controls_; }
    QVBoxLayout* canvasLayout() const { return canvasLayout_; }
    // A note under the title ("waiting for the first cells", what the chart shows).
    void setNote(const QString& text);

private:
    void chooseAndExport(const QString& kind);
    void drawPending();
    void drawNow();
    // Chart and caption colours from the palette (see chart_palette.h).
    void restyleCharts();
    void restyleCaption();

    // Not drawn yet: the page was hidden, or a streamed update waits for the idle loop.
    std::shared_ptr<const ExperimentResults> pending_;

    QString title_;
    QString fileStem_;
    QHBoxLayout* controls_;
    QWidget* canvas_;
    QVBoxLayout* canvasLayout_;
    QLabel* note_;
    QTimer* streamTimer_; // draws pending_ once the event loop is idle
};

// The palette every chart uses, so a router keeps its colour from page to page.
QColor routerColor(int index);

// Sets the axis to [min, max] widened to round numbers (as QValueAxis::applyNiceNumbers), in
// one step and only when the result differs from what it shows. Every range change makes Qt
// Charts recompute each attached series' geometry (it strokes every line's outline for hit
// testing), which is most of what a streaming redraw costs. Ticks fall on multiples of a step
// of 1, 2 or 5 times a power of ten; about `ticks` of them. The range is also where a reset
// of the zoom returns; while zoomed, a call with the range unchanged keeps the zoom.
void setNiceRange(QValueAxis* axis, double min, double max, int ticks = 5);

// Sets a log axis to whole powers of ten around [min, max] (both above zero), at least
// `decades` of them: Qt labels a log axis only at powers of its base, so a narrower range
// would show one or two labels.
void setDecadeRange(QLogValueAxis* axis, double min, double max, int decades = 2);

// Removes and deletes every series and axis of the chart. QChart::removeAxis gives the axis
// back to the caller instead of deleting it, so a redraw that only removed would leak.
void clearChart(QChart* chart);

} // namespace routerlab
