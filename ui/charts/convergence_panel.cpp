#include "ui/charts/convergence_panel.h"

#include "routers/router_registry.h"
#include "ui/charts/series_sampling.h"

#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

// Per line: plenty for a chart's width. Qt Charts strokes each line's outline whenever its
// geometry changes, at a cost that grows with the points: this bounds a redraw.
constexpr int kMaxPoints = 240;

QValueAxis* valueAxis(const QString& title, QChart* chart, Qt::Alignment alignment) {
    auto* axis = new QValueAxis(chart);
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.4g"));
    chart->addAxis(axis, alignment);
    return axis;
}

} // namespace

ConvergencePanel::ConvergencePanel(QWidget* parent)
    : ChartPanel(tr("Convergence"), QStringLiteral("convergence"), parent),
      measure_(new QComboBox(this)), routerChoice_(new QComboBox(this)), lines_(new QChart),
      mix_(new QChart), mixTimer_(new QTimer(this)) {
    mixTimer_->setSingleShot(true);
    mixTimer_->setInterval(0);
    connect(mixTimer_, &QTimer::timeout, this, &ConvergencePanel::drawMix);
    measure_->addItems({tr("Cumulative regret"), tr("Cumulative reward")});
    routerChoice_->setObjectName(QStringLiteral("mixRouterChoice"));
    routerChoice_->setMinimumContentsLength(16);
    controls()->insertWidget(1, measure_);
    controls()->insertWidget(2, new QLabel(tr("Model mix of"), this));
    controls()->insertWidget(3, routerChoice_);
    connect(measure_, &QComboBox::currentIndexChanged, this, [this] {
        drawnNames_.clear(); // the series change meaning: rebuild them
        drawLines();
    });
    connect(routerChoice_, &QComboBox::currentIndexChanged, this, &ConvergencePanel::drawMix);

    valueAxis(tr("step"), lines_, Qt::AlignBottom)->setLabelFormat(QStringLiteral("%d"));
    valueAxis(tr("cumulative regret"), lines_, Qt::AlignLeft);
    lines_->legend()->setAlignment(Qt::AlignRight);
    addChartView(lines_, 3);
    valueAxis(tr("step"), mix_, Qt::AlignBottom)->setLabelFormat(QStringLiteral("%d"));
    valueAxis(tr("share"), mix_, Qt::AlignLeft)->setRange(0, 1);
    mix_->legend()->setAlignment(Qt::AlignRight);
    addChartView(mix_, 2);
    setNote(tr("Run an experiment to see how each router learns."));
}

void ConvergencePanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    results_ = std::move(results);
    const QString current = routerChoice_->currentText();
    QStringList names;
    for (const RouterSeries& s : results_->series)
        if (!s.selection.steps.empty())
            names << s.name;
    if (names != [&] {
            QStringList items;
            for (int i = 0; i < routerChoice_->count(); ++i)
                items << routerChoice_->itemText(i);
            return items;
        }()) {
        const QSignalBlocker block(routerChoice_);
        routerChoice_->clear();
        routerChoice_->addItems(names);
        const int keep = names.indexOf(current);
        routerChoice_->setCurrentIndex(keep >= 0 ? keep : 0);
        drawnMixFor_.clear();
    }
    drawLines();
    mixTimer_->start();
    const bool any = std::any_of(results_->series.begin(), results_->series.end(),
                                 [](const RouterSeries& s) { return s.seeds > 0; });
    setNote(any ? tr("Mean over the seeds finished so far; regret is the reward the oracle would "
                     "have added. Lower and flatter is better.")
                : tr("Run an experiment to see how each router learns."));
}

void ConvergencePanel::drawLines() {
    const bool regret = measure_->currentIndex() == 0;
    const auto valuesOf = [&](const RouterSeries& s) -> const std::vector<double>& {
        return regret ? s.cumulativeRegret : s.cumulativeReward;
    };
    // The upper bound's regret is zero by definition: a flat line on the axis.
    const QString upperBound = RouterRegistry::instance().upperBound().name;
    QStringList names;
    std::vector<int> shown; // indices into results_->series, in the order of `names`
    for (int i = 0; i < static_cast<int>(results_->series.size()); ++i) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(i)];
        if (s.seeds > 0 && !valuesOf(s).empty() &&
            !(regret && routerOfName(s.name) == upperBound)) {
            names << s.name;
            shown.push_back(i);
        }
    }
    // Series already drawn keep their place and get new points; a different set starts over.
    if (names.mid(0, drawnNames_.size()) != drawnNames_) {
        lines_->removeAllSeries();
        drawnNames_.clear();
        drawnSeeds_.clear();
        lines_->axes(Qt::Vertical)
            .first()
            ->setTitleText(regret ? tr("cumulative regret") : tr("cumulative reward"));
    }

    // The axes first and only when their rounded range moves: a range change recomputes every
    // series on the chart, so the series' own updates below are then the only other cost.
    double xMax = 1, yMin = INFINITY, yMax = -INFINITY;
    for (const int i : shown) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(i)];
        const std::vector<double>& values = valuesOf(s);
        const auto [low, high] = std::minmax_element(values.begin(), values.end());
        yMin = std::min(yMin, *low);
        yMax = std::max(yMax, *high);
        xMax = std::max(xMax, double(s.stepAt(values.size() - 1)));
    }
    if (!shown.empty()) {
        // Padded, but not below zero when nothing is: cumulative values start there.
        const double pad = (yMax - yMin) * 0.04;
        setNiceRange(static_cast<QValueAxis*>(lines_->axes(Qt::Horizontal).first()), 0, xMax);
        setNiceRange(static_cast<QValueAxis*>(lines_->axes(Qt::Vertical).first()),
                     yMin >= 0 ? std::max(0.0, yMin - pad) : yMin - pad, yMax + pad);
    }

    for (std::size_t n = 0; n < shown.size(); ++n) {
        const int index = shown[n];
        const RouterSeries& s = results_->series[static_cast<std::size_t>(index)];
        if (n < static_cast<std::size_t>(drawnNames_.size())) {
            // A line changes only when one of its seeds finishes.
            if (drawnSeeds_[n] != s.seeds) {
                static_cast<QLineSeries*>(lines_->series().at(static_cast<int>(n)))
                    ->replace(chartPoints(valuesOf(s), s.steps, kMaxPoints));
                drawnSeeds_[n] = s.seeds;
            }
            continue;
        }
        auto* line = new QLineSeries(lines_);
        line->setName(s.name);
        QPen pen(routerColor(index), s.reference ? 1.5 : 2.2);
        if (s.reference)
            pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        // Joins the chart empty, so adding it and attaching the axes compute no outline; the
        // points then cost one geometry pass.
        lines_->addSeries(line);
        for (QAbstractAxis* axis : lines_->axes())
            line->attachAxis(axis);
        line->replace(chartPoints(valuesOf(s), s.steps, kMaxPoints));
        drawnNames_ << s.name;
        drawnSeeds_.push_back(s.seeds);
    }
}

void ConvergencePanel::finishDrawing() {
    if (mixTimer_->isActive())
        drawMix();
}

void ConvergencePanel::drawMix() {
    mixTimer_->stop();
    const QString name = routerChoice_->currentText();
    const RouterSeries* series = nullptr;
    for (const RouterSeries& s : results_->series)
        if (s.name == name)
            series = &s;
    if (!series || series->selection.steps.empty()) {
        mix_->removeAllSeries();
        drawnMixFor_.clear();
        mix_->setTitle(QString());
        return;
    }
    const SelectionTrace& trace = series->selection;
    // A router's trace comes with its first seed and does not change after.
    if (drawnMixFor_ == name && drawnMixFromRouter_ == trace.fromRouter)
        return;
    drawnMixFor_ = name;
    drawnMixFromRouter_ = trace.fromRouter;
    mix_->removeAllSeries();
    mix_->setTitle(trace.fromRouter
                       ? tr("%1: selection probabilities (seed 1)").arg(name)
                       : tr("%1: share of each model among its choices (seed 1)").arg(name));
    setNiceRange(static_cast<QValueAxis*>(mix_->axes(Qt::Horizontal).first()), 0,
                 std::max(1, trace.steps.back()));
    // Stacked areas, bottom model first; each joins the chart empty (see drawLines).
    const int models = static_cast<int>(trace.shares.front().size());
    for (int k = 0; k < models; ++k) {
        QList<QPointF> lowerPoints, upperPoints;
        for (std::size_t i = 0; i < trace.steps.size(); ++i) {
            double below = 0;
            for (int j = 0; j < k; ++j)
                below += trace.shares[i][static_cast<std::size_t>(j)];
            lowerPoints.append(QPointF(trace.steps[i], below));
            upperPoints.append(
                QPointF(trace.steps[i], below + trace.shares[i][static_cast<std::size_t>(k)]));
        }
        auto* lower = new QLineSeries;
        auto* upper = new QLineSeries;
        auto* area = new QAreaSeries(upper, lower);
        // The area does not own its lines; parented to it, they go when the chart drops it.
        lower->setParent(area);
        upper->setParent(area);
        area->setName(k < results_->models.size() ? results_->models[k] : QString::number(k));
        const QColor color = routerColor(k + 3);
        area->setColor(color);
        area->setBorderColor(color.darker(130));
        mix_->addSeries(area);
        for (QAbstractAxis* axis : mix_->axes())
            area->attachAxis(axis);
        lower->replace(lowerPoints);
        upper->replace(upperPoints);
    }
}

CsvTable ConvergencePanel::table() const {
    CsvTable csv({QStringLiteral("series"), QStringLiteral("router"), QStringLiteral("step"),
                  QStringLiteral("model"), QStringLiteral("value")});
    for (const RouterSeries& s : results_->series) {
        const auto add = [&](const QString& what, const std::vector<double>& values) {
            for (const QPointF& p : chartPoints(values, s.steps, 2000))
                csv.addRow({what, s.name, QString::number(qint64(p.x())), QString(),
                            CsvTable::number(p.y())});
        };
        add(QStringLiteral("cumulative_reward"), s.cumulativeReward);
        add(QStringLiteral("cumulative_regret"), s.cumulativeRegret);
        const QString what = s.selection.fromRouter ? QStringLiteral("selection_probability")
                                                    : QStringLiteral("selection_share");
        for (std::size_t i = 0; i < s.selection.steps.size(); ++i)
            for (std::size_t k = 0; k < s.selection.shares[i].size(); ++k)
                csv.addRow({what, s.name, QString::number(s.selection.steps[i]),
                            k < static_cast<std::size_t>(results_->models.size())
                                ? results_->models[static_cast<int>(k)]
                                : QString::number(k),
                            CsvTable::number(s.selection.shares[i][k])});
    }
    return csv;
}

} // namespace routerlab
