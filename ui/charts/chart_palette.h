#pragma once

#include <QColor>
#include <QPalette>

class QChart;

namespace routerlab {

// Colours of the charts and captions from the palette in use, so that a dark palette gives
// dark charts with light text, and text keeps the contrast WCAG asks of it (4.5:1 for text,
// 3:1 for lines and marks).

// WCAG's relative luminance (0 black .. 1 white) and contrast ratio (1 .. 21).
double relativeLuminance(const QColor& color);
double contrastRatio(const QColor& a, const QColor& b);

// `color` made lighter (on a dark background) or darker (on a light one) in small steps until
// it has at least `ratio` against `background`; unchanged when it has already.
QColor withContrast(const QColor& color, const QColor& background, double ratio);

// The grey of explanatory captions: WindowText blended into Window as far as it can go while
// keeping 4.5:1 against Window.
QColor captionColor(const QPalette& palette);

// Background, title, axis lines, labels and grid from the palette (Base behind the plot,
// WindowText for text), and line and marker colours with 3:1 against that background. Idempotent:
// call after every redraw and when the palette changes.
void applyChartPalette(QChart* chart, const QPalette& palette);

} // namespace routerlab
