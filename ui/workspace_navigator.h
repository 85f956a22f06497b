#pragma once

#include <QTreeView>

class QStandardItem;
class QStandardItemModel;

namespace routerlab {

// The "Workspace" tree: the pools and datasets opened this session, under two headings.
// Items carry an id chosen by the owner; selecting one emits entrySelected.
class WorkspaceNavigator : public QTreeView {
    Q_OBJECT

public:
    enum class Kind { Pool, Dataset };

    explicit WorkspaceNavigator(QWidget* parent = nullptr);

    // Adds the entry, or updates its label and tooltip when the id is already listed.
    void setEntry(Kind kind, int id, const QString& label, const QString& toolTip);
    // Selects without emitting entrySelected: the owner is already showing it.
    void selectEntry(Kind kind, int id);
    int entryCount(Kind kind) const;

signals:
    void entrySelected(routerlab::WorkspaceNavigator::Kind kind, int id);

private:
    QStandardItem* heading(Kind kind) const;
    QStandardItem* find(Kind kind, int id) const;
    void onCurrentChanged(const QModelIndex& current);

    QStandardItemModel* model_;
    QStandardItem* pools_;
    QStandardItem* datasets_;
    bool selecting_ = false;
};

} // namespace routerlab
