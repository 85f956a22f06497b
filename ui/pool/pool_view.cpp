#include "ui/pool/pool_view.h"

#include "common/error_message.h"
#include "common/input_error.h"
#include "ui/pool/pool_edit_command.h"
#include "ui/pool/pool_table_model.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

namespace routerlab {

PoolView::PoolView(QWidget* parent)
    : QWidget(parent), model_(new PoolTableModel(this)), undo_(new QUndoStack(this)),
      header_(new QLabel(tr("No pool loaded."), this)), table_(new QTableView(this)) {
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    header_->setWordWrap(true);
    table_->setObjectName(QStringLiteral("poolTable"));
    table_->setAccessibleName(tr("Models of the pool"));
    table_->setModel(model_);
    table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                            QAbstractItemView::AnyKeyPressed);
    table_->setSelectionBehavior(QAbstractItemView::SelectItems);
    table_->setAlternatingRowColors(true);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);

    // The window's Edit menu holds the Undo and Redo shortcuts (two would be ambiguous).
    auto* undoButton = new QPushButton(tr("Undo"), this);
    auto* redoButton = new QPushButton(tr("Redo"), this);
    undoButton->setObjectName(QStringLiteral("poolUndoButton"));
    connect(undoButton, &QPushButton::clicked, undo_, &QUndoStack::undo);
    connect(redoButton, &QPushButton::clicked, undo_, &QUndoStack::redo);
    connect(undo_, &QUndoStack::canUndoChanged, undoButton, &QWidget::setEnabled);
    connect(undo_, &QUndoStack::canRedoChanged, redoButton, &QWidget::setEnabled);
    undoButton->setEnabled(false);
    redoButton->setEnabled(false);
    auto* save = new QPushButton(tr("Save Pool As…"), this);
    connect(save, &QPushButton::clicked, this, &PoolView::chooseAndSave);
    auto* hint = new QLabel(tr("Double-click a cell to edit. Prices re-price the dataset, the "
                               "prompt table and the frontier's single models."),
                            this);
    hint->setWordWrap(true);

    connect(model_, &PoolTableModel::editRequested, this,
            [this](int row, int column, const QString& before, const QString& after) {
                undo_->push(new PoolEditCommand(model_, row, column, before, after));
            });
    connect(model_, &PoolTableModel::editRefused, this, &PoolView::editRefused);
    connect(model_, &PoolTableModel::poolEdited, this, [this](int column) {
        if (column == PoolTableModel::kWholeRow)
            updateHeader(); // the count of models changed
        emit poolEdited(model_->sharedPool(), PoolTableModel::affectsCost(column));
    });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(hint, 1);
    buttons->addWidget(undoButton);
    buttons->addWidget(redoButton);
    buttons->addWidget(save);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(header_);
    layout->addWidget(table_, 1);
    layout->addLayout(buttons);
}

void PoolView::setPool(std::shared_ptr<const ModelPool> pool, const QString& origin) {
    undo_->clear();
    if (!pool) {
        header_->setText(tr("No pool loaded."));
        model_->setPool(nullptr);
        return;
    }
    origin_ = origin;
    model_->setPool(std::move(pool));
    updateHeader();
}

void PoolView::updateHeader() {
    const ModelPool* pool = model_->pool();
    header_->setText(tr("<b>%1</b> — %n model(s), %2", nullptr, pool->size())
                         .arg(pool->name.toHtmlEscaped(), origin_.toHtmlEscaped()));
}

bool PoolView::savePool(const QString& path, QString& error) const {
    if (!model_->pool()) {
        error = tr("no pool to save");
        return false;
    }
    try {
        model_->pool()->save(path);
    } catch (...) {
        error = currentErrorMessage();
        return false;
    }
    undo_->setClean();
    return true;
}

bool PoolView::addModel(const PoolModel& model, QString& error) {
    if (!model_->pool()) {
        error = tr("no pool is open");
        return false;
    }
    if (model.id.trimmed().isEmpty()) {
        error = tr("the model needs an id");
        return false;
    }
    if (model_->pool()->find(model.id)) {
        error = tr("the pool already has a model %1").arg(model.id);
        return false;
    }
    const std::pair<int, QString> fields[] = {
        {PoolTableModel::InputPriceColumn, QString::number(model.inputPricePerMTok, 'g', 17)},
        {PoolTableModel::OutputPriceColumn, QString::number(model.outputPricePerMTok, 'g', 17)},
        {PoolTableModel::FeeColumn, QString::number(model.feePerCall, 'g', 17)},
        {PoolTableModel::BaseUrlColumn, model.endpoint.baseUrl},
        {PoolTableModel::KeyVariableColumn, model.endpoint.apiKeyEnv}};
    for (const auto& [column, text] : fields) {
        error = PoolTableModel::validate(column, text);
        if (!error.isEmpty())
            return false;
    }
    undo_->push(new PoolAddModelCommand(model_, model));
    return true;
}

void PoolView::chooseAndSave() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Pool"), QStringLiteral("edited.pool.json"), tr("Model pools (*.pool.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (savePool(path, error))
        emit saved(path);
    else
        emit editRefused(tr("Could not save the pool: %1").arg(error));
}

} // namespace routerlab
