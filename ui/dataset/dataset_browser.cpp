#include "ui/dataset/dataset_browser.h"

#include "ui/dataset/outcome_table_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace routerlab {

DatasetBrowser::DatasetBrowser(QWidget* parent)
    : QWidget(parent), model_(new OutcomeTableModel(this)), filter_(new QLineEdit(this)),
      category_(new QComboBox(this)), count_(new QLabel(this)), table_(new QTableView(this)),
      filterDelay_(new QTimer(this)) {
    filter_->setObjectName(QStringLiteral("promptFilter"));
    filter_->setPlaceholderText(tr("Filter prompts by id or text…"));
    filter_->setClearButtonEnabled(true);
    category_->setObjectName(QStringLiteral("categoryFilter"));
    table_->setObjectName(QStringLiteral("outcomeTable"));
    table_->setAccessibleName(tr("Prompts and their outcomes per model"));
    table_->setModel(model_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(-1, Qt::AscendingOrder);
    // Fixed row heights: the view never measures 100,000 rows.
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    table_->horizontalHeader()->setDefaultSectionSize(90);
    table_->setWordWrap(false);
    table_->setAlternatingRowColors(true);
    // Typing waits for a pause before filtering: one pass per word, not per key.
    filterDelay_->setSingleShot(true);
    filterDelay_->setInterval(200);
    connect(filterDelay_, &QTimer::timeout, this, &DatasetBrowser::applyFilter);
    connect(filter_, &QLineEdit::textChanged, filterDelay_, qOverload<>(&QTimer::start));
    connect(category_, &QComboBox::currentIndexChanged, this, &DatasetBrowser::applyFilter);

    auto* top = new QHBoxLayout;
    top->addWidget(filter_, 1);
    top->addWidget(new QLabel(tr("Category"), this));
    top->addWidget(category_);
    top->addWidget(count_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(table_, 1);
    updateCount();
}

void DatasetBrowser::setDataset(std::shared_ptr<const Dataset> dataset, const ModelPool& pool) {
    Eigen::MatrixXd cost = dataset->costUsd(pool);
    Eigen::MatrixXd latency = dataset->latencyS(pool);
    {
        const QSignalBlocker block(category_);
        category_->clear();
        category_->addItem(tr("all"));
        category_->addItems(dataset->categoryNames);
    }
    model_->setDataset(std::move(dataset), std::move(cost), std::move(latency));
    // Wide enough for each header's longest line ("llama-3.1-8b-instant" over "quality"): the
    // numbers below are narrower, and measuring the header costs nothing at 100,000 rows.
    QHeaderView* header = table_->horizontalHeader();
    for (int c = 0; c < model_->columnCount(); ++c) {
        int widest = 0;
        for (const QString& line :
             model_->headerData(c, Qt::Horizontal).toString().split(QLatin1Char('\n')))
            widest = std::max(widest, header->fontMetrics().horizontalAdvance(line));
        table_->setColumnWidth(c, std::max(header->defaultSectionSize(), widest + 16));
    }
    table_->setColumnWidth(OutcomeTableModel::PromptColumn, 320);
    applyFilter();
}

void DatasetBrowser::setPool(const ModelPool& pool) {
    if (const Dataset* d = model_->dataset())
        model_->setCost(d->costUsd(pool));
}

void DatasetBrowser::setFilter(const QString& text, int category) {
    {
        const QSignalBlocker blockText(filter_);
        const QSignalBlocker blockCategory(category_);
        filter_->setText(text);
        category_->setCurrentIndex(category + 1);
    }
    applyFilter();
}

void DatasetBrowser::applyFilter() {
    filterDelay_->stop();
    model_->setFilter(filter_->text(), category_->currentIndex() - 1);
    updateCount();
}

void DatasetBrowser::updateCount() {
    count_->setText(tr("%1 of %2 prompts").arg(model_->rowCount()).arg(model_->totalPrompts()));
}

} // namespace routerlab
