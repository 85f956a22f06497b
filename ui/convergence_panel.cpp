#include "convergence_panel.h"

#include "series_sampling.h"

#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QTimer>
#include <QValueAxis>

namespace routerlab {

namespace {

constexpr int kMaxPoints = 400; // per line: plenty for a chart, cheap to redraw
constexpr int kSeriesPerTurn = 2;

QValueAxis* valueAxis(const QString& title, QChart* chart, Qt::Alignment alignment) {
    auto* axis = new QValueAxis(chart);
    axis->setTitleText(title);
    axis->setLabelFormat(QStringLiteral("%.4g"));
    chart->addAxis(axis, alignment);
    return axis;
}

void fitAxes(QChart* chart) {
    double xMax = 1, yMin = 0, yMax = 0;
    bool any = false;
    for (QAbstractSeries* s : chart->series()) {
        const auto* line = qobject_cast<QXYSeries*>(s);
        if (!line)
            continue;
        for (const QPointF& p : line->points()) {
            xMax = std::max(xMax, p.x());
            yMin = any ? std::min(yMin, p.y()) : p.y();
            yMax = any ? std::max(yMax, p.y()) : p.y();
            any = true;
        }
    }
    if (yMax <= yMin)
        yMax = yMin + 1;
    const QList<QAbstractAxis*> x = chart->axes(Qt::Horizontal);
    const QList<QAbstractAxis*> y = chart->axes(Qt::Vertical);
    if (!x.isEmpty()) {
        x.first()->setRange(0, xMax);
        static_cast<QValueAxis*>(x.first())->applyNiceNumbers();
    }
    if (!y.isEmpty()) {
        const double pad = (yMax - yMin) * 0.04;
        y.first()->setRange(yMin - pad, yMax + pad);
        static_cast<QValueAxis*>(y.first())->applyNiceNumbers();
    }
}

} // namespace

ConvergencePanel::ConvergencePanel(QWidget* parent)
    : ChartPanel(tr("Convergence"), QStringLiteral("convergence"), parent),
      measure_(new QComboBox(this)), routerChoice_(new QComboBox(this)), lines_(new QChart),
      mix_(new QChart) {
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
    drawMix();
    const bool any = std::any_of(results_->series.begin(), results_->series.end(),
                                 [](const RouterSeries& s) { return s.seeds > 0; });
    setNote(any ? tr("Mean over the seeds finished so far; regret is the reward the oracle would "
                     "have added. Lower and flatter is better.")
                : tr("Run an experiment to see how each router learns."));
}

void ConvergencePanel::drawLines() {
    const bool regret = measure_->currentIndex() == 0;
    QStringList names;
    for (const RouterSeries& s : results_->series)
        if (s.seeds > 0 && !(regret && s.name == QLatin1String("oracle")))
            names << s.name;
    // Series already drawn keep their place and get new points; a different set starts over.
    if (names.mid(0, drawnNames_.size()) != drawnNames_) {
        lines_->removeAllSeries();
        drawnNames_.clear();
        lines_->axes(Qt::Vertical)
            .first()
            ->setTitleText(regret ? tr("cumulative regret") : tr("cumulative reward"));
    }
    const auto pointsOf = [&](const RouterSeries& s) {
        return chartPoints(regret ? s.cumulativeRegret : s.cumulativeReward, s.steps, kMaxPoints);
    };
    for (QAbstractSeries* series : lines_->series()) {
        auto* line = static_cast<QLineSeries*>(series);
        for (const RouterSeries& s : results_->series)
            if (s.name == line->name())
                line->replace(pointsOf(s));
    }
    // Adding a series to a chart costs a layout pass: a few per event-loop turn keep the
    // window responsive while a run streams in.
    for (int created = 0; drawnNames_.size() < names.size() && created < kSeriesPerTurn;
         ++created) {
        const QString name = names[drawnNames_.size()];
        int index = 0;
        while (results_->series[static_cast<std::size_t>(index)].name != name)
            ++index;
        const RouterSeries& s = results_->series[static_cast<std::size_t>(index)];
        auto* line = new QLineSeries(lines_);
        line->setName(s.name);
        QPen pen(routerColor(index), s.reference ? 1.5 : 2.2);
        if (s.reference)
            pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        line->replace(pointsOf(s)); // before it joins the chart: one geometry pass
        lines_->addSeries(line);
        for (QAbstractAxis* axis : lines_->axes())
            line->attachAxis(axis);
        drawnNames_ << name;
    }
    fitAxes(lines_);
    if (drawnNames_.size() < names.size())
        QTimer::singleShot(0, this, &ConvergencePanel::drawLines);
}

void ConvergencePanel::drawMix() {
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
    const int models = static_cast<int>(trace.shares.front().size());
    if (drawnMixFor_ != name || drawnMixFromRouter_ != trace.fromRouter) {
        drawnMixFor_ = name;
        drawnMixFromRouter_ = trace.fromRouter;
        mix_->removeAllSeries();
        mix_->setTitle(trace.fromRouter
                           ? tr("%1: selection probabilities (seed 1)").arg(name)
                           : tr("%1: share of each model among its choices (seed 1)").arg(name));
        const QList<QAbstractAxis*> x = mix_->axes(Qt::Horizontal);
        x.first()->setRange(0, std::max(1, trace.steps.back()));
        static_cast<QValueAxis*>(x.first())->applyNiceNumbers();
    }
    // A router's trace comes with its first seed and does not change after; the areas are
    // added a few per event-loop turn, bottom model first.
    const int drawn = static_cast<int>(mix_->series().size());
    const int until = std::min(models, drawn + kSeriesPerTurn);
    for (int k = drawn; k < until; ++k) {
        auto* lower = new QLineSeries(mix_);
        auto* upper = new QLineSeries(mix_);
        QList<QPointF> lowerPoints, upperPoints;
        for (std::size_t i = 0; i < trace.steps.size(); ++i) {
            double below = 0;
            for (int j = 0; j < k; ++j)
                below += trace.shares[i][static_cast<std::size_t>(j)];
            lowerPoints.append(QPointF(trace.steps[i], below));
            upperPoints.append(
                QPointF(trace.steps[i], below + trace.shares[i][static_cast<std::size_t>(k)]));
        }
        lower->replace(lowerPoints);
        upper->replace(upperPoints);
        auto* area = new QAreaSeries(upper, lower);
        area->setName(k < results_->models.size() ? results_->models[k] : QString::number(k));
        const QColor color = routerColor(k + 3);
        area->setColor(color);
        area->setBorderColor(color.darker(130));
        mix_->addSeries(area);
        for (QAbstractAxis* axis : mix_->axes())
            area->attachAxis(axis);
    }
    if (until < models)
        QTimer::singleShot(0, this, &ConvergencePanel::drawMix);
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
