#include "ui/charts/pareto_panel.h"

#include "metrics/pareto.h"
#include "routers/router_registry.h"

#include <QAreaSeries>
#include <QChart>
#include <QJsonArray>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>
#include <cmath>

namespace routerlab {

namespace {

struct NamedPoint {
    QString name;
    CostQualityPoint point;
};

std::vector<NamedPoint> singleModels(const QJsonObject& sweep) {
    std::vector<NamedPoint> out;
    for (const QJsonValue& v : sweep.value(QStringLiteral("models")).toArray()) {
        const QJsonObject o = v.toObject();
        out.push_back({o.value(QStringLiteral("name")).toString(),
                       {o.value(QStringLiteral("cost_usd")).toDouble(),
                        o.value(QStringLiteral("quality")).toDouble()}});
    }
    return out;
}

std::vector<CostQualityPoint> curvePoints(const QJsonObject& curve) {
    std::vector<CostQualityPoint> out;
    for (const QJsonValue& v : curve.value(QStringLiteral("points")).toArray()) {
        const QJsonObject o = v.toObject();
        if (o.contains(QStringLiteral("cost_usd")))
            out.push_back({o.value(QStringLiteral("cost_usd")).toDouble(),
                           o.value(QStringLiteral("quality")).toDouble()});
    }
    return out;
}

void hideFromLegend(QChart* chart, QAbstractSeries* series) {
    for (QLegendMarker* marker : chart->legend()->markers(series))
        marker->setVisible(false);
}

// The plane's two axes; every series is drawn against both.
struct PlaneAxes {
    QChart* chart;
    QLogValueAxis* cost;
    QValueAxis* quality;

    void attach(QAbstractSeries* series) const {
        chart->addSeries(series);
        series->attachAxis(cost);
        series->attachAxis(quality);
    }
};

PlaneAxes addAxes(QChart* chart) {
    auto* costAxis = new QLogValueAxis(chart);
    costAxis->setBase(10);
    costAxis->setTitleText(ParetoPanel::tr("mean cost per call, USD (log scale)"));
    costAxis->setLabelFormat(QStringLiteral("%.2g"));
    costAxis->setMinorTickCount(8);
    auto* qualityAxis = new QValueAxis(chart);
    qualityAxis->setTitleText(ParetoPanel::tr("mean quality"));
    chart->addAxis(costAxis, Qt::AlignBottom);
    chart->addAxis(qualityAxis, Qt::AlignLeft);
    return {chart, costAxis, qualityAxis};
}

// What the drawn points span (a log axis leaves out costs of zero).
struct PlaneExtent {
    double costMin = INFINITY, costMax = 0, qualityMin = 1, qualityMax = 0;

    void extend(const CostQualityPoint& p) {
        if (!(p.cost > 0) || !std::isfinite(p.quality))
            return;
        costMin = std::min(costMin, p.cost);
        costMax = std::max(costMax, p.cost);
        qualityMin = std::min(qualityMin, p.quality);
        qualityMax = std::max(qualityMax, p.quality);
    }
    bool empty() const { return !(costMax > 0); }
};

// Where the axes end: the hull's area reaches the right edge and the bottom.
struct PlaneRange {
    double costHigh = 0;
    double qualityBottom = 0;
};

PlaneRange fitAxes(const PlaneAxes& axes, PlaneExtent extent) {
    if (extent.empty()) // a plausible empty plane until there is something to show
        extent = {1e-4, 1e-2, 0, 1};
    const double low = extent.costMin / 1.8, high = extent.costMax * 1.8;
    const double qualityPad = std::max(0.02, (extent.qualityMax - extent.qualityMin) * 0.08);
    const double bottom = std::max(0.0, extent.qualityMin - qualityPad);
    axes.cost->setRange(low, high);
    axes.quality->setRange(bottom, std::min(1.0, extent.qualityMax + qualityPad));
    return {high, bottom};
}

void drawHull(const PlaneAxes& axes, const std::vector<CostQualityPoint>& achievable,
              const PlaneRange& range) {
    std::vector<CostQualityPoint> positive;
    for (const CostQualityPoint& p : achievable)
        if (p.cost > 0)
            positive.push_back(p);
    const std::vector<CostQualityPoint> hull = upperConvexHull(positive);
    if (hull.size() < 2)
        return;
    // Owned by the area (a QAreaSeries does not own its bounds), so that clearing the chart
    // deletes them with it instead of leaving two series per redraw.
    auto* upper = new QLineSeries;
    auto* lower = new QLineSeries;
    for (const CostQualityPoint& p : hull) {
        upper->append(p.cost, p.quality);
        lower->append(p.cost, range.qualityBottom);
    }
    upper->append(range.costHigh, hull.back().quality); // a larger budget can stay unspent
    lower->append(range.costHigh, range.qualityBottom);
    auto* area = new QAreaSeries(upper, lower);
    upper->setParent(area);
    lower->setParent(area);
    area->setName(ParetoPanel::tr("non-dominated hull"));
    area->setColor(QColor(46, 139, 87, 45));
    area->setBorderColor(QColor(46, 139, 87, 140));
    axes.attach(area);
}

// One line per router's sweep, AIQ in the legend; the upper bound dashed grey.
void drawCurves(const PlaneAxes& axes, const std::vector<QJsonObject>& curves,
                const QString& upperBound) {
    for (int i = 0; i < static_cast<int>(curves.size()); ++i) {
        const QJsonObject& c = curves[static_cast<std::size_t>(i)];
        const QString name = c.value(QStringLiteral("name")).toString();
        const bool bound = routerOfName(name) == upperBound;
        auto* line = new QLineSeries(axes.chart);
        const double aiqValue = c.value(QStringLiteral("aiq")).toDouble(NAN);
        line->setName(std::isfinite(aiqValue)
                          ? QStringLiteral("%1 (AIQ %2)").arg(name).arg(aiqValue, 0, 'f', 3)
                          : name);
        QPen pen(bound ? QColor(60, 60, 60) : routerColor(i), bound ? 1.5 : 2);
        if (bound)
            pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        line->setPointsVisible(true);
        for (const CostQualityPoint& p : curvePoints(c))
            if (p.cost > 0)
                line->append(p.cost, p.quality);
        axes.attach(line);
    }
}

// A labelled dot per model; one legend entry for them all.
void drawSingleModels(const PlaneAxes& axes, const std::vector<NamedPoint>& models) {
    for (std::size_t m = 0; m < models.size(); ++m) {
        if (!(models[m].point.cost > 0))
            continue;
        auto* dot = new QScatterSeries(axes.chart);
        dot->setName(ParetoPanel::tr("single models"));
        dot->setMarkerSize(9);
        dot->setColor(QColor(90, 90, 90));
        dot->setBorderColor(Qt::white);
        dot->append(models[m].point.cost, models[m].point.quality);
        // A literal format: the label is the model's name.
        dot->setPointLabelsFormat(models[m].name);
        dot->setPointLabelsVisible(true);
        dot->setPointLabelsClipping(false);
        dot->setPointLabelsColor(QColor(50, 50, 50));
        axes.attach(dot);
        if (m > 0)
            hideFromLegend(axes.chart, dot);
    }
}

// A square per router in its curve's colour, named so that a slider move can replace its
// point without a redraw.
void drawOperatingPoints(const PlaneAxes& axes,
                         const std::vector<ParetoPanel::OperatingPoint>& points,
                         const std::vector<QJsonObject>& curves) {
    for (std::size_t i = 0; i < points.size(); ++i) {
        const ParetoPanel::OperatingPoint& p = points[i];
        if (!(p.costUsd > 0))
            continue;
        auto* marker = new QScatterSeries(axes.chart);
        marker->setObjectName(QStringLiteral("operatingPoint"));
        marker->setProperty("router", p.router);
        marker->setName(ParetoPanel::tr("slider's operating point"));
        marker->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        marker->setMarkerSize(13);
        int colorIndex = 0;
        for (int c = 0; c < static_cast<int>(curves.size()); ++c)
            if (curves[static_cast<std::size_t>(c)].value(QStringLiteral("name")).toString() ==
                p.router)
                colorIndex = c;
        marker->setColor(routerColor(colorIndex));
        marker->setBorderColor(Qt::black);
        marker->append(p.costUsd, p.quality);
        axes.attach(marker);
        if (i > 0)
            hideFromLegend(axes.chart, marker);
    }
}

} // namespace

ParetoPanel::ParetoPanel(QWidget* parent)
    : ChartPanel(tr("Pareto frontier"), QStringLiteral("pareto"), parent), chart_(new QChart) {
    chart_->legend()->setAlignment(Qt::AlignRight);
    addChartView(chart_);
    redraw();
}

void ParetoPanel::setResults(std::shared_ptr<const ExperimentResults> results) {
    results_ = std::move(results);
    redraw();
}

void ParetoPanel::showEvent(QShowEvent* event) {
    if (stale_)
        redraw();
    ChartPanel::showEvent(event);
}

void ParetoPanel::setOperatingPoints(const std::vector<OperatingPoint>& points) {
    operatingPoints_ = points;
    if (!isVisible()) { // the slider drags 30+ times a second: draw when looked at
        stale_ = true;
        return;
    }
    // Only the slider's markers move: replace their points, keep the rest of the chart.
    for (QAbstractSeries* s : chart_->series()) {
        if (s->objectName() != QLatin1String("operatingPoint"))
            continue;
        auto* scatter = static_cast<QScatterSeries*>(s);
        QList<QPointF> replaced;
        for (const OperatingPoint& p : operatingPoints_)
            if (p.router == scatter->property("router").toString() && p.costUsd > 0)
                replaced.append(QPointF(p.costUsd, p.quality));
        if (scatter->property("router").toString().isEmpty() || replaced.size() != 1) {
            redraw();
            return;
        }
        scatter->replace(replaced);
    }
    // series() returns a copy: one list, not two temporaries, for begin() and end().
    const QList<QAbstractSeries*> series = chart_->series();
    if (!operatingPoints_.empty() &&
        std::none_of(series.begin(), series.end(), [](QAbstractSeries* s) {
            return s->objectName() == QLatin1String("operatingPoint");
        }))
        redraw();
}

void ParetoPanel::setRepricedModels(const QJsonArray& models) {
    if (models == repricedModels_)
        return;
    repricedModels_ = models;
    redraw();
}

void ParetoPanel::redraw() {
    stale_ = false;
    clearChart(chart_);
    const PlaneAxes axes = addAxes(chart_);
    const std::vector<NamedPoint> models = singleModels(
        repricedModels_.isEmpty() ? results_->sweep
                                  : QJsonObject{{QStringLiteral("models"), repricedModels_}});
    const std::vector<QJsonObject> curves = results_->sweepCurves();
    const QString upperBound = RouterRegistry::instance().upperBound().name;

    // Single models and router points are achievable; the upper bound reads hindsight.
    PlaneExtent extent;
    std::vector<CostQualityPoint> achievable;
    for (const NamedPoint& m : models) {
        achievable.push_back(m.point);
        extent.extend(m.point);
    }
    for (const QJsonObject& c : curves) {
        const std::vector<CostQualityPoint> points = curvePoints(c);
        for (const CostQualityPoint& p : points)
            extent.extend(p);
        if (routerOfName(c.value(QStringLiteral("name")).toString()) != upperBound)
            achievable.insert(achievable.end(), points.begin(), points.end());
    }
    for (const OperatingPoint& p : operatingPoints_)
        extent.extend({p.costUsd, p.quality});

    const PlaneRange range = fitAxes(axes, extent);
    // The shaded hull first, so points and curves draw over it.
    drawHull(axes, achievable, range);
    drawCurves(axes, curves, upperBound);
    drawSingleModels(axes, models);
    drawOperatingPoints(axes, operatingPoints_, curves);
    setNote(extent.empty()
                ? tr("Run an experiment (its sweep part) or open a sweep result to see the "
                     "frontier.")
                : tr("Each curve is one router swept from all-quality (right) to all-cost "
                     "(left). Squares: where the preference slider puts each router."));
}

CsvTable ParetoPanel::table() const {
    CsvTable csv({QStringLiteral("kind"), QStringLiteral("name"), QStringLiteral("quality_weight"),
                  QStringLiteral("cost_weight"), QStringLiteral("latency_weight"),
                  QStringLiteral("cost_usd"), QStringLiteral("quality")});
    for (const NamedPoint& m : singleModels(results_->sweep))
        csv.addRow({QStringLiteral("model"),
                    m.name,
                    {},
                    {},
                    {},
                    CsvTable::number(m.point.cost),
                    CsvTable::number(m.point.quality)});
    const QString upperBound = RouterRegistry::instance().upperBound().name;
    for (const QJsonObject& c : results_->sweepCurves()) {
        const QString name = c.value(QStringLiteral("name")).toString();
        for (const QJsonValue& v : c.value(QStringLiteral("points")).toArray()) {
            const QJsonObject o = v.toObject();
            if (!o.contains(QStringLiteral("cost_usd")))
                continue;
            const QJsonObject w = o.value(QStringLiteral("preference")).toObject();
            // The upper bound is a kind of its own, spelled by its name.
            csv.addRow({routerOfName(name) == upperBound ? upperBound : QStringLiteral("router"),
                        name, CsvTable::number(w.value(QStringLiteral("quality")).toDouble()),
                        CsvTable::number(w.value(QStringLiteral("cost")).toDouble()),
                        CsvTable::number(w.value(QStringLiteral("latency")).toDouble()),
                        CsvTable::number(o.value(QStringLiteral("cost_usd")).toDouble()),
                        CsvTable::number(o.value(QStringLiteral("quality")).toDouble())});
        }
    }
    for (const OperatingPoint& p : operatingPoints_)
        csv.addRow({QStringLiteral("operating_point"),
                    p.router,
                    {},
                    {},
                    {},
                    CsvTable::number(p.costUsd),
                    CsvTable::number(p.quality)});
    return csv;
}

} // namespace routerlab
