#include "ui/charts/convergence_panel.h"

#include "routers/router_registry.h"
#include "ui/charts/chart_tips.h"
#include "ui/charts/interval_text.h"
#include "ui/charts/series_sampling.h"

#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

// Per line: a point every 5-6 pixels of a full-width chart, plenty for curves this smooth.
// Qt Charts strokes each line's outline whenever its geometry changes (every streamed update,
// every resize), at a cost that grows with the points: this bounds a redraw.
constexpr int kMaxConvergencePoints = 160;
// Per model's stacked area in the selection chart (two outlines each).
constexpr std::size_t kMaxMixPoints = 100;

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
    addChartView(lines_, 3);
    linesLegend_ = addLegend(lines_);
    valueAxis(tr("step"), mix_, Qt::AlignBottom)->setLabelFormat(QStringLiteral("%d"));
    // Three ticks: the chart is short, and Qt leaves out labels that do not fit.
    setNiceRange(valueAxis(tr("share"), mix_, Qt::AlignLeft), 0, 1, 3);
    addChartView(mix_, 2);
    mixLegend_ = addLegend(mix_);
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
    setNote(any ? tr("Mean over seeds; band: its 95% interval (two or more seeds). Regret: the "
                     "reward the oracle would have added. Lower and flatter is better.")
                : tr("Run an experiment to see how each router learns."));
}

// One router's curve and the band of the 95% interval of its mean over seeds.
struct BandedCurve {
    const std::vector<double>& mean;
    std::vector<double> half; // empty: one seed, no band

    double low(std::size_t i) const { return mean[i] - (half.empty() ? 0.0 : half[i]); }
    double high(std::size_t i) const { return mean[i] + (half.empty() ? 0.0 : half[i]); }
    // The band's lower (sign -1) or upper (+1) edge over the steps; empty without a band.
    std::vector<double> edge(double sign) const {
        std::vector<double> out(half.size());
        for (std::size_t i = 0; i < half.size(); ++i)
            out[i] = mean[i] + sign * half[i];
        return out;
    }
};

namespace {

BandedCurve bandedCurve(const RouterSeries& s, bool regret) {
    const std::vector<double>& mean = regret ? s.cumulativeRegret : s.cumulativeReward;
    const std::vector<double>& m2 = regret ? s.cumulativeRegretM2 : s.cumulativeRewardM2;
    BandedCurve out{mean, {}};
    // The references' bands would bury the routers' in overlap; their spread is in the
    // Comparison page's intervals.
    if (!s.reference && m2.size() == mean.size())
        out.half = seedHalfWidths(m2, s.seeds);
    return out;
}

// Under a curve's tooltip: how many seeds its mean and band stand on.
QString seedNote(const RouterSeries& s) {
    return s.seeds > 1 ? ConvergencePanel::tr("mean over %1 seeds; band: 95% interval").arg(s.seeds)
                       : ConvergencePanel::tr("one seed, no interval yet");
}

void drawBand(QAreaSeries* band, const BandedCurve& curve, const std::vector<int>& steps) {
    band->lowerSeries()->replace(chartPoints(curve.edge(-1), steps, kMaxConvergencePoints));
    band->upperSeries()->replace(chartPoints(curve.edge(+1), steps, kMaxConvergencePoints));
}

} // namespace

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
        drawnLines_.clear();
        drawnBands_.clear();
        lines_->axes(Qt::Vertical)
            .first()
            ->setTitleText(regret ? tr("cumulative regret") : tr("cumulative reward"));
    }

    // The axes first and only when their rounded range moves: a range change recomputes every
    // series on the chart, so the series' own updates below are then the only other cost.
    double xMax = 1, yMin = INFINITY, yMax = -INFINITY, meanMin = INFINITY;
    for (const int i : shown) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(i)];
        const BandedCurve curve = bandedCurve(s, regret);
        for (std::size_t k = 0; k < curve.mean.size(); ++k) {
            yMin = std::min(yMin, curve.low(k));
            yMax = std::max(yMax, curve.high(k));
            meanMin = std::min(meanMin, curve.mean[k]);
        }
        xMax = std::max(xMax, double(s.stepAt(curve.mean.size() - 1)));
    }
    if (!shown.empty()) {
        // Padded, but not below zero when no curve is: cumulative values start there, and a
        // band reaching below zero early on says only that few steps are known.
        const double pad = (yMax - yMin) * 0.04;
        setNiceRange(static_cast<QValueAxis*>(lines_->axes(Qt::Horizontal).first()), 0, xMax);
        setNiceRange(static_cast<QValueAxis*>(lines_->axes(Qt::Vertical).first()),
                     meanMin >= 0 ? std::max(0.0, yMin - pad) : yMin - pad, yMax + pad);
    }

    const std::size_t drawn = static_cast<std::size_t>(drawnNames_.size());
    for (std::size_t n = 0; n < std::min(drawn, shown.size()); ++n) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(shown[n])];
        // A line changes only when one of its seeds finishes.
        if (drawnSeeds_[n] != s.seeds) {
            drawnLines_[n]->replace(chartPoints(valuesOf(s), s.steps, kMaxConvergencePoints));
            drawBand(drawnBands_[n], bandedCurve(s, regret), s.steps);
            setSeriesNote(drawnLines_[n], seedNote(s));
            setSeriesNote(drawnBands_[n], seedNote(s));
            drawnSeeds_[n] = s.seeds;
        }
    }
    if (shown.size() <= drawn) {
        linesLegend_->refresh();
        return;
    }
    // New routers: their bands, then every line again on top, so that no band veils a line.
    // Fainter bands when many overlap (runs side by side), so the lines stay readable.
    const int banded = static_cast<int>(std::count_if(shown.begin(), shown.end(), [&](int i) {
        return !results_->series[static_cast<std::size_t>(i)].reference;
    }));
    const int alpha = std::clamp(240 / std::max(1, banded), 18, 48);
    for (std::size_t n = drawn; n < shown.size(); ++n)
        addBand(shown[n], bandedCurve(results_->series[static_cast<std::size_t>(shown[n])], regret),
                alpha);
    for (QLineSeries* line : drawnLines_) {
        lines_->removeSeries(line);
        attach(line);
    }
    for (std::size_t n = drawn; n < shown.size(); ++n) {
        const RouterSeries& s = results_->series[static_cast<std::size_t>(shown[n])];
        addLine(shown[n], valuesOf(s));
    }
    linesLegend_->refresh();
}

// Joins the chart empty where it can, so adding it and attaching the axes compute no outline;
// the points then cost one geometry pass.
void ConvergencePanel::attach(QAbstractSeries* series) {
    lines_->addSeries(series);
    for (QAbstractAxis* axis : lines_->axes())
        series->attachAxis(axis);
}

void ConvergencePanel::addBand(int index, const BandedCurve& curve, int alpha) {
    const RouterSeries& s = results_->series[static_cast<std::size_t>(index)];
    // Empty while one seed is in.
    auto* lower = new QLineSeries;
    auto* upper = new QLineSeries;
    auto* band = new QAreaSeries(upper, lower);
    // The area does not own its lines; parented to it, they go when the chart drops it.
    lower->setParent(band);
    upper->setParent(band);
    band->setObjectName(QStringLiteral("seedBand"));
    band->setProperty("router", s.name);
    band->setName(tr("%1: 95% interval over seeds").arg(s.name));
    QColor fill = routerColor(index);
    fill.setAlpha(alpha);
    band->setColor(fill);
    band->setPen(Qt::NoPen);
    attach(band);
    hideFromLegend(lines_, band);
    drawBand(band, curve, s.steps);
    setSeriesNote(band, seedNote(s));
    drawnBands_.push_back(band);
}

void ConvergencePanel::addLine(int index, const std::vector<double>& values) {
    const RouterSeries& s = results_->series[static_cast<std::size_t>(index)];
    auto* line = new QLineSeries(lines_);
    line->setName(s.name);
    QPen pen(routerColor(index), s.reference ? 1.5 : 2.2);
    if (s.reference)
        pen.setStyle(Qt::DashLine);
    line->setPen(pen);
    attach(line);
    line->replace(chartPoints(values, s.steps, kMaxConvergencePoints));
    setSeriesNote(line, seedNote(s));
    drawnNames_ << s.name;
    drawnSeeds_.push_back(s.seeds);
    drawnLines_.push_back(line);
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
        mixLegend_->refresh();
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
    const std::size_t samples = trace.steps.size();
    const std::size_t stride = (samples + kMaxMixPoints - 1) / kMaxMixPoints;
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < samples; i += stride)
        shown.push_back(i);
    if (shown.back() != samples - 1)
        shown.push_back(samples - 1);
    for (int k = 0; k < models; ++k) {
        QList<QPointF> lowerPoints, upperPoints;
        for (const std::size_t i : shown) {
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
        markStacked(area);
        mix_->addSeries(area);
        for (QAbstractAxis* axis : mix_->axes())
            area->attachAxis(axis);
        lower->replace(lowerPoints);
        upper->replace(upperPoints);
    }
    mixLegend_->refresh();
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
        for (const bool regret : {false, true}) {
            const QString what =
                regret ? QStringLiteral("cumulative_regret") : QStringLiteral("cumulative_reward");
            const BandedCurve curve = bandedCurve(s, regret);
            add(what, curve.mean);
            if (curve.half.empty())
                continue;
            add(what + QStringLiteral("_ci95_low"), curve.edge(-1));
            add(what + QStringLiteral("_ci95_high"), curve.edge(+1));
        }
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
