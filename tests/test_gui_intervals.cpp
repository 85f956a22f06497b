// Intervals on the workbench's charts, asserted on the real widgets: the band over seeds around
// each convergence curve (from a run in this process and from runs stored in a workspace),
// error bars on both axes of sweep points and operating points (from a result file), one box
// per router for session cost and latency, intervals and significance marks in the Comparison
// table, and intervals in the trade-off dock's table.

#include "experiment/experiment_file.h"
#include "formats/dataset_loader.h"
#include "sim/run_recorder.h"
#include "ui/charts/comparison_panel.h"
#include "ui/charts/convergence_panel.h"
#include "ui/charts/cost_panel.h"
#include "ui/charts/interval_text.h"
#include "ui/charts/latency_panel.h"
#include "ui/charts/paired_comparison_view.h"
#include "ui/charts/pareto_panel.h"
#include "ui/experiment/experiment_run_job.h"
#include "ui/experiment/result_sources.h"
#include "ui/experiment/results_accumulator.h"
#include "ui/tradeoff/operating_point_evaluator.h"
#include "ui/tradeoff/preference_panel.h"

#include <QAreaSeries>
#include <QBoxPlotSeries>
#include <QBoxSet>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineSeries>
#include <QRegularExpression>
#include <QStandardItem>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <map>

using namespace routerlab;

namespace {

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

const std::vector<RouterSpec>& testRouters() {
    static const std::vector<RouterSpec> routers{RouterSpec::parse(QStringLiteral("thompson")),
                                                 RouterSpec::parse(QStringLiteral("ucb1"))};
    return routers;
}

GuiExperiment smallExperiment(int seeds) {
    GuiExperiment e = sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    e.simulate.routers = testRouters();
    e.simulate.seeds = seeds;
    e.simulate.threads = 2;
    e.points = 3;
    return e;
}

// Each router's final cumulative regret per seed, as the runs produced it.
using FinalRegrets = std::map<QString, std::vector<double>>;

// The experiment run as the window runs it, folded by the window's accumulator.
std::shared_ptr<const ExperimentResults> liveResults(int seeds, FinalRegrets& finals) {
    auto progress = std::make_shared<RunProgress>();
    const RunOutcome outcome = runExperimentJob(smallExperiment(seeds), {}, progress, 2);
    if (!outcome.prepared || !outcome.error.isEmpty())
        return nullptr;
    ResultsAccumulator accumulator(outcome.prepared, QStringLiteral("live"));
    for (CellDigest& d : progress->takeFinished(RunProgress::Wait::Yes)) {
        if (d.index < outcome.prepared->simulateCellCount() && !d.cumulativeRegret.empty())
            finals[outcome.prepared->cell(d.index).router.toString()].push_back(
                d.cumulativeRegret.back());
        accumulator.add(d);
    }
    accumulator.buildNow();
    return accumulator.results();
}

// The experiment run as `routerlab-cli simulate --workspace` records it, read back.
std::shared_ptr<const ExperimentResults> storedResults(int seeds, const QString& workspace,
                                                       FinalRegrets& finals) {
    const PricedDataset data =
        loadPricedDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    SimulationOptions options;
    options.sessions = SessionRule::parse(QStringLiteral("length:100"));
    const SimulationSetup setup(data.dataset, data.pool, options);
    const ExperimentPlan plan = planSimulate(testRouters(), Preference{}, seeds, setup, {});
    const std::vector<CellResult> runs = runCells(setup, plan.cells, 2);
    for (std::size_t i = 0; i < runs.size(); ++i)
        finals[plan.cells[i].router.toString()].push_back(runs[i].cumulativeRegret.value.back());
    WorkspaceStore store(workspace);
    SimulationArguments a;
    a.command = QStringLiteral("simulate");
    a.routers = testRouters();
    a.seeds = seeds;
    const qint64 id =
        recordRuns(store, QStringLiteral("stored"), a.toJson(setup), runs, data.dataset.modelNames);
    for (const ExperimentRecord& r : store.experiments())
        if (r.id == id)
            return std::make_shared<ExperimentResults>(readStoredExperiment(store, r));
    return nullptr;
}

std::map<double, double> pointsByX(const QXYSeries* series) {
    std::map<double, double> out;
    for (const QPointF& p : series->points())
        out[p.x()] = p.y();
    return out;
}

template <typename T>
std::vector<T*> seriesNamed(QChart* chart, const QString& objectName, const QString& router) {
    std::vector<T*> out;
    for (QAbstractSeries* s : chart->series())
        if (s->objectName() == objectName && s->property("router").toString() == router)
            out.push_back(static_cast<T*>(s));
    return out;
}

QJsonArray pair(double low, double high) {
    return QJsonArray{low, high};
}

struct Extent {
    double xMin = INFINITY, xMax = -INFINITY, yMin = INFINITY, yMax = -INFINITY;
};

Extent extentOf(const QXYSeries* series) {
    Extent e;
    for (const QPointF& p : series->points()) {
        e.xMin = std::min(e.xMin, p.x());
        e.xMax = std::max(e.xMax, p.x());
        e.yMin = std::min(e.yMin, p.y());
        e.yMax = std::max(e.yMax, p.y());
    }
    return e;
}

bool writeJson(const QString& path, const QJsonObject& json) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(json).toJson()) > 0;
}

// A sweep result with one router whose three points carry the intervals asked for.
QJsonObject sweepFixture(const QString& router, bool costIntervals, bool qualityIntervals) {
    QJsonArray points;
    for (int i = 0; i < 3; ++i) {
        const double cost = 0.001 * (i + 1), quality = 0.6 + 0.05 * i;
        QJsonObject p{
            {QStringLiteral("preference"), QJsonObject{{QStringLiteral("quality"), 1.0 - 0.5 * i},
                                                       {QStringLiteral("cost"), 0.5 * i},
                                                       {QStringLiteral("latency"), 0.0}}},
            {QStringLiteral("cost_usd"), cost},
            {QStringLiteral("quality"), quality}};
        if (costIntervals)
            p.insert(QStringLiteral("cost_usd_ci95"), pair(cost * 0.8, cost * 1.3));
        if (qualityIntervals)
            p.insert(QStringLiteral("quality_ci95"), pair(quality - 0.03, quality + 0.02));
        points.append(p);
    }
    return {{QStringLiteral("routers"), QJsonArray{QJsonObject{{QStringLiteral("name"), router},
                                                               {QStringLiteral("points"), points},
                                                               {QStringLiteral("aiq"), 0.61}}}},
            {QStringLiteral("models"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("small")},
                                    {QStringLiteral("cost_usd"), 0.0008},
                                    {QStringLiteral("quality"), 0.55}}}}};
}

} // namespace

class TestGuiIntervals : public QObject {
    Q_OBJECT

private slots:
    void convergenceBandOverSeeds_data();
    void convergenceBandOverSeeds();
    void sweepPointsHaveErrorBars_data();
    void sweepPointsHaveErrorBars();
    void operatingPointsHaveErrorBars();
    void costAndLatencyAreBoxesPerRouter();
    void comparisonShowsIntervalsAndSignificantLeaders_data();
    void comparisonShowsIntervalsAndSignificantLeaders();
    void tradeOffTableShowsIntervals();
    void pairedTestOfAnyTwoRouters();

private:
    QTemporaryDir dir_;
};

void TestGuiIntervals::convergenceBandOverSeeds_data() {
    QTest::addColumn<bool>("stored");
    QTest::addColumn<int>("seeds");
    QTest::newRow("run here, 3 seeds") << false << 3;
    QTest::newRow("run here, 1 seed") << false << 1;
    QTest::newRow("stored, 3 seeds") << true << 3;
    QTest::newRow("stored, 1 seed") << true << 1;
}

void TestGuiIntervals::convergenceBandOverSeeds() {
    QFETCH(bool, stored);
    QFETCH(int, seeds);
    FinalRegrets finals;
    const auto results =
        stored ? storedResults(seeds, dir_.filePath(QStringLiteral("band%1.routerlab").arg(seeds)),
                               finals)
               : liveResults(seeds, finals);
    QVERIFY(results);
    ConvergencePanel panel;
    panel.setResults(results);
    QChart* chart = panel.lineChart();
    int checked = 0;
    for (const RouterSeries& s : results->series) {
        if (s.reference)
            continue; // the references are drawn without a band
        QCOMPARE(s.seeds, seeds);
        // The spread behind the band is the seeds' own: its half-width at the last step is
        // t(0.975, n-1) times their standard error there.
        const std::vector<double>& regrets = finals[s.name];
        QCOMPARE(static_cast<int>(regrets.size()), seeds);
        double mean = 0, squares = 0;
        for (const double r : regrets)
            mean += r / seeds;
        for (const double r : regrets)
            squares += (r - mean) * (r - mean);
        QVERIFY(std::abs(s.cumulativeRegret.back() - mean) < 1e-9 * std::max(1.0, mean));
        const std::vector<double> half = seedHalfWidths(s.cumulativeRegretM2, s.seeds);
        QCOMPARE(half.empty(), seeds < 2);
        if (seeds >= 2)
            QVERIFY(std::abs(half.back() -
                             studentT975(seeds - 1) * std::sqrt(squares / (seeds - 1) / seeds)) <
                    1e-9 * std::max(1.0, half.back()));

        const auto bands = seriesNamed<QAreaSeries>(chart, QStringLiteral("seedBand"), s.name);
        QCOMPARE(bands.size(), std::size_t(1));
        const QAreaSeries* band = bands.front();
        QCOMPARE(band->color().rgb(),
                 routerColor(static_cast<int>(&s - &results->series[0])).rgb());
        QVERIFY(band->color().alpha() < 255);
        if (seeds == 1) {
            QCOMPARE(band->upperSeries()->count(), 0);
            QCOMPARE(band->lowerSeries()->count(), 0);
            ++checked;
            continue;
        }
        const QXYSeries* line = nullptr;
        for (QAbstractSeries* series : chart->series())
            if (series->name() == s.name)
                line = static_cast<QXYSeries*>(series);
        QVERIFY(line);
        const auto lower = pointsByX(band->lowerSeries());
        const auto upper = pointsByX(band->upperSeries());
        int shared = 0;
        bool wide = false;
        for (const auto& [x, y] : pointsByX(line)) {
            if (!lower.count(x) || !upper.count(x))
                continue;
            ++shared;
            QVERIFY2(lower.at(x) <= y + 1e-9 && y <= upper.at(x) + 1e-9,
                     qPrintable(QStringLiteral("%1 at step %2: %3 outside [%4, %5]")
                                    .arg(s.name)
                                    .arg(x)
                                    .arg(y)
                                    .arg(lower.at(x))
                                    .arg(upper.at(x))));
            wide = wide || upper.at(x) > lower.at(x);
        }
        QVERIFY2(shared >= 10, qPrintable(QStringLiteral("%1 steps in common").arg(shared)));
        // A router the seeds do not change (ucb1 breaks no ties at random) has a band of no
        // width; one they do change has a band that shows it.
        QCOMPARE(wide, squares > 0);
        ++checked;
    }
    QCOMPARE(checked, static_cast<int>(testRouters().size()));
}

void TestGuiIntervals::sweepPointsHaveErrorBars_data() {
    QTest::addColumn<bool>("costIntervals");
    QTest::addColumn<bool>("qualityIntervals");
    QTest::newRow("both axes") << true << true;
    QTest::newRow("quality only") << false << true;
    QTest::newRow("cost only") << true << false;
    QTest::newRow("none (bootstrap off)") << false << false;
}

void TestGuiIntervals::sweepPointsHaveErrorBars() {
    QFETCH(bool, costIntervals);
    QFETCH(bool, qualityIntervals);
    const QJsonObject fixture =
        sweepFixture(QStringLiteral("alpha"), costIntervals, qualityIntervals);
    const QString path = dir_.filePath(
        QStringLiteral("sweep-%1-%2.json").arg(int(costIntervals)).arg(int(qualityIntervals)));
    QVERIFY(writeJson(path, fixture));
    auto results = std::make_shared<ExperimentResults>();
    QString error;
    QVERIFY2(readResultFile(path, *results, error), qPrintable(error));
    ParetoPanel panel;
    panel.setResults(results);
    const auto bars =
        seriesNamed<QLineSeries>(panel.chart(), QStringLiteral("sweepErrorBar"), "alpha");
    const QJsonArray points =
        fixture.value("routers").toArray().at(0).toObject().value("points").toArray();
    QCOMPARE(bars.size(), costIntervals || qualityIntervals ? std::size_t(points.size()) : 0u);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const QJsonObject p = points.at(static_cast<int>(i)).toObject();
        const double cost = p.value("cost_usd").toDouble(), quality = p.value("quality").toDouble();
        const Extent e = extentOf(bars[i]);
        const QJsonArray costCi = p.value("cost_usd_ci95").toArray();
        const QJsonArray qualityCi = p.value("quality_ci95").toArray();
        QCOMPARE(e.xMin, costIntervals ? costCi.at(0).toDouble() : cost);
        QCOMPARE(e.xMax, costIntervals ? costCi.at(1).toDouble() : cost);
        QCOMPARE(e.yMin, qualityIntervals ? qualityCi.at(0).toDouble() : quality);
        QCOMPARE(e.yMax, qualityIntervals ? qualityCi.at(1).toDouble() : quality);
    }
    // The CSV export carries the same ends, blank where the result has none.
    const QString csv = panel.table().toText();
    for (const QJsonValue& v : points) {
        const QJsonObject p = v.toObject();
        const auto ends = [&](const char* key) {
            const QJsonArray ci = p.value(QLatin1String(key)).toArray();
            return ci.isEmpty() ? QStringList{QString(), QString()}
                                : QStringList{CsvTable::number(ci.at(0).toDouble()),
                                              CsvTable::number(ci.at(1).toDouble())};
        };
        const QString figures = (QStringList{CsvTable::number(p.value("cost_usd").toDouble()),
                                             CsvTable::number(p.value("quality").toDouble())} +
                                 ends("cost_usd_ci95") + ends("quality_ci95"))
                                    .join(',');
        QVERIFY2(csv.contains(figures), qPrintable(figures + " not in\n" + csv));
    }
}

void TestGuiIntervals::operatingPointsHaveErrorBars() {
    auto results = std::make_shared<ExperimentResults>();
    results->sweep = sweepFixture(QStringLiteral("alpha"), false, false);
    ParetoPanel panel;
    panel.resize(900, 600);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.setResults(results);
    ParetoPanel::OperatingPoint withBars{
        QStringLiteral("alpha"), 0.002, 0.65, {0.0015, 0.0026}, {0.62, 0.68}};
    const ParetoPanel::OperatingPoint without{QStringLiteral("beta"), 0.001, 0.6, {}, {}};
    panel.setOperatingPoints({withBars, without});
    auto bars = seriesNamed<QLineSeries>(panel.chart(), "operatingPointBar", "alpha");
    QCOMPARE(bars.size(), std::size_t(1));
    QCOMPARE(seriesNamed<QLineSeries>(panel.chart(), "operatingPointBar", "beta").size(),
             std::size_t(0));
    const Extent e = extentOf(bars.front());
    QCOMPARE(e.xMin, 0.0015);
    QCOMPARE(e.xMax, 0.0026);
    QCOMPARE(e.yMin, 0.62);
    QCOMPARE(e.yMax, 0.68);

    // A slider move replaces the bar's points in place.
    const QLineSeries* before = bars.front();
    withBars = {QStringLiteral("alpha"), 0.003, 0.7, {0.0028, 0.0033}, {0.69, 0.72}};
    panel.setOperatingPoints({withBars, without});
    bars = seriesNamed<QLineSeries>(panel.chart(), "operatingPointBar", "alpha");
    QCOMPARE(bars.size(), std::size_t(1));
    QCOMPARE(bars.front(), before);
    const Extent moved = extentOf(bars.front());
    QCOMPARE(moved.xMin, 0.0028);
    QCOMPARE(moved.xMax, 0.0033);
    QCOMPARE(moved.yMin, 0.69);
    QCOMPARE(moved.yMax, 0.72);
}

void TestGuiIntervals::costAndLatencyAreBoxesPerRouter() {
    FinalRegrets finals;
    const auto results = liveResults(2, finals);
    QVERIFY(results);
    CostPanel cost;
    cost.setResults(results);
    LatencyPanel latency;
    latency.setResults(results);
    const int routers = static_cast<int>(results->series.size());
    QVERIFY(routers > static_cast<int>(testRouters().size())); // the references too
    for (QChart* chart : {cost.boxChart(), latency.chart()}) {
        std::vector<QBoxPlotSeries*> all;
        for (QAbstractSeries* series : chart->series())
            if (auto* b = qobject_cast<QBoxPlotSeries*>(series))
                all.push_back(b);
        QCOMPARE(all.size(), std::size_t(1));
        const QBoxPlotSeries* boxes = all.front();
        QCOMPARE(boxes->count(), routers);
        for (int i = 0; i < routers; ++i) {
            const QBoxSet* box = boxes->boxSets().at(i);
            QCOMPARE(box->label(), results->series[static_cast<std::size_t>(i)].name);
            for (int k = QBoxSet::LowerExtreme; k < QBoxSet::UpperExtreme; ++k)
                QVERIFY(box->at(k) <= box->at(k + 1));
        }
    }
    // Beside each latency box, the result's mean latency and, when it has one, its interval.
    int bars = 0;
    for (const QJsonObject& row : results->simulateRows()) {
        const QString name = row.value("name").toString();
        const Interval ci = intervalOf(row, QStringLiteral("mean_latency_s"));
        const auto found = seriesNamed<QLineSeries>(latency.chart(), "meanLatencyInterval", name);
        QCOMPARE(found.size(), std::size_t(ci.valid() ? 1 : 0));
        if (!ci.valid())
            continue;
        const Extent e = extentOf(found.front());
        QCOMPARE(e.yMin, ci.low);
        QCOMPARE(e.yMax, ci.high);
        QVERIFY(ci.low <= row.value("mean_latency_s").toDouble() &&
                row.value("mean_latency_s").toDouble() <= ci.high);
        ++bars;
    }
    QVERIFY(bars > 0); // the run's result has them: buildResult bootstraps by default

    // And the Comparison table of the same run shows every router's quality with its interval.
    ComparisonPanel comparison;
    comparison.setResults(results);
    for (const RouterSeries& s : results->series) {
        const int row = comparison.rowOf(s.name);
        QVERIFY(row >= 0);
        const QStandardItem* quality = comparison.item(row, ComparisonPanel::QualityColumn);
        const double value = comparison.value(row, ComparisonPanel::QualityColumn);
        QVERIFY2(quality->data(ComparisonPanel::LowRole).toDouble() <= value &&
                     value <= quality->data(ComparisonPanel::HighRole).toDouble() &&
                     quality->text().contains('['),
                 qPrintable(s.name + ": " + quality->text()));
    }
    // A session-cost box summarises every session of every seed.
    QCOMPARE(static_cast<int>(cost.stats().size()), routers);
    for (int i = 0; i < routers; ++i) {
        const RouterSeries& s = results->series[static_cast<std::size_t>(i)];
        QCOMPARE(cost.stats()[static_cast<std::size_t>(i)].sessions,
                 static_cast<int>(s.sessionCost.size()) * s.seeds);
        const auto [low, high] = std::minmax_element(s.sessionCosts.begin(), s.sessionCosts.end());
        const QBoxSet* box =
            qobject_cast<QBoxPlotSeries*>(cost.boxChart()->series().first())->boxSets().at(i);
        QVERIFY(*low <= box->at(QBoxSet::LowerExtreme));
        QVERIFY(box->at(QBoxSet::UpperExtreme) <= *high);
    }
}

void TestGuiIntervals::comparisonShowsIntervalsAndSignificantLeaders_data() {
    QTest::addColumn<bool>("significant");
    QTest::newRow("significant lead") << true;
    QTest::newRow("lead within noise") << false;
}

void TestGuiIntervals::comparisonShowsIntervalsAndSignificantLeaders() {
    QFETCH(bool, significant);
    const QJsonObject alpha{{"name", "alpha"},
                            {"mean_quality", 0.612},
                            {"mean_quality_ci95", pair(0.598, 0.627)},
                            {"mean_cost_usd", 0.0012},
                            {"mean_cost_usd_ci95", pair(0.0011, 0.0013)},
                            {"regret", 10.0},
                            {"regret_ci95", pair(8.0, 12.5)}};
    const QJsonObject beta{{"name", "beta"}, {"mean_quality", 0.58}, {"regret", 12.0}};
    const QJsonObject leaders{{"mean_quality", QJsonObject{{"router", "alpha"},
                                                           {"runner_up", "beta"},
                                                           {"difference", 0.032},
                                                           {"ci95", pair(0.01, 0.05)},
                                                           {"p_value", 0.004},
                                                           {"significant", significant},
                                                           {"higher_is_better", true}}},
                              {"regret", QJsonObject{{"router", "alpha"},
                                                     {"runner_up", "beta"},
                                                     {"difference", -2.0},
                                                     {"ci95", pair(-4.5, 0.5)},
                                                     {"p_value", 0.3},
                                                     {"significant", false},
                                                     {"higher_is_better", false}}}};
    const QString path = dir_.filePath(QStringLiteral("simulate-%1.json").arg(int(significant)));
    QVERIFY(writeJson(path,
                      {{"routers", QJsonArray{alpha, beta}}, {"seeds", 3}, {"leaders", leaders}}));
    auto results = std::make_shared<ExperimentResults>();
    QString error;
    QVERIFY2(readResultFile(path, *results, error), qPrintable(error));
    ComparisonPanel panel;
    panel.setResults(results);
    const int a = panel.rowOf("alpha"), b = panel.rowOf("beta");
    QVERIFY(a >= 0 && b >= 0);
    QCOMPARE(panel.item(a, ComparisonPanel::QualityColumn)->text(),
             QStringLiteral("0.612\n[0.598, 0.627]"));
    QCOMPARE(panel.item(a, ComparisonPanel::CostPerThousandColumn)->text(),
             QStringLiteral("1.200\n[1.100, 1.300]"));
    QCOMPARE(panel.item(a, ComparisonPanel::RegretColumn)->text(),
             QStringLiteral("10.0\n[8.0, 12.5]"));
    QCOMPARE(panel.item(b, ComparisonPanel::QualityColumn)->text(), QStringLiteral("0.580"));
    QCOMPARE(panel.value(a, ComparisonPanel::QualityColumn), 0.612); // sorts by the value
    const QStringList csv = panel.table().toText().split('\n');
    QVERIFY(csv.first().contains("mean_quality_ci95_low,mean_quality_ci95_high"));
    const QString qualityEnds =
        QStringLiteral(",%1,%2,").arg(CsvTable::number(0.598), CsvTable::number(0.627));
    QVERIFY2(csv.at(1).startsWith("alpha,") && csv.at(1).contains(qualityEnds),
             qPrintable(csv.at(1)));

    // The mark: only the significant lead, and only there.
    int marks = 0;
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < ComparisonPanel::ColumnCount; ++c) {
            const QStandardItem* item = panel.item(r, ComparisonPanel::Column(c));
            marks += item->data(ComparisonPanel::LeaderRole).toBool();
            QCOMPARE(item->font().bold(), item->data(ComparisonPanel::LeaderRole).toBool());
        }
    QCOMPARE(marks, significant ? 1 : 0);
    const QStandardItem* quality = panel.item(a, ComparisonPanel::QualityColumn);
    QCOMPARE(quality->data(ComparisonPanel::LeaderRole).toBool(), significant);
    QVERIFY2(quality->toolTip().contains("0.0320 [0.0100, 0.0500]") &&
                 quality->toolTip().contains("p = 0.004") && quality->toolTip().contains("beta"),
             qPrintable(quality->toolTip()));
    QVERIFY(panel.item(a, ComparisonPanel::RegretColumn)->toolTip().contains("p = 0.3"));
}

void TestGuiIntervals::tradeOffTableShowsIntervals() {
    const GuiExperiment experiment = smallExperiment(1);
    const auto prepared = prepareExperiment(experiment, {}, nullptr);
    QVERIFY(prepared);
    // thompson learns online: it comes from the sweep, with the sweep point's intervals.
    const QJsonObject sweep = sweepFixture(QStringLiteral("thompson"), true, true);
    const OperatingPoints points =
        evaluateOperatingPoints(*prepared, Preference{0.5, 0.5, 0.0}, sweep);
    PreferencePanel panel;
    panel.showPoints(points);
    QTableWidget* table = panel.table();
    QCOMPARE(table->rowCount(), static_cast<int>(points.routers.size()));
    const QRegularExpression shape(QStringLiteral("^(\\S+)\\n\\[(\\S+), (\\S+)\\]$"));
    int evaluated = 0, fromSweep = 0;
    for (int r = 0; r < table->rowCount(); ++r) {
        const RouterOperatingPoint& p = points.routers[static_cast<std::size_t>(r)];
        if (p.router == QLatin1String("ucb1"))
            continue; // not in the sweep fixture: no figures at all
        for (const int column : {1, 2}) {
            const QRegularExpressionMatch m = shape.match(table->item(r, column)->text());
            QVERIFY2(m.hasMatch(), qPrintable(p.router + ": " + table->item(r, column)->text()));
            const double value = m.captured(1).toDouble(), low = m.captured(2).toDouble(),
                         high = m.captured(3).toDouble();
            QVERIFY2(low <= value && value <= high, qPrintable(table->item(r, column)->text()));
        }
        if (p.evaluated) {
            // An interval of a mean over hundreds of prompts: narrower than the figure.
            QVERIFY(p.qualityCi.valid() && p.qualityCi.high - p.qualityCi.low < 0.2);
            QVERIFY(p.costCi.valid() && p.costCi.low <= p.meanCostUsd &&
                    p.meanCostUsd <= p.costCi.high);
            ++evaluated;
        } else {
            const Interval expected = intervalOf(sweep.value("routers")
                                                     .toArray()
                                                     .at(0)
                                                     .toObject()
                                                     .value("points")
                                                     .toArray()
                                                     .at(1)
                                                     .toObject(),
                                                 QStringLiteral("quality"));
            QCOMPARE(p.qualityCi.low, expected.low);
            QCOMPARE(p.qualityCi.high, expected.high);
            ++fromSweep;
        }
    }
    QCOMPARE(evaluated, 1); // the oracle
    QCOMPARE(fromSweep, 1);
}

QTEST_MAIN(TestGuiIntervals)
// Any two rows of a run, in either order: the difference of their figures with the paired
// interval the result computed, bold exactly when the test rejects at 5%.
void TestGuiIntervals::pairedTestOfAnyTwoRouters() {
    FinalRegrets finals;
    const auto results = liveResults(2, finals);
    QVERIFY(results);
    ComparisonPanel panel;
    panel.setResults(results);
    PairedComparisonView* paired = panel.pairedView();
    QVERIFY(!paired->isHidden());
    const std::vector<QJsonObject> rows = results->simulateRows();
    QCOMPARE(paired->firstBox()->count(), static_cast<int>(rows.size()));
    const QString a = rows.front().value("name").toString();
    const QString b = QStringLiteral("random");
    for (const auto& [first, second] : {std::pair{a, b}, std::pair{b, a}}) {
        QVERIFY(paired->choose(first, second));
        QTableWidget* table = paired->table();
        QCOMPARE(table->rowCount(), 5);
        const auto rowNamed = [&](const QString& name) {
            for (const QJsonObject& r : rows)
                if (r.value("name").toString() == name)
                    return r;
            return QJsonObject{};
        };
        // Row 1 of the table is quality: its difference leads the cell.
        const double difference = rowNamed(first).value("mean_quality").toDouble() -
                                  rowNamed(second).value("mean_quality").toDouble();
        const QString text = table->item(1, 1)->text();
        // Three significant digits of a difference under 1 in size: within half a thousandth.
        QVERIFY2(std::abs(text.section(' ', 0, 0).toDouble() - difference) <= 5e-4,
                 qPrintable(text));
        const QStringList ends = text.section('[', 1).chopped(1).split(QStringLiteral(", "));
        QCOMPARE(ends.size(), 2);
        QVERIFY2(ends[0].toDouble() <= text.section(' ', 0, 0).toDouble() &&
                     text.section(' ', 0, 0).toDouble() <= ends[1].toDouble(),
                 qPrintable(text));
        const bool rejects = table->item(1, 2)->text() == QStringLiteral("< 0.001") ||
                             table->item(1, 2)->text().toDouble() < 0.05;
        QCOMPARE(table->item(1, 1)->font().bold(), rejects);
    }
    // Without the bootstrap there is no pair to test, and no picker.
    auto plain = std::make_shared<ExperimentResults>(*results);
    plain->simulate.remove(QStringLiteral("pairs"));
    panel.setResults(plain);
    QVERIFY(paired->isHidden());
}

#include "test_gui_intervals.moc"
