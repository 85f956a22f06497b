#pragma once

#include "ui/charts/chart_panel.h"

class QAbstractSeries;
class QAreaSeries;
class QComboBox;
class QLineSeries;
class QTimer;
class QValueAxis;

namespace routerlab {

struct BandedCurve;

// Convergence: cumulative regret (or reward) per router over the steps, in a band of the 95%
// interval of its mean over seeds (none with one seed), and below it one
// router's model mix over the steps as stacked areas: the probabilities the router reports,
// or, for routers that report none, the share of each model among its recent choices.
class ConvergencePanel : public ChartPanel {
    Q_OBJECT

public:
    explicit ConvergencePanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    CsvTable table() const override;

    QComboBox* routerChoice() const { return routerChoice_; }
    QChart* lineChart() const { return lines_; }
    QChart* mixChart() const { return mix_; }

protected:
    void finishDrawing() override;

private:
    void drawLines();
    void attach(QAbstractSeries* series);
    // Router `index`'s band over seeds (a translucent area in its colour), and its line.
    void addBand(int index, const BandedCurve& curve, int alpha);
    void addLine(int index, const std::vector<double>& values);
    void drawMix();

    std::shared_ptr<const ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    QComboBox* measure_;
    QComboBox* routerChoice_;
    QChart* lines_;
    QChart* mix_;
    ChartLegend* linesLegend_ = nullptr;
    ChartLegend* mixLegend_ = nullptr;
    // The mix draws in a burst of its own, after the lines: together they would hold the
    // window up for the time of both.
    QTimer* mixTimer_;
    QStringList drawnNames_;
    std::vector<int> drawnSeeds_; // per drawn line: the seeds its points average
    std::vector<QLineSeries*> drawnLines_;
    std::vector<QAreaSeries*> drawnBands_; // one per line, empty while one seed is in
    QString drawnMixFor_;
    bool drawnMixFromRouter_ = false;
};

} // namespace routerlab
