// Axes and legends of every chart of the window, asserted on the real widgets after a run of
// the sample: round tick values (as Qt draws them from each axis' range and tick settings),
// axes that cover their data and never go below zero for quantities that cannot, log axes
// with at least three labels, legends with one full, unelided entry per series, and the
// Pareto page's model names clear of the markers and of each other. Over every result page of
// one run, the trade-off dock, and the pages of two runs overlaid.

#include "experiment/experiment_file.h"
#include "routers/router_registry.h"
#include "ui/charts/chart_legend.h"
#include "ui/charts/pareto_panel.h"
#include "ui/experiment/compare_runs_dialog.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/operating_point_evaluator.h"
#include "ui/tradeoff/preference_panel.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QLegend>
#include <QLegendMarker>
#include <QLogValueAxis>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QXYSeries>
#include <cmath>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 240000;

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

// 1, 2, 2.5 or 5 times a power of ten.
bool isNiceStep(double step) {
    if (!(step > 0) || !std::isfinite(step))
        return false;
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    for (const double nice : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (std::abs(mantissa - nice) < 1e-6)
            return true;
    return false;
}

bool isWholeMultiple(double value, double step) {
    const double k = value / step;
    return std::abs(k - std::round(k)) < 1e-6;
}

// The tick values Qt draws for a value axis: from the range and the tick count, or from the
// anchor and interval when the ticks are dynamic.
QList<double> valueTicks(const QValueAxis* axis) {
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
QList<double> logTicks(const QLogValueAxis* axis) {
    QList<double> ticks;
    const double base = axis->base();
    const double low = std::log(axis->min()) / std::log(base);
    const double high = std::log(axis->max()) / std::log(base);
    for (double k = std::ceil(low - 1e-9); k <= high + 1e-9; k += 1)
        ticks << std::pow(base, k);
    return ticks;
}

// Quantities that cannot be negative: everything but rewards.
bool mayGoNegative(const QAbstractAxis* axis) {
    return axis->titleText().contains(QStringLiteral("reward"));
}

// The values a series draws along an axis's orientation.
QList<double> valuesAlong(QAbstractSeries* series, Qt::Orientation orientation) {
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

void checkAxis(QChart* chart, QAbstractAxis* axis, const QString& where) {
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
bool isHelperSeries(const QAbstractSeries* series) {
    static const QStringList helpers{"sweepErrorBar", "operatingPointBar", "seedBand",
                                     "meanLatency", "meanLatencyInterval"};
    return helpers.contains(series->objectName());
}

// The entries a chart's legend must have: one per distinct name of its series and bar sets.
QStringList expectedEntries(QChart* chart) {
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

void checkLegend(const ChartLegend* legend, const QString& where) {
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

} // namespace

class TestGuiTicks : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void everyChartHasRoundTicksAndFullLegends_data();
    void everyChartHasRoundTicksAndFullLegends();
    void paretoLabelsClearOfMarkers();

private:
    void runInWindow(GuiExperiment e);
    void show(const QString& what, bool overlaid);

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
    ExperimentWorkbench* bench_ = nullptr;
};

void TestGuiTicks::runInWindow(GuiExperiment e) {
    e.simulate.threads = 2;
    bench_->designer()->setExperiment(e);
    QSignalSpy finished(bench_, &ExperimentWorkbench::runFinished);
    bench_->run();
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.first().at(1).toString(), QString());
}

void TestGuiTicks::initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
    window_ = std::make_unique<MainWindow>();
    window_->resize(1280, 800);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    bench_ = window_->workbench();
    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    window_->openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    QVERIFY(loaded.wait(kTimeoutMs));
    // Window run 0: the sample's own experiment, fewer seeds and sweep points to stay quick.
    GuiExperiment sample =
        sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    sample.simulate.seeds = 2;
    sample.points = 5;
    runInWindow(sample);
    // Window run 1: two of its routers, another seed count, to overlay on run 0.
    GuiExperiment small = sample;
    small.simulate.routers = {RouterSpec::parse("thompson"), RouterSpec::parse("linucb")};
    small.simulate.seeds = 1;
    small.points = 3;
    runInWindow(small);
}

void TestGuiTicks::show(const QString& what, bool overlaid) {
    if (overlaid) {
        QString error;
        const std::vector<RunChoice> runs{
            {RunChoice::Source::Session, 0, {}, QStringLiteral("run 1"), {}},
            {RunChoice::Source::Session, 1, {}, QStringLiteral("run 2"), {}}};
        QVERIFY2(bench_->compareRuns(runs, error), qPrintable(error));
    } else {
        bench_->showEntry(WorkspaceNavigator::Kind::Result, 0);
    }
    // A preference between the ends, so that the operating points sit inside the plane.
    OperatingPointEvaluator* evaluator = bench_->evaluator();
    bench_->preferences()->costSlider()->setValue(40);
    QTRY_VERIFY_WITH_TIMEOUT(!evaluator->isBusy(), kTimeoutMs);
    // One run: the dock and the Pareto page show the routers' operating points.
    if (!overlaid)
        QTRY_VERIFY_WITH_TIMEOUT(!bench_->preferences()->points().routers.empty() &&
                                     !bench_->pareto()->operatingPoints().empty(),
                                 kTimeoutMs);
    QTabWidget* pages = window_->pages();
    for (int i = 0; i < pages->count(); ++i)
        if (pages->tabText(i).remove('&') == what)
            pages->setCurrentIndex(i);
    // Drawn and laid out: the page's legends have their width.
    QWidget* page = what == "Trade-off" ? bench_->preferences() : pages->currentWidget();
    QTRY_VERIFY(page->isVisible());
    for (ChartLegend* legend : page->findChildren<ChartLegend*>()) {
        QTRY_VERIFY(!legend->entries().isEmpty());
        QTRY_VERIFY2(legend->height() >= legend->heightForWidth(legend->width()),
                     qPrintable(QString("legend %1x%2, needs %3")
                                    .arg(legend->width())
                                    .arg(legend->height())
                                    .arg(legend->heightForWidth(legend->width()))));
    }
}

void TestGuiTicks::everyChartHasRoundTicksAndFullLegends_data() {
    QTest::addColumn<QString>("page");
    QTest::addColumn<bool>("overlaid");
    // The trade-off dock moves one run's routers: it draws nothing for runs overlaid.
    for (const char* page : {"Convergence", "Cost", "Latency", "Pareto frontier", "Trade-off"})
        QTest::newRow(page) << QString(page) << false;
    for (const char* page : {"Convergence", "Cost", "Latency", "Pareto frontier"})
        QTest::newRow(qPrintable(QString("two runs: %1").arg(page))) << QString(page) << true;
}

void TestGuiTicks::everyChartHasRoundTicksAndFullLegends() {
    QFETCH(QString, page);
    QFETCH(bool, overlaid);
    show(page, overlaid);
    QWidget* shown =
        page == "Trade-off" ? bench_->preferences() : window_->pages()->currentWidget();
    QCOMPARE(window_->pages()->tabText(window_->pages()->currentIndex()).remove('&') == page,
             page != "Trade-off");
    const QList<QChartView*> views = shown->findChildren<QChartView*>();
    QVERIFY(!views.isEmpty());
    int axes = 0;
    for (QChartView* view : views) {
        QChart* chart = view->chart();
        QVERIFY2(!chart->series().isEmpty(), qPrintable(page + ": an empty chart"));
        for (QAbstractAxis* axis : chart->axes()) {
            checkAxis(chart, axis, page);
            ++axes;
        }
    }
    QVERIFY(axes >= 2 * views.size());
    // Every chart with entries to show has a legend of its own, complete and unelided.
    const QList<ChartLegend*> legends = shown->findChildren<ChartLegend*>();
    for (QChartView* view : views) {
        if (expectedEntries(view->chart()).isEmpty())
            continue;
        const auto own = std::find_if(legends.begin(), legends.end(),
                                      [&](ChartLegend* l) { return l->chart() == view->chart(); });
        QVERIFY2(own != legends.end(), qPrintable(page + ": " + view->chart()->title()));
        checkLegend(*own, page);
    }
    // The model mixes name every model of the pool.
    const QStringList models = bench_->shownResults()->models;
    for (ChartLegend* legend : legends) {
        if (!legend->chart()->title().contains("mix") &&
            !legend->chart()->title().contains("selection") &&
            !legend->chart()->title().contains("share"))
            continue;
        QStringList labels;
        for (const ChartLegend::Entry& e : legend->entries())
            labels << e.label;
        QCOMPARE(labels, models);
    }
}

void TestGuiTicks::paretoLabelsClearOfMarkers() {
    show("Pareto frontier", false);
    const ParetoPanel* pareto = bench_->pareto();
    const PointLabels* labels = pareto->modelLabels();
    QCOMPARE(labels->texts(), bench_->shownResults()->models);
    QVERIFY(!pareto->operatingPoints().empty());
    const QList<QRectF> boxes = labels->labelRects();
    const QList<QRectF> marks = labels->markRects();
    QCOMPARE(marks.size(),
             boxes.size() + static_cast<int>(std::count_if(
                                pareto->operatingPoints().begin(), pareto->operatingPoints().end(),
                                [](const auto& p) { return p.costUsd > 0; })));
    const QRectF plot = pareto->chart()->plotArea();
    for (int i = 0; i < boxes.size(); ++i) {
        const QString label = labels->texts()[i];
        QVERIFY2(plot.contains(boxes[i]), qPrintable(label));
        for (int j = 0; j < boxes.size(); ++j)
            QVERIFY2(j == i || !boxes[i].intersects(boxes[j]),
                     qPrintable(label + " overlaps " + labels->texts()[j]));
        for (const QRectF& mark : marks)
            QVERIFY2(!boxes[i].intersects(mark), qPrintable(label + " covers a marker"));
    }
}

QTEST_MAIN(TestGuiTicks)
#include "test_gui_ticks.moc"
