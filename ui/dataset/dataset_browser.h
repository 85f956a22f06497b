#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"

#include <QWidget>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace routerlab {

class OutcomeTableModel;

// The "Prompts" page: every prompt with each model's quality, cost and latency; sort by any
// column, filter by text and category. The cost columns follow the pool's prices.
class DatasetBrowser : public QWidget {
    Q_OBJECT

public:
    explicit DatasetBrowser(QWidget* parent = nullptr);

    void setDataset(std::shared_ptr<const Dataset> dataset, const ModelPool& pool);
    void setPool(const ModelPool& pool); // re-prices the cost columns
    void setFilter(const QString& text, int category = -1);

    OutcomeTableModel* model() const { return model_; }
    QTableView* table() const { return table_; }

private:
    void applyFilter();
    void updateCount();

    OutcomeTableModel* model_;
    QLineEdit* filter_;
    QComboBox* category_;
    QLabel* count_;
    QTableView* table_;
    QTimer* filterDelay_;
};

} // namespace routerlab
