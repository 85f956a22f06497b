#pragma once

#include "data/dataset_summary.h"

#include <QAbstractTableModel>

namespace routerlab {

// The per-model figures of a DatasetSummary as a table: one row per model, then two reference
// rows (oracle, best single model) shown in bold. Read-only.
class DatasetSummaryModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        QualityColumn,
        CostColumn,
        LatencyColumn,
        MissingColumn,
        ColumnCount
    };
    enum class RowKind { Model, Oracle, BestSingle };
    enum Role {
        // The raw value behind a cell (double, qint64 or QString); what sorting compares.
        ValueRole = Qt::UserRole,
        RowKindRole, // int(RowKind)
    };

    explicit DatasetSummaryModel(QObject* parent = nullptr);

    void setSummary(const DatasetSummary& summary);
    void clear();
    bool isEmpty() const { return summary_.models.empty(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "0.0123", "0.000123": fixed notation with about three significant digits for small costs.
    static QString formatUsd(double usd);

private:
    RowKind kindOf(int row) const;
    QVariant value(int row, int column) const;
    QString text(int row, int column) const;

    DatasetSummary summary_;
    const ModelSummary* bestSingle_ = nullptr; // into summary_.models; null when none
};

} // namespace routerlab
