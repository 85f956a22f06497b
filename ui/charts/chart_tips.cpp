#include "ui/charts/chart_tips.h"

#include <QAbstractAxis>
#include <QAreaSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QLineSeries>
#include <QXYSeries>
#include <cmath>

namespace routerlab {

namespace {

constexpr char kPointNotes[] = "routerlabPointNotes";
constexpr char kSeriesNote[] = "routerlabSeriesNote";
constexpr char kNoTips[] = "routerlabNoTips";
constexpr char kStacked[] = "routerlabStacked";

QString number(double v) {
    return QString::number(v, 'g', 4);
}

QString axisTitle(QChart* chart, QAbstractSeries* series, Qt::Orientation orientation) {
    const QList<QAbstractAxis*> attached = series->attachedAxes();
    for (QAbstractAxis* axis : attached)
        if (axis->orientation() == orientation && !axis->titleText().isEmpty())
            return axis->titleText();
    const QList<QAbstractAxis*> axes = chart->axes(orientation);
    if (!axes.isEmpty() && !axes.first()->titleText().isEmpty())
        return axes.first()->titleText();
    return orientation == Qt::Horizontal ? QStringLiteral("x") : QStringLiteral("y");
}

QString routerOf(const QAbstractSeries* series) {
    const QString router = series->property("router").toString();
    return router.isEmpty() ? series->name() : router;
}

// The points a series draws: a band's upper edge then its lower edge.
QList<QPointF> pointsOf(QAbstractSeries* series) {
    if (auto* xy = qobject_cast<QXYSeries*>(series))
        return xy->points();
    if (auto* area = qobject_cast<QAreaSeries*>(series)) {
        QList<QPointF> points = area->upperSeries()->points();
        if (area->lowerSeries())
            points += area->lowerSeries()->points();
        return points;
    }
    return {};
}

} // namespace

void setPointNotes(QAbstractSeries* series, const QStringList& notes) {
    series->setProperty(kPointNotes, notes);
}

void setSeriesNote(QAbstractSeries* series, const QString& note) {
    series->setProperty(kSeriesNote, note);
}

void leaveOutOfTips(QAbstractSeries* series) {
    series->setProperty(kNoTips, true);
}

void markStacked(QAbstractSeries* series) {
    series->setProperty(kStacked, true);
}

PointHit pointNear(QChart* chart, const QPointF& position, double reach) {
    PointHit best;
    double bestDistance = reach;
    if (!chart->plotArea().adjusted(-reach, -reach, reach, reach).contains(position))
        return best;
    const QList<QAbstractSeries*> all = chart->series();
    for (QAbstractSeries* series : all) {
        if (!series->isVisible() || series->opacity() < 0.5 || series->property(kNoTips).toBool())
            continue;
        const QList<QPointF> points = pointsOf(series);
        for (int i = 0; i < points.size(); ++i) {
            const QPointF at = chart->mapToPosition(points[i], series);
            const double distance = std::hypot(at.x() - position.x(), at.y() - position.y());
            // Ties go to the series drawn last, the one on top.
            if (distance <= bestDistance) {
                bestDistance = distance;
                best = {series, i};
            }
        }
    }
    return best;
}

QString pointTip(QChart* chart, const PointHit& hit) {
    if (!hit.series)
        return {};
    QStringList lines;
    const QString router = routerOf(hit.series);
    if (!router.isEmpty())
        lines << QStringLiteral("<b>%1</b>").arg(router.toHtmlEscaped());
    const QStringList notes = hit.series->property(kPointNotes).toStringList();
    const QList<QPointF> points = pointsOf(hit.series);
    const QPointF p = points.value(hit.index);
    const QString xTitle = axisTitle(chart, hit.series, Qt::Horizontal).toHtmlEscaped();
    const QString yTitle = axisTitle(chart, hit.series, Qt::Vertical).toHtmlEscaped();
    if (hit.index < notes.size()) {
        // A series of several routers' points names each point's router on its note's first
        // line.
        QStringList note = notes[hit.index].split(QLatin1Char('\n'));
        for (QString& line : note)
            line = line.toHtmlEscaped();
        if (router.isEmpty())
            note.front() = QStringLiteral("<b>%1</b>").arg(note.front());
        lines << note.join(QStringLiteral("<br>"));
    } else if (auto* area = qobject_cast<QAreaSeries*>(hit.series); area && area->lowerSeries()) {
        // A band: both edges at the step under the pointer.
        const int upperCount = area->upperSeries()->count();
        const int i = hit.index % std::max(1, upperCount);
        const double low =
            area->lowerSeries()->count() > i ? area->lowerSeries()->at(i).y() : p.y();
        const double high = upperCount > i ? area->upperSeries()->at(i).y() : p.y();
        lines << QStringLiteral("%1: %2").arg(xTitle, number(p.x()));
        if (hit.series->property(kStacked).toBool())
            lines << QStringLiteral("%1: %2").arg(yTitle, number(std::abs(high - low)));
        else
            lines << QStringLiteral("%1: %2 – %3")
                         .arg(yTitle, number(std::min(low, high)), number(std::max(low, high)));
    } else {
        lines << QStringLiteral("%1: %2").arg(xTitle, number(p.x()))
              << QStringLiteral("%1: %2").arg(yTitle, number(p.y()));
    }
    const QString note = hit.series->property(kSeriesNote).toString();
    if (!note.isEmpty())
        lines << QStringLiteral("<i>%1</i>").arg(note.toHtmlEscaped());
    return lines.join(QStringLiteral("<br>"));
}

namespace {

QString boxTip(QChart* chart, const QBoxSet* box) {
    const QList<QAbstractAxis*> values = chart->axes(Qt::Vertical);
    const QString unit = values.isEmpty() ? QString() : values.first()->titleText().toHtmlEscaped();
    return QStringLiteral("<b>%1</b><br>%2<br>p95 %3 · p75 %4<br>median %5<br>p25 %6 · p5 %7")
        .arg(box->label().toHtmlEscaped(), unit, number(box->at(QBoxSet::UpperExtreme)),
             number(box->at(QBoxSet::UpperQuartile)), number(box->at(QBoxSet::Median)),
             number(box->at(QBoxSet::LowerQuartile)), number(box->at(QBoxSet::LowerExtreme)));
}

} // namespace

QString boxTipAt(QChart* chart, const QPointF& position) {
    if (!chart->plotArea().contains(position))
        return {};
    const QList<QAbstractSeries*> all = chart->series();
    for (QAbstractSeries* series : all) {
        auto* boxes = qobject_cast<QBoxPlotSeries*>(series);
        if (!boxes || !boxes->isVisible())
            continue;
        // On the category axis box i is centred on x = i, boxWidth() of a category wide.
        const QPointF value = chart->mapToValue(position, boxes);
        const int i = static_cast<int>(std::lround(value.x()));
        const QBoxSet* box = boxes->boxSets().value(i);
        if (box && std::abs(value.x() - i) <= boxes->boxWidth() / 2 &&
            value.y() >= box->at(QBoxSet::LowerExtreme) &&
            value.y() <= box->at(QBoxSet::UpperExtreme))
            return boxTip(chart, box);
    }
    return {};
}

QString barTip(QChart* chart, const QBarSet* set, int index) {
    const QList<QAbstractAxis*> values = chart->axes(Qt::Vertical);
    const QString unit = values.isEmpty() ? QString() : values.first()->titleText().toHtmlEscaped();
    return QStringLiteral("<b>%1</b><br>%2: %3")
        .arg(set->label().toHtmlEscaped(), unit, number(set->at(index)));
}

} // namespace routerlab
