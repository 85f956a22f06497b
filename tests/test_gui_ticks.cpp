// Axes and legends of every chart of the window, asserted on the real widgets after a run of
// the sample: round tick values (as Qt draws them from each axis' range and tick settings),
// axes that cover their data and never go below zero for quantities that cannot, log axes
// with at least three labels, legends with one full, unelided entry per series, and the
// Pareto page's model names clear of the markers and of each other. Over every result page of
// one run, the trade-off dock, and the pages of two runs overlaid.

#include "chart_checks.h"
#include "experiment/experiment_file.h"
#include "gui_harness.h"
#include "routers/router_registry.h"
#include "ui/charts/chart_legend.h"
#include "ui/charts/pareto_panel.h"
#include "ui/experiment/compare_runs_dialog.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/operating_point_evaluator.h"
#include "ui/tradeoff/preference_panel.h"
#include "ui/tradeoff/tradeoff_page.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QDockWidget>
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
using namespace chart_checks;

namespace {

constexpr int kTimeoutMs = 240000;

using gui_harness::sampleFile;

} // namespace

class TestGuiTicks : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void everyChartHasRoundTicksAndFullLegends_data();
    void everyChartHasRoundTicksAndFullLegends();
    void paretoLabelsClearOfMarkers();

private:
    void runInWindow(const GuiExperiment& e);
    void show(const QString& what, bool overlaid);

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
    ExperimentWorkbench* bench_ = nullptr;
};

void TestGuiTicks::runInWindow(const GuiExperiment& e) {
    QCOMPARE(gui_harness::runInWindow(bench_, e, kTimeoutMs), QString());
}

void TestGuiTicks::initTestCase() {
    QVERIFY(dir_.isValid());
    gui_harness::isolateSettings(dir_);
    window_ = gui_harness::showSampleWindow(QSize(1280, 800), kTimeoutMs);
    QVERIFY(window_);
    bench_ = window_->workbench();
    // Window run 0: the sample's own experiment, fewer seeds and sweep points to stay quick.
    GuiExperiment sample = gui_harness::sampleExperiment();
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
    // The dock is checked beside the Convergence page (the Trade-off page replaces it).
    const QString tab = what == "Trade-off dock" ? QStringLiteral("Convergence") : what;
    for (int i = 0; i < pages->count(); ++i)
        if (pages->tabText(i).remove('&') == tab)
            pages->setCurrentIndex(i);
    QWidget* page = what == "Trade-off dock" ? bench_->preferences() : pages->currentWidget();
    if (what == "Trade-off dock") // closed at first start on a 1280-pixel window
        window_->findChild<QDockWidget*>(QStringLiteral("tradeOffDock"))->show();
    if (what == "Trade-off")
        QTRY_VERIFY_WITH_TIMEOUT(bench_->tradeoff()->candidatesReady() &&
                                     !bench_->tradeoff()->frontierChart()->series().isEmpty() &&
                                     !bench_->tradeoff()->mixChart()->series().isEmpty(),
                                 kTimeoutMs);
    // Drawn and laid out: the page's legends have their width.
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
    for (const char* page :
         {"Convergence", "Cost", "Latency", "Pareto frontier", "Trade-off", "Trade-off dock"})
        QTest::newRow(page) << QString(page) << false;
    for (const char* page : {"Convergence", "Cost", "Latency", "Pareto frontier"})
        QTest::newRow(qPrintable(QString("two runs: %1").arg(page))) << QString(page) << true;
}

void TestGuiTicks::everyChartHasRoundTicksAndFullLegends() {
    QFETCH(QString, page);
    QFETCH(bool, overlaid);
    show(page, overlaid);
    QWidget* shown =
        page == "Trade-off dock" ? bench_->preferences() : window_->pages()->currentWidget();
    QCOMPARE(window_->pages()->tabText(window_->pages()->currentIndex()).remove('&') == page,
             page != "Trade-off dock");
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
