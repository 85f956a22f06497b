#include "ui/charts/chart_panel.h"

#include "ui/charts/chart_palette.h"

#include <QChart>
#include <QChartView>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLogValueAxis>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <cmath>

namespace routerlab {

QColor routerColor(int index) {
    static const QColor palette[] = {
        QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
        QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
        QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
        QColor(0x17, 0xbe, 0xcf), QColor(0x39, 0x3b, 0x79), QColor(0xad, 0x49, 0x4a)};
    constexpr int count = sizeof(palette) / sizeof(palette[0]);
    return palette[((index % count) + count) % count];
}

namespace {

// 1, 2, 5 or 10 times a power of ten: the next at or above `x` when `ceiling`, else the nearest.
double niceNumber(double x, bool ceiling) {
    const double power = std::pow(10.0, std::floor(std::log10(x)));
    const double q = x / power;
    if (ceiling)
        return (q <= 1 ? 1 : q <= 2 ? 2 : q <= 5 ? 5 : 10) * power;
    return (q < 1.5 ? 1 : q < 3 ? 2 : q < 7 ? 5 : 10) * power;
}

// Remembers [low, high] as the axis' round range, where a reset of the zoom returns (see
// ChartView). True when it was that already: the axis shows it, or the user zoomed away from
// it and a redraw with the same range keeps the zoom.
bool keepsRange(QAbstractAxis* axis, double low, double high) {
    const bool same = axis->property("routerlabNiceMin") == QVariant(low) &&
                      axis->property("routerlabNiceMax") == QVariant(high);
    axis->setProperty("routerlabNiceMin", low);
    axis->setProperty("routerlabNiceMax", high);
    return same;
}

} // namespace

void setNiceRange(QValueAxis* axis, double min, double max, int ticks) {
    if (!(max > min) || !std::isfinite(min) || !std::isfinite(max))
        max = min + 1;
    const double step = niceNumber(niceNumber(max - min, true) / std::max(1, ticks - 1), false);
    // A bound a rounding error past a tick stays on it instead of adding a step.
    constexpr double slack = 1e-9;
    const double low = std::floor(min / step + slack) * step;
    const double high = std::ceil(max / step - slack) * step;
    const int tickCount = static_cast<int>(std::lround((high - low) / step)) + 1;
    if (axis->tickCount() != tickCount)
        axis->setTickCount(tickCount);
    if (!keepsRange(axis, low, high) && (axis->min() != low || axis->max() != high))
        axis->setRange(low, high);
}

void setDecadeRange(QLogValueAxis* axis, double min, double max, int decades) {
    if (!(min > 0) || !std::isfinite(min))
        min = 1e-4;
    if (!(max > min) || !std::isfinite(max))
        max = min * 10;
    constexpr double slack = 1e-9;
    double low = std::floor(std::log10(min) + slack);
    double high = std::ceil(std::log10(max) - slack);
    // Widen on the side where the data sits closer to the edge.
    while (high - low < decades) {
        if (std::log10(min) - low < high - std::log10(max))
            low -= 1;
        else
            high += 1;
    }
    // Qt labels from ceil(log(min) / log(base)), and log(0.01) / log(10) rounds to
    // -1.9999999999999996: a hair below the power keeps its label.
    const double lowValue = std::pow(10.0, low) * (1 - 1e-9), highValue = std::pow(10.0, high);
    if (!keepsRange(axis, lowValue, highValue) &&
        (axis->min() != lowValue || axis->max() != highValue))
        axis->setRange(lowValue, highValue);
}

void clearChart(QChart* chart) {
    chart->removeAllSeries();
    const QList<QAbstractAxis*> axes = chart->axes();
    for (QAbstractAxis* axis : axes) {
        chart->removeAxis(axis);
        delete axis;
    }
}

ChartPanel::ChartPanel(const QString& title, const QString& fileStem, QWidget* parent)
    : QWidget(parent), title_(title), fileStem_(fileStem), controls_(new QHBoxLayout),
      canvas_(new QWidget(this)), canvasLayout_(new QVBoxLayout(canvas_)), note_(new QLabel(this)),
      streamTimer_(new QTimer(this)) {
    streamTimer_->setSingleShot(true);
    streamTimer_->setInterval(0);
    connect(streamTimer_, &QTimer::timeout, this, &ChartPanel::drawPending);
    setObjectName(fileStem + QStringLiteral("Panel"));
    auto* heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
    controls_->addWidget(heading);
    controls_->addStretch(1);
    auto* header = new QHBoxLayout;
    header->addLayout(controls_, 1);
    for (const QString& kind :
         {QStringLiteral("PNG"), QStringLiteral("SVG"), QStringLiteral("CSV")}) {
        auto* button = new QPushButton(tr("Export %1…").arg(kind), this);
        button->setObjectName(QStringLiteral("export") + kind);
        connect(button, &QPushButton::clicked, this, [this, kind] { chooseAndExport(kind); });
        header->addWidget(button);
    }
    note_->setWordWrap(true);
    note_->setObjectName(QStringLiteral("pageCaption"));
    restyleCaption();
    canvasLayout_->setContentsMargins(0, 0, 0, 0);
    canvas_->setAutoFillBackground(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(note_);
    layout->addWidget(canvas_, 1);
}

void ChartPanel::showResults(std::shared_ptr<const ExperimentResults> results) {
    pending_ = std::move(results);
    if (isVisible())
        drawPending();
}

void ChartPanel::streamResults(std::shared_ptr<const ExperimentResults> results) {
    pending_ = std::move(results);
    if (isVisible())
        streamTimer_->start();
}

void ChartPanel::drawPending() {
    streamTimer_->stop();
    if (pending_)
        setResults(std::exchange(pending_, nullptr));
    restyleCharts();
}

QList<ChartView*> ChartPanel::chartViews() const {
    return canvas_->findChildren<ChartView*>();
}

void ChartPanel::restyleCharts() {
    // The panel's palette: on a change the panel hears of it before its views do.
    for (ChartView* view : chartViews())
        applyChartPalette(view->chart(), palette());
    // Colours changed for contrast show in the legends too.
    for (ChartLegend* legend : canvas_->findChildren<ChartLegend*>())
        legend->refresh();
}

void ChartPanel::restyleCaption() {
    QPalette captionPalette = note_->palette();
    captionPalette.setColor(QPalette::WindowText, captionColor(palette()));
    note_->setPalette(captionPalette);
}

void ChartPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        restyleCaption();
        restyleCharts();
    }
}

void ChartPanel::drawNow() {
    drawPending();
    finishDrawing();
}

void ChartPanel::showEvent(QShowEvent* event) {
    drawPending();
    QWidget::showEvent(event);
}

ChartView* ChartPanel::addChartView(QChart* chart, int stretch) {
    auto* view = new ChartView(chart, canvas_);
    view->setMinimumHeight(160);
    canvasLayout_->addWidget(view, stretch);
    return view;
}

ChartLegend* ChartPanel::addLegend(QChart* chart) {
    auto* legend = new ChartLegend(chart, canvas_);
    canvasLayout_->addWidget(legend, 0);
    return legend;
}

void ChartPanel::setNote(const QString& text) {
    note_->setText(text);
    note_->setVisible(!text.isEmpty());
}

bool ChartPanel::exportPng(const QString& path, QString& error) {
    drawNow();
    const QPixmap pixmap = canvas_->grab();
    if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
        error = tr("%1: cannot write the PNG image").arg(path);
        return false;
    }
    return true;
}

bool ChartPanel::exportSvg(const QString& path, QString& error) {
    drawNow();
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(canvas_->size());
    svg.setViewBox(QRect(QPoint(0, 0), canvas_->size()));
    svg.setTitle(title_);
    svg.setDescription(tr("RouterLab chart: %1").arg(title_));
    QPainter painter;
    if (!painter.begin(&svg)) {
        error = tr("%1: cannot write the SVG image").arg(path);
        return false;
    }
    canvas_->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
    painter.end();
    if (QFileInfo(path).size() == 0) {
        error = tr("%1: cannot write the SVG image").arg(path);
        return false;
    }
    return true;
}

bool ChartPanel::exportCsv(const QString& path, QString& error) {
    drawNow();
    const QByteArray bytes = table().toText().toUtf8();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        error = tr("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void ChartPanel::chooseAndExport(const QString& kind) {
    const QString suffix = kind.toLower();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export %1 as %2").arg(title_, kind),
                                                      fileStem_ + QLatin1Char('.') + suffix,
                                                      tr("%1 files (*.%2)").arg(kind, suffix));
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = kind == QLatin1String("PNG")   ? exportPng(path, error)
                    : kind == QLatin1String("SVG") ? exportSvg(path, error)
                                                   : exportCsv(path, error);
    if (ok)
        emit exported(path);
    else
        emit exportFailed(error);
}

} // namespace routerlab
