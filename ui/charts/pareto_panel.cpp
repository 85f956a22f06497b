#include "ui/charts/pareto_panel.h"

#include "metrics/pareto.h"

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
    auto* costAxis = new QLogValueAxis(chart_);
    costAxis->setBase(10);
    costAxis->setTitleText(tr("mean cost per call, USD (log scale)"));
    costAxis->setLabelFormat(QStringLiteral("%.2g"));
    costAxis->setMinorTickCount(8);
    auto* qualityAxis = new QValueAxis(chart_);
    qualityAxis->setTitleText(tr("mean quality"));
    chart_->addAxis(costAxis, Qt::AlignBottom);
    chart_->addAxis(qualityAxis, Qt::AlignLeft);

    double costMin = INFINITY, costMax = 0, qualityMin = 1, qualityMax = 0;
    auto extend = [&](const CostQualityPoint& p) {
        if (!(p.cost > 0) || !std::isfinite(p.quality))
            return;
        costMin = std::min(costMin, p.cost);
        costMax = std::max(costMax, p.cost);
        qualityMin = std::min(qualityMin, p.quality);
        qualityMax = std::max(qualityMax, p.quality);
    };
    auto attach = [&](QAbstractSeries* s) {
        chart_->addSeries(s);
        s->attachAxis(costAxis);
        s->attachAxis(qualityAxis);
    };

    const std::vector<NamedPoint> models = singleModels(
        repricedModels_.isEmpty() ? results_->sweep
                                  : QJsonObject{{QStringLiteral("models"), repricedModels_}});
    const std::vector<QJsonObject> curves = results_->sweepCurves();
    std::vector<CostQualityPoint> achievable;
    for (const NamedPoint& m : models) {
        achievable.push_back(m.point);
        extend(m.point);
    }
    for (const QJsonObject& c : curves) {
        const std::vector<CostQualityPoint> points = curvePoints(c);
        for (const CostQualityPoint& p : points)
            extend(p);
        if (c.value(QStringLiteral("name")).toString() != QLatin1String("oracle"))
            achievable.insert(achievable.end(), points.begin(), points.end());
    }
    for (const OperatingPoint& p : operatingPoints_)
        extend({p.costUsd, p.quality});
    const bool empty = !(costMax > 0);
    if (empty) {
        costMin = 1e-4;
        costMax = 1e-2;
        qualityMin = 0;
        qualityMax = 1;
    }
    const double low = costMin / 1.8, high = costMax * 1.8;
    const double qualityPad = std::max(0.02, (qualityMax - qualityMin) * 0.08);
    const double bottom = std::max(0.0, qualityMin - qualityPad);
    costAxis->setRange(low, high);
    qualityAxis->setRange(bottom, std::min(1.0, qualityMax + qualityPad));

    // The shaded hull first, so points and curves draw over it.
    std::vector<CostQualityPoint> positive;
    for (const CostQualityPoint& p : achievable)
        if (p.cost > 0)
            positive.push_back(p);
    const std::vector<CostQualityPoint> hull = upperConvexHull(positive);
    if (hull.size() >= 2) {
        // Owned by the area (a QAreaSeries does not own its bounds), so that clearing the chart
        // deletes them with it instead of leaving two series per redraw.
        auto* upper = new QLineSeries;
        auto* lower = new QLineSeries;
        for (const CostQualityPoint& p : hull) {
            upper->append(p.cost, p.quality);
            lower->append(p.cost, bottom);
        }
        upper->append(high, hull.back().quality); // a larger budget can stay unspent
        lower->append(high, bottom);
        auto* area = new QAreaSeries(upper, lower);
        upper->setParent(area);
        lower->setParent(area);
        area->setName(tr("non-dominated hull"));
        area->setColor(QColor(46, 139, 87, 45));
        area->setBorderColor(QColor(46, 139, 87, 140));
        attach(area);
    }

    for (int i = 0; i < static_cast<int>(curves.size()); ++i) {
        const QJsonObject& c = curves[static_cast<std::size_t>(i)];
        const QString name = c.value(QStringLiteral("name")).toString();
        const bool oracle = name == QLatin1String("oracle");
        auto* line = new QLineSeries(chart_);
        const double aiqValue = c.value(QStringLiteral("aiq")).toDouble(NAN);
        line->setName(std::isfinite(aiqValue)
                          ? QStringLiteral("%1 (AIQ %2)").arg(name).arg(aiqValue, 0, 'f', 3)
                          : name);
        QPen pen(oracle ? QColor(60, 60, 60) : routerColor(i), oracle ? 1.5 : 2);
        if (oracle)
            pen.setStyle(Qt::DashLine);
        line->setPen(pen);
        line->setPointsVisible(true);
        for (const CostQualityPoint& p : curvePoints(c))
            if (p.cost > 0)
                line->append(p.cost, p.quality);
        attach(line);
    }

    for (std::size_t m = 0; m < models.size(); ++m) {
        if (!(models[m].point.cost > 0))
            continue;
        auto* dot = new QScatterSeries(chart_);
        dot->setName(tr("single models"));
        dot->setMarkerSize(9);
        dot->setColor(QColor(90, 90, 90));
        dot->setBorderColor(Qt::white);
        dot->append(models[m].point.cost, models[m].point.quality);
        // A literal format: the label is the model's name.
        dot->setPointLabelsFormat(models[m].name);
        dot->setPointLabelsVisible(true);
        dot->setPointLabelsClipping(false);
        dot->setPointLabelsColor(QColor(50, 50, 50));
        attach(dot);
        if (m > 0)
            hideFromLegend(chart_, dot);
    }

    for (std::size_t i = 0; i < operatingPoints_.size(); ++i) {
        const OperatingPoint& p = operatingPoints_[i];
        if (!(p.costUsd > 0))
            continue;
        auto* marker = new QScatterSeries(chart_);
        marker->setObjectName(QStringLiteral("operatingPoint"));
        marker->setProperty("router", p.router);
        marker->setName(tr("slider's operating point"));
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
        attach(marker);
        if (i > 0)
            hideFromLegend(chart_, marker);
    }
    setNote(empty ? tr("Run an experiment (its sweep part) or open a sweep result to see the "
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
    for (const QJsonObject& c : results_->sweepCurves()) {
        const QString name = c.value(QStringLiteral("name")).toString();
        for (const QJsonValue& v : c.value(QStringLiteral("points")).toArray()) {
            const QJsonObject o = v.toObject();
            if (!o.contains(QStringLiteral("cost_usd")))
                continue;
            const QJsonObject w = o.value(QStringLiteral("preference")).toObject();
            csv.addRow({name == QLatin1String("oracle") ? QStringLiteral("oracle")
                                                        : QStringLiteral("router"),
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
