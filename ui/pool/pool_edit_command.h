#pragma once

#include "data/model_pool.h"

#include <QUndoCommand>

namespace routerlab {

class PoolTableModel;

// One edited cell of the pool editor: undo puts the old text back, redo the new one.
class PoolEditCommand : public QUndoCommand {
public:
    PoolEditCommand(PoolTableModel* model, int row, int column, QString before, QString after);

    void undo() override;
    void redo() override;

private:
    PoolTableModel* model_;
    int row_;
    int column_;
    QString before_;
    QString after_;
};

// A model added to the pool (the cold-start quiz's new model): undo removes it again.
class PoolAddModelCommand : public QUndoCommand {
public:
    PoolAddModelCommand(PoolTableModel* model, PoolModel added);

    void undo() override;
    void redo() override;

private:
    PoolTableModel* model_;
    PoolModel added_;
};

} // namespace routerlab
