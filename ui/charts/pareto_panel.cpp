#include "ui/charts/pareto_panel.h"

#include "metrics/pareto.h"
#include "routers/router_registry.h"
#include "ui/charts/chart_tips.h"
#include "ui/charts/interval_text.h"
#include "ui/charts/point_labels.h"

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

// A point of the plane with its 95% intervals on both axes (invalid when unknown).
struct BarredPoint {
    CostQualityPoint point;
    Interval cost, quality;
};

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

std::vector<BarredPoint> barredCurvePoints(const QJsonObject& curve) {
    std::vector<BarredPoint> out;
    for (const QJsonValue& v : curve.value(QStringLiteral("points")).toArray()) {
        const QJsonObject o = v.toObject();
        if (o.contains(QStringLiteral("cost_usd")))
            out.push_back({{o.value(QStringLiteral("cost_usd")).toDouble(),
                            o.value(QStringLiteral("quality")).toDouble()},
                           intervalOf(o, QStringLiteral("cost_usd")),
                           intervalOf(o, QStringLiteral("quality"))});
    }
    return out;
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
    void extend(const BarredPoint& p) {
        extend(p.point);
        using Point = CostQualityPoint;
        if (p.cost.valid()) {
            extend(Point{p.cost.low, p.point.quality});
            extend(Point{p.cost.high, p.point.quality});
        }
        if (p.quality.valid()) {
            extend(Point{p.point.cost, p.quality.low});
            extend(Point{p.point.cost, p.quality.high});
        }
    }
    bool empty() const { return !(costMax > 0); }
};

// The error bars of a point as one polyline: across the cost interval, back to the point,
// then along the quality interval (retraced segments draw once). Empty without intervals.
QList<QPointF> errorBarPath(const BarredPoint& p) {
    QList<QPointF> path;
    const double x = p.point.cost, y = p.point.quality;
    if (!(x > 0))
        return path;
    // A log axis cannot show a cost of zero: the bar then stops at the point.
    if (p.cost.valid())
        path << QPointF(p.cost.low > 0 ? p.cost.low : x, y) << QPointF(p.cost.high, y);
    if (p.quality.valid())
        path << QPointF(x, y) << QPointF(x, p.quality.low) << QPointF(x, p.quality.high);
    return path;
}

// Error bars in `color`, one series per point (Qt Charts has no bar series for them), kept
// out of the legend; named so tests and the slider can find them.
void drawErrorBars(const PlaneAxes& axes, const std::vector<BarredPoint>& points,
                   const QColor& color, const QString& objectName, const QString& router) {
    for (const BarredPoint& p : points) {
        const QList<QPointF> path = errorBarPath(p);
        if (path.isEmpty())
            continue;
        auto* bar = new QLineSeries(axes.chart);
        bar->setObjectName(objectName);
        bar->setProperty("router", router);
        bar->setPen(QPen(color, 1.2));
        bar->setName(ParetoPanel::tr("95% intervals"));
        axes.attach(bar);
        hideFromLegend(axes.chart, bar);
        leaveOutOfTips(bar);
        bar->replace(path);
    }
}

// Where the axes end: the hull's area reaches the right edge and the bottom.
struct PlaneRange {
    double costHigh = 0;
    double qualityBottom = 0;
};

// Round ticks on both axes: whole decades of cost (at least three labels), quality in steps
// of 1, 2 or 5 times a power of ten within [0, 1].
PlaneRange fitAxes(const PlaneAxes& axes, PlaneExtent extent) {
    if (extent.empty()) // a plausible empty plane until there is something to show
        extent = {1e-4, 1e-2, 0, 1};
    const double qualityPad = std::max(0.02, (extent.qualityMax - extent.qualityMin) * 0.08);
    setDecadeRange(axes.cost, extent.costMin / 1.3, extent.costMax * 1.3);
    // One notation for every label: "%g" would write 1e-05 beside 0.0001.
    axes.cost->setLabelFormat(axes.cost->min() < 1e-4 ? QStringLiteral("%.0e")
                                                      : QStringLiteral("%g"));
    setNiceRange(axes.quality, std::max(0.0, extent.qualityMin - qualityPad),
                 std::min(1.0, extent.qualityMax + qualityPad));
    return {axes.cost->max(), axes.quality->min()};
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
    leaveOutOfTips(area); // its corners are the curves' and the models' points, which say more
    axes.attach(area);
}

// The plotted points of a sweep (cost above zero: the axis is logarithmic) and, for each,
// its tooltip: the preference it was run at, cost and quality with their 95% intervals, and
// the seeds behind it when not all of them finished.
QList<QPointF> sweepPoints(const QJsonObject& curve, QStringList& notes) {
    QList<QPointF> points;
    for (const QJsonValue& v : curve.value(QStringLiteral("points")).toArray()) {
        const QJsonObject o = v.toObject();
        const double cost = o.value(QStringLiteral("cost_usd")).toDouble();
        if (!o.contains(QStringLiteral("cost_usd")) || !(cost > 0))
            continue;
        const double quality = o.value(QStringLiteral("quality")).toDouble();
        points << QPointF(cost, quality);
        const QJsonObject w = o.value(QStringLiteral("preference")).toObject();
        QString note =
            ParetoPanel::tr("preference: quality %1 / cost %2\ncost per call $%3\nquality %4")
                .arg(w.value(QStringLiteral("quality")).toDouble(), 0, 'f', 2)
                .arg(w.value(QStringLiteral("cost")).toDouble(), 0, 'f', 2)
                .arg(withInterval(cost, intervalOf(o, QStringLiteral("cost_usd")), 'g', 3),
                     withInterval(quality, intervalOf(o, QStringLiteral("quality")), 'f', 3));
        if (o.contains(QStringLiteral("seeds_run")))
            note += ParetoPanel::tr("\nseeds finished: %1")
                        .arg(o.value(QStringLiteral("seeds_run")).toInt());
        notes << note;
    }
    return points;
}

// One line per router's sweep, AIQ in the legend; the upper bound dashed grey.
void drawCurves(const PlaneAxes& axes, const std::vector<QJsonObject>& curves,
                const QString& upperBound) {
    for (int i = 0; i < static_cast<int>(curves.size()); ++i) {
        const QJsonObject& c = curves[static_cast<std::size_t>(i)];
        const QString name = c.value(QStringLiteral("name")).toString();
        const bool bound = routerOfName(name) == upperBound;
        auto* line = new QLineSeries(axes.chart);
        QStringList notes;
        const double aiqValue = c.value(QStringLiteral("aiq")).toDouble(NAN);
        line->setName(std::isfinite(aiqValue)
                          ? QStringLiteral("%1 (AIQ %2)").arg(name).arg(aiqValue, 0, 'f', 3)
                          : name);
        QPen pen(bound ? QColor(60, 60, 60) : routerColor(i), bound ? 1.5 : 2);
        if (bound)
            pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        line->setPointsVisible(true);
        line->setProperty("router", name);
        line->append(sweepPoints(c, notes));
        setPointNotes(line, notes);
        axes.attach(line);
        drawErrorBars(axes, barredCurvePoints(c), pen.color(), QStringLiteral("sweepErrorBar"),
                      name);
    }
}

// A dot per model, its name placed by `labels`; one legend entry for them all.
void drawSingleModels(const PlaneAxes& axes, const std::vector<NamedPoint>& models,
                      PointLabels* labels) {
    auto* dots = new QScatterSeries(axes.chart);
    dots->setObjectName(QStringLiteral("singleModels"));
    dots->setName(ParetoPanel::tr("single models"));
    dots->setMarkerSize(9);
    dots->setColor(QColor(90, 90, 90));
    dots->setBorderColor(Qt::white);
    for (const NamedPoint& m : models) {
        if (!(m.point.cost > 0))
            continue;
        dots->append(m.point.cost, m.point.quality);
        labels->addLabel(m.name, {QPointF(m.point.cost, m.point.quality), dots->markerSize()});
    }
    axes.attach(dots);
}

QString operatingNote(const ParetoPanel::OperatingPoint& p) {
    return ParetoPanel::tr("slider's operating point\ncost per call $%1\nquality %2")
        .arg(withInterval(p.costUsd, p.costCi, 'g', 3),
             withInterval(p.quality, p.qualityCi, 'f', 3));
}

BarredPoint barredOf(const ParetoPanel::OperatingPoint& p) {
    return {{p.costUsd, p.quality}, p.costCi, p.qualityCi};
}

// A square per router in its curve's colour, named so that a slider move can replace its
// point without a redraw.
void drawOperatingPoints(const PlaneAxes& axes,
                         const std::vector<ParetoPanel::OperatingPoint>& points,
                         const std::vector<QJsonObject>& curves) {
    bool inLegend = false; // one entry for them all
    for (std::size_t i = 0; i < points.size(); ++i) {
        const ParetoPanel::OperatingPoint& p = points[i];
        if (!(p.costUsd > 0))
            continue;
        auto* marker = new QScatterSeries(axes.chart);
        marker->setObjectName(QStringLiteral("operatingPoint"));
        marker->setProperty("router", p.router);
        marker->setName(ParetoPanel::tr("slider's operating point"));
        marker->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
        marker->setMarkerSize(ParetoPanel::kOperatingPointSize);
        int colorIndex = 0;
        for (int c = 0; c < static_cast<int>(curves.size()); ++c)
            if (curves[static_cast<std::size_t>(c)].value(QStringLiteral("name")).toString() ==
                p.router)
                colorIndex = c;
        marker->setColor(routerColor(colorIndex));
        marker->setBorderColor(Qt::black);
        marker->append(p.costUsd, p.quality);
        setLegendKey(marker, marker->name());
        setPointNotes(marker, {operatingNote(p)});
        drawErrorBars(axes, {barredOf(p)}, routerColor(colorIndex).darker(140),
                      QStringLiteral("operatingPointBar"), p.router);
        axes.attach(marker);
        if (inLegend)
            hideFromLegend(axes.chart, marker);
        inLegend = true;
    }
    // The legend's entry for the squares hides their bars with them.
    for (QAbstractSeries* s : axes.chart->series())
        if (s->objectName() == QLatin1String("operatingPointBar"))
            setLegendKey(s, ParetoPanel::tr("slider's operating point"));
}

} // namespace

ParetoPanel::ParetoPanel(QWidget* parent)
    : ChartPanel(tr("Pareto frontier"), QStringLiteral("pareto"), parent), chart_(new QChart),
      labels_(new PointLabels(chart_)) {
    addChartView(chart_);
    legend_ = addLegend(chart_);
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

void ParetoPanel::changeEvent(QEvent* event) {
    ChartPanel::changeEvent(event); // the chart takes the palette's colours, then its labels
    if (event->type() == QEvent::PaletteChange)
        labels_->place();
}

void ParetoPanel::setOperatingPoints(const std::vector<OperatingPoint>& points) {
    operatingPoints_ = points;
    if (!isVisible()) { // the slider drags 30+ times a second: draw when looked at
        stale_ = true;
        return;
    }
    // A point beyond the axes needs them widened: drawn again.
    PlaneExtent extent;
    for (const OperatingPoint& p : operatingPoints_)
        extent.extend(barredOf(p));
    const auto* cost = qobject_cast<QLogValueAxis*>(chart_->axes(Qt::Horizontal).value(0));
    const auto* quality = qobject_cast<QValueAxis*>(chart_->axes(Qt::Vertical).value(0));
    if (!extent.empty() &&
        (!cost || !quality || extent.costMin < cost->min() || extent.costMax > cost->max() ||
         extent.qualityMin < quality->min() || extent.qualityMax > quality->max())) {
        redraw();
        return;
    }
    // Only the slider's markers and their error bars move: replace their points, keep the rest
    // of the chart. Anything that does not match one to one is drawn again.
    const auto pointOf = [&](const QAbstractSeries* s) -> const OperatingPoint* {
        const QString router = s->property("router").toString();
        const OperatingPoint* found = nullptr;
        for (const OperatingPoint& p : operatingPoints_)
            if (p.router == router && p.costUsd > 0) {
                if (found)
                    return nullptr;
                found = &p;
            }
        return found;
    };
    int markers = 0, bars = 0;
    for (QAbstractSeries* s : chart_->series()) {
        const bool marker = s->objectName() == QLatin1String("operatingPoint");
        const bool bar = s->objectName() == QLatin1String("operatingPointBar");
        if (!marker && !bar)
            continue;
        const OperatingPoint* p = pointOf(s);
        const QList<QPointF> path = p ? errorBarPath(barredOf(*p)) : QList<QPointF>{};
        if (!p || (bar && path.isEmpty())) {
            redraw();
            return;
        }
        if (marker) {
            static_cast<QScatterSeries*>(s)->replace({QPointF(p->costUsd, p->quality)});
            setPointNotes(s, {operatingNote(*p)});
        } else
            static_cast<QLineSeries*>(s)->replace(path);
        (marker ? markers : bars) += 1;
    }
    int wantMarkers = 0, wantBars = 0;
    for (const OperatingPoint& p : operatingPoints_) {
        wantMarkers += p.costUsd > 0;
        wantBars += !errorBarPath(barredOf(p)).isEmpty();
    }
    if (markers != wantMarkers || bars != wantBars) {
        redraw();
        return;
    }
    labels_->setObstacles(operatingMarks());
    labels_->place();
}

// The operating points' squares, which the models' names must leave visible.
QList<PointLabels::Mark> ParetoPanel::operatingMarks() const {
    QList<PointLabels::Mark> marks;
    for (const OperatingPoint& p : operatingPoints_)
        if (p.costUsd > 0)
            marks << PointLabels::Mark{QPointF(p.costUsd, p.quality), kOperatingPointSize + 2};
    return marks;
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
    labels_->clear();
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
        for (const BarredPoint& p : barredCurvePoints(c))
            extent.extend(p);
        if (routerOfName(c.value(QStringLiteral("name")).toString()) != upperBound)
            achievable.insert(achievable.end(), points.begin(), points.end());
    }
    for (const OperatingPoint& p : operatingPoints_)
        extent.extend(barredOf(p));

    const PlaneRange range = fitAxes(axes, extent);
    // The shaded hull first, so points and curves draw over it.
    drawHull(axes, achievable, range);
    drawCurves(axes, curves, upperBound);
    drawSingleModels(axes, models, labels_);
    QList<PointLabels::Mark> curveMarks;
    for (const QJsonObject& c : curves)
        for (const CostQualityPoint& p : curvePoints(c))
            if (p.cost > 0)
                curveMarks << PointLabels::Mark{QPointF(p.cost, p.quality), 8};
    labels_->setSoftObstacles(curveMarks);
    drawOperatingPoints(axes, operatingPoints_, curves);
    labels_->setObstacles(operatingMarks());
    labels_->place();
    legend_->refresh();
    setNote(extent.empty()
                ? tr("Run an experiment (its sweep part) or open a sweep result to see the "
                     "frontier.")
                : tr("Each curve is one router swept from all-quality (right) to all-cost "
                     "(left). Squares: where the preference slider puts each router."));
}

CsvTable ParetoPanel::table() const {
    CsvTable csv({QStringLiteral("kind"), QStringLiteral("name"), QStringLiteral("quality_weight"),
                  QStringLiteral("cost_weight"), QStringLiteral("latency_weight"),
                  QStringLiteral("cost_usd"), QStringLiteral("quality"),
                  QStringLiteral("cost_usd_ci95_low"), QStringLiteral("cost_usd_ci95_high"),
                  QStringLiteral("quality_ci95_low"), QStringLiteral("quality_ci95_high")});
    // The point and its intervals' ends, blank where there are none.
    const auto figures = [](const BarredPoint& p) {
        const auto number = [](double v) {
            return std::isfinite(v) ? CsvTable::number(v) : QString();
        };
        return QStringList{number(p.point.cost), number(p.point.quality), number(p.cost.low),
                           number(p.cost.high),  number(p.quality.low),   number(p.quality.high)};
    };
    for (const NamedPoint& m : singleModels(results_->sweep))
        csv.addRow(QStringList{QStringLiteral("model"), m.name, {}, {}, {}} +
                   figures({m.point, {}, {}}));
    const QString upperBound = RouterRegistry::instance().upperBound().name;
    for (const QJsonObject& c : results_->sweepCurves()) {
        const QString name = c.value(QStringLiteral("name")).toString();
        const std::vector<BarredPoint> barred = barredCurvePoints(c);
        std::size_t next = 0;
        for (const QJsonValue& v : c.value(QStringLiteral("points")).toArray()) {
            const QJsonObject o = v.toObject();
            if (!o.contains(QStringLiteral("cost_usd")))
                continue;
            const QJsonObject w = o.value(QStringLiteral("preference")).toObject();
            // The upper bound is a kind of its own, spelled by its name.
            csv.addRow(QStringList{
                           routerOfName(name) == upperBound ? upperBound : QStringLiteral("router"),
                           name, CsvTable::number(w.value(QStringLiteral("quality")).toDouble()),
                           CsvTable::number(w.value(QStringLiteral("cost")).toDouble()),
                           CsvTable::number(w.value(QStringLiteral("latency")).toDouble())} +
                       figures(barred[next++]));
        }
    }
    for (const OperatingPoint& p : operatingPoints_)
        csv.addRow(QStringList{QStringLiteral("operating_point"), p.router, {}, {}, {}} +
                   figures(barredOf(p)));
    return csv;
}

} // namespace routerlab
