#include "ui/charts/cost_panel.h"

#include "metrics/series_stats.h"
#include "ui/charts/chart_tips.h"
#include "ui/charts/series_sampling.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

namespace routerlab {

namespace {

constexpr int kMaxCostPoints = 300;

} // namespace

CostPanel::CostPanel(QWidget* parent)
    : ChartPanel(tr("Cost"), QStringLiteral("cost"), parent), boxes_(new QChart),
      cumulative_(new QChart) {
    boxes_->legend()->hide(); // the category axis names each box
    addChartView(boxes_, 1);
    addChartView(cumulative_, 1);
    legend_ = addLegend(cumulative_);
    setNote(tr("Run an experiment to see what each session costs."));
}

void CostPanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    results_ = std::move(results);
    const int sessions = drawBoxes();
    drawCumulative();
    setNote(sessions > 0 ? tr("Top: each session of each finished seed; box p25–p75, line p50, "
                              "whiskers p5 and p95. Bottom: mean over the seeds finished so far; "
                              "dashed: reference routers.")
                         : tr("Run an experiment to see what each session costs."));
}

int CostPanel::drawBoxes() {
    // Rebuilt whole: a box per router, a few numbers each.
    clearChart(boxes_);
    stats_.clear();
    auto* series = new QBoxPlotSeries(boxes_);
    auto* categories = new QBarCategoryAxis(boxes_);
    double top = 0;
    int sessions = 0;
    for (int i = 0; i < static_cast<int>(results_->series.size()); ++i) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(i)];
        if (s.seeds == 0 || s.sessionCosts.empty())
            continue;
        std::vector<double> sorted = s.sessionCosts;
        std::sort(sorted.begin(), sorted.end());
        const SessionCostStats st{s.name,
                                  static_cast<int>(sorted.size()),
                                  percentile(sorted, 5),
                                  percentile(sorted, 25),
                                  percentile(sorted, 50),
                                  percentile(sorted, 75),
                                  percentile(sorted, 95)};
        stats_.push_back(st);
        auto* box = new QBoxSet(st.p5, st.p25, st.p50, st.p75, st.p95, s.name, series);
        box->setBrush(routerColor(i).lighter(150));
        box->setPen(QPen(routerColor(i).darker(120), 1.5));
        series->append(box);
        categories->append(s.name);
        top = std::max(top, st.p95);
        sessions = std::max(sessions, st.sessions);
    }
    boxes_->addSeries(series);
    auto* usd = new QValueAxis(boxes_);
    usd->setTitleText(tr("USD per session"));
    usd->setLabelFormat(QStringLiteral("%.3g"));
    boxes_->addAxis(categories, Qt::AlignBottom);
    boxes_->addAxis(usd, Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(usd);
    setNiceRange(usd, 0, top > 0 ? top * 1.05 : 1);
    return sessions;
}

void CostPanel::drawCumulative() {
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
        line->replace(chartPoints(s.cumulativeCost, s.steps, kMaxCostPoints));
        setSeriesNote(line, s.seeds > 1 ? tr("mean over %1 seeds").arg(s.seeds) : tr("one seed"));
        maxX = std::max(maxX, double(s.stepAt(s.cumulativeCost.size() - 1)));
        maxY = std::max(maxY, s.cumulativeCost.back());
        cumulative_->addSeries(line);
        line->attachAxis(steps);
        line->attachAxis(total);
    }
    setNiceRange(steps, 0, maxX);
    setNiceRange(total, 0, maxY > 0 ? maxY * 1.05 : 1);
    legend_->refresh();
}

CsvTable CostPanel::table() const {
    CsvTable csv({QStringLiteral("series"), QStringLiteral("router"), QStringLiteral("index"),
                  QStringLiteral("usd")});
    for (const RouterSeries& s : results_->series) {
        for (std::size_t j = 0; j < s.sessionCost.size(); ++j)
            csv.addRow({QStringLiteral("session_cost"), s.name, QString::number(j + 1),
                        CsvTable::number(s.sessionCost[j])});
        // Every session of every seed, in seed order: what the box plot summarises.
        for (std::size_t j = 0; j < s.sessionCosts.size(); ++j)
            csv.addRow({QStringLiteral("session_cost_each_seed"), s.name, QString::number(j + 1),
                        CsvTable::number(s.sessionCosts[j])});
        for (const QPointF& p : chartPoints(s.cumulativeCost, s.steps, 2000))
            csv.addRow({QStringLiteral("cumulative_cost"), s.name, QString::number(qint64(p.x())),
                        CsvTable::number(p.y())});
    }
    return csv;
}

} // namespace routerlab
