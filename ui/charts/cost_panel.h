#pragma once

#include "ui/charts/chart_panel.h"

namespace routerlab {

// Cost: what each session cost per router (bars; many sessions are grouped into at most
// kMaxGroups bars), and each router's cumulative cost over the steps.
class CostPanel : public ChartPanel {
    Q_OBJECT

public:
    static constexpr int kMaxGroups = 24;

    explicit CostPanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    CsvTable table() const override;

    QChart* barChart() const { return bars_; }
    QChart* cumulativeChart() const { return cumulative_; }

private:
    std::shared_ptr<const ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    QChart* bars_;
    QChart* cumulative_;
};

} // namespace routerlab
