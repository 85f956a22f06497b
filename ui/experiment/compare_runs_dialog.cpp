#include "ui/experiment/compare_runs_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace routerlab {

namespace {

constexpr int kChoiceRole = Qt::UserRole;

QString sourceName(RunChoice::Source source) {
    switch (source) {
    case RunChoice::Source::Session:
        return CompareRunsDialog::tr("this window");
    case RunChoice::Source::Stored:
        return CompareRunsDialog::tr("workspace");
    case RunChoice::Source::File:
        break;
    }
    return CompareRunsDialog::tr("file");
}

} // namespace

CompareRunsDialog::CompareRunsDialog(const std::vector<RunChoice>& offered, QWidget* parent)
    : QDialog(parent), list_(new QListWidget(this)),
      compare_(new QPushButton(tr("Compare"), this)) {
    setWindowTitle(tr("Compare Runs"));
    setObjectName(QStringLiteral("compareRunsDialog"));
    auto* intro = new QLabel(tr("Tick two or more results to set side by side in every chart, "
                                "and drag them into order: the first ticked is run A, the one "
                                "the others are compared with."),
                             this);
    intro->setWordWrap(true);
    list_->setObjectName(QStringLiteral("runChoices"));
    list_->setDragDropMode(QAbstractItemView::InternalMove);
    list_->setMinimumSize(460, 220);
    connect(list_, &QListWidget::itemChanged, this, &CompareRunsDialog::updateButton);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* browse = buttons->addButton(tr("Add Result Files…"), QDialogButtonBox::ActionRole);
    compare_->setDefault(true);
    buttons->addButton(compare_, QDialogButtonBox::AcceptRole);
    connect(browse, &QPushButton::clicked, this, &CompareRunsDialog::browse);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(list_, 1);
    layout->addWidget(buttons);
    for (const RunChoice& choice : offered)
        addChoice(choice, false);
    updateButton();
}

void CompareRunsDialog::addChoice(const RunChoice& choice, bool checked) {
    choices_.push_back(choice);
    auto* item = new QListWidgetItem(
        QStringLiteral("%1  (%2)").arg(choice.title, sourceName(choice.source)), list_);
    item->setData(kChoiceRole, static_cast<int>(choices_.size()) - 1);
    item->setToolTip(choice.detail);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
                   Qt::ItemIsDragEnabled);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
}

void CompareRunsDialog::check(RunChoice::Source source, qint64 id) {
    for (int row = 0; row < list_->count(); ++row) {
        QListWidgetItem* item = list_->item(row);
        const RunChoice& c = choices_[static_cast<std::size_t>(item->data(kChoiceRole).toInt())];
        if (c.source == source && c.id == id)
            item->setCheckState(Qt::Checked);
    }
}

void CompareRunsDialog::addFiles(const QStringList& paths) {
    for (const QString& path : paths)
        addChoice({RunChoice::Source::File, -1, path, QFileInfo(path).fileName(), path}, true);
    updateButton();
}

std::vector<RunChoice> CompareRunsDialog::chosen() const {
    std::vector<RunChoice> out;
    for (int row = 0; row < list_->count(); ++row) {
        const QListWidgetItem* item = list_->item(row);
        if (item->checkState() == Qt::Checked)
            out.push_back(choices_[static_cast<std::size_t>(item->data(kChoiceRole).toInt())]);
    }
    return out;
}

void CompareRunsDialog::browse() {
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Result Files"), QString(),
                                                            tr("Results (*.json);;All files (*)"));
    addFiles(files);
}

void CompareRunsDialog::updateButton() {
    const std::size_t ticked = chosen().size();
    compare_->setEnabled(ticked >= 2);
    compare_->setToolTip(ticked >= 2 ? tr("Overlay the %1 ticked results").arg(ticked)
                                     : tr("Tick two or more results"));
}

} // namespace routerlab
