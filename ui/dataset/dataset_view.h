#pragma once

#include "data/dataset_summary.h"

#include <QWidget>

class QFormLayout;
class QLabel;
class QStackedWidget;
class QTableView;

namespace routerlab {

class DatasetSummaryModel;
class SummarySortProxy;

// The central dataset page: a few header lines about the dataset, then the per-model table
// (sortable; oracle and best-single rows in bold below the models). Shows a hint when empty.
class DatasetView : public QWidget {
    Q_OBJECT

public:
    explicit DatasetView(QWidget* parent = nullptr);

    // `poolName` labels where the prices came from.
    void setSummary(const DatasetSummary& summary, const QString& poolName);
    void clear();

    DatasetSummaryModel* model() const { return model_; }
    QTableView* table() const { return table_; }

private:
    QLabel* addHeaderRow(QFormLayout* form, const QString& label);

    DatasetSummaryModel* model_;
    SummarySortProxy* proxy_;
    QStackedWidget* stack_;
    QTableView* table_;
    QLabel* name_;
    QLabel* sources_;
    QLabel* prompts_;
    QLabel* categories_;
    QLabel* missing_;
    QLabel* cost_;
    QLabel* estimates_;
};

} // namespace routerlab
