#include "ui/charts/comparison_panel.h"

#include "tradeoff/tradeoff_choice.h"
#include "ui/charts/interval_text.h"
#include "ui/charts/paired_comparison_view.h"

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

// A figure and, when the result has it, its 95% interval on a line of its own (eleven columns
// of "value [low, high]" would not fit a window's width); `scale` converts both for display
// (USD per call to USD per 1,000 calls). The value sorts, the text shows.
QStandardItem* numberItem(double value, int decimals, bool significant = false,
                          const Interval& interval = {}, double scale = 1.0) {
    auto* item = new QStandardItem(withInterval(value, interval, significant ? 'g' : 'f', decimals,
                                                scale, QStringLiteral("\n")));
    item->setData(std::isfinite(value) ? value * scale : -INFINITY, kValueRole);
    if (interval.valid()) {
        item->setData(interval.low * scale, ComparisonPanel::LowRole);
        item->setData(interval.high * scale, ComparisonPanel::HighRole);
    }
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// The columns a result's "leaders" speak of: the best router per metric and its lead.
struct LeaderColumn {
    const char* metric;
    ComparisonPanel::Column column;
    double scale;
    int decimals;
};
constexpr LeaderColumn kLeaderColumns[] = {
    {"mean_quality", ComparisonPanel::QualityColumn, 1.0, 3},
    {"mean_cost_usd", ComparisonPanel::CostPerThousandColumn, 1000.0, 3},
    {"mean_latency_s", ComparisonPanel::LatencyColumn, 1.0, 3},
    {"mean_reward", ComparisonPanel::RewardColumn, 1.0, 4},
    {"regret", ComparisonPanel::RegretColumn, 1.0, 1},
};

} // namespace

ComparisonPanel::ComparisonPanel(QWidget* parent)
    : ChartPanel(tr("Comparison"), QStringLiteral("comparison"), parent),
      model_(new QStandardItemModel(0, ColumnCount, this)), proxy_(new QSortFilterProxyModel(this)),
      view_(new QTableView(canvas())), paired_(new PairedComparisonView(canvas())) {
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
    // Rows as tall as their text: one line, or two with intervals.
    view_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->verticalHeader()->hide();
    view_->setAlternatingRowColors(true);
    canvasLayout()->addWidget(view_, 3);
    canvasLayout()->addWidget(paired_, 1);
    setNote(tr("Run an experiment or open a result to compare routers."));
}

void ComparisonPanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    struct Aiq {
        double value;
        Interval interval;
    };
    std::map<QString, Aiq> aiqOf;
    for (const QJsonObject& c : results->sweepCurves())
        aiqOf[c.value(QStringLiteral("name")).toString()] = {
            c.value(QStringLiteral("aiq")).toDouble(NAN), intervalOf(c, QStringLiteral("aiq"))};
    model_->removeRows(0, model_->rowCount());
    const int seeds = results->simulate.value(QStringLiteral("seeds")).toInt();
    const auto addRow = [&](const QString& name, const QJsonObject& o) {
        const auto number = [&](const char* key) {
            return o.value(QLatin1String(key)).toDouble(NAN);
        };
        const auto ci = [&](const char* key) { return intervalOf(o, QLatin1String(key)); };
        auto* router = new QStandardItem(name);
        router->setData(name, kValueRole);
        const auto aiq = aiqOf.find(name);
        const Interval convergence =
            ci("convergence_step").valid() ? ci("convergence_step") : ci("mean_convergence_step");
        model_->appendRow(
            {router, numberItem(number("mean_quality"), 3, false, ci("mean_quality")),
             numberItem(number("mean_cost_usd"), 4, true, ci("mean_cost_usd"), 1000.0),
             numberItem(number("total_cost_usd"), 4, true, ci("total_cost_usd")),
             numberItem(number("mean_latency_s"), 2, false, ci("mean_latency_s")),
             numberItem(number("p95_latency_s"), 2),
             numberItem(number("mean_reward"), 4, false, ci("mean_reward")),
             numberItem(number("regret"), 1, false, ci("regret")),
             aiq == aiqOf.end() ? numberItem(NAN, 3)
                                : numberItem(aiq->second.value, 3, false, aiq->second.interval),
             numberItem(number("convergence_step"), 1, false, convergence),
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
    const QJsonObject leaders = results->simulate.value(QStringLiteral("leaders")).toObject();
    markLeaders(leaders);
    paired_->setResult(results->simulate);
    const QString aiqNote = tr("AIQ is the area under the router's cost-quality hull over the "
                               "single models' cost range (from the sweep).");
    // Reward, cost and the routers' choices depend on the preference: name it.
    QString at;
    try {
        const QString preference = results->simulate.value(QStringLiteral("preference")).toString();
        if (!preference.isEmpty())
            at = tr("At the run's preference, %1: ")
                     .arg(preferenceText(Preference::parse(preference)));
    } catch (const std::invalid_argument&) {
        at.clear(); // an older result without a readable preference
    }
    const QString means = at.isEmpty() ? tr("Means") : at + tr("means");
    if (model_->rowCount() == 0)
        setNote(tr("Run an experiment or open a result to compare routers."));
    else if (leaders.isEmpty())
        setNote(means + tr(" over seeds, with their 95% intervals when the result has them. ") +
                aiqNote);
    else
        setNote(means +
                tr(" over seeds [95% interval]. Bold on green: a column's best router, "
                   "marked only when its lead over the runner-up is significant (paired "
                   "bootstrap, 5% level); hover over it for the test. ") +
                aiqNote);
}

void ComparisonPanel::markLeaders(const QJsonObject& leaders) {
    for (const LeaderColumn& c : kLeaderColumns) {
        const QJsonObject lead = leaders.value(QLatin1String(c.metric)).toObject();
        const int row = rowOf(lead.value(QStringLiteral("router")).toString());
        if (lead.isEmpty() || row < 0)
            continue;
        const bool significant = lead.value(QStringLiteral("significant")).toBool(false);
        const QString difference = withInterval(
            lead.value(QStringLiteral("difference")).toDouble(NAN),
            intervalFrom(lead.value(QStringLiteral("ci95"))), 'g', c.decimals, c.scale);
        QStandardItem* item = model_->item(row, c.column);
        item->setToolTip(
            tr("%1 %2 %3: difference %4, p = %5 (paired bootstrap)")
                .arg(lead.value(QStringLiteral("router")).toString(),
                     significant ? tr("leads") : tr("is not significantly ahead of"),
                     lead.value(QStringLiteral("runner_up")).toString(), difference,
                     QString::number(lead.value(QStringLiteral("p_value")).toDouble(NAN), 'g', 2)));
        item->setData(significant, LeaderRole);
        if (!significant)
            continue;
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
        item->setBackground(QColor(200, 235, 200));
    }
}

int ComparisonPanel::rowOf(const QString& router) const {
    for (int r = 0; r < model_->rowCount(); ++r)
        if (model_->item(r, RouterColumn)->text() == router)
            return r;
    return -1;
}

QStandardItem* ComparisonPanel::item(int row, Column column) const {
    return model_->item(row, column);
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
    // Then each figure's 95% interval, blank where the result has none.
    const QStringList figures = header.mid(1, SeedsColumn - 1);
    for (const QString& figure : figures)
        header << figure + QStringLiteral("_ci95_low") << figure + QStringLiteral("_ci95_high");
    CsvTable csv(header);
    const auto number = [](const QVariant& v) {
        return v.isValid() && std::isfinite(v.toDouble()) ? CsvTable::number(v.toDouble())
                                                          : QString();
    };
    for (int r = 0; r < model_->rowCount(); ++r) {
        QStringList row{model_->item(r, RouterColumn)->text()};
        for (int c = 1; c < ColumnCount; ++c)
            row << number(model_->item(r, c)->data(kValueRole));
        for (int c = 1; c < SeedsColumn; ++c)
            row << number(model_->item(r, c)->data(LowRole))
                << number(model_->item(r, c)->data(HighRole));
        csv.addRow(row);
    }
    return csv;
}

} // namespace routerlab
