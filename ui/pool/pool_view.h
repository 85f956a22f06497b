#pragma once

#include "data/model_pool.h"

#include <QWidget>
#include <memory>

class QLabel;
class QTableView;
class QUndoStack;

namespace routerlab {

class PoolTableModel;

// The "Pool" page, an editor: the pool's name and origin over a table of its models. Edits
// are validated (a refused one is reported through editRefused), go through an undo stack
// (Ctrl+Z / Ctrl+Shift+Z), and every accepted one emits poolEdited so that the views that
// depend on prices re-price. Save As writes a *.pool.json.
class PoolView : public QWidget {
    Q_OBJECT

public:
    explicit PoolView(QWidget* parent = nullptr);

    // `origin` says where the pool came from: its file, or the dataset it was derived from.
    // Clears the undo history.
    void setPool(std::shared_ptr<const ModelPool> pool, const QString& origin);
    bool savePool(const QString& path, QString& error) const;
    // Adds a model through the undo stack; false with the reason when the pool refuses it (no
    // pool, an id already there, a bad price, URL or key variable).
    bool addModel(const PoolModel& model, QString& error);

    PoolTableModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    QUndoStack* undoStack() const { return undo_; }

signals:
    void poolEdited(std::shared_ptr<const routerlab::ModelPool> pool, bool costChanged);
    void editRefused(const QString& message);
    void saved(const QString& path);

private:
    void chooseAndSave();
    void updateHeader();

    PoolTableModel* model_;
    QUndoStack* undo_;
    QLabel* header_;
    QString origin_;
    QTableView* table_;
};

} // namespace routerlab
