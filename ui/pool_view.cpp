#include "pool_view.h"

#include "pool_table_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace routerlab {

PoolView::PoolView(QWidget* parent)
    : QWidget(parent), model_(new PoolTableModel(this)),
      header_(new QLabel(tr("No pool loaded."), this)), table_(new QTableView(this)) {
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header_->setWordWrap(true);
    table_->setObjectName(QStringLiteral("poolTable"));
    table_->setModel(model_);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers); // read-only until the pool editor
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(header_);
    layout->addWidget(table_, 1);
}

void PoolView::setPool(std::shared_ptr<const ModelPool> pool, const QString& origin) {
    if (!pool) {
        header_->setText(tr("No pool loaded."));
        model_->setPool(nullptr);
        return;
    }
    header_->setText(tr("<b>%1</b> — %n model(s), %2", nullptr, pool->size())
                         .arg(pool->name.toHtmlEscaped(), origin.toHtmlEscaped()));
    model_->setPool(std::move(pool));
}

} // namespace routerlab
