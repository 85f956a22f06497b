#pragma once

// Checks of a chart's axes and legend shared by the GUI tests: round tick values as Qt draws
// them, axes that cover their data and stay at or above zero for quantities that cannot be
// negative, log axes with at least three labels, and a legend with one full entry per series.
// Each reports through QVERIFY/QCOMPARE; callers see a failure with QTest::currentTestFailed().

#include "ui/charts/chart_legend.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QLegend>
#include <QLogValueAxis>
#include <QTest>
#include <QValueAxis>
#include <QXYSeries>
#include <cmath>

namespace chart_checks {

using routerlab::ChartLegend;

// 1, 2, 2.5 or 5 times a power of ten.
inline bool isNiceStep(double step) {
    if (!(step > 0) || !std::isfinite(step))
        return false;
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    for (const double nice : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (std::abs(mantissa - nice) < 1e-6)
            return true;
    return false;
}

inline bool isWholeMultiple(double value, double step) {
    const double k = value / step;
    return std::abs(k - std::round(k)) < 1e-6;
}

// The tick values Qt draws for a value axis: from the range and the tick count, or from the
// anchor and interval when the ticks are dynamic.
inline QList<double> valueTicks(const QValueAxis* axis) {
    QList<double> ticks;
    if (axis->tickType() == QValueAxis::TicksDynamic) {
        const double interval = axis->tickInterval(), anchor = axis->tickAnchor();
        for (double t = anchor + std::ceil((axis->min() - anchor) / interval - 1e-9) * interval;
             t <= axis->max() + 1e-9 * interval; t += interval)
            ticks << t;
        return ticks;
    }
    const int n = axis->tickCount();
    for (int i = 0; i < n; ++i)
        ticks << axis->min() + i * (axis->max() - axis->min()) / (n - 1);
    return ticks;
}

// The powers of the base a log axis labels, as Qt counts them.
inline QList<double> logTicks(const QLogValueAxis* axis) {
    QList<double> ticks;
    const double base = axis->base();
    const double low = std::log(axis->min()) / std::log(base);
    const double high = std::log(axis->max()) / std::log(base);
    // As Qt Charts places them: from exactly ceil(low), so a bound that rounds a hair above
    // its power of ten loses that label here as on screen.
    for (double k = std::ceil(low); k <= high + 1e-9; k += 1)
        ticks << std::pow(base, k);
    return ticks;
}

// Quantities that cannot be negative: everything but rewards.
inline bool mayGoNegative(const QAbstractAxis* axis) {
    return axis->titleText().contains(QStringLiteral("reward"));
}

// The values a series draws along an axis's orientation.
inline QList<double> valuesAlong(QAbstractSeries* series, Qt::Orientation orientation) {
    QList<double> out;
    if (auto* xy = qobject_cast<QXYSeries*>(series)) {
        for (const QPointF& p : xy->points())
            out << (orientation == Qt::Horizontal ? p.x() : p.y());
    } else if (auto* boxes = qobject_cast<QBoxPlotSeries*>(series)) {
        if (orientation == Qt::Vertical)
            for (const QBoxSet* box : boxes->boxSets())
                for (int k = QBoxSet::LowerExtreme; k <= QBoxSet::UpperExtreme; ++k)
                    out << box->at(k);
    }
    return out;
}

inline void checkAxis(QChart* chart, QAbstractAxis* axis, const QString& where) {
    const QString name =
        where + " / " + (axis->titleText().isEmpty() ? "untitled axis" : axis->titleText());
    QList<double> ticks;
    if (auto* value = qobject_cast<QValueAxis*>(axis)) {
        ticks = valueTicks(value);
        QVERIFY2(ticks.size() >= 2, qPrintable(name));
        const double step = ticks[1] - ticks[0];
        QVERIFY2(isNiceStep(step), qPrintable(name + ": step " + QString::number(step)));
        for (const double t : ticks)
            QVERIFY2(isWholeMultiple(t, step),
                     qPrintable(name + ": tick " + QString::number(t, 'g', 12)));
    } else if (auto* log = qobject_cast<QLogValueAxis*>(axis)) {
        QCOMPARE(log->base(), 10.0);
        ticks = logTicks(log);
        QVERIFY2(ticks.size() >= 3,
                 qPrintable(name + ": " + QString::number(ticks.size()) + " labels"));
    } else {
        return; // a category axis names its categories
    }
    const double min = ticks.isEmpty() ? 0
                                       : (qobject_cast<QValueAxis*>(axis)
                                              ? static_cast<QValueAxis*>(axis)->min()
                                              : static_cast<QLogValueAxis*>(axis)->min());
    const double max = qobject_cast<QValueAxis*>(axis) ? static_cast<QValueAxis*>(axis)->max()
                                                       : static_cast<QLogValueAxis*>(axis)->max();
    if (!mayGoNegative(axis))
        QVERIFY2(min >= 0, qPrintable(name + ": starts at " + QString::number(min)));
    // Every point of every series drawn against the axis is inside it.
    const double slack = (max - min) * 1e-9;
    for (QAbstractSeries* series : chart->series()) {
        if (!series->attachedAxes().contains(axis))
            continue;
        for (const double v : valuesAlong(series, axis->orientation())) {
            if (qobject_cast<QLogValueAxis*>(axis) && !(v > 0))
                continue; // a log axis cannot show zero; the charts leave such points out
            QVERIFY2(v >= min - slack && v <= max + slack,
                     qPrintable(name + ": " + QString::number(v) + " outside [" +
                                QString::number(min) + ", " + QString::number(max) + "]"));
        }
    }
}

// Series drawn for a router or model that already has its entry: error bars, bands, means.
inline bool isHelperSeries(const QAbstractSeries* series) {
    static const QStringList helpers{"sweepErrorBar", "operatingPointBar", "seedBand",
                                     "meanLatency", "meanLatencyInterval"};
    return helpers.contains(series->objectName());
}

// The entries a chart's legend must have: one per distinct name of its series and bar sets.
inline QStringList expectedEntries(QChart* chart) {
    QStringList names;
    for (QAbstractSeries* series : chart->series()) {
        if (auto* bars = qobject_cast<QAbstractBarSeries*>(series)) {
            for (const QBarSet* set : bars->barSets())
                names << set->label();
        } else if (!isHelperSeries(series) && !qobject_cast<QBoxPlotSeries*>(series) &&
                   !series->name().isEmpty()) {
            names << series->name();
        }
    }
    names.removeDuplicates();
    return names;
}

inline void checkLegend(const ChartLegend* legend, const QString& where) {
    QStringList labels;
    for (const ChartLegend::Entry& e : legend->entries())
        labels << e.label;
    QCOMPARE(labels, expectedEntries(legend->chart()));
    QVERIFY2(!legend->chart()->legend()->isVisible(), qPrintable(where));
    // Every entry inside the widget, its full name shown.
    const QList<QRect> rects = legend->entryRects();
    QCOMPARE(rects.size(), labels.size());
    for (int i = 0; i < rects.size(); ++i) {
        QVERIFY2(legend->rect().contains(rects[i]), qPrintable(where + ": " + labels[i]));
        QCOMPARE(legend->shownText(i), labels[i]);
        for (int j = 0; j < i; ++j)
            QVERIFY2(!rects[i].intersects(rects[j]), qPrintable(where + ": " + labels[i]));
    }
}

} // namespace chart_checks
