#include "ui/charts/comparison_panel.h"

#include <QHeaderView>
#include <QJsonArray>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>
#include <QVBoxLayout>
#include <cmath>

namespace routerlab {

namespace {

constexpr int kValueRole = Qt::UserRole + 1;

QStandardItem* numberItem(double value, int decimals, bool significant = false) {
    auto* item = new QStandardItem(std::isfinite(value)
                                       ? QString::number(value, significant ? 'g' : 'f', decimals)
                                       : QStringLiteral("–"));
    item->setData(std::isfinite(value) ? value : -INFINITY, kValueRole);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

ComparisonPanel::ComparisonPanel(QWidget* parent)
    : ChartPanel(tr("Comparison"), QStringLiteral("comparison"), parent),
      model_(new QStandardItemModel(0, ColumnCount, this)), proxy_(new QSortFilterProxyModel(this)),
      view_(new QTableView(canvas())) {
    model_->setHorizontalHeaderLabels({tr("Router"), tr("Quality"), tr("USD / 1k queries"),
                                       tr("Total USD"), tr("Latency s"), tr("p95 latency s"),
                                       tr("Reward"), tr("Regret"), tr("AIQ"),
                                       tr("Convergence step"), tr("Seeds")});
    proxy_->setSourceModel(model_);
    proxy_->setSortRole(kValueRole);
    view_->setObjectName(QStringLiteral("comparisonTable"));
    view_->setModel(proxy_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(-1, Qt::AscendingOrder);
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->verticalHeader()->hide();
    view_->setAlternatingRowColors(true);
    canvasLayout()->addWidget(view_);
    setNote(tr("Run an experiment or open a result to compare routers."));
}

void ComparisonPanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    std::map<QString, double> aiqOf;
    for (const QJsonObject& c : results->sweepCurves())
        aiqOf[c.value(QStringLiteral("name")).toString()] =
            c.value(QStringLiteral("aiq")).toDouble(NAN);
    model_->removeRows(0, model_->rowCount());
    const int seeds = results->simulate.value(QStringLiteral("seeds")).toInt();
    const auto addRow = [&](const QString& name, const QJsonObject& o) {
        const auto number = [&](const char* key) {
            return o.value(QLatin1String(key)).toDouble(NAN);
        };
        auto* router = new QStandardItem(name);
        router->setData(name, kValueRole);
        const auto aiq = aiqOf.find(name);
        model_->appendRow(
            {router, numberItem(number("mean_quality"), 3),
             numberItem(number("mean_cost_usd") * 1000.0, 4, true),
             numberItem(number("total_cost_usd"), 4, true), numberItem(number("mean_latency_s"), 2),
             numberItem(number("p95_latency_s"), 2), numberItem(number("mean_reward"), 4),
             numberItem(number("regret"), 1), numberItem(aiq == aiqOf.end() ? NAN : aiq->second, 3),
             numberItem(number("convergence_step"), 1),
             numberItem(o.contains(QStringLiteral("seeds_run"))
                            ? o.value(QStringLiteral("seeds_run")).toDouble()
                            : seeds,
                        0)});
    };
    for (const QJsonObject& row : results->simulateRows()) {
        if (row.value(QStringLiteral("seeds_run")).toInt(1) == 0)
            continue;
        addRow(row.value(QStringLiteral("name")).toString(), row);
    }
    // A sweep alone (a merged sweep file): one row per curve with its AIQ.
    if (results->simulate.isEmpty())
        for (const QJsonObject& c : results->sweepCurves())
            addRow(c.value(QStringLiteral("name")).toString(), QJsonObject{});
    setNote(model_->rowCount() > 0
                ? tr("Means over seeds. AIQ is the area under the router's cost-quality hull "
                     "over the single models' cost range (from the sweep).")
                : tr("Run an experiment or open a result to compare routers."));
}

int ComparisonPanel::rowOf(const QString& router) const {
    for (int r = 0; r < model_->rowCount(); ++r)
        if (model_->item(r, RouterColumn)->text() == router)
            return r;
    return -1;
}

double ComparisonPanel::value(int row, Column column) const {
    return model_->item(row, column)->data(kValueRole).toDouble();
}

CsvTable ComparisonPanel::table() const {
    QStringList header{QStringLiteral("router"),
                       QStringLiteral("mean_quality"),
                       QStringLiteral("usd_per_1000"),
                       QStringLiteral("total_cost_usd"),
                       QStringLiteral("mean_latency_s"),
                       QStringLiteral("p95_latency_s"),
                       QStringLiteral("mean_reward"),
                       QStringLiteral("regret"),
                       QStringLiteral("aiq"),
                       QStringLiteral("convergence_step"),
                       QStringLiteral("seeds")};
    CsvTable csv(header);
    for (int r = 0; r < model_->rowCount(); ++r) {
        QStringList row{model_->item(r, RouterColumn)->text()};
        for (int c = 1; c < ColumnCount; ++c) {
            const double v = model_->item(r, c)->data(kValueRole).toDouble();
            row << (std::isfinite(v) ? CsvTable::number(v) : QString());
        }
        csv.addRow(row);
    }
    return csv;
}

} // namespace routerlab
