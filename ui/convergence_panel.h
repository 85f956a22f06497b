#pragma once

#include "chart_panel.h"

class QAreaSeries;
class QComboBox;
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

private:
    void drawLines();
    void drawMix();

    std::shared_ptr<const ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    QComboBox* measure_;
    QComboBox* routerChoice_;
    QChart* lines_;
    QChart* mix_;
    QStringList drawnNames_;
    QString drawnMixFor_;
    bool drawnMixFromRouter_ = false;
};

} // namespace routerlab
