#include "ui/charts/cost_panel.h"

#include "ui/charts/series_sampling.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

namespace routerlab {

namespace {

constexpr int kMaxPoints = 300;

// Sessions [begin, end) of each bar when there are more sessions than bars.
std::vector<std::pair<int, int>> sessionGroups(int sessions, int maxGroups) {
    std::vector<std::pair<int, int>> groups;
    const int width = std::max(1, (sessions + maxGroups - 1) / maxGroups);
    for (int begin = 0; begin < sessions; begin += width)
        groups.emplace_back(begin, std::min(sessions, begin + width));
    return groups;
}

} // namespace

CostPanel::CostPanel(QWidget* parent)
    : ChartPanel(tr("Cost"), QStringLiteral("cost"), parent), bars_(new QChart),
      cumulative_(new QChart) {
    bars_->legend()->setAlignment(Qt::AlignRight);
    cumulative_->legend()->setAlignment(Qt::AlignRight);
    addChartView(bars_, 1);
    addChartView(cumulative_, 1);
    setNote(tr("Run an experiment to see what each session costs."));
}

void CostPanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    results_ = std::move(results);
    // Bars: rebuilt whole (a few dozen values); the categories may change as cells arrive.
    clearChart(bars_);
    int sessions = 0;
    for (const RouterSeries& s : results_->series)
        sessions = std::max(sessions, static_cast<int>(s.sessionCost.size()));
    const auto groups = sessionGroups(sessions, kMaxGroups);
    auto* barSeries = new QBarSeries(bars_);
    double maxBar = 0;
    for (int i = 0; i < static_cast<int>(results_->series.size()); ++i) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(i)];
        if (s.seeds == 0 || s.sessionCost.empty())
            continue;
        auto* set = new QBarSet(s.name, barSeries);
        set->setColor(routerColor(i));
        for (const auto& [begin, end] : groups) {
            double cost = 0;
            for (int j = begin; j < end && j < static_cast<int>(s.sessionCost.size()); ++j)
                cost += s.sessionCost[static_cast<std::size_t>(j)];
            cost /= (end - begin);
            set->append(cost);
            maxBar = std::max(maxBar, cost);
        }
        barSeries->append(set);
    }
    bars_->addSeries(barSeries);
    auto* categories = new QBarCategoryAxis(bars_);
    for (const auto& [begin, end] : groups)
        categories->append(end - begin == 1 ? QString::number(begin + 1)
                                            : QStringLiteral("%1–%2").arg(begin + 1).arg(end));
    categories->setTitleText(groups.size() == static_cast<std::size_t>(sessions)
                                 ? tr("session")
                                 : tr("sessions (mean per session in each group)"));
    auto* usd = new QValueAxis(bars_);
    usd->setTitleText(tr("USD per session"));
    usd->setLabelFormat(QStringLiteral("%.3g"));
    usd->setRange(0, maxBar > 0 ? maxBar * 1.08 : 1);
    bars_->addAxis(categories, Qt::AlignBottom);
    bars_->addAxis(usd, Qt::AlignLeft);
    barSeries->attachAxis(categories);
    barSeries->attachAxis(usd);

    clearChart(cumulative_);
    auto* steps = new QValueAxis(cumulative_);
    steps->setTitleText(tr("step"));
    steps->setLabelFormat(QStringLiteral("%d"));
    auto* total = new QValueAxis(cumulative_);
    total->setTitleText(tr("cumulative USD"));
    total->setLabelFormat(QStringLiteral("%.3g"));
    cumulative_->addAxis(steps, Qt::AlignBottom);
    cumulative_->addAxis(total, Qt::AlignLeft);
    double maxX = 1, maxY = 0;
    for (int i = 0; i < static_cast<int>(results_->series.size()); ++i) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(i)];
        if (s.seeds == 0 || s.cumulativeCost.empty())
            continue;
        auto* line = new QLineSeries(cumulative_);
        line->setName(s.name);
        QPen pen(routerColor(i), 2);
        if (s.reference)
            pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        line->replace(chartPoints(s.cumulativeCost, s.steps, kMaxPoints));
        maxX = std::max(maxX, double(s.stepAt(s.cumulativeCost.size() - 1)));
        maxY = std::max(maxY, s.cumulativeCost.back());
        cumulative_->addSeries(line);
        line->attachAxis(steps);
        line->attachAxis(total);
    }
    setNiceRange(steps, 0, maxX);
    setNiceRange(total, 0, maxY > 0 ? maxY * 1.05 : 1);
    setNote(sessions > 0 ? tr("Mean over the seeds finished so far. Dashed: reference routers.")
                         : tr("Run an experiment to see what each session costs."));
}

CsvTable CostPanel::table() const {
    CsvTable csv({QStringLiteral("series"), QStringLiteral("router"), QStringLiteral("index"),
                  QStringLiteral("usd")});
    for (const RouterSeries& s : results_->series) {
        for (std::size_t j = 0; j < s.sessionCost.size(); ++j)
            csv.addRow({QStringLiteral("session_cost"), s.name, QString::number(j + 1),
                        CsvTable::number(s.sessionCost[j])});
        for (const QPointF& p : chartPoints(s.cumulativeCost, s.steps, 2000))
            csv.addRow({QStringLiteral("cumulative_cost"), s.name, QString::number(qint64(p.x())),
                        CsvTable::number(p.y())});
    }
    return csv;
}

} // namespace routerlab
