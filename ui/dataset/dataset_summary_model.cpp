#include "ui/dataset/dataset_summary_model.h"

#include <QFont>
#include <cmath>

namespace routerlab {

namespace {

const QString kNotApplicable = QStringLiteral("—");

} // namespace

DatasetSummaryModel::DatasetSummaryModel(QObject* parent) : QAbstractTableModel(parent) {}

void DatasetSummaryModel::setSummary(const DatasetSummary& summary) {
    beginResetModel();
    summary_ = summary;
    bestSingle_ = nullptr;
    for (const ModelSummary& m : summary_.models)
        if (!summary_.bestSingleName.isEmpty() && m.name == summary_.bestSingleName)
            bestSingle_ = &m;
    endResetModel();
}

void DatasetSummaryModel::clear() {
    setSummary({});
}

int DatasetSummaryModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || summary_.models.empty())
        return 0;
    // The reference rows only mean something when there are models to compare.
    return static_cast<int>(summary_.models.size()) + (bestSingle_ ? 2 : 1);
}

int DatasetSummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

DatasetSummaryModel::RowKind DatasetSummaryModel::kindOf(int row) const {
    const int models = static_cast<int>(summary_.models.size());
    if (row < models)
        return RowKind::Model;
    return row == models ? RowKind::Oracle : RowKind::BestSingle;
}

QVariant DatasetSummaryModel::value(int row, int column) const {
    switch (kindOf(row)) {
    case RowKind::Model: {
        const ModelSummary& m = summary_.models[static_cast<std::size_t>(row)];
        // A model with no outcome at all has no means; "—" rather than a misleading 0.
        const bool noOutcome = summary_.prompts > 0 && m.missing >= summary_.prompts;
        if (noOutcome && column != NameColumn && column != MissingColumn)
            return {};
        switch (column) {
        case NameColumn:
            return m.name;
        case QualityColumn:
            return m.meanQuality;
        case CostColumn:
            return m.meanCostUsd;
        case LatencyColumn:
            return m.meanLatencyS;
        case MissingColumn:
            return m.missing;
        }
        break;
    }
    case RowKind::Oracle:
        switch (column) {
        case NameColumn:
            return QStringLiteral("Oracle");
        case QualityColumn:
            return summary_.oracleMeanQuality;
        case CostColumn:
            return summary_.oracleMeanCostUsd;
        case MissingColumn:
            return summary_.promptsWithoutOutcome;
        }
        break;
    case RowKind::BestSingle:
        switch (column) {
        case NameColumn:
            return QStringLiteral("Best single: %1").arg(summary_.bestSingleName);
        case QualityColumn:
            return summary_.bestSingleMeanQuality;
        case CostColumn:
            return summary_.bestSingleMeanCostUsd;
        case LatencyColumn:
            return bestSingle_->meanLatencyS;
        case MissingColumn:
            return bestSingle_->missing;
        }
        break;
    }
    return {};
}

QString DatasetSummaryModel::formatUsd(double usd) {
    if (!std::isfinite(usd))
        return QStringLiteral("n/a");
    if (usd == 0)
        return QStringLiteral("0");
    if (std::abs(usd) >= 0.01)
        return QString::number(usd, 'f', 4);
    // Fixed rather than exponent notation: "0.000123" reads as a price, "1.23e-04" does not.
    const int decimals = std::min(12, 2 - static_cast<int>(std::floor(std::log10(std::abs(usd)))));
    return QString::number(usd, 'f', decimals);
}

QString DatasetSummaryModel::text(int row, int column) const {
    const QVariant v = value(row, column);
    if (!v.isValid())
        return kNotApplicable;
    switch (column) {
    case QualityColumn:
        return QString::number(v.toDouble(), 'f', 3);
    case CostColumn:
        return formatUsd(v.toDouble());
    case LatencyColumn:
        return QString::number(v.toDouble(), 'f', 2);
    default:
        return v.toString();
    }
}

QVariant DatasetSummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const int row = index.row();
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return text(row, column);
    case ValueRole:
        return value(row, column);
    case RowKindRole:
        return static_cast<int>(kindOf(row));
    case Qt::TextAlignmentRole:
        return column == NameColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                    : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (kindOf(row) != RowKind::Model) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::ToolTipRole:
        switch (kindOf(row)) {
        case RowKind::Oracle:
            return tr("Per prompt, the best model in hindsight (ties: the cheaper one). "
                      "Missing: prompts where every model is missing.");
        case RowKind::BestSingle:
            return tr("The one model with the best mean quality (ties: the cheaper one).");
        case RowKind::Model:
            return {};
        }
    }
    return {};
}

QVariant DatasetSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Model");
        case QualityColumn:
            return tr("Mean quality");
        case CostColumn:
            return tr("Mean cost / call (USD)");
        case LatencyColumn:
            return tr("Mean latency (s)");
        case MissingColumn:
            return tr("Missing");
        }
    }
    if (role == Qt::ToolTipRole && section == MissingColumn)
        return tr("Prompts without a recorded quality for this model");
    if (role == Qt::TextAlignmentRole)
        return section == NameColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                     : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

} // namespace routerlab
