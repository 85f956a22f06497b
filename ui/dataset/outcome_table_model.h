#pragma once

#include "data/dataset.h"

#include <Eigen/Core>
#include <QAbstractTableModel>
#include <memory>
#include <vector>

namespace routerlab {

// The prompt x model outcome matrix as a table: id, category, prompt, then quality, cost and
// latency per model. Sorting and filtering work on the dataset's own arrays through a row
// permutation (no proxy model): sorting 100,000 prompts is one std::stable_sort of ints.
class OutcomeTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum FixedColumn { IdColumn, CategoryColumn, PromptColumn, FixedColumnCount };
    enum Measure { Quality, Cost, Latency, MeasureCount };
    static constexpr int ValueRole = Qt::UserRole + 1; // the number, NaN when missing

    explicit OutcomeTableModel(QObject* parent = nullptr);

    // `cost` and `latency` are the dataset's priced matrices (N x K), as the pool sets them.
    void setDataset(std::shared_ptr<const Dataset> dataset, Eigen::MatrixXd cost,
                    Eigen::MatrixXd latency);
    // New prices: the cost columns change, the rows stay.
    void setCost(Eigen::MatrixXd cost);
    // Keeps prompts whose id or text contains `text` (case-insensitive) and, with
    // `category` >= 0, that are in that category.
    void setFilter(const QString& text, int category);
    int totalPrompts() const { return dataset_ ? dataset_->promptCount() : 0; }
    const Dataset* dataset() const { return dataset_.get(); }
    // Dataset row shown at `row`.
    int promptAt(int row) const { return rows_[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    double value(int prompt, int column) const;
    void applySort();

    std::shared_ptr<const Dataset> dataset_;
    Eigen::MatrixXd cost_;
    Eigen::MatrixXd latency_;
    std::vector<int> rows_;
    int sortColumn_ = -1;
    Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
};

} // namespace routerlab
