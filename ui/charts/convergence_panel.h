#pragma once

#include "ui/charts/chart_panel.h"

class QAreaSeries;
class QComboBox;
class QTimer;
class QValueAxis;

namespace routerlab {

// Convergence: cumulative regret (or reward) per router over the steps, and below it one
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
    void drawMix();

    std::shared_ptr<const ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    QComboBox* measure_;
    QComboBox* routerChoice_;
    QChart* lines_;
    QChart* mix_;
    // The mix draws in a burst of its own, after the lines: together they would hold the
    // window up for the time of both.
    QTimer* mixTimer_;
    QStringList drawnNames_;
    std::vector<int> drawnSeeds_; // per drawn line: the seeds its points average
    QString drawnMixFor_;
    bool drawnMixFromRouter_ = false;
};

} // namespace routerlab
