#include "ui/dataset/summary_sort_proxy.h"

#include "ui/dataset/dataset_summary_model.h"

#include <cmath>
#include <limits>

namespace routerlab {

SummarySortProxy::SummarySortProxy(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(DatasetSummaryModel::ValueRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

bool SummarySortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    const int leftKind = left.data(DatasetSummaryModel::RowKindRole).toInt();
    const int rightKind = right.data(DatasetSummaryModel::RowKindRole).toInt();
    // The view reverses lessThan for a descending sort; undo that for the footer rows.
    const bool ascending = sortOrder() == Qt::AscendingOrder;
    if (leftKind != rightKind)
        return ascending ? leftKind < rightKind : leftKind > rightKind;
    if (leftKind != static_cast<int>(DatasetSummaryModel::RowKind::Model))
        return false;

    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString || b.typeId() == QMetaType::QString)
        return QString::localeAwareCompare(a.toString(), b.toString()) < 0;
    const double none = std::numeric_limits<double>::quiet_NaN();
    const double x = a.isValid() ? a.toDouble() : none;
    const double y = b.isValid() ? b.toDouble() : none;
    // Unknown values (no outcome, or a model the pool cannot price) go below known ones in
    // either order, like the footer rows.
    if (std::isnan(x) || std::isnan(y)) {
        if (std::isnan(x) == std::isnan(y))
            return false;
        return ascending ? !std::isnan(x) : std::isnan(x);
    }
    return x < y;
}

} // namespace routerlab
