#include "ui/dataset/outcome_table_model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace routerlab {

namespace {
constexpr int kPromptPreviewChars = 140;
}

OutcomeTableModel::OutcomeTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void OutcomeTableModel::setDataset(std::shared_ptr<const Dataset> dataset, Eigen::MatrixXd cost,
                                   Eigen::MatrixXd latency) {
    beginResetModel();
    dataset_ = std::move(dataset);
    cost_ = std::move(cost);
    latency_ = std::move(latency);
    rows_.resize(static_cast<std::size_t>(totalPrompts()));
    std::iota(rows_.begin(), rows_.end(), 0);
    applySort();
    endResetModel();
}

void OutcomeTableModel::setCost(Eigen::MatrixXd cost) {
    if (!dataset_ || cost.rows() != cost_.rows() || cost.cols() != cost_.cols())
        return;
    cost_ = std::move(cost);
    const bool byCost =
        sortColumn_ >= FixedColumnCount && (sortColumn_ - FixedColumnCount) % MeasureCount == Cost;
    if (byCost) {
        beginResetModel();
        applySort();
        endResetModel();
    } else if (rowCount() > 0) {
        emit dataChanged(index(0, FixedColumnCount), index(rowCount() - 1, columnCount() - 1));
    }
}

void OutcomeTableModel::setFilter(const QString& text, int category) {
    if (!dataset_)
        return;
    beginResetModel();
    rows_.clear();
    const QString needle = text.trimmed();
    for (int i = 0; i < dataset_->promptCount(); ++i) {
        if (category >= 0 && dataset_->promptCategory[static_cast<std::size_t>(i)] != category)
            continue;
        if (!needle.isEmpty() &&
            !dataset_->promptIds[static_cast<std::size_t>(i)].contains(needle,
                                                                       Qt::CaseInsensitive) &&
            !dataset_->promptTexts[static_cast<std::size_t>(i)].contains(needle,
                                                                         Qt::CaseInsensitive))
            continue;
        rows_.push_back(i);
    }
    applySort();
    endResetModel();
}

int OutcomeTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int OutcomeTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() || !dataset_ ? 0
                                         : FixedColumnCount + MeasureCount * dataset_->modelCount();
}

double OutcomeTableModel::value(int prompt, int column) const {
    const int model = (column - FixedColumnCount) / MeasureCount;
    switch ((column - FixedColumnCount) % MeasureCount) {
    case Quality:
        return dataset_->quality(prompt, model);
    case Cost:
        return dataset_->isMissing(prompt, model) ? NAN : cost_(prompt, model);
    default:
        return dataset_->isMissing(prompt, model) ? NAN : latency_(prompt, model);
    }
}

QVariant OutcomeTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !dataset_)
        return {};
    const int prompt = rows_[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    const auto at = static_cast<std::size_t>(prompt);
    if (column < FixedColumnCount) {
        if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != ValueRole)
            return {};
        switch (column) {
        case IdColumn:
            return dataset_->promptIds[at];
        case CategoryColumn:
            return dataset_->categoryNames.value(dataset_->promptCategory[at]);
        default: {
            const QString& text = dataset_->promptTexts[at];
            if (role == Qt::ToolTipRole)
                return text.left(2000);
            QString preview = text.left(kPromptPreviewChars).simplified();
            if (text.size() > kPromptPreviewChars)
                preview += QStringLiteral("…");
            return preview;
        }
        }
    }
    const double v = value(prompt, column);
    if (role == ValueRole)
        return v;
    if (role == Qt::TextAlignmentRole)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    if (std::isnan(v))
        return QStringLiteral("–");
    switch ((column - FixedColumnCount) % MeasureCount) {
    case Quality:
        return QString::number(v, 'f', 2);
    case Cost:
        return QString::number(v, 'g', 3);
    default:
        return QString::number(v, 'f', 2);
    }
}

QVariant OutcomeTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || !dataset_)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case IdColumn:
        return tr("Prompt id");
    case CategoryColumn:
        return tr("Category");
    case PromptColumn:
        return tr("Prompt");
    }
    const QString model = dataset_->modelNames.value((section - FixedColumnCount) / MeasureCount);
    switch ((section - FixedColumnCount) % MeasureCount) {
    case Quality:
        return tr("%1\nquality").arg(model);
    case Cost:
        return tr("%1\nUSD").arg(model);
    default:
        return tr("%1\nlatency s").arg(model);
    }
}

void OutcomeTableModel::sort(int column, Qt::SortOrder order) {
    if (!dataset_)
        return;
    emit layoutAboutToBeChanged();
    sortColumn_ = column;
    sortOrder_ = order;
    applySort();
    emit layoutChanged();
}

void OutcomeTableModel::applySort() {
    if (sortColumn_ < 0 || !dataset_)
        return;
    const bool ascending = sortOrder_ == Qt::AscendingOrder;
    if (sortColumn_ < FixedColumnCount) {
        const auto key = [&](int i) -> const QString& {
            const auto at = static_cast<std::size_t>(i);
            return sortColumn_ == IdColumn ? dataset_->promptIds[at]
                   : sortColumn_ == PromptColumn
                       ? dataset_->promptTexts[at]
                       : dataset_->categoryNames[dataset_->promptCategory[at]];
        };
        std::stable_sort(rows_.begin(), rows_.end(), [&](int a, int b) {
            const int c = QString::compare(key(a), key(b), Qt::CaseInsensitive);
            return ascending ? c < 0 : c > 0;
        });
        return;
    }
    // Missing values sort last in both directions.
    std::stable_sort(rows_.begin(), rows_.end(), [&](int a, int b) {
        const double x = value(a, sortColumn_), y = value(b, sortColumn_);
        if (std::isnan(x) || std::isnan(y))
            return !std::isnan(x) && std::isnan(y);
        return ascending ? x < y : x > y;
    });
}

} // namespace routerlab
