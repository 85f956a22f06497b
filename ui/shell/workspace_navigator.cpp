#include "ui/shell/workspace_navigator.h"

#include <QHeaderView>
#include <QMenu>
#include <QStandardItemModel>

namespace routerlab {

namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kKindRole = Qt::UserRole + 1;

// The full label first, so an elided item still reads in full in its tooltip.
QString fullToolTip(const QString& label, const QString& toolTip) {
    if (toolTip.isEmpty() || toolTip == label)
        return label;
    return label + QLatin1Char('\n') + toolTip;
}

QStandardItem* makeHeading(const QString& text) {
    auto* item = new QStandardItem(text);
    item->setToolTip(text);
    QFont font = item->font();
    font.setBold(true);
    item->setFont(font);
    // Headings only group; selecting one would show nothing.
    item->setFlags(Qt::ItemIsEnabled);
    return item;
}

} // namespace

WorkspaceNavigator::WorkspaceNavigator(QWidget* parent)
    : QTreeView(parent), model_(new QStandardItemModel(this)), pools_(makeHeading(tr("Pools"))),
      datasets_(makeHeading(tr("Datasets"))), results_(makeHeading(tr("Results"))),
      experiments_(makeHeading(tr("Stored experiments"))),
      evaluations_(makeHeading(tr("Stored evaluations"))) {
    model_->appendRow(datasets_);
    model_->appendRow(pools_);
    model_->appendRow(results_);
    model_->appendRow(experiments_);
    model_->appendRow(evaluations_);
    setModel(model_);
    setHeaderHidden(true);
    setAccessibleName(tr("Workspace"));
    setAccessibleDescription(tr("Datasets, pools, results, stored experiments and "
                                "evaluations; select one to show it"));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformRowHeights(true);
    // Names differ at their ends ("Run 1 · seed 3", "sample (400 × 11)"): keep both ends.
    setTextElideMode(Qt::ElideMiddle);
    expandAll();
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
    setContextMenuPolicy(Qt::CustomContextMenu);
    connect(this, &QWidget::customContextMenuRequested, this, &WorkspaceNavigator::showContextMenu);
}

QSize WorkspaceNavigator::sizeHint() const {
    return {fontMetrics().averageCharWidth() * 30 + indentation(), QTreeView::sizeHint().height()};
}

QSize WorkspaceNavigator::minimumSizeHint() const {
    return {fontMetrics().averageCharWidth() * 16 + indentation(),
            QTreeView::minimumSizeHint().height()};
}

QStandardItem* WorkspaceNavigator::heading(Kind kind) const {
    switch (kind) {
    case Kind::Pool:
        return pools_;
    case Kind::Dataset:
        return datasets_;
    case Kind::Result:
        return results_;
    case Kind::Evaluation:
        return evaluations_;
    case Kind::Experiment:
    case Kind::Run:
        break;
    }
    return experiments_;
}

QStandardItem* WorkspaceNavigator::find(Kind kind, int id) const {
    QStandardItem* parent = heading(kind);
    for (int row = 0; row < parent->rowCount(); ++row)
        if (parent->child(row)->data(kIdRole).toInt() == id)
            return parent->child(row);
    return nullptr;
}

void WorkspaceNavigator::setEntry(Kind kind, int id, const QString& label, const QString& toolTip) {
    QStandardItem* item = find(kind, id);
    if (!item) {
        item = new QStandardItem;
        item->setData(id, kIdRole);
        item->setData(static_cast<int>(kind), kKindRole);
        heading(kind)->appendRow(item);
        expand(heading(kind)->index());
    }
    item->setText(label);
    item->setToolTip(fullToolTip(label, toolTip));
}

void WorkspaceNavigator::selectEntry(Kind kind, int id) {
    QStandardItem* item = find(kind, id);
    if (!item)
        return;
    selecting_ = true;
    selectionModel()->setCurrentIndex(item->index(), QItemSelectionModel::ClearAndSelect);
    selecting_ = false;
    scrollTo(item->index());
}

int WorkspaceNavigator::entryCount(Kind kind) const {
    if (kind != Kind::Run)
        return heading(kind)->rowCount();
    int runs = 0;
    for (int row = 0; row < experiments_->rowCount(); ++row)
        runs += experiments_->child(row)->rowCount();
    return runs;
}

void WorkspaceNavigator::setRunEntry(int experimentId, int runId, const QString& label,
                                     const QString& toolTip) {
    QStandardItem* experiment = find(Kind::Experiment, experimentId);
    if (!experiment)
        return;
    auto* item = new QStandardItem(label);
    item->setData(runId, kIdRole);
    item->setData(static_cast<int>(Kind::Run), kKindRole);
    item->setToolTip(fullToolTip(label, toolTip));
    experiment->appendRow(item);
}

void WorkspaceNavigator::clearExperiments() {
    experiments_->removeRows(0, experiments_->rowCount());
    evaluations_->removeRows(0, evaluations_->rowCount());
}

void WorkspaceNavigator::onCurrentChanged(const QModelIndex& current) {
    if (selecting_ || !current.isValid() || !current.parent().isValid())
        return;
    emit entrySelected(static_cast<Kind>(current.data(kKindRole).toInt()),
                       current.data(kIdRole).toInt());
}

void WorkspaceNavigator::showContextMenu(const QPoint& at) {
    const QModelIndex index = indexAt(at);
    if (!index.isValid() || !index.parent().isValid())
        return;
    const auto kind = static_cast<Kind>(index.data(kKindRole).toInt());
    if (kind != Kind::Result && kind != Kind::Experiment)
        return;
    QMenu menu(this);
    const int id = index.data(kIdRole).toInt();
    connect(menu.addAction(tr("Compare Runs…")), &QAction::triggered, this,
            [this, kind, id] { emit compareRequested(kind, id); });
    menu.exec(viewport()->mapToGlobal(at));
}

} // namespace routerlab
