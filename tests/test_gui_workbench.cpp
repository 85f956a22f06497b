// The workbench driven through its real windows: the sample experiment runs to completion
// without freezing the window, the slider moves operating points the right way (and fast),
// a run cancels, charts export to PNG, SVG and CSV, the designer's file is the CLI's, pool
// edits re-price and undo, the prompt table sorts and filters, results open from a workspace
// and from a result file, and bad files end in messages, not crashes.

#include "experiment/experiment_file.h"
#include "experiment/recorded_experiment.h"
#include "sim/run_recorder.h"
#include "stall_meter.h"
#include "test_main.h"
#include "ui/charts/chart_panel.h"
#include "ui/charts/comparison_panel.h"
#include "ui/charts/convergence_panel.h"
#include "ui/charts/pareto_panel.h"
#include "ui/cluster/cluster_script_dialog.h"
#include "ui/dataset/dataset_browser.h"
#include "ui/dataset/dataset_summary_model.h"
#include "ui/dataset/outcome_table_model.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/router_parameter_form.h"
#include "ui/experiment/run_controller.h"
#include "ui/pool/pool_table_model.h"
#include "ui/pool/pool_view.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/operating_point_evaluator.h"
#include "ui/tradeoff/preference_panel.h"

#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUndoStack>
#include <memory>

using namespace routerlab;
using routerlab::testing::StallMeter;

namespace {

// The sample run takes seconds; under the sanitizers, beside the heaviest test on a busy
// 2-core machine, it once took more than two minutes.
constexpr int kTimeoutMs = 300000;

using routerlab::testing::kSanitizerSlowdown;

// A visible freeze (stall_meter.h), scaled for the sanitizer build.
qint64 stallLimitMs() {
    return routerlab::testing::stallLimitMs(kSanitizerSlowdown);
}

// The product's target while a run streams into the charts: 50 ms on a quiet machine (the
// sample run measures 20-30 ms there), scaled like the freeze limit for load and sanitizer.
qint64 runStallLimitMs() {
    return routerlab::testing::stallLimitMs(kSanitizerSlowdown, 50);
}

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

} // namespace

class TestGuiWorkbench : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void designerFormsComeFromTheRegistry();
    void designerFileIsTheCliExperimentFile();
    void runsToCompletionWithoutStalling();
    void sliderMovesOperatingPoints();
    void sliderIsFastOnRouterBench();
    void exportsChartsAsPngSvgAndCsv();
    void cancelStopsARun();
    void poolEditRepricesAndUndoes();
    void promptTableSortsAndFilters();
    void opensStoredRunsAndResultFiles();
    void clusterScriptsRunAsShardsAndMerge();
    void badFilesEndInMessages();
    void init();
    void cleanup();
    void cleanupTestCase();

private:
    // `meter`, when given, starts once the run is under way: what it measures is the window
    // while results stream in, not the click that switched pages.
    bool runAndWait(const GuiExperiment& experiment, bool& cancelled,
                    std::unique_ptr<StallMeter>* meter = nullptr);
    void closeErrorBoxes();
    // The errors the window reported (loadFailed, raised with its error box) since the last
    // call, once queued calls have run; cleanup() fails a test that leaves any unclaimed.
    QStringList takeErrors();
    // Empty when exactly one error was reported, naming `what` (the box's text) and `detail`
    // (its informative text), and its box is the one shown; else what differed.
    QString expectErrorBox(const QString& what, const QString& detail);
    QStringList shownErrorBoxes() const;

    std::unique_ptr<QSignalSpy> errors_;
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
    ExperimentWorkbench* bench_ = nullptr;
};

void TestGuiWorkbench::initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
    window_ = std::make_unique<MainWindow>();
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    bench_ = window_->workbench();
    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    window_->openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
    bench_->designer()->setExperiment(
        sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json")));
}

bool TestGuiWorkbench::runAndWait(const GuiExperiment& experiment, bool& cancelled,
                                  std::unique_ptr<StallMeter>* meter) {
    bench_->designer()->setExperiment(experiment);
    QSignalSpy finished(bench_, &ExperimentWorkbench::runFinished);
    if (meter) {
        // The page the run shows, drawn once already: the first paint of a page is a
        // one-time cost of opening it, not of the run.
        window_->showPage(bench_->convergence());
        QTest::qWait(300);
    }
    bench_->run();
    if (meter)
        *meter = std::make_unique<StallMeter>();
    if (!finished.wait(kTimeoutMs))
        return false;
    cancelled = finished.first().at(0).toBool();
    return finished.first().at(1).toString().isEmpty();
}

void TestGuiWorkbench::closeErrorBoxes() {
    for (QMessageBox* box : window_->findChildren<QMessageBox*>())
        box->close();
    QCoreApplication::processEvents();
}

void TestGuiWorkbench::init() {
    errors_ = std::make_unique<QSignalSpy>(window_.get(), &MainWindow::loadFailed);
}

void TestGuiWorkbench::cleanup() {
    const QStringList unclaimed = takeErrors();
    closeErrorBoxes();
    QVERIFY2(unclaimed.isEmpty(),
             qPrintable(QStringLiteral("errors nobody expected: ") + unclaimed.join(" | ")));
}

QStringList TestGuiWorkbench::takeErrors() {
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    QStringList messages;
    for (const QList<QVariant>& signal : *errors_)
        messages << signal.at(0).toString();
    errors_->clear();
    return messages;
}

QStringList TestGuiWorkbench::shownErrorBoxes() const {
    QStringList shown;
    for (const QMessageBox* box : window_->findChildren<QMessageBox*>())
        if (box->isVisible())
            shown << box->text() + QStringLiteral(": ") + box->informativeText();
    return shown;
}

QString TestGuiWorkbench::expectErrorBox(const QString& what, const QString& detail) {
    if (!QTest::qWaitFor([&] { return !errors_->isEmpty(); }, 10000))
        return QStringLiteral("no error was reported (expected %1)").arg(what);
    const QStringList reported = takeErrors();
    const QStringList shown = shownErrorBoxes();
    QString problem;
    if (reported.size() != 1 || !reported.first().contains(detail))
        problem =
            QStringLiteral("reported %1, expected one naming %2").arg(reported.join(" | "), detail);
    else if (shown.size() != 1 || !shown.first().startsWith(what) ||
             !shown.first().endsWith(reported.first()))
        problem = QStringLiteral("shown %1, expected \"%2: %3\"")
                      .arg(shown.join(" | "), what, reported.first());
    closeErrorBoxes();
    return problem;
}

void TestGuiWorkbench::designerFormsComeFromTheRegistry() {
    ExperimentDesigner* designer = bench_->designer();
    QListWidget* list = designer->routerList();
    int barpRow = -1;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->text().startsWith(QLatin1String("barp")))
            barpRow = i;
    QVERIFY(barpRow >= 0);
    list->setCurrentRow(barpRow);
    auto* epochs = qobject_cast<QSpinBox*>(designer->parameterForm()->editor("epochs"));
    QVERIFY(epochs);
    const RouterParameter& p =
        *std::find_if(RouterRegistry::instance().find("barp")->parameters.begin(),
                      RouterRegistry::instance().find("barp")->parameters.end(),
                      [](const RouterParameter& r) { return r.name == QLatin1String("epochs"); });
    QCOMPARE(epochs->value(), p.defaultValue.toInt());
    QCOMPARE(epochs->minimum(), int(p.minimum));
    QCOMPARE(epochs->maximum(), int(p.maximum));
    // Editing the form edits the router's spec; putting the default back removes it again.
    epochs->setValue(12);
    QCOMPARE(list->item(barpRow)->text(), QStringLiteral("barp:epochs=12"));
    epochs->setValue(p.defaultValue.toInt());
    QCOMPARE(list->item(barpRow)->text(), QStringLiteral("barp"));
    // A text parameter that lists its values is a box of them: barp's guard, on by default.
    auto* guard = qobject_cast<QComboBox*>(designer->parameterForm()->editor("guard"));
    QVERIFY(guard);
    QCOMPARE(guard->count(), 2);
    QCOMPARE(guard->currentText(), QStringLiteral("on"));
    guard->setCurrentText(QStringLiteral("off"));
    QCOMPARE(list->item(barpRow)->text(), QStringLiteral("barp:guard=off"));
    guard->setCurrentText(QStringLiteral("on"));
    QCOMPARE(list->item(barpRow)->text(), QStringLiteral("barp"));
    // A number that also takes a word is typed: the guard's share, auto by default.
    auto* share = qobject_cast<QLineEdit*>(designer->parameterForm()->editor("unfamiliar"));
    QVERIFY(share);
    QCOMPARE(share->text(), QStringLiteral("auto"));
    QVERIFY(share->toolTip().contains(QLatin1String("or auto")));
    share->setText(QStringLiteral("0.1"));
    emit share->editingFinished();
    QCOMPARE(list->item(barpRow)->text(), QStringLiteral("barp:unfamiliar=0.1"));
    share->setText(QStringLiteral("auto"));
    emit share->editingFinished();
    QCOMPARE(list->item(barpRow)->text(), QStringLiteral("barp"));
    // A minimum that stands for a choice shows its word, not -1: knn's neighbours, prior and
    // power.
    RouterParameterForm knnForm;
    knnForm.setSpec(RouterSpec::parse(QStringLiteral("knn")));
    auto* k = qobject_cast<QSpinBox*>(knnForm.editor("k"));
    auto* prior = qobject_cast<QDoubleSpinBox*>(knnForm.editor("prior"));
    auto* power = qobject_cast<QDoubleSpinBox*>(knnForm.editor("power"));
    QVERIFY(k && prior && power);
    QCOMPARE(k->text(), QStringLiteral("chosen"));
    QCOMPARE(prior->text(), QStringLiteral("chosen"));
    QCOMPARE(power->text(), QStringLiteral("chosen"));
    QVERIFY2(k->toolTip().contains(QLatin1String("-1 (chosen) to 10000, default chosen")),
             qPrintable(k->toolTip()));
    k->setValue(50);
    QCOMPARE(k->text(), QStringLiteral("50"));
    QCOMPARE(knnForm.spec().toString(), QStringLiteral("knn:k=50"));
    k->setValue(-1);
    QCOMPARE(knnForm.spec().toString(), QStringLiteral("knn"));
}

void TestGuiWorkbench::designerFileIsTheCliExperimentFile() {
    const QString file = dir_.filePath("designer.json");
    QString error;
    QVERIFY2(bench_->designer()->saveFile(file, error), qPrintable(error));
    // Read back with the CLI's own parser, as `routerlab-cli simulate|sweep --experiment`.
    GuiExperiment loaded;
    QVERIFY2(loadExperimentFile(file, loaded, error), qPrintable(error));
    const GuiExperiment expected =
        sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    QCOMPARE(loaded.simulate.routers.size(), expected.simulate.routers.size());
    for (std::size_t i = 0; i < loaded.simulate.routers.size(); ++i)
        QCOMPARE(loaded.simulate.routers[i].toString(), expected.simulate.routers[i].toString());
    QCOMPARE(loaded.simulate.preference, expected.simulate.preference);
    QCOMPARE(loaded.simulate.options.split.toString(), expected.simulate.options.split.toString());
    QCOMPARE(loaded.points, expected.points);
    QCOMPARE(QFileInfo(loaded.simulate.datasets.value(0)).canonicalFilePath(),
             QFileInfo(sampleFile("sample.csv")).canonicalFilePath());
    // Relative paths in the file, so it travels with the data.
    QFile raw(file);
    QVERIFY(raw.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(raw.readAll()).object();
    QVERIFY(!QDir::isAbsolutePath(json.value("datasets").toArray().first().toString()));
    QVERIFY(json.contains("preference") && json.contains("points"));
    QVERIFY(bench_->designer()->openFile(file, error));
}

void TestGuiWorkbench::runsToCompletionWithoutStalling() {
    std::unique_ptr<StallMeter> meter;
    bool cancelled = true;
    QSignalSpy updates(bench_->runs(), &RunController::resultsUpdated);
    QVERIFY(runAndWait(sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json")),
                       cancelled, &meter));
    QVERIFY(!cancelled);
    const qint64 limit = runStallLimitMs();
    qInfo("longest event-loop stall during the run: %lld ms (limit %lld ms); %lld result "
          "updates streamed",
          meter->longestMs(), limit, static_cast<long long>(updates.count()));
    QVERIFY2(meter->longestMs() < limit, qPrintable(QString::number(meter->longestMs())));
    QVERIFY(updates.count() >= 1);

    const auto results = bench_->shownResults();
    QCOMPARE(results->cellsDone, results->cellCount);
    // The JSONs cover every cell: nothing left listed as missing once the run says finished.
    QVERIFY(!results->sweep.contains("missing_cells"));
    QVERIFY(!results->simulate.contains("missing_cells"));
    // Every router asked for, plus the references, has a comparison row and a curve.
    ComparisonPanel* table = bench_->comparison();
    window_->showPage(table); // hidden pages draw when shown
    for (const char* router : {"pickllm-ga", "pickllm-q", "thompson", "linucb", "barp", "oracle"}) {
        const int row = table->rowOf(QLatin1String(router));
        QVERIFY2(row >= 0, router);
        QVERIFY(table->value(row, ComparisonPanel::QualityColumn) > 0);
        if (QLatin1String(router) != QLatin1String("oracle"))
            QVERIFY(std::isfinite(table->value(row, ComparisonPanel::AiqColumn)));
    }
    QCOMPARE(table->value(table->rowOf("oracle"), ComparisonPanel::RegretColumn), 0.0);
    window_->showPage(bench_->convergence());
    QTRY_VERIFY(bench_->convergence()->lineChart()->series().size() >= 7);
    QTRY_VERIFY(!bench_->convergence()->mixChart()->series().isEmpty());
    window_->showPage(bench_->pareto());
    QVERIFY(bench_->pareto()->chart()->series().size() > 10);
}

void TestGuiWorkbench::sliderMovesOperatingPoints() {
    PreferencePanel* panel = bench_->preferences();
    OperatingPointEvaluator* evaluator = bench_->evaluator();
    QVERIFY(panel->costSlider()->isEnabled());
    auto moveTo = [&](int value) {
        QSignalSpy evaluated(evaluator, &OperatingPointEvaluator::evaluated);
        panel->costSlider()->setValue(value);
        QTRY_VERIFY_WITH_TIMEOUT(!evaluated.isEmpty() && !evaluator->isBusy(), kTimeoutMs);
        QTRY_COMPARE(panel->points().preference.cost, value / 100.0);
    };
    auto pointOf = [&](const QString& router) {
        for (const RouterOperatingPoint& p : panel->points().routers)
            if (p.router == router)
                return p;
        return RouterOperatingPoint{};
    };
    moveTo(0);
    const RouterOperatingPoint barpQuality = pointOf("barp");
    const RouterOperatingPoint oracleQuality = pointOf("oracle");
    QVERIFY(barpQuality.evaluated && oracleQuality.evaluated);
    const auto marks = bench_->pareto()->operatingPoints();
    moveTo(100);
    const RouterOperatingPoint barpCost = pointOf("barp");
    const RouterOperatingPoint oracleCost = pointOf("oracle");
    qInfo("barp: quality-only %.4f USD/1k, quality %.3f; cost-only %.4f USD/1k, quality %.3f",
          barpQuality.meanCostUsd * 1000, barpQuality.meanQuality, barpCost.meanCostUsd * 1000,
          barpCost.meanQuality);
    // Towards cost: cheaper, and quality is what pays for it.
    QVERIFY(barpCost.meanCostUsd < barpQuality.meanCostUsd);
    QVERIFY(barpCost.meanQuality <= barpQuality.meanQuality);
    QVERIFY(oracleCost.meanCostUsd < oracleQuality.meanCostUsd);
    QVERIFY(oracleCost.meanQuality <= oracleQuality.meanQuality);
    // The frontier's marker for barp moved left.
    const auto moved = bench_->pareto()->operatingPoints();
    auto markOf = [](const std::vector<ParetoPanel::OperatingPoint>& points, const QString& name) {
        for (const auto& p : points)
            if (p.router == name)
                return p.costUsd;
        return double(NAN);
    };
    QVERIFY(markOf(moved, "barp") < markOf(marks, "barp"));
    // The table says so too: a share per model that sums to one.
    double share = 0;
    for (const double s : barpCost.share)
        share += s;
    QCOMPARE(qRound(share * 1000), 1000);
    QVERIFY(panel->table()->rowCount() >= 2);
}

void TestGuiWorkbench::sliderIsFastOnRouterBench() {
    const QString folder =
        QDir(QStringLiteral(ROUTERLAB_SHARED_DATA_DIR)).filePath(QStringLiteral("routerbench"));
    QStringList train, test;
    for (const QFileInfo& f : QDir(folder).entryInfoList({"*.csv"}, QDir::Files, QDir::Name))
        (f.fileName().contains(QLatin1String("_test")) ? test : train) << f.absoluteFilePath();
    if (train.isEmpty() || test.isEmpty())
        QSKIP("shared/data/routerbench is absent");
    GuiExperiment e;
    e.simulate.command = QStringLiteral("simulate");
    e.simulate.datasets = train;
    e.simulate.testDatasets = test;
    e.simulate.options.split.kind = SplitRule::Kind::Sources;
    e.simulate.options.split.testSources = test;
    e.simulate.options.reward = RewardKind::Linear;
    for (const char* r : {"barp", "pickllm-ga", "thompson"})
        e.simulate.routers.push_back(RouterSpec::parse(QLatin1String(r)));
    e.simulate.seeds = 1;
    e.simulate.threads = 2;
    e.points = 5;
    bool cancelled = true;
    QVERIFY(runAndWait(e, cancelled));
    QVERIFY(!cancelled);
    const auto prepared = bench_->runs()->prepared();
    QVERIFY(prepared);

    // Dragging: every position asks for an evaluation; the evaluator coalesces.
    PreferencePanel* panel = bench_->preferences();
    OperatingPointEvaluator* evaluator = bench_->evaluator();
    QTRY_VERIFY_WITH_TIMEOUT(!evaluator->isBusy(), kTimeoutMs);
    const int before = evaluator->completed();
    QElapsedTimer clock;
    clock.start();
    for (int round = 0; round < 2; ++round)
        for (int v = 0; v <= 100; v += 2) {
            panel->costSlider()->setValue(round == 0 ? v : 100 - v);
            QTest::qWait(1);
        }
    QTRY_VERIFY_WITH_TIMEOUT(!evaluator->isBusy(), kTimeoutMs);
    const double seconds = clock.nsecsElapsed() / 1e9;
    const double rate = (evaluator->completed() - before) / seconds;

    // And the evaluation itself, back to back, without the event loop.
    QElapsedTimer direct;
    direct.start();
    int evaluations = 0;
    for (int v = 0; v <= 100; v += 4, ++evaluations)
        evaluateOperatingPoints(*prepared, Preference{1.0 - v / 100.0, v / 100.0, 0.0},
                                bench_->shownResults()->sweep);
    const double directRate = evaluations / (direct.nsecsElapsed() / 1e9);
    qInfo("RouterBench (%zu test prompts): %.0f slider updates/s while dragging, %.0f "
          "evaluations/s back to back",
          prepared->setup->scoredRows().size(), rate, directRate);
    // 30 a second is the product's figure; a sanitizer build is allowed its slowdown.
    QVERIFY2(directRate >= 30 / kSanitizerSlowdown, qPrintable(QString::number(directRate)));
    // Restore the sample experiment for the tests that follow.
    bool again = true;
    QVERIFY(runAndWait(sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json")),
                       again));
}

void TestGuiWorkbench::exportsChartsAsPngSvgAndCsv() {
    for (ChartPanel* panel : bench_->panels()) {
        window_->showPage(panel);
        QCoreApplication::processEvents();
        QString error;
        const QString png = dir_.filePath(panel->fileStem() + ".png");
        const QString svg = dir_.filePath(panel->fileStem() + ".svg");
        const QString csv = dir_.filePath(panel->fileStem() + ".csv");
        QVERIFY2(panel->exportPng(png, error), qPrintable(error));
        QVERIFY2(panel->exportSvg(svg, error), qPrintable(error));
        QVERIFY2(panel->exportCsv(csv, error), qPrintable(error));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() > 200 && image.height() > 150);
        // Not one flat colour: something was drawn.
        const QRgb corner = image.pixel(0, 0);
        bool varied = false;
        for (int y = 0; y < image.height() && !varied; y += 7)
            for (int x = 0; x < image.width() && !varied; x += 7)
                varied = image.pixel(x, y) != corner;
        QVERIFY2(varied, qPrintable(png));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QVERIFY(svgFile.readAll().contains("<svg"));
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().split('\n');
        QVERIFY2(lines.size() > 3, qPrintable(csv));
    }
    QFile pareto(dir_.filePath("pareto.csv"));
    QVERIFY(pareto.open(QIODevice::ReadOnly));
    const QByteArray text = pareto.readAll();
    QVERIFY(text.startsWith("kind,name,"));
    QVERIFY(text.contains("model,gpt-4o,"));
    QVERIFY(text.contains("router,barp,"));
}

void TestGuiWorkbench::cancelStopsARun() {
    GuiExperiment long_ =
        sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    long_.simulate.seeds = 400; // thousands of cells: far longer than the test waits
    long_.points = 21;
    bench_->designer()->setExperiment(long_);
    QSignalSpy finished(bench_, &ExperimentWorkbench::runFinished);
    bench_->run();
    StallMeter meter;
    QTRY_VERIFY_WITH_TIMEOUT(bench_->runs()->progress() && bench_->runs()->prepared() &&
                                 bench_->runs()->progress()->doneCells() > 20,
                             kTimeoutMs);
    QElapsedTimer clock;
    clock.start();
    bench_->runs()->cancel();
    QVERIFY(finished.wait(kTimeoutMs));
    qInfo("cancelled in %lld ms; longest stall over %d cells %lld ms (limit %lld ms)",
          clock.elapsed(), bench_->runs()->prepared()->cellCount(), meter.longestMs(),
          stallLimitMs());
    QVERIFY(finished.first().at(0).toBool());
    QVERIFY(clock.elapsed() < 5000 * kSanitizerSlowdown);
    const auto results = bench_->shownResults();
    QVERIFY(results->cellsDone > 0 && results->cellsDone < results->cellCount);
    QVERIFY(!bench_->preferences()->costSlider()->isEnabled());
    bench_->designer()->setExperiment(
        sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json")));
}

void TestGuiWorkbench::poolEditRepricesAndUndoes() {
    PoolView* pool = window_->poolView();
    PoolTableModel* model = pool->model();
    QAbstractItemModel* summary = window_->summaryModel();
    auto meanCostOf = [&](const QString& id) {
        for (int r = 0; r < summary->rowCount(); ++r)
            if (summary->index(r, 0).data().toString() == id)
                return summary->index(r, DatasetSummaryModel::CostColumn)
                    .data(DatasetSummaryModel::ValueRole)
                    .toDouble();
        return double(NAN);
    };
    const int row = model->pool()->indexOf("gpt-4o");
    QVERIFY(row >= 0);
    const double before = meanCostOf("gpt-4o");
    const QString price = model->editText(row, PoolTableModel::OutputPriceColumn);
    // A bad value is refused with a message; nothing changes.
    QSignalSpy refused(pool, &PoolView::editRefused);
    QVERIFY(!model->setData(model->index(row, PoolTableModel::OutputPriceColumn), "-3"));
    QCOMPARE(refused.count(), 1);
    QVERIFY(!model->setData(model->index(row, PoolTableModel::KeyVariableColumn),
                            "sk-abcdefabcdefabcdef"));
    QCOMPARE(refused.count(), 2);
    // Each refusal is the window's error too, with the pool's own words.
    QCOMPARE(takeErrors(),
             QStringList({refused.at(0).at(0).toString(), refused.at(1).at(0).toString()}));
    // A key in the URL is refused without echoing it; a plain URL passes the same check.
    QVERIFY(!model->setData(model->index(row, PoolTableModel::BaseUrlColumn),
                            "https://user:sk-secret@api.example.com/v1"));
    QVERIFY(!model->setData(model->index(row, PoolTableModel::BaseUrlColumn),
                            "https://api.example.com/v1?api-key=sk-secret"));
    QCOMPARE(refused.count(), 4);
    for (const QList<QVariant>& args : refused)
        QVERIFY2(!args.at(0).toString().contains(QLatin1String("sk-")),
                 qPrintable(args.at(0).toString()));
    QVERIFY(PoolTableModel::validate(PoolTableModel::BaseUrlColumn,
                                     QStringLiteral("https://api.example.com/v1"))
                .isEmpty());
    QCOMPARE(takeErrors(),
             QStringList({refused.at(2).at(0).toString(), refused.at(3).at(0).toString()}));
    QCOMPARE(pool->undoStack()->count(), 0);
    // Ten times the output price: the dataset's mean cost follows.
    QVERIFY(model->setData(model->index(row, PoolTableModel::OutputPriceColumn),
                           QString::number(price.toDouble() * 10)));
    QCOMPARE(pool->undoStack()->count(), 1);
    const double after = meanCostOf("gpt-4o");
    QVERIFY2(after > before * 5, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
    OutcomeTableModel* prompts = window_->datasetBrowser()->model();
    QVERIFY(prompts->rowCount() > 0);
    pool->undoStack()->undo();
    QCOMPARE(model->editText(row, PoolTableModel::OutputPriceColumn), price);
    QCOMPARE(meanCostOf("gpt-4o"), before);
    pool->undoStack()->redo();
    QCOMPARE(meanCostOf("gpt-4o"), after);
    pool->undoStack()->undo();
    closeErrorBoxes();
}

void TestGuiWorkbench::promptTableSortsAndFilters() {
    DatasetBrowser* browser = window_->datasetBrowser();
    OutcomeTableModel* model = browser->model();
    QCOMPARE(model->rowCount(), 1600);
    const int math = model->dataset()->categoryNames.indexOf("math");
    QVERIFY(math >= 0);
    browser->setFilter({}, math);
    QVERIFY(model->rowCount() > 100 && model->rowCount() < 1600);
    for (int r = 0; r < model->rowCount(); ++r)
        QCOMPARE(model->index(r, OutcomeTableModel::CategoryColumn).data().toString(),
                 QStringLiteral("math"));
    browser->setFilter(QStringLiteral("math-0001"));
    QCOMPARE(model->rowCount(), 1);
    browser->setFilter({});
    // Sorting by the first model's cost, descending: costs never increase down the table.
    const int costColumn = int(OutcomeTableModel::FixedColumnCount) + int(OutcomeTableModel::Cost);
    model->sort(costColumn, Qt::DescendingOrder);
    double previous = INFINITY;
    for (int r = 0; r < model->rowCount(); ++r) {
        const double v = model->index(r, costColumn).data(OutcomeTableModel::ValueRole).toDouble();
        if (std::isnan(v))
            continue;
        QVERIFY(v <= previous);
        previous = v;
    }
}

void TestGuiWorkbench::opensStoredRunsAndResultFiles() {
    // A workspace recorded as `routerlab-cli simulate --workspace` does.
    const PricedDataset data =
        loadPricedDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    SimulationOptions options;
    options.sessions = SessionRule::parse("length:200");
    const SimulationSetup setup(data.dataset, data.pool, options);
    const std::vector<RouterSpec> routers{RouterSpec::parse("pickllm-ga"),
                                          RouterSpec::parse("ucb1")};
    const ExperimentPlan plan = planSimulate(routers, Preference{}, 2, setup, {});
    const std::vector<CellResult> results = runCells(setup, plan.cells, 2);
    const QString workspace = dir_.filePath("runs.routerlab");
    {
        WorkspaceStore store(workspace);
        SimulationArguments a;
        a.command = "simulate";
        a.routers = routers;
        a.seeds = 2;
        recordRuns(store, "stored sample", a.toJson(setup), results, data.dataset.modelNames);
    }
    window_->openWorkspace(workspace);
    QSignalSpy shown(bench_, &ExperimentWorkbench::resultsShown);
    QCOMPARE(takeErrors(), QStringList());
    QCOMPARE(shownErrorBoxes(), QStringList());
    bench_->showEntry(WorkspaceNavigator::Kind::Experiment, 1);
    QCOMPARE(shown.count(), 1);
    window_->showPage(bench_->comparison());
    QVERIFY(bench_->comparison()->rowOf("ucb1") >= 0);
    QVERIFY(bench_->comparison()->rowOf("oracle") >= 0);
    window_->showPage(bench_->convergence());
    QTRY_VERIFY(!bench_->convergence()->lineChart()->series().isEmpty());

    // A run `simulate --workspace` was killed in, 3 of its 10 cells committed: those show,
    // the others are listed as missing.
    const QString killed = dir_.filePath("killed.routerlab");
    {
        WorkspaceStore store(killed);
        SimulationArguments a;
        a.command = "simulate";
        a.routers = routers;
        a.seeds = 2;
        RecordedExperiment recorded(store, plan, "killed sample",
                                    QJsonDocument(a.toJson(setup)).toJson(QJsonDocument::Compact),
                                    false);
        for (int i = 0; i < 3; ++i)
            recorded.record(i, results[static_cast<std::size_t>(i)], data.dataset.modelNames);
    }
    window_->openWorkspace(killed);
    bench_->showEntry(WorkspaceNavigator::Kind::Experiment, 1);
    QCOMPARE(shown.count(), 2);
    QCOMPARE(bench_->shownResults()->simulate.value("missing_cells").toArray().size(), 7);
    window_->showPage(bench_->comparison());
    QVERIFY(bench_->comparison()->rowOf("pickllm-ga") >= 0);

    // A sweep result file, as `routerlab-cli sweep --out` or `merge` writes it.
    const ExperimentPlan sweep = planSweep(routers, 5, 0, 1, setup, {});
    const std::vector<CellResult> swept = runCells(setup, sweep.cells, 2, nullptr, {}, false);
    std::vector<const CellSummary*> summaries;
    for (const CellResult& r : swept)
        summaries.push_back(&r.summary);
    const QString file = dir_.filePath("sweep.json");
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(QJsonDocument(buildResult(sweep.context, summaries)).toJson());
    out.close();
    window_->openResultFile(file);
    QCOMPARE(takeErrors(), QStringList());
    QCOMPARE(shownErrorBoxes(), QStringList());
    QVERIFY(!bench_->shownResults()->sweep.isEmpty());
    window_->showPage(bench_->comparison());
    QVERIFY(std::isfinite(bench_->comparison()->value(bench_->comparison()->rowOf("ucb1"),
                                                      ComparisonPanel::AiqColumn)));
    window_->showPage(bench_->pareto());
    QVERIFY(bench_->pareto()->chart()->series().size() >= 3 + 8);
}

void TestGuiWorkbench::clusterScriptsRunAsShardsAndMerge() {
    GuiExperiment experiment =
        sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    experiment.simulate.routers = {RouterSpec::parse("pickllm-ga"), RouterSpec::parse("ucb1")};
    experiment.simulate.seeds = 1;
    experiment.points = 3;
    const QString folder = dir_.filePath("cluster");
    ClusterScriptDialog dialog(experiment, {});
    QStringList written;
    QString error;
    QVERIFY(!dialog.writeScripts(written, error)); // no folder yet: says so, writes nothing
    QVERIFY(error.contains("folder"));
    QVERIFY(!QFileInfo::exists(folder));
    dialog.folderEdit()->setText(folder);
    dialog.kubernetesBox()->setChecked(true);
    QVERIFY(!dialog.writeScripts(written, error)); // Kubernetes needs an image
    QVERIFY(error.contains("image"));
    dialog.imageEdit()->setText("registry.example/routerlab:0.1");
    dialog.shardsBox()->setValue(3);
    dialog.cliEdit()->setText(QStringLiteral(ROUTERLAB_CLI_PATH));
    error.clear();
    QVERIFY2(dialog.writeScripts(written, error), qPrintable(error));
    for (const char* name : {"experiment.json", "sweep-array.sbatch", "merge.sbatch", "submit.sh"})
        QVERIFY2(written.contains(QDir(folder).filePath(name)), name);
    QVERIFY(written.size() > 4); // the Kubernetes manifests
    QVERIFY(dialog.report()->toPlainText().contains("submit.sh"));
    GuiExperiment saved;
    QVERIFY2(loadExperimentFile(QDir(folder).filePath("experiment.json"), saved, error),
             qPrintable(error));
    QCOMPARE(saved.simulate.routers.size(), std::size_t{2});

    // Run the scripts the way Slurm would: each array task with its own index, then the merge.
    auto runScript = [&](const QString& script, int task) {
        QProcess bash;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("SLURM_ARRAY_TASK_ID", QString::number(task));
        env.insert("SLURM_ARRAY_TASK_MIN", "0");
        env.insert("SLURM_ARRAY_TASK_COUNT", "3");
        env.insert("SLURM_CPUS_PER_TASK", "1");
        bash.setProcessEnvironment(env);
        bash.setProcessChannelMode(QProcess::MergedChannels);
        bash.start("bash", {QDir(folder).filePath(script)});
        const bool finished = bash.waitForFinished(kTimeoutMs);
        return finished && bash.exitStatus() == QProcess::NormalExit && bash.exitCode() == 0
                   ? QString()
                   : script + ": " + QString::fromUtf8(bash.readAll());
    };
    for (int task = 0; task < 3; ++task) {
        const QString failure = runScript("sweep-array.sbatch", task);
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }
    const QString failure = runScript("merge.sbatch", 0);
    QVERIFY2(failure.isEmpty(), qPrintable(failure));
    const QString result = QDir(folder).filePath("results/result.json");
    QVERIFY(QFileInfo::exists(result));

    // The merged result opens like a local run.
    window_->openResultFile(result);
    QCOMPARE(takeErrors(), QStringList());
    QCOMPARE(shownErrorBoxes(), QStringList());
    QVERIFY(!bench_->shownResults()->sweep.isEmpty());
    window_->showPage(bench_->comparison());
    QVERIFY(bench_->comparison()->rowOf("pickllm-ga") >= 0);
}

void TestGuiWorkbench::badFilesEndInMessages() {
    const QString garbage = dir_.filePath("garbage.json");
    QFile f(garbage);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ not json");
    f.close();
    GuiExperiment e;
    QString error;
    QVERIFY(!loadExperimentFile(garbage, e, error));
    QVERIFY2(error.contains("garbage.json"), qPrintable(error));
    QVERIFY(!bench_->designer()->openFile(garbage, error));

    const QString unknownRouter = dir_.filePath("unknown.json");
    QFile u(unknownRouter);
    QVERIFY(u.open(QIODevice::WriteOnly));
    u.write("{\"datasets\": [\"x.csv\"], \"routers\": [\"no-such-router\"]}");
    u.close();
    QVERIFY(!loadExperimentFile(unknownRouter, e, error));
    QVERIFY2(error.contains("no-such-router"), qPrintable(error));

    window_->openResultFile(garbage);
    QString problem = expectErrorBox("Could not open the result " + garbage, "garbage.json");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // A file that is not a SQLite workspace: refused with a message, nothing touched.
    window_->openWorkspace(garbage);
    problem = expectErrorBox("Could not open the workspace " + garbage, "garbage.json");
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(window_->isVisible());
}

void TestGuiWorkbench::cleanupTestCase() {
    window_.reset();
}

ROUTERLAB_TEST_MAIN(TestGuiWorkbench)
#include "test_gui_workbench.moc"
