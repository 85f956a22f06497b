#pragma once

#include <QTreeView>

class QStandardItem;
class QStandardItemModel;

namespace routerlab {

// The "Workspace" tree: datasets and pools opened this session, results (runs of this
// session, result files), the experiments stored in the open workspace file with their runs
// beneath them, and its stored evaluations. Items carry an id chosen by the owner; selecting one
// emits entrySelected.
class WorkspaceNavigator : public QTreeView {
    Q_OBJECT

public:
    enum class Kind { Pool, Dataset, Result, Experiment, Run, Evaluation };

    explicit WorkspaceNavigator(QWidget* parent = nullptr);

    // Adds the entry, or updates its label and tooltip when the id is already listed.
    void setEntry(Kind kind, int id, const QString& label, const QString& toolTip);
    // Selects without emitting entrySelected: the owner is already showing it.
    void selectEntry(Kind kind, int id);
    int entryCount(Kind kind) const;
    // A stored run, listed under its experiment (which must be listed).
    void setRunEntry(int experimentId, int runId, const QString& label, const QString& toolTip);
    // Forgets the stored experiments and evaluations (another workspace was opened).
    void clearExperiments();

    // Room for a dataset's name with its size, so the dock does not open as a sliver.
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void entrySelected(routerlab::WorkspaceNavigator::Kind kind, int id);
    // "Compare Runs…" from a result's or a stored experiment's context menu.
    void compareRequested(routerlab::WorkspaceNavigator::Kind kind, int id);

private:
    QStandardItem* heading(Kind kind) const;
    QStandardItem* find(Kind kind, int id) const;
    void onCurrentChanged(const QModelIndex& current);
    void showContextMenu(const QPoint& at);

    QStandardItemModel* model_;
    QStandardItem* pools_;
    QStandardItem* datasets_;
    QStandardItem* results_;
    QStandardItem* experiments_;
    QStandardItem* evaluations_;
    bool selecting_ = false;
};

} // namespace routerlab
