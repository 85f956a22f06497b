#include "ui/pool/pool_edit_command.h"

#include "ui/pool/pool_table_model.h"

namespace routerlab {

PoolEditCommand::PoolEditCommand(PoolTableModel* model, int row, int column, QString before,
                                 QString after)
    : model_(model), row_(row), column_(column), before_(std::move(before)),
      after_(std::move(after)) {
    const QString model_id = model->editText(row, PoolTableModel::IdColumn);
    const QString field = model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString();
    setText(QObject::tr("%1 %2: %3 → %4").arg(model_id, field, before_, after_));
}

void PoolEditCommand::undo() {
    model_->applyEdit(row_, column_, before_);
}

void PoolEditCommand::redo() {
    model_->applyEdit(row_, column_, after_);
}

PoolAddModelCommand::PoolAddModelCommand(PoolTableModel* model, PoolModel added)
    : model_(model), added_(std::move(added)) {
    setText(QObject::tr("add %1").arg(added_.id));
}

void PoolAddModelCommand::undo() {
    model_->removeModel(added_.id);
}

void PoolAddModelCommand::redo() {
    model_->appendModel(added_);
}

} // namespace routerlab
