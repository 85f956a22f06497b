#pragma once

#include "ui/charts/chart_panel.h"

class QSortFilterProxyModel;
class QStandardItem;
class QStandardItemModel;
class QTableView;

namespace routerlab {

class PairedComparisonView;

// The comparison table: one row per router and reference (quality, cost per 1,000 queries,
// total cost, latency mean and p95, reward, regret, AIQ from the sweep, convergence step),
// each figure with its 95% interval when the result has one, sortable by any column. Numbers
// sort as numbers. The best router of a column is marked only when the result's "leaders"
// say its lead is significant; its tooltip gives the difference, its interval and p.
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

    // Item data: the interval's ends as shown, and whether the item is a significant leader.
    enum Role { LowRole = Qt::UserRole + 2, HighRole, LeaderRole };

    explicit ComparisonPanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    CsvTable table() const override;

    QTableView* view() const { return view_; }
    // The paired test of any two routers, under the table.
    PairedComparisonView* pairedView() const { return paired_; }
    // Row of `router` in the unsorted model, -1 when absent; value of a cell there.
    int rowOf(const QString& router) const;
    double value(int row, Column column) const;

    // The item at (row, column) of the unsorted model.
    QStandardItem* item(int row, Column column) const;

private:
    // Marks each column's significant leader and gives every leader its test as tooltip.
    void markLeaders(const QJsonObject& leaders);

    QStandardItemModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* view_;
    PairedComparisonView* paired_;
};

} // namespace routerlab
