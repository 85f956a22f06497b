#include "ui/live/live_call_table.h"

#include <QColor>
#include <QHeaderView>
#include <cmath>

namespace routerlab {

namespace {

QString tokens(qint64 n) {
    return n < 0 ? QStringLiteral("—") : QString::number(n);
}

QString secondsCell(double s) {
    return std::isnan(s) ? QStringLiteral("—") : QString::number(s, 'f', 3);
}

} // namespace

LiveCallTable::LiveCallTable(QWidget* parent) : QTableWidget(0, ColumnCount, parent) {
    setObjectName(QStringLiteral("liveCalls"));
    setAccessibleName(tr("Live calls"));
    setHorizontalHeaderLabels({tr("Step"), tr("Prompt"), tr("Model"), tr("Status"), tr("In"),
                               tr("Out"), tr("Cost $"), tr("Latency s"), tr("TTFT s"),
                               tr("Quality")});
    const QStringList tips = {tr("The router's step"),
                              tr("The prompt's id"),
                              tr("The model the router chose"),
                              tr("ok, failed (after its retries) or cancelled"),
                              tr("Prompt tokens, as the server reported them"),
                              tr("Completion tokens, as the server reported them"),
                              tr("Priced from the reported tokens and the pool's prices"),
                              tr("Seconds from request to last byte"),
                              tr("Time to first token, in seconds (streamed answers)"),
                              tr("The scorer's verdict, or a person's rating")};
    for (int c = 0; c < ColumnCount; ++c)
        horizontalHeaderItem(c)->setToolTip(tips[c]);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    verticalHeader()->hide();
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    // Sized once from the first calls: resizing to contents on every row would slow a long run.
    horizontalHeader()->setStretchLastSection(true);
}

void LiveCallTable::clearCalls() {
    setRowCount(0);
    calls_.clear();
}

void LiveCallTable::appendCalls(const std::vector<LiveCallRecord>& calls) {
    if (calls.empty())
        return;
    const bool follow = selectionModel()->selectedRows().isEmpty();
    const bool first = rowCount() == 0;
    setUpdatesEnabled(false);
    for (const LiveCallRecord& c : calls)
        appendCall(c);
    if (first)
        resizeColumnsToContents();
    setUpdatesEnabled(true);
    if (follow)
        scrollToBottom();
}

int LiveCallTable::selectedCall() const {
    const QList<QTableWidgetItem*> items = selectedItems();
    const int row = items.isEmpty() ? -1 : items.first()->row();
    return row >= 0 && row < static_cast<int>(calls_.size()) ? row : -1;
}

void LiveCallTable::setQuality(int row, double quality) {
    calls_[row].quality = quality;
    showQuality(row);
}

void LiveCallTable::appendCall(const LiveCallRecord& c) {
    if (c.role != QLatin1String("answer"))
        return;
    const int row = rowCount();
    insertRow(row);
    calls_.push_back(c);
    const auto set = [&](int column, const QString& text, bool number) {
        auto* item = new QTableWidgetItem(text);
        if (number)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(row, column, item);
        return item;
    };
    set(StepColumn, QString::number(c.step + 1), true);
    set(PromptColumn, c.promptId, false);
    set(ModelColumn, c.model, false);
    QTableWidgetItem* status = set(StatusColumn, c.status, false);
    if (!c.error.isEmpty())
        status->setToolTip(c.error);
    if (c.status == QLatin1String("failed"))
        status->setForeground(QColor(0xb0, 0x20, 0x20));
    set(InColumn, tokens(c.promptTokens), true);
    set(OutColumn, tokens(c.completionTokens), true);
    set(CostColumn, QString::number(c.costUsd, 'f', 6), true);
    set(LatencyColumn, secondsCell(c.latencyS), true);
    set(FirstTokenColumn, secondsCell(c.firstTokenS), true);
    set(QualityColumn, QString(), true);
    showQuality(row);
}

void LiveCallTable::showQuality(int row) {
    QTableWidgetItem* cell = item(row, QualityColumn);
    if (!cell)
        return;
    const LiveCallRecord& c = calls_[row];
    const bool ok = c.status == QLatin1String("ok");
    cell->setText(!std::isnan(c.quality) ? QString::number(c.quality, 'f', 2)
                  : ok                   ? tr("rate it")
                                         : QStringLiteral("—"));
}

} // namespace routerlab
