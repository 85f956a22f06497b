#pragma once

#include "ui/charts/chart_panel.h"

namespace routerlab {

// Cost: the distribution of what a session costs, one box per router over every session of
// every finished seed (p5, p25, p50, p75, p95), and each router's cumulative cost over the steps.
class CostPanel : public ChartPanel {
    Q_OBJECT

public:
    struct SessionCostStats {
        QString router;
        int sessions = 0;
        double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
    };

    explicit CostPanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    CsvTable table() const override;

    QChart* boxChart() const { return boxes_; }
    QChart* cumulativeChart() const { return cumulative_; }
    // Per drawn box, in the chart's order.
    const std::vector<SessionCostStats>& stats() const { return stats_; }

private:
    int drawBoxes(); // the most sessions behind a box
    void drawCumulative();

    std::shared_ptr<const ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    std::vector<SessionCostStats> stats_;
    QChart* boxes_;
    QChart* cumulative_;
    ChartLegend* legend_ = nullptr;
};

} // namespace routerlab
