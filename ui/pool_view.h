#pragma once

#include "data/model_pool.h"

#include <QWidget>
#include <memory>

class QLabel;
class QTableView;

namespace routerlab {

class PoolTableModel;

// The "Pool" page: the pool's name and origin above a read-only table of its models.
class PoolView : public QWidget {
    Q_OBJECT

public:
    explicit PoolView(QWidget* parent = nullptr);

    // `origin` says where the pool came from: its file, or the dataset it was derived from.
    void setPool(std::shared_ptr<const ModelPool> pool, const QString& origin);

    PoolTableModel* model() const { return model_; }
    QTableView* table() const { return table_; }

private:
    PoolTableModel* model_;
    QLabel* header_;
    QTableView* table_;
};

} // namespace routerlab
