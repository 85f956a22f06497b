#pragma once

#include "ui/experiment/experiment_run_job.h"

#include <QAbstractTableModel>
#include <memory>

namespace routerlab {

// One row per cell of the running experiment: router, preference, seed and its progress
// (0 queued, running, 100 done). Reads the shared RunProgress; refresh() repaints.
class CellProgressModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        PartColumn,
        RouterColumn,
        PreferenceColumn,
        SeedColumn,
        ProgressColumn,
        ColumnCount
    };
    // ProgressRole: an int percentage, -1 while running (drawn as a busy bar).
    static constexpr int ProgressRole = Qt::UserRole + 1;

    explicit CellProgressModel(QObject* parent = nullptr);

    void setRun(std::shared_ptr<const PreparedExperiment> prepared, const RunProgress* progress);
    void clear();
    void refresh();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const PreparedExperiment> prepared_;
    const RunProgress* progress_ = nullptr;
};

} // namespace routerlab
