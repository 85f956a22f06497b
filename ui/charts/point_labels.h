#pragma once

#include <QList>
#include <QObject>
#include <QPointF>
#include <QRectF>

class QChart;
class QGraphicsRectItem;

namespace routerlab {

// Names beside points of a chart, placed so that they cover neither the marks around them nor
// each other: each label takes the first free spot of a ring of spots around its point, the
// nearest ring first (a greedy placement, in the order the labels were added). Placed again
// whenever the plot area moves or an axis' range changes (a zoom or pan): a label whose point
// is out of view hides. Drawn in the chart's text colour on its background.
class PointLabels : public QObject {
    Q_OBJECT

public:
    // A marker on the chart: its centre in axis values and its size in pixels.
    struct Mark {
        QPointF value;
        double size = 0;
    };

    // The labels are the chart's items: it deletes them with itself.
    explicit PointLabels(QChart* chart);

    void clear();
    // A name for the marker `mark` (which is an obstacle for the other labels too).
    void addLabel(const QString& text, const Mark& mark);
    // Markers no label may cover (an operating point's square).
    void setObstacles(const QList<Mark>& marks);
    // Markers a label had better leave visible but may cover when nothing else is free (the
    // points of a curve).
    void setSoftObstacles(const QList<Mark>& marks);
    void place();

    // In the chart's coordinates, as last placed: the labels' boxes and every marker's.
    QList<QRectF> labelRects() const;
    QList<QRectF> markRects() const;
    QStringList texts() const;

private:
    void followAxes();

    QRectF markRect(const Mark& mark) const;

    QChart* chart_;
    QList<Mark> labelled_;
    QList<Mark> obstacles_;
    QList<Mark> soft_;
    QList<QGraphicsRectItem*> items_; // each a backing holding its text
};

} // namespace routerlab
