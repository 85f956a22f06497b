#pragma once

#include "data/model_pool.h"

#include <QAbstractTableModel>
#include <memory>

namespace routerlab {

// The models of a ModelPool, one per row, read-only. Shows the name of the environment
// variable holding an API key, never a key: pools do not contain keys.
class PoolTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        IdColumn,
        NameColumn,
        InputPriceColumn,
        OutputPriceColumn,
        FeeColumn,
        BaseUrlColumn,
        KeyVariableColumn,
        ContextColumn,
        TagsColumn,
        ColumnCount
    };

    explicit PoolTableModel(QObject* parent = nullptr);

    void setPool(std::shared_ptr<const ModelPool> pool);
    const ModelPool* pool() const { return pool_.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const ModelPool> pool_;
};

} // namespace routerlab
