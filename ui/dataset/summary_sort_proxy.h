#pragma once

#include <QSortFilterProxyModel>

namespace routerlab {

// Sorts the model rows of a DatasetSummaryModel by the raw values while the reference rows
// (oracle, best single) stay below them in either order, so they read as a footer.
class SummarySortProxy : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit SummarySortProxy(QObject* parent = nullptr);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
};

} // namespace routerlab
