#include "workspace_navigator.h"

#include <QHeaderView>
#include <QStandardItemModel>

namespace routerlab {

namespace {

constexpr int kIdRole = Qt::UserRole;
constexpr int kKindRole = Qt::UserRole + 1;

QStandardItem* makeHeading(const QString& text) {
    auto* item = new QStandardItem(text);
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
      datasets_(makeHeading(tr("Datasets"))) {
    model_->appendRow(datasets_);
    model_->appendRow(pools_);
    setModel(model_);
    setHeaderHidden(true);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setUniformRowHeights(true);
    expandAll();
    connect(selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) { onCurrentChanged(current); });
}

QStandardItem* WorkspaceNavigator::heading(Kind kind) const {
    return kind == Kind::Pool ? pools_ : datasets_;
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
    item->setToolTip(toolTip);
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
    return heading(kind)->rowCount();
}

void WorkspaceNavigator::onCurrentChanged(const QModelIndex& current) {
    if (selecting_ || !current.isValid() || !current.parent().isValid())
        return;
    emit entrySelected(static_cast<Kind>(current.data(kKindRole).toInt()),
                       current.data(kIdRole).toInt());
}

} // namespace routerlab
