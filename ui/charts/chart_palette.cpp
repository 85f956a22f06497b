#include "ui/charts/chart_palette.h"

#include <QAbstractAxis>
#include <QAreaSeries>
#include <QChart>
#include <QLegend>
#include <QScatterSeries>
#include <QXYSeries>
#include <cmath>

namespace routerlab {

namespace {

// The text and the plot's lines need 4.5:1 and 3:1; a little more leaves room for the
// antialiasing that softens thin strokes.
constexpr double kTextContrast = 4.6;
constexpr double kMarkContrast = 3.1;

double channel(double c) {
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

QColor blend(const QColor& from, const QColor& to, double t) {
    return QColor::fromRgbF(static_cast<float>(from.redF() + (to.redF() - from.redF()) * t),
                            static_cast<float>(from.greenF() + (to.greenF() - from.greenF()) * t),
                            static_cast<float>(from.blueF() + (to.blueF() - from.blueF()) * t));
}

} // namespace

double relativeLuminance(const QColor& color) {
    const QColor c = color.toRgb();
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrastRatio(const QColor& a, const QColor& b) {
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor withContrast(const QColor& color, const QColor& background, double ratio) {
    const QColor target = relativeLuminance(background) < 0.18 ? QColor(Qt::white) : Qt::black;
    QColor out = color;
    for (int step = 1; step <= 20 && contrastRatio(out, background) < ratio; ++step)
        out = blend(color, target, step / 20.0);
    out.setAlpha(color.alpha());
    return out;
}

QColor captionColor(const QPalette& palette) {
    const QColor window = palette.color(QPalette::Window);
    const QColor text = palette.color(QPalette::WindowText);
    for (int step = 11; step < 20; ++step) {
        const QColor c = blend(window, text, step / 20.0);
        if (contrastRatio(c, window) >= kTextContrast)
            return c;
    }
    return withContrast(text, window, kTextContrast);
}

void applyChartPalette(QChart* chart, const QPalette& palette) {
    const QColor background = palette.color(QPalette::Base);
    const QColor text =
        withContrast(palette.color(QPalette::WindowText), background, kTextContrast);
    chart->setBackgroundBrush(background);
    chart->setBackgroundPen(Qt::NoPen);
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsBrush(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(blend(background, text, 0.6));
        axis->setGridLineColor(blend(background, text, 0.18));
        axis->setMinorGridLineColor(blend(background, text, 0.09));
        axis->setShadesVisible(false);
    }
    for (QAbstractSeries* series : chart->series()) {
        auto* xy = qobject_cast<QXYSeries*>(series);
        if (!xy)
            continue;
        if (qobject_cast<QScatterSeries*>(series)) { // a filled marker: its fill shows
            const QColor fixed = withContrast(xy->color(), background, kMarkContrast);
            if (fixed != xy->color())
                xy->setColor(fixed);
            continue;
        }
        QPen pen = xy->pen();
        const QColor fixed = withContrast(pen.color(), background, kMarkContrast);
        if (fixed != pen.color()) {
            pen.setColor(fixed);
            xy->setPen(pen);
        }
    }
}

} // namespace routerlab
