// Runs side by side: real runs of routerlab-cli (a workspace and result files) and of the
// window are overlaid; every chart page then lists both runs' routers, the Runs page lists
// exactly the configuration fields that differ, and its metric differences are the
// differences of the two results' own figures.

#include "cli_process.h"
#include "experiment/experiment_file.h"
#include "experiment/experiment_plan.h"
#include "store/workspace_store.h"
#include "test_main.h"
#include "ui/charts/chart_panel.h"
#include "ui/experiment/compare_runs_dialog.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/run_overlay.h"
#include "ui/experiment/runs_panel.h"
#include "ui/shell/main_window.h"
#include "ui/shell/workspace_navigator.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QListWidget>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 300000;

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

QJsonObject readJson(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject rowNamed(const QJsonObject& result, const QString& name) {
    for (const QJsonValue& v : result.value("routers").toArray())
        if (v.toObject().value("name").toString() == name)
            return v.toObject();
    for (const QString& key :
         {QStringLiteral("oracle"), QStringLiteral("random"), QStringLiteral("best_single")})
        if (result.value(key).toObject().value("name").toString() == name)
            return result.value(key).toObject();
    return {};
}

} // namespace

class TestGuiOverlay : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void differenceIntervalCombinesBothSides_data();
    void differenceIntervalCombinesBothSides();
    void overlayReachesEveryPage_data();
    void overlayReachesEveryPage();
    void configurationListsWhatDiffers_data();
    void configurationListsWhatDiffers();
    void metricDifferencesAreTheResultsDifferences();
    void intervalsShowInTheirCells_data();
    void intervalsShowInTheirCells();
    void dialogFromMenuAndTreeComparesRuns();
    void unreadableRunChangesNothing();
    void cleanupTestCase();

private:
    // "stored:N" (experiment N of the workspace), "file:NAME" (in the test folder),
    // "window:N" (the window's N-th result).
    RunChoice choice(const QString& spec) const;
    std::vector<RunChoice> choices(const QStringList& specs) const;
    void simulateWithCli(const QStringList& routers, int seeds, const QString& out);
    void sweepWithCli(const QStringList& routers, const QString& out);
    void runInWindow(const QStringList& routers, int seeds);
    QString csvOf(ChartPanel* panel);

    QTemporaryDir dir_;
    QString workspace_;
    std::unique_ptr<MainWindow> window_;
    ExperimentWorkbench* bench_ = nullptr;
};

void TestGuiOverlay::simulateWithCli(const QStringList& routers, int seeds, const QString& out) {
    QStringList args{"simulate",
                     "--dataset",
                     sampleFile("sample.csv"),
                     "--pool",
                     sampleFile("sample.pool.json"),
                     "--seeds",
                     QString::number(seeds),
                     "--workspace",
                     workspace_,
                     "--out",
                     dir_.filePath(out),
                     "--threads",
                     "2"};
    for (const QString& r : routers)
        args << "--router" << r;
    const testing::CliRun run = testing::cli(args);
    QVERIFY2(run.code == 0, run.err.constData());
}

void TestGuiOverlay::sweepWithCli(const QStringList& routers, const QString& out) {
    QStringList args{"sweep",
                     "--dataset",
                     sampleFile("sample.csv"),
                     "--pool",
                     sampleFile("sample.pool.json"),
                     "--seeds",
                     "1",
                     "--points",
                     "3",
                     "--out",
                     dir_.filePath(out),
                     "--threads",
                     "2"};
    for (const QString& r : routers)
        args << "--router" << r;
    const testing::CliRun run = testing::cli(args);
    QVERIFY2(run.code == 0, run.err.constData());
}

void TestGuiOverlay::runInWindow(const QStringList& routers, int seeds) {
    GuiExperiment e = sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    e.simulate.routers.clear();
    for (const QString& r : routers)
        e.simulate.routers.push_back(RouterSpec::parse(r));
    e.simulate.seeds = seeds;
    e.simulate.options.split = SplitRule::parse("none");
    e.simulate.threads = 2;
    e.points = 3;
    bench_->designer()->setExperiment(e);
    QSignalSpy finished(bench_, &ExperimentWorkbench::runFinished);
    bench_->run();
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.first().at(1).toString(), QString());
}

void TestGuiOverlay::initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
    workspace_ = dir_.filePath("runs.routerlab");
    // Two runs that differ in their seeds and in one router's parameter, recorded in one
    // workspace (experiments 1 and 2) and written as result files.
    simulateWithCli({"ucb1", "epsilon-greedy"}, 2, "a.json");
    simulateWithCli({"ucb1", "epsilon-greedy:epsilon=0.2"}, 3, "b.json");
    sweepWithCli({"ucb1", "epsilon-greedy"}, "sweep-a.json");
    sweepWithCli({"ucb1", "epsilon-greedy:epsilon=0.2"}, "sweep-b.json");

    // The recorded configuration carries the fingerprint of the files the runs read.
    {
        WorkspaceStore store(workspace_);
        const std::vector<ExperimentRecord> experiments = store.experiments();
        QCOMPARE(experiments.size(), std::size_t(2));
        const QString expected =
            fingerprintFiles({sampleFile("sample.csv"), sampleFile("sample.pool.json")});
        for (const ExperimentRecord& e : experiments)
            QCOMPARE(QJsonDocument::fromJson(e.configJson).object().value("data_sha256").toString(),
                     expected);
    }

    window_ = std::make_unique<MainWindow>();
    window_->resize(1400, 860);
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    bench_ = window_->workbench();
    window_->openWorkspace(workspace_);
    QCOMPARE(bench_->workspacePath(), workspace_);
    // The same two runs in the window (its results 0 and 1): these have every series.
    runInWindow({"ucb1", "epsilon-greedy"}, 1);
    runInWindow({"ucb1", "epsilon-greedy:epsilon=0.2"}, 2);
}

RunChoice TestGuiOverlay::choice(const QString& spec) const {
    const QString kind = spec.section(':', 0, 0);
    const QString value = spec.section(':', 1);
    if (kind == "stored")
        return {RunChoice::Source::Stored,
                value.toLongLong(),
                workspace_,
                QStringLiteral("experiment %1").arg(value),
                {}};
    if (kind == "window")
        return {RunChoice::Source::Session,
                value.toLongLong(),
                {},
                QStringLiteral("window run %1").arg(value),
                {}};
    return {RunChoice::Source::File, -1, dir_.filePath(value), value, {}};
}

std::vector<RunChoice> TestGuiOverlay::choices(const QStringList& specs) const {
    std::vector<RunChoice> out;
    for (const QString& s : specs)
        out.push_back(choice(s));
    return out;
}

QString TestGuiOverlay::csvOf(ChartPanel* panel) {
    window_->showPage(panel);
    const QString path = dir_.filePath(panel->fileStem() + ".csv");
    QString error;
    if (!panel->exportCsv(path, error))
        return error;
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : path;
}

void TestGuiOverlay::differenceIntervalCombinesBothSides_data() {
    QTest::addColumn<double>("a");
    QTest::addColumn<double>("aLow");
    QTest::addColumn<double>("aHigh");
    QTest::addColumn<double>("b");
    QTest::addColumn<double>("bLow");
    QTest::addColumn<double>("bHigh");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    // Symmetric intervals: the normal approximation, d ± sqrt(h_a² + h_b²).
    QTest::newRow("symmetric") << 0.5 << 0.4 << 0.6 << 0.7 << 0.65 << 0.75
                               << 0.2 - std::sqrt(0.0125) << 0.2 + std::sqrt(0.0125);
    // Asymmetric: the low side takes b's lower and a's upper distance (0.3, 0.4 -> 0.5).
    QTest::newRow("asymmetric") << 1.0 << 0.9 << 1.4 << 3.0 << 2.7 << 3.1 << 2.0 - 0.5
                                << 2.0 + std::hypot(0.1, 0.1);
    QTest::newRow("one missing") << 1.0 << qQNaN() << qQNaN() << 3.0 << 2.7 << 3.1 << qQNaN()
                                 << qQNaN();
}

void TestGuiOverlay::differenceIntervalCombinesBothSides() {
    QFETCH(double, a);
    QFETCH(double, aLow);
    QFETCH(double, aHigh);
    QFETCH(double, b);
    QFETCH(double, bLow);
    QFETCH(double, bHigh);
    QFETCH(double, low);
    QFETCH(double, high);
    const Interval i = differenceInterval(a, {aLow, aHigh}, b, {bLow, bHigh});
    QCOMPARE(i.valid(), !std::isnan(low));
    if (i.valid()) {
        QVERIFY(std::abs(i.low - low) < 1e-12);
        QVERIFY(std::abs(i.high - high) < 1e-12);
    }
}

void TestGuiOverlay::overlayReachesEveryPage_data() {
    QTest::addColumn<QStringList>("runs");
    QTest::addColumn<QStringList>("pages"); // file stems of the pages that list every run
    QTest::newRow("stored experiments")
        << QStringList{"stored:1", "stored:2"} << QStringList{"convergence", "comparison"};
    QTest::newRow("simulate files")
        << QStringList{"file:a.json", "file:b.json"} << QStringList{"comparison"};
    QTest::newRow("sweep files") << QStringList{"file:sweep-a.json", "file:sweep-b.json"}
                                 << QStringList{"pareto", "comparison"};
    QTest::newRow("runs of the window")
        << QStringList{"window:0", "window:1"}
        << QStringList{"convergence", "cost", "latency", "pareto", "comparison"};
    QTest::newRow("three sources")
        << QStringList{"stored:1", "file:b.json", "window:1"} << QStringList{"comparison"};
}

void TestGuiOverlay::overlayReachesEveryPage() {
    QFETCH(QStringList, runs);
    QFETCH(QStringList, pages);
    QString error;
    QSignalSpy shown(bench_, &ExperimentWorkbench::resultsShown);
    QVERIFY2(bench_->compareRuns(choices(runs), error), qPrintable(error));
    QCOMPARE(shown.count(), 1);
    QCOMPARE(bench_->shownResults()->comparison->labels.size(), runs.size());
    for (ChartPanel* panel : bench_->panels()) {
        if (!pages.contains(panel->fileStem()))
            continue;
        const QString csv = csvOf(panel);
        for (int i = 0; i < runs.size(); ++i) {
            QVERIFY2(csv.contains(overlayName(runLabel(i), "ucb1")),
                     qPrintable(panel->fileStem() + ": no " + overlayName(runLabel(i), "ucb1")));
            // Each run's upper bound stays the upper bound (dashed, outside the hull).
            if (panel->fileStem() == "pareto")
                QVERIFY(csv.contains("\noracle," + overlayName(runLabel(i), "oracle") + ","));
        }
    }
    QCOMPARE(bench_->runsPanel()->comparison().labels, bench_->shownResults()->comparison->labels);
    QVERIFY(bench_->runsPanel()->differencesTable()->rowCount() > 0);
}

void TestGuiOverlay::configurationListsWhatDiffers_data() {
    QTest::addColumn<QStringList>("runs");
    QTest::addColumn<QStringList>("differing");
    const QStringList changed{"Seeds", "epsilon-greedy parameters"};
    QTest::newRow("two stored") << QStringList{"stored:1", "stored:2"} << changed;
    QTest::newRow("two files") << QStringList{"file:a.json", "file:b.json"} << changed;
    QTest::newRow("two window runs") << QStringList{"window:0", "window:1"} << changed;
    // A result file records no data, pool or version: nothing says they were the same.
    QTest::newRow("stored and file")
        << QStringList{"stored:1", "file:b.json"}
        << (changed + QStringList{"Datasets", "Test datasets", "Pool", "Data fingerprint (sha256)",
                                  "Version"});
    QTest::newRow("a run and itself")
        << QStringList{"stored:2", "file:b.json"}
        << QStringList{"Datasets", "Test datasets", "Pool", "Data fingerprint (sha256)", "Version"};
    QTest::newRow("same twice") << QStringList{"stored:1", "stored:1"} << QStringList{};
}

void TestGuiOverlay::configurationListsWhatDiffers() {
    QFETCH(QStringList, runs);
    QFETCH(QStringList, differing);
    QString error;
    QVERIFY2(bench_->compareRuns(choices(runs), error), qPrintable(error));
    RunsPanel* page = bench_->runsPanel();
    window_->showPage(page);
    page->showAllBox()->setChecked(false);
    QTableWidget* table = page->configurationTable();
    QStringList shownFields;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->columnSpan(r, 0) == 1)
            shownFields << table->item(r, 0)->text();
    QCOMPARE(QSet<QString>(shownFields.begin(), shownFields.end()),
             QSet<QString>(differing.begin(), differing.end()));
    if (differing.contains("Seeds")) {
        const int r = static_cast<int>(shownFields.indexOf("Seeds"));
        QVERIFY(table->item(r, 1)->text() != table->item(r, 2)->text());
    }
    // Every field, the agreeing ones too, once the box is ticked.
    page->showAllBox()->setChecked(true);
    QCOMPARE(table->rowCount(), static_cast<int>(page->comparison().configuration.size()));
    QVERIFY(table->rowCount() > differing.size() + 8);
}

void TestGuiOverlay::metricDifferencesAreTheResultsDifferences() {
    QString error;
    QVERIFY2(bench_->compareRuns(choices({"file:a.json", "file:b.json"}), error),
             qPrintable(error));
    const QJsonObject a = readJson(dir_.filePath("a.json"));
    const QJsonObject b = readJson(dir_.filePath("b.json"));
    const std::vector<MetricDifference>& differences =
        bench_->runsPanel()->comparison().differences;
    QSet<QString> routers;
    for (const MetricDifference& d : differences) {
        const QJsonObject x = rowNamed(a, d.router);
        const QJsonObject y = rowNamed(b, d.otherRouter);
        QVERIFY2(!x.isEmpty() && !y.isEmpty(), qPrintable(d.router));
        QCOMPARE(d.run, 1);
        QCOMPARE(d.baseline, x.value(d.metric).toDouble());
        QCOMPARE(d.other, y.value(d.metric).toDouble());
        QCOMPARE(d.difference, y.value(d.metric).toDouble() - x.value(d.metric).toDouble());
        // An interval exactly when both results carry one, combined from those two.
        const QJsonArray ca = x.value(d.metric + "_ci95").toArray();
        const QJsonArray cb = y.value(d.metric + "_ci95").toArray();
        QCOMPARE(d.interval.valid(), ca.size() == 2 && cb.size() == 2);
        if (d.interval.valid()) {
            const Interval expected =
                differenceInterval(d.baseline, {ca[0].toDouble(), ca[1].toDouble()}, d.other,
                                   {cb[0].toDouble(), cb[1].toDouble()});
            QCOMPARE(d.interval.low, expected.low);
            QCOMPARE(d.interval.high, expected.high);
        }
        routers << d.router + " / " + d.otherRouter;
    }
    // ucb1 by name, epsilon-greedy by type (its one spec on each side), and the references.
    QVERIFY(routers.contains("ucb1 / ucb1"));
    QVERIFY(routers.contains("epsilon-greedy / epsilon-greedy:epsilon=0.2"));
    QVERIFY(routers.contains("oracle / oracle"));
    // Quality is a figure of every row: one difference per matched router.
    QCOMPARE(std::count_if(differences.begin(), differences.end(),
                           [](const MetricDifference& d) { return d.metric == "mean_quality"; }),
             static_cast<long>(routers.size()));
    // The page shows each: the quality difference leads its cell; a difference at the last
    // bits of the figures (sums over 2 and 3 seeds of a router that draws nothing at random
    // round differently) shows as 0.
    QTableWidget* table = bench_->runsPanel()->differencesTable();
    int checked = 0, moved = 0;
    for (int r = 0; r < table->rowCount(); ++r) {
        const QString router = table->item(r, 0)->text();
        const QString other = router.contains(" ↔ ") ? router.section(" ↔ ", 1) : router;
        const QJsonObject x = rowNamed(a, router.section(" ↔ ", 0, 0));
        const QJsonObject y = rowNamed(b, other);
        const double qa = x.value("mean_quality").toDouble();
        const double qb = y.value("mean_quality").toDouble();
        const double quality = qb - qa;
        const QString text = table->item(r, 2)->text();
        QCOMPARE(table->item(r, 1)->text(), QString("B − A"));
        if (std::abs(quality) <= 1e-9 * std::max(std::abs(qa), std::abs(qb)))
            QVERIFY2(text == "0" || text.startsWith("0 ["), qPrintable(router + ": " + text));
        else if (++moved)
            QVERIFY2(text.startsWith((quality > 0 ? "+" : "") + QString::number(quality, 'g', 3)),
                     qPrintable(router + ": " + text));
        ++checked;
    }
    QCOMPARE(checked, static_cast<int>(routers.size()));
    QVERIFY(moved > 0); // epsilon-greedy's parameter changed its figures
}

void TestGuiOverlay::intervalsShowInTheirCells_data() {
    QTest::addColumn<double>("halfWidth");
    QTest::addColumn<bool>("leavesOutZero");
    QTest::newRow("narrow") << 1e-7 << true;
    QTest::newRow("wide") << 0.5 << false;
}

// The two result files with mean_quality_ci95 on every row, as a bootstrap writes it (the
// figure ± halfWidth): each difference's cell shows its interval, bold when zero is outside.
void TestGuiOverlay::intervalsShowInTheirCells() {
    QFETCH(double, halfWidth);
    QFETCH(bool, leavesOutZero);
    QStringList files;
    for (const QString& name : {QStringLiteral("a.json"), QStringLiteral("b.json")}) {
        QJsonObject result = readJson(dir_.filePath(name));
        const auto withInterval = [&](QJsonObject row) {
            const double q = row.value("mean_quality").toDouble();
            row.insert("mean_quality_ci95", QJsonArray{q - halfWidth, q + halfWidth});
            return row;
        };
        QJsonArray routers;
        for (const QJsonValue& v : result.value("routers").toArray())
            routers.append(withInterval(v.toObject()));
        result.insert("routers", routers);
        for (const QString& key :
             {QStringLiteral("oracle"), QStringLiteral("random"), QStringLiteral("best_single")})
            result.insert(key, withInterval(result.value(key).toObject()));
        const QString file = QStringLiteral("ci-%1").arg(name);
        QFile out(dir_.filePath(file));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QJsonDocument(result).toJson());
        files << "file:" + file;
    }
    QString error;
    QVERIFY2(bench_->compareRuns(choices(files), error), qPrintable(error));
    QTableWidget* table = bench_->runsPanel()->differencesTable();
    const std::vector<MetricDifference>& differences =
        bench_->runsPanel()->comparison().differences;
    int row = 0;
    for (const MetricDifference& d : differences) {
        if (d.metric != "mean_quality")
            continue;
        QVERIFY(d.interval.valid());
        // Both intervals symmetric: d ± sqrt(2) · halfWidth.
        QVERIFY(std::abs(d.interval.high - d.difference - std::sqrt(2.0) * halfWidth) < 1e-12);
        QTableWidgetItem* cell = table->item(row++, 2);
        QVERIFY2(cell->text().contains(" [") && cell->text().endsWith("]"),
                 qPrintable(cell->text()));
        if (d.router.startsWith("epsilon-greedy")) // its parameter moved its quality
            QCOMPARE(cell->font().bold(), leavesOutZero);
        QCOMPARE(cell->font().bold(), d.interval.low > 0 || d.interval.high < 0);
    }
    QCOMPARE(row, table->rowCount());
}

void TestGuiOverlay::dialogFromMenuAndTreeComparesRuns() {
    // What the dialog offers: the window's two runs (not its overlays) and both experiments.
    CompareRunsDialog offered(bench_->runChoices());
    QCOMPARE(offered.list()->count(), 4);
    offered.check(RunChoice::Source::Stored, 2);
    QVERIFY(!offered.compareButton()->isEnabled());
    offered.addFiles({dir_.filePath("a.json")});
    QVERIFY(offered.compareButton()->isEnabled());
    QCOMPARE(offered.chosen().size(), std::size_t(2));
    QCOMPARE(offered.chosen()[0].id, qint64(2)); // list order: experiment 2, then the file

    // The tree's context menu on experiment 1 opens the dialog with it ticked; tick the
    // window's second run too and compare. Then the same through Experiment ▸ Compare Runs….
    const auto answer = [&](const QStringList& tick) {
        QTimer::singleShot(0, this, [tick] {
            QTRY_VERIFY(qobject_cast<CompareRunsDialog*>(QApplication::activeModalWidget()));
            auto* dialog = qobject_cast<CompareRunsDialog*>(QApplication::activeModalWidget());
            for (int r = 0; r < dialog->list()->count(); ++r)
                for (const QString& t : tick)
                    if (dialog->list()->item(r)->text().startsWith(t))
                        dialog->list()->item(r)->setCheckState(Qt::Checked);
            dialog->compareButton()->click();
        });
    };
    const QString run2 = bench_->runChoices()[1].title;
    answer({run2});
    auto* navigator = window_->findChild<WorkspaceNavigator*>();
    emit navigator->compareRequested(WorkspaceNavigator::Kind::Experiment, 1);
    QCOMPARE(bench_->shownResults()->comparison->titles.size(), 2);
    QVERIFY(bench_->shownResults()->comparison->titles.contains(run2));
    QCOMPARE(window_->pages()->currentWidget(), static_cast<QWidget*>(bench_->runsPanel()));

    const QString run1 = bench_->runChoices()[0].title;
    answer({run1, run2});
    window_->findChild<QAction*>("compareRunsAction")->trigger();
    QCOMPARE(bench_->shownResults()->comparison->titles, (QStringList{run1, run2}));
}

void TestGuiOverlay::unreadableRunChangesNothing() {
    const QString garbage = dir_.filePath("garbage.json");
    QFile f(garbage);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ not json");
    f.close();
    const auto before = bench_->shownResults();
    const int entries =
        window_->findChild<WorkspaceNavigator*>()->entryCount(WorkspaceNavigator::Kind::Result);
    QString error;
    QVERIFY(!bench_->compareRuns(choices({"stored:1", "file:garbage.json"}), error));
    QVERIFY2(error.contains("garbage.json"), qPrintable(error));
    QVERIFY(!bench_->compareRuns(choices({"stored:1", "stored:9"}), error));
    QVERIFY2(error.contains("experiment 9"), qPrintable(error));
    QVERIFY(!bench_->compareRuns(choices({"stored:1"}), error));
    QCOMPARE(bench_->shownResults(), before);
    QCOMPARE(
        window_->findChild<WorkspaceNavigator*>()->entryCount(WorkspaceNavigator::Kind::Result),
        entries);
}

void TestGuiOverlay::cleanupTestCase() {
    window_.reset();
}

ROUTERLAB_TEST_MAIN(TestGuiOverlay)
#include "test_gui_overlay.moc"
