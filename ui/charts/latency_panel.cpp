#include "ui/charts/latency_panel.h"

#include "ui/charts/chart_tips.h"

#include "metrics/series_stats.h"
#include "ui/charts/interval_text.h"

#include <QBarCategoryAxis>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <cmath>
#include <map>

namespace routerlab {

LatencyPanel::LatencyPanel(QWidget* parent)
    : ChartPanel(tr("Latency"), QStringLiteral("latency"), parent), chart_(new QChart) {
    chart_->legend()->hide();
    addChartView(chart_);
    setNote(tr("Run an experiment to see how long each router makes users wait."));
}

void LatencyPanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    results_ = std::move(results);
    const std::size_t routers = results_->series.size();
    if (stats_.size() != routers) {
        stats_.assign(routers, {});
        statsSeeds_.assign(routers, -1);
    }
    // Percentiles sort every call: only for routers with new seeds.
    for (std::size_t i = 0; i < routers; ++i) {
        const RouterSeries& s = results_->series[i];
        if (statsSeeds_[i] == s.seeds)
            continue;
        statsSeeds_[i] = s.seeds;
        std::vector<double> values(s.latency.begin(), s.latency.end());
        std::sort(values.begin(), values.end());
        Stats& st = stats_[i];
        st.router = s.name;
        st.calls = static_cast<int>(values.size());
        st.p5 = percentile(values, 5);
        st.p25 = percentile(values, 25);
        st.p50 = percentile(values, 50);
        st.p75 = percentile(values, 75);
        st.p95 = percentile(values, 95);
    }
    clearChart(chart_);
    auto* boxes = new QBoxPlotSeries(chart_);
    auto* categories = new QBarCategoryAxis(chart_);
    double top = 0;
    QStringList markers;
    for (std::size_t i = 0; i < routers; ++i) {
        const Stats& st = stats_[i];
        if (st.calls == 0)
            continue;
        const QString label = st.router;
        markers << tr("%1: p50 %2 s, p95 %3 s")
                       .arg(st.router)
                       .arg(st.p50, 0, 'f', 2)
                       .arg(st.p95, 0, 'f', 2);
        auto* set = new QBoxSet(st.p5, st.p25, st.p50, st.p75, st.p95, label, boxes);
        set->setBrush(routerColor(static_cast<int>(i)).lighter(150));
        set->setPen(QPen(routerColor(static_cast<int>(i)).darker(120), 1.5));
        boxes->append(set);
        categories->append(label);
        top = std::max(top, st.p95);
    }
    chart_->addSeries(boxes);
    auto* seconds = new QValueAxis(chart_);
    seconds->setTitleText(tr("latency per call, s (whiskers p5 and p95)"));
    seconds->setLabelFormat(QStringLiteral("%.3g"));
    chart_->addAxis(categories, Qt::AlignBottom);
    chart_->addAxis(seconds, Qt::AlignLeft);
    boxes->attachAxis(categories);
    boxes->attachAxis(seconds);
    setNiceRange(seconds, 0, top > 0 ? top * 1.05 : 1);
    drawMeanIntervals(categories->categories(), seconds);
    setNote(top > 0 ? tr("Every call of every finished seed; box p25–p75, line p50, whiskers "
                         "p5 and p95; black square: the mean, with its 95% interval when the "
                         "result has one. %1.")
                          .arg(markers.join(QStringLiteral(" · ")))
                    : tr("Run an experiment to see how long each router makes users wait."));
}

void LatencyPanel::drawMeanIntervals(const QStringList& categories, QValueAxis* seconds) {
    // The result's mean latency per router and its 95% interval, by name.
    std::map<QString, std::pair<double, Interval>> means;
    for (const QJsonObject& row : results_->simulateRows())
        means[row.value(QStringLiteral("name")).toString()] = {
            row.value(QStringLiteral("mean_latency_s")).toDouble(NAN),
            intervalOf(row, QStringLiteral("mean_latency_s"))};
    auto* dots = new QScatterSeries(chart_);
    dots->setObjectName(QStringLiteral("meanLatency"));
    dots->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    dots->setMarkerSize(7);
    dots->setColor(Qt::black);
    dots->setBorderColor(Qt::white);
    const auto attach = [&](QAbstractSeries* series) {
        chart_->addSeries(series);
        for (QAbstractAxis* axis : chart_->axes())
            series->attachAxis(axis);
    };
    // On a category axis the boxes sit at x = 0, 1, 2...
    QStringList notes;
    for (int i = 0; i < categories.size(); ++i) {
        const auto at = means.find(categories[i]);
        if (at == means.end() || !std::isfinite(at->second.first))
            continue;
        dots->append(i, at->second.first);
        const Interval& ci = at->second.second;
        notes << tr("%1\nmean latency %2 s")
                     .arg(categories[i], withInterval(at->second.first, ci, 'f', 3));
        if (!ci.valid())
            continue;
        auto* bar = new QLineSeries(chart_);
        bar->setObjectName(QStringLiteral("meanLatencyInterval"));
        bar->setProperty("router", categories[i]);
        bar->setPen(QPen(Qt::black, 2));
        leaveOutOfTips(bar);
        attach(bar);
        bar->replace({QPointF(i, ci.low), QPointF(i, ci.high)});
        if (ci.high * 1.05 > seconds->max())
            setNiceRange(seconds, 0, ci.high * 1.05);
    }
    setPointNotes(dots, notes);
    attach(dots);
}

CsvTable LatencyPanel::table() const {
    CsvTable csv({QStringLiteral("router"), QStringLiteral("calls"), QStringLiteral("p5_s"),
                  QStringLiteral("p25_s"), QStringLiteral("p50_s"), QStringLiteral("p75_s"),
                  QStringLiteral("p95_s")});
    for (const Stats& st : stats_)
        if (st.calls > 0)
            csv.addRow({st.router, QString::number(st.calls), CsvTable::number(st.p5),
                        CsvTable::number(st.p25), CsvTable::number(st.p50),
                        CsvTable::number(st.p75), CsvTable::number(st.p95)});
    return csv;
}

} // namespace routerlab
