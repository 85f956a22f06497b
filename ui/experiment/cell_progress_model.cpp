#include "ui/experiment/cell_progress_model.h"

namespace routerlab {

CellProgressModel::CellProgressModel(QObject* parent) : QAbstractTableModel(parent) {}

void CellProgressModel::setRun(std::shared_ptr<const PreparedExperiment> prepared,
                               const RunProgress* progress) {
    beginResetModel();
    prepared_ = std::move(prepared);
    progress_ = progress;
    endResetModel();
}

void CellProgressModel::clear() {
    setRun(nullptr, nullptr);
}

void CellProgressModel::refresh() {
    if (rowCount() > 0)
        emit dataChanged(index(0, ProgressColumn), index(rowCount() - 1, ProgressColumn));
}

int CellProgressModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !prepared_ ? 0 : prepared_->cellCount();
}

int CellProgressModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CellProgressModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !prepared_)
        return {};
    const int row = index.row();
    const Cell& cell = prepared_->cell(row);
    const CellState state = progress_->state(row);
    if (role == ProgressRole) {
        switch (state) {
        case CellState::Queued:
            return 0;
        case CellState::Running:
            return -1;
        case CellState::Done:
            return 100;
        case CellState::Cancelled:
            return -2;
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case PartColumn:
        return row < prepared_->simulateCellCount() ? tr("simulate") : tr("sweep");
    case RouterColumn:
        return cell.router.toString();
    case PreferenceColumn:
        return cell.preference.toString();
    case SeedColumn:
        return static_cast<qulonglong>(cell.seed);
    case ProgressColumn:
        switch (state) {
        case CellState::Queued:
            return tr("queued");
        case CellState::Running:
            return tr("running");
        case CellState::Done:
            return tr("done");
        case CellState::Cancelled:
            return tr("cancelled");
        }
    }
    return {};
}

QVariant CellProgressModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PartColumn:
        return tr("Part");
    case RouterColumn:
        return tr("Router");
    case PreferenceColumn:
        return tr("Preference");
    case SeedColumn:
        return tr("Seed");
    case ProgressColumn:
        return tr("Progress");
    }
    return {};
}

} // namespace routerlab
