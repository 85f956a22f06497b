#pragma once

#include <QPointF>
#include <QString>
#include <QStringList>

class QAbstractSeries;
class QBarSet;
class QChart;

namespace routerlab {

// What a hover over a chart says about the point under the pointer: its router (the series'
// "router" property, else its name), the point's values under the axes' titles, and what the
// panel knows beyond them (the preference of a sweep point, intervals, seeds), given per point
// or per series with the setters below.

// Per point, in the order of the series' points: replaces the plain values in the tooltip.
void setPointNotes(QAbstractSeries* series, const QStringList& notes);
// A line added under every point's values ("mean over 3 seeds").
void setSeriesNote(QAbstractSeries* series, const QString& note);

// The visible point nearest to `position` (chart coordinates) within `reach` pixels; a band's
// two edges count as its points. Null series when none is that close.
struct PointHit {
    QAbstractSeries* series = nullptr;
    int index = -1;
};
PointHit pointNear(QChart* chart, const QPointF& position, double reach);

// An area of a stack (shares of a whole): its tooltip gives its thickness, not its edges.
void markStacked(QAbstractSeries* series);

// A series whose points the tooltips skip (an error bar: the point it belongs to says more).
void leaveOutOfTips(QAbstractSeries* series);

// The tooltip of a point, of the box of a box plot under `position` (chart coordinates;
// empty when none) and of a bar.
QString pointTip(QChart* chart, const PointHit& hit);
QString boxTipAt(QChart* chart, const QPointF& position);
QString barTip(QChart* chart, const QBarSet* set, int index);

} // namespace routerlab
