#include "ui/dataset/dataset_view.h"

#include "ui/dataset/dataset_summary_model.h"
#include "ui/dataset/summary_sort_proxy.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace routerlab {

namespace {

// A long list of files or categories would push the table off screen: show the first few and
// keep the whole list in the tooltip.
QString abbreviated(const QStringList& items, int shown) {
    if (items.size() <= shown)
        return items.join(QStringLiteral(", "));
    return DatasetView::tr("%1, … (%2 more)")
        .arg(items.mid(0, shown).join(QStringLiteral(", ")))
        .arg(items.size() - shown);
}

} // namespace

DatasetView::DatasetView(QWidget* parent)
    : QWidget(parent), model_(new DatasetSummaryModel(this)), proxy_(new SummarySortProxy(this)),
      stack_(new QStackedWidget(this)), table_(new QTableView(this)) {
    auto* placeholder = new QLabel(tr("No dataset loaded.\n\nOpen one with File ▸ Open Dataset… "
                                      "or drop dataset files, folders or a *.pool.json here."),
                                   this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setEnabled(false); // greyed: a hint, not content

    auto* content = new QWidget(this);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    name_ = addHeaderRow(form, tr("Dataset"));
    sources_ = addHeaderRow(form, tr("Sources"));
    prompts_ = addHeaderRow(form, tr("Prompts"));
    categories_ = addHeaderRow(form, tr("Categories"));
    missing_ = addHeaderRow(form, tr("Missing cells"));
    cost_ = addHeaderRow(form, tr("Cost source"));
    estimates_ = addHeaderRow(form, tr("Estimates"));
    QFont bigger = name_->font();
    bigger.setBold(true);
    bigger.setPointSizeF(bigger.pointSizeF() * 1.15);
    name_->setFont(bigger);

    proxy_->setSourceModel(model_);
    table_->setObjectName(QStringLiteral("summaryTable"));
    table_->setAccessibleName(tr("Models of the dataset"));
    table_->setModel(proxy_);
    table_->setAlternatingRowColors(true);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setWordWrap(false);
    table_->verticalHeader()->hide();
    QHeaderView* header = table_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DatasetSummaryModel::NameColumn, QHeaderView::Stretch);
    header->setSortIndicatorClearable(true);
    // No sort indicator at first: the models in file order, as the command line lists them.
    header->setSortIndicator(-1, Qt::AscendingOrder);
    table_->setSortingEnabled(true);

    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->addLayout(form);
    contentLayout->addWidget(table_, 1);

    stack_->addWidget(placeholder);
    stack_->addWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);
}

QLabel* DatasetView::addHeaderRow(QFormLayout* form, const QString& label) {
    auto* value = new QLabel(this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setTextFormat(Qt::PlainText);
    // One line each, clipped rather than widening the window; long lists are abbreviated
    // and the tooltip has the rest. (Wrapped labels in a form on a hidden page got one
    // line's height and lost their ends.)
    value->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    value->setMinimumWidth(1);
    form->addRow(label + QLatin1Char(':'), value);
    return value;
}

void DatasetView::setSummary(const DatasetSummary& s, const QString& poolName) {
    name_->setText(s.name.isEmpty() ? tr("(unnamed)") : s.name);

    QStringList files;
    for (qsizetype i = 0; i < s.sources.size(); ++i) {
        const QString file = QFileInfo(s.sources[i]).fileName();
        files << (i < s.formats.size() ? tr("%1 (%2)").arg(file, s.formats[i]) : file);
    }
    sources_->setText(abbreviated(files, 3));
    sources_->setToolTip(s.sources.join(QLatin1Char('\n')));

    prompts_->setText(QString::number(s.prompts));
    categories_->setText(
        s.categories.isEmpty()
            ? tr("none")
            : tr("%1: %2").arg(s.categories.size()).arg(abbreviated(s.categories, 5)));
    categories_->setToolTip(s.categories.join(QLatin1Char('\n')));

    const qint64 cells = qint64(s.prompts) * qint64(s.models.size());
    QString missing = tr("%1 of %2 cells").arg(s.missingCells).arg(cells);
    if (cells > 0 && s.missingCells > 0)
        missing += tr(" (%1%)").arg(100.0 * double(s.missingCells) / double(cells), 0, 'f', 1);
    if (s.promptsWithoutOutcome > 0)
        missing +=
            tr("; %n prompt(s) with no outcome at all", nullptr, int(s.promptsWithoutOutcome));
    missing_->setText(missing);

    cost_->setText(s.costRecorded ? tr("recorded in the data (pool: %1)").arg(poolName)
                                  : tr("tokens × prices of pool %1").arg(poolName));

    const EstimateCounts& e = s.estimates;
    estimates_->setText(e.inputTokens == 0 && e.outputTokens == 0 && e.latency == 0
                            ? tr("none: every value was recorded")
                            : tr("%1 input-token, %2 output-token and %3 latency values")
                                  .arg(e.inputTokens)
                                  .arg(e.outputTokens)
                                  .arg(e.latency));

    model_->setSummary(s);
    stack_->setCurrentIndex(1);
}

void DatasetView::clear() {
    model_->clear();
    stack_->setCurrentIndex(0);
}

} // namespace routerlab
