// The shard/merge contract: any split of an experiment's cells into shards, run with any
// thread count and merged, gives the bytes one process gives; merge refuses what it cannot
// trust (missing, foreign, conflicting shards) and says which files are at fault.
#include "common/input_error.h"
#include "experiment/experiment_plan.h"
#include "experiment/shard_files.h"
#include "formats/dataset_loader.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;

namespace {

QByteArray bytesOf(const QJsonObject& json) {
    return QJsonDocument(json).toJson(QJsonDocument::Indented);
}

QByteArray wholeRun(const SimulationSetup& setup, const ExperimentPlan& plan, int threads) {
    const std::vector<CellResult> results = runCells(setup, plan.cells, threads);
    std::vector<const CellSummary*> summaries;
    for (const CellResult& r : results)
        summaries.push_back(&r.summary);
    return bytesOf(buildResult(plan.context, summaries));
}

void runShard(const SimulationSetup& setup, const ExperimentPlan& plan, const ShardSpec& shard,
              const QString& folder, int threads) {
    std::vector<Cell> cells;
    for (std::size_t i = 0; i < plan.cells.size(); ++i)
        if (shard.owns(i))
            cells.push_back(plan.cells[i]);
    writeShard(folder, plan, shard, runCells(setup, cells, threads));
}

QString mergeError(const QString& folder, bool allowPartial = false) {
    try {
        mergeShards(folder, allowPartial);
    } catch (const InputError& e) {
        return e.text();
    }
    return {};
}

} // namespace

class TestExperiment : public QObject {
    Q_OBJECT

private:
    PricedDataset sample_;
    std::unique_ptr<SimulationSetup> setup_;
    std::vector<RouterSpec> routers_;

    ExperimentPlan sweepPlan(int seeds = 2, const QString& fingerprint = QStringLiteral("data")) {
        return planSweep(routers_, 5, 0.0, seeds, *setup_, fingerprint);
    }

private slots:
    void initTestCase() {
        const QDir dir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        sample_ = loadPricedDataset({dir.filePath(QStringLiteral("sample.csv"))},
                                    dir.filePath(QStringLiteral("sample.pool.json")));
        setup_ =
            std::make_unique<SimulationSetup>(sample_.dataset, sample_.pool, SimulationOptions{});
        for (const char* r : {"pickllm-ga", "pickllm-q", "thompson", "linucb"})
            routers_.push_back(RouterSpec::parse(QLatin1String(r)));
    }

    void shardSpecs_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("environment");
        QTest::addColumn<int>("index"); // -1: refused
        QTest::addColumn<int>("count");
        QTest::newRow("explicit") << "2/7" << QStringList{} << 2 << 7;
        QTest::newRow("index too large") << "7/7" << QStringList{} << -1 << 0;
        QTest::newRow("garbage") << "two/7" << QStringList{} << -1 << 0;
        QTest::newRow("no count") << "3" << QStringList{} << -1 << 0;
        QTest::newRow("slurm, array 1-4")
            << "auto"
            << QStringList{"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_COUNT=4",
                           "SLURM_ARRAY_TASK_MIN=1"}
            << 2 << 4;
        // A task resubmitted alone (--array=2) sees a one-task array: the explicit count and
        // the task id still place it.
        QTest::newRow("slurm resubmitted")
            << "auto/4"
            << QStringList{"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=1",
                           "SLURM_ARRAY_TASK_MIN=2"}
            << 2 << 4;
        QTest::newRow("kubernetes") << "auto/3" << QStringList{"JOB_COMPLETION_INDEX=1"} << 1 << 3;
        QTest::newRow("kubernetes without count")
            << "auto" << QStringList{"JOB_COMPLETION_INDEX=1"} << -1 << 0;
        QTest::newRow("no scheduler") << "auto/3" << QStringList{} << -1 << 0;
    }
    void shardSpecs() {
        QFETCH(QString, text);
        QFETCH(QStringList, environment);
        QFETCH(int, index);
        QFETCH(int, count);
        QProcessEnvironment env;
        for (const QString& pair : environment)
            env.insert(pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1));
        if (index < 0) {
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ShardSpec::parse(text, env));
            return;
        }
        const ShardSpec s = ShardSpec::parse(text, env);
        QCOMPARE(s.index, index);
        QCOMPARE(s.count, count);
    }

    void mergeEqualsOneProcess_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<int>("shards");
        QTest::addColumn<int>("threads");
        for (const char* command : {"sweep", "simulate"})
            for (const int shards : {1, 2, 3, 7})
                for (const int threads : {1, 2})
                    QTest::addRow("%s, %d shards, %d threads", command, shards, threads)
                        << QString::fromLatin1(command) << shards << threads;
    }
    void mergeEqualsOneProcess() {
        QFETCH(QString, command);
        QFETCH(int, shards);
        QFETCH(int, threads);
        const ExperimentPlan plan = command == QLatin1String("sweep")
                                        ? sweepPlan()
                                        : planSimulate(routers_, Preference{0.6, 0.4, 0.0}, 3,
                                                       *setup_, QStringLiteral("data"));
        const QByteArray single = wholeRun(*setup_, plan, 2);
        QTemporaryDir dir;
        for (int i = 0; i < shards; ++i)
            runShard(*setup_, plan, {i, shards}, dir.path(), threads);
        const MergeOutcome merged = mergeShards(dir.path(), false);
        QCOMPARE(merged.shards, shards);
        QCOMPARE(merged.missingCells, 0);
        QCOMPARE(bytesOf(merged.result), single);
    }

    void missingShardsAreNamed() {
        const ExperimentPlan plan = sweepPlan(1);
        QTemporaryDir dir;
        for (const int i : {0, 2, 4})
            runShard(*setup_, plan, {i, 5}, dir.path(), 1);
        const QString error = mergeError(dir.path());
        QVERIFY2(error.contains(QLatin1String("2 of 5 shards missing: index 1, 3")),
                 qPrintable(error));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("result.json"))));

        // Partial on request: present cells count, absent ones are listed.
        const MergeOutcome partial = mergeShards(dir.path(), true);
        QCOMPARE(partial.shards, 3);
        const QJsonArray missing = partial.result.value(QStringLiteral("missing_cells")).toArray();
        QCOMPARE(missing.size(), partial.missingCells);
        int expected = 0;
        for (std::size_t i = 0; i < plan.cells.size(); ++i)
            expected += (i % 5 == 1 || i % 5 == 3) ? 1 : 0;
        QCOMPARE(missing.size(), expected);
        QCOMPARE(partial.result.value(QStringLiteral("complete")).toBool(true), false);
        for (const QJsonValue& v : missing)
            QVERIFY(v.toObject().value(QStringLiteral("index")).toInt() % 5 != 0);
    }

    void foreignShardsAreRefused() {
        QTemporaryDir dir;
        const ExperimentPlan plan = sweepPlan(1);
        runShard(*setup_, plan, {0, 2}, dir.path(), 1);
        // Same routers and data, other seeds: another experiment.
        const ExperimentPlan other = sweepPlan(2);
        QVERIFY(other.configHash != plan.configHash);
        runShard(*setup_, other, {1, 2}, dir.path(), 1);
        const QString error = mergeError(dir.path());
        QVERIFY2(error.contains(QLatin1String("2 different experiments")), qPrintable(error));
        QVERIFY(error.contains(QLatin1String("shard-0000-of-0002.json")));
        QVERIFY(error.contains(QLatin1String("shard-0001-of-0002.json")));

        // Same everything but the data: also another experiment.
        QVERIFY(sweepPlan(1, QStringLiteral("other data")).configHash != plan.configHash);
    }

    void duplicatesAreDetected() {
        QTemporaryDir dir;
        const ExperimentPlan plan = sweepPlan(1);
        runShard(*setup_, plan, {0, 2}, dir.path(), 1);
        runShard(*setup_, plan, {1, 2}, dir.path(), 1);
        // An identical copy (a task that ran twice) is used once and mentioned.
        QVERIFY(QFile::copy(dir.filePath(QStringLiteral("shard-0001-of-0002.json")),
                            dir.filePath(QStringLiteral("shard-0001-of-0002.copy.json"))));
        const MergeOutcome merged = mergeShards(dir.path(), false);
        QCOMPARE(merged.notes.size(), 1);
        QVERIFY(merged.notes.front().contains(QLatin1String("duplicates")));
        QCOMPARE(bytesOf(merged.result), wholeRun(*setup_, plan, 1));

        // A copy with other numbers in it is a conflict.
        QByteArray bytes =
            testing::readFile(dir.filePath(QStringLiteral("shard-0001-of-0002.copy.json")));
        QJsonObject json = QJsonDocument::fromJson(bytes).object();
        QJsonArray cells = json.value(QStringLiteral("cells")).toArray();
        QJsonObject first = cells[0].toObject();
        QJsonObject summary = first.value(QStringLiteral("summary")).toObject();
        summary.insert(QStringLiteral("mean_quality"), 0.123);
        first.insert(QStringLiteral("summary"), summary);
        cells[0] = first;
        json.insert(QStringLiteral("cells"), cells);
        testing::writeFile(QDir(dir.path()), QStringLiteral("shard-0001-of-0002.copy.json"),
                           QJsonDocument(json).toJson());
        const QString error = mergeError(dir.path());
        QVERIFY2(error.contains(QLatin1String("different results")), qPrintable(error));
    }

    void brokenShardsAreNamed_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("cut short") << QByteArray("{\"format\":\"routerlab-shard\",\n\"cells\":[")
                                   << "shard-0000-of-0001.json:2: not valid JSON";
        QTest::newRow("not ours") << QByteArray("{\"format\":\"something\"}") << "field 'format'";
        QTest::newRow("bad position")
            << QByteArray("{\"format\":\"routerlab-shard\",\"format_version\":1,\"shard\":3,"
                          "\"shards\":2}")
            << "shard 3 of 2";
    }
    void brokenShardsAreNamed() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        QTemporaryDir dir;
        testing::writeFile(QDir(dir.path()), QStringLiteral("shard-0000-of-0001.json"), content);
        const QString error = mergeError(dir.path());
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(
            mergeError(dir.filePath(QStringLiteral("absent"))).contains(QLatin1String("no such")),
            "absent folder");
    }

    // A few hundred bytes must not make merge allocate by their claim, nor print a list as
    // long as the claim: the file and the field are named, the message stays short.
    void hostileClaimsAreRefusedBriefly_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        const QByteArray head = "{\"format\":\"routerlab-shard\",\"format_version\":1,";
        QTest::newRow("2^31-1 shards")
            << head + "\"shard\":0,\"shards\":2147483647,\"cells\":[]}"
            << "shard-0000-of-0001.json:1: field 'shards': claims 2147483647 shards";
        QTest::newRow("10^7 shards") << head + "\"shard\":0,\"shards\":10000000,\"cells\":[]}"
                                     << "field 'shards': claims 10000000 shards";
        QTest::newRow("10^5 shards, one present")
            << head + "\"shard\":0,\"shards\":100000,\"cells\":[]}"
            << "99999 of 100000 shards missing: index 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 99989 "
               "more";
        QTest::newRow("10^9 seeds")
            << head + "\"shard\":0,\"shards\":1,\"context\":{\"command\":\"sweep\","
                      "\"routers\":[\"thompson\"],\"points\":1001,\"seeds\":1000000000}}"
            << "field 'context': claims an experiment of 2002000000000 cells";
    }
    void hostileClaimsAreRefusedBriefly() {
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        QTemporaryDir dir;
        testing::writeFile(QDir(dir.path()), QStringLiteral("shard-0000-of-0001.json"), content);
        const QString error = mergeError(dir.path());
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.size() < 400, qPrintable(error));
    }

    void manyForeignShardsAreListedBriefly() {
        QTemporaryDir dir;
        for (int i = 0; i < 40; ++i)
            testing::writeFile(
                QDir(dir.path()),
                QStringLiteral("shard-%1-of-0040.json").arg(i, 4, 10, QLatin1Char('0')),
                QStringLiteral("{\"format\":\"routerlab-shard\",\"format_version\":1,\"shard\":%1,"
                               "\"shards\":40,\"config_hash\":\"hash%1\"}")
                    .arg(i)
                    .toUtf8());
        const QString error = mergeError(dir.path());
        QVERIFY2(error.contains(QLatin1String("40 different experiments")), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("and 30 more")), qPrintable(error));
        QVERIFY2(error.size() < 800, qPrintable(error));
    }

    void twoModelSweepsReportApgr() {
        // Two models: the sweep adds RouteLLM's APGR and CPT; the oracle recovers more of
        // the gap than random routing's diagonal (0.5).
        const QByteArray data = [] {
            QByteArray csv = "prompt_id,prompt,category,model,quality,input_tokens,output_tokens\n";
            for (int i = 0; i < 200; ++i) {
                const bool hard = i % 3 == 0;
                csv += QByteArray("p") + QByteArray::number(i) + ",prompt " +
                       QByteArray::number(i) + ",c,weak," + (hard ? "0" : "1") + ",100,100\n";
                csv += QByteArray("p") + QByteArray::number(i) + ",prompt " +
                       QByteArray::number(i) + ",c,strong,1,100,100\n";
            }
            return csv;
        }();
        QTemporaryDir dir;
        const QString file = testing::writeFile(QDir(dir.path()), QStringLiteral("two.csv"), data);
        const QString pool = testing::writeFile(
            QDir(dir.path()), QStringLiteral("two.pool.json"),
            R"({"name":"two","models":[{"id":"weak","input_price_per_mtok":0.1,"output_price_per_mtok":0.1},
                {"id":"strong","input_price_per_mtok":10,"output_price_per_mtok":30}]})");
        const PricedDataset two = loadPricedDataset({file}, pool);
        const SimulationSetup setup(two.dataset, two.pool, SimulationOptions{});
        const ExperimentPlan plan =
            planSweep({RouterSpec::parse(QStringLiteral("random"))}, 11, 0.0, 2, setup, {});
        const QJsonObject result = QJsonDocument::fromJson(wholeRun(setup, plan, 2)).object();
        QCOMPARE(result.value(QStringLiteral("strong_model")).toString(), QStringLiteral("strong"));
        const double oracle = result.value(QStringLiteral("oracle"))
                                  .toObject()
                                  .value(QStringLiteral("apgr"))
                                  .toDouble();
        // The oracle sends exactly the hard third to the strong model: the curve reaches
        // PGR 1 at share 1/3, so APGR = 1/6 + 2/3 = 5/6 once the quality-only point sits there.
        QVERIFY2(oracle > 0.8, qPrintable(QString::number(oracle)));
        const double random = result.value(QStringLiteral("routers"))
                                  .toArray()[0]
                                  .toObject()
                                  .value(QStringLiteral("apgr"))
                                  .toDouble();
        QVERIFY2(std::abs(random - 0.5) < 0.05, qPrintable(QString::number(random)));
    }
};

QTEST_GUILESS_MAIN(TestExperiment)
#include "test_experiment.moc"
