#pragma once

#include "ui/charts/chart_panel.h"

class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;

namespace routerlab {

// The comparison table: one row per router and reference (quality, cost per 1,000 queries,
// total cost, latency mean and p95, reward, regret, AIQ from the sweep, convergence step),
// sortable by any column. Numbers sort as numbers.
class ComparisonPanel : public ChartPanel {
    Q_OBJECT

public:
    enum Column {
        RouterColumn,
        QualityColumn,
        CostPerThousandColumn,
        TotalCostColumn,
        LatencyColumn,
        P95LatencyColumn,
        RewardColumn,
        RegretColumn,
        AiqColumn,
        ConvergenceColumn,
        SeedsColumn,
        ColumnCount
    };

    explicit ComparisonPanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    CsvTable table() const override;

    QTableView* view() const { return view_; }
    // Row of `router` in the unsorted model, -1 when absent; value of a cell there.
    int rowOf(const QString& router) const;
    double value(int row, Column column) const;

private:
    QStandardItemModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* view_;
};

} // namespace routerlab
