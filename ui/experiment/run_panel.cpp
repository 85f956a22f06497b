#include "ui/experiment/run_panel.h"

#include "ui/experiment/cell_progress_model.h"
#include "ui/experiment/run_controller.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace routerlab {

namespace {

QString formatDuration(qint64 ms) {
    if (ms < 0)
        return QStringLiteral("…");
    const qint64 s = (ms + 999) / 1000;
    return s < 60 ? QStringLiteral("%1 s").arg(s)
                  : QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// Draws the progress role as a bar: a busy stripe while the cell runs.
class CellProgressDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        const int progress = index.data(CellProgressModel::ProgressRole).toInt();
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 100;
        bar.progress = progress == -1 ? 50 : std::max(progress, 0);
        bar.text = index.data().toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        if (progress == -2)
            bar.palette.setColor(QPalette::Highlight, QColor(200, 120, 80));
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter);
    }
};

} // namespace

RunPanel::RunPanel(RunController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller), model_(new CellProgressModel(this)),
      overall_(new QProgressBar(this)), status_(new QLabel(tr("No run yet: design an experiment "
                                                              "and press Run (F5)."),
                                                           this)),
      cancel_(new QPushButton(tr("Cancel"), this)),
      details_(new QPushButton(tr("Show cells"), this)), table_(new QTableView(this)),
      refreshTimer_(new QTimer(this)) {
    overall_->setObjectName(QStringLiteral("runOverallProgress"));
    overall_->setRange(0, 1);
    overall_->setValue(0);
    cancel_->setObjectName(QStringLiteral("runCancelButton"));
    cancel_->setEnabled(false);
    details_->setObjectName(QStringLiteral("runDetailsButton"));
    details_->setCheckable(true);
    details_->setToolTip(tr("Show every cell of the finished run"));
    details_->hide();
    status_->setObjectName(QStringLiteral("runStatus"));
    table_->setObjectName(QStringLiteral("runCellTable"));
    table_->setAccessibleName(tr("Cells of the run"));
    table_->setModel(model_);
    table_->setItemDelegateForColumn(CellProgressModel::ProgressColumn,
                                     new CellProgressDelegate(table_));
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setSelectionMode(QAbstractItemView::NoSelection);

    auto* top = new QHBoxLayout;
    top->addWidget(overall_, 1);
    top->addWidget(cancel_);
    auto* summary = new QHBoxLayout;
    summary->addWidget(status_, 1);
    summary->addWidget(details_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(summary);
    layout->addWidget(table_, 1);

    connect(cancel_, &QPushButton::clicked, controller_, &RunController::cancel);
    connect(controller_, &RunController::runningChanged, this, &RunPanel::onRunningChanged);
    connect(controller_, &RunController::cellsPlanned, this, &RunPanel::onPrepared);
    refreshTimer_->setInterval(200);
    connect(refreshTimer_, &QTimer::timeout, this, &RunPanel::refresh);
    connect(controller_, &RunController::finished, this, &RunPanel::onFinished);
    connect(details_, &QPushButton::toggled, this, &RunPanel::showDetails);
}

QString RunPanel::statusText() const {
    return status_->text();
}

void RunPanel::onFinished(bool cancelled, const QString& error) {
    refresh();
    const QString took = QStringLiteral("%1 s").arg(controller_->elapsedMs() / 1000.0, 0, 'f', 1);
    const int done = controller_->progress() ? controller_->progress()->doneCells() : 0;
    if (!error.isEmpty())
        status_->setText(tr("Run failed after %1: %2").arg(took, error));
    else if (cancelled)
        status_->setText(
            tr("Cancelled after %1: %2 cells finished, shown on the pages.").arg(took).arg(done));
    else
        status_->setText(tr("Done: %1 cells in %2").arg(done).arg(took));
    setFolded(true);
}

void RunPanel::setFolded(bool folded) {
    folded_ = folded;
    overall_->setVisible(!folded);
    cancel_->setVisible(!folded);
    details_->setVisible(folded);
    details_->setChecked(false);
    showDetails(!folded);
}

void RunPanel::showDetails(bool shown) {
    table_->setVisible(shown);
    details_->setText(shown ? tr("Hide cells") : tr("Show cells"));
    // The dock follows its widget's largest height: one line when folded.
    setMaximumHeight(shown ? QWIDGETSIZE_MAX : sizeHint().height());
}

void RunPanel::onRunningChanged(bool running) {
    cancel_->setEnabled(running);
    if (running) {
        setFolded(false);
        model_->clear();
        overall_->setRange(0, 0); // busy while the data loads and the setup is built
        status_->setText(tr("Preparing: loading data, building features…"));
        refreshTimer_->start();
    } else {
        refreshTimer_->stop();
    }
}

void RunPanel::onPrepared() {
    const auto prepared = controller_->prepared();
    model_->setRun(prepared, controller_->progress());
    overall_->setRange(0, prepared->cellCount());
    // Fixed widths: measuring tens of thousands of rows would stall the window.
    const int unit = fontMetrics().horizontalAdvance(QLatin1Char('m'));
    table_->setColumnWidth(CellProgressModel::PartColumn, 8 * unit);
    table_->setColumnWidth(CellProgressModel::RouterColumn, 16 * unit);
    table_->setColumnWidth(CellProgressModel::PreferenceColumn, 24 * unit);
    table_->setColumnWidth(CellProgressModel::SeedColumn, 5 * unit);
    refresh();
}

void RunPanel::refresh() {
    const auto prepared = controller_->prepared();
    if (!prepared)
        return;
    const int done = controller_->progress()->doneCells();
    overall_->setValue(done);
    model_->refresh();
    if (controller_->isRunning())
        status_->setText(tr("%1 of %2 cells · %3 elapsed · about %4 left")
                             .arg(done)
                             .arg(prepared->cellCount())
                             .arg(formatDuration(controller_->elapsedMs()),
                                  formatDuration(controller_->remainingMs())));
}

} // namespace routerlab
