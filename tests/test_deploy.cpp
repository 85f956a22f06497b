// From an experiment to production: the router file Deploy trains (the same function as
// `routerlab-cli train`) loads as barp:model=FILE; the proxy command's words reach a real
// shell literally, whatever the paths hold; the Traffic summary of recorded calls matches
// figures worked out by hand.
#include "common/input_error.h"
#include "experiment/deployment.h"
#include "formats/dataset_loader.h"
#include "live/traffic_summary.h"
#include "sim/simulation.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace routerlab;

namespace {

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

// The words a POSIX shell hands the program when it runs `command`, the program being `f`.
QStringList wordsThroughShell(const QString& command) {
    QProcess sh;
    sh.start(QStringLiteral("sh"),
             {QStringLiteral("-c"), QStringLiteral("f() { printf '%s\\0' \"$@\"; }\n") + command});
    if (!sh.waitForFinished(10000) || sh.exitCode() != 0)
        return {QStringLiteral("shell failed: ") + QString::fromUtf8(sh.readAllStandardError())};
    QStringList words = QString::fromUtf8(sh.readAllStandardOutput()).split(QChar(0));
    words.removeLast(); // after the last NUL
    return words;
}

LiveCallRecord call(int step, const QString& model, const QString& status, double cost,
                    double latency, double quality = std::nan("")) {
    LiveCallRecord c;
    c.step = step;
    c.model = model;
    c.status = status;
    c.costUsd = cost;
    c.latencyS = latency;
    c.quality = quality;
    return c;
}

} // namespace

class TestDeploy : public QObject {
    Q_OBJECT

private slots:
    void shellWords_data();
    void shellWords();
    void proxyCommandSurvivesTheShell_data();
    void proxyCommandSurvivesTheShell();
    void relativePathsResolveAgainstTheFolder();
    void refusesWhatCannotBePassed_data();
    void refusesWhatCannotBePassed();
    void trainedFileLoadsAsTheProxyLoadsIt();
    void stoppedTrainingWritesNothing();
    void leaderIsTheBestRewardButNoReference();
    void trafficSummaryByHand();
    void trafficSummaryOfNothing();
};

void TestDeploy::leaderIsTheBestRewardButNoReference() {
    const std::vector<RouterSpec> ran{RouterSpec::parse("ucb1"), RouterSpec::parse("oracle"),
                                      RouterSpec::parse("knn:k=5"), RouterSpec::parse("barp")};
    auto row = [](const char* name, double reward) {
        return QJsonObject{{"name", QString::fromLatin1(name)}, {"mean_reward", reward}};
    };
    // The oracle's reward is the best, but it reads the outcomes: knn leads.
    const QJsonObject result{{"routers", QJsonArray{row("ucb1", 0.41), row("oracle", 0.9),
                                                    row("knn:k=5", 0.62), row("barp", 0.55)}}};
    const DeployableRouters d = deployableRouters(ran, result);
    QCOMPARE(d.specs, (QStringList{"ucb1", "knn:k=5", "barp"}));
    QCOMPARE(d.leader, 1);
    QCOMPARE(deployableRouters(ran, {}).leader, -1);
}

void TestDeploy::shellWords_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("spec");
    QTest::addColumn<QString>("word");
    QTest::newRow("plain path") << "/data/run-1/a_b.csv" << false << "/data/run-1/a_b.csv";
    QTest::newRow("space") << "/data/my runs/a.csv" << false << "'/data/my runs/a.csv'";
    QTest::newRow("quote") << "/data/it's.csv" << false << "'/data/it'\\''s.csv'";
    QTest::newRow("dollar") << "/w/$HOME.routerlab" << false << "'/w/$HOME.routerlab'";
    QTest::newRow("colon in a path") << "/a:b" << false << "'/a:b'";
    QTest::newRow("colon in a spec") << "knn:k=5,metric=cosine" << true << "knn:k=5,metric=cosine";
    QTest::newRow("space in a spec") << "barp:model=/a b.barp" << true << "'barp:model=/a b.barp'";
    QTest::newRow("empty") << "" << false << "''";
}

void TestDeploy::shellWords() {
    QFETCH(QString, text);
    QFETCH(bool, spec);
    QFETCH(QString, word);
    QCOMPARE(shellWord(text, spec), word);
    QCOMPARE(wordsThroughShell(QStringLiteral("f ") + word), QStringList{text});
}

void TestDeploy::proxyCommandSurvivesTheShell_data() {
    QTest::addColumn<QString>("router");
    QTest::addColumn<QString>("routerFile");
    QTest::addColumn<QStringList>("datasets");
    QTest::addColumn<QString>("pool");
    QTest::addColumn<QString>("workspace");
    QTest::addColumn<QString>("deployedRouter"); // what --router gets
    QTest::addColumn<QString>("fragment");       // how the command spells it
    QTest::newRow("barp trained into a file with a space and a quote")
        << "barp:epochs=5,decode=sample"
        << "/srv/my routers/it's.barp" << QStringList{"/data/a b.csv"} << "/p/pool.json"
        << "/w/$HOME ws.routerlab"
        << "barp:decode=sample,model=/srv/my routers/it's.barp"
        << "--router 'barp:decode=sample,model=/srv/my routers/it'\\''s.barp'";
    QTest::newRow("barp loading its file already")
        << "barp:model=/models/rb.barp"
        << "" << QStringList{"/data/a.csv"} << "/p/pool.json"
        << ""
        << "barp:model=/models/rb.barp"
        << "--router barp:model=/models/rb.barp";
    QTest::newRow("knn trains at start")
        << "knn:k=5"
        << "/ignored.barp" << QStringList{"/data/a.csv", "/data/b.csv"} << "/p/pool.json"
        << "/w/ws.routerlab"
        << "knn:k=5"
        << "--router knn:k=5 \\\n    --dataset /data/a.csv";
    QTest::newRow("quality-regression, a pool with double quotes")
        << "quality-regression"
        << "" << QStringList{"/data/a.csv"} << "/p/\"q\" pool.json"
        << ""
        << "quality-regression"
        << "--pool '/p/\"q\" pool.json'";
    QTest::newRow("irt-greedy, a relative dataset")
        << "irt-greedy"
        << "" << QStringList{"data/a.csv"} << "/p/pool.json"
        << ""
        << "irt-greedy"
        << "--dataset " + QDir::current().absoluteFilePath("data/a.csv");
}

void TestDeploy::proxyCommandSurvivesTheShell() {
    QFETCH(QString, router);
    QFETCH(QString, routerFile);
    QFETCH(QStringList, datasets);
    QFETCH(QString, pool);
    QFETCH(QString, workspace);
    QFETCH(QString, deployedRouter);
    QFETCH(QString, fragment);
    ProxyDeployment d;
    d.cli = QStringLiteral("f");
    d.router = RouterSpec::parse(router);
    d.routerFile = routerFile;
    d.datasets = datasets;
    d.pool = pool;
    d.workspace = workspace;
    d.features = QStringLiteral("tfidf:128");
    d.split = QStringLiteral("category:math,code"); // trained on the experiment's training part
    d.reward = RewardKind::Linear;
    d.preference = Preference{0.7, 0.3, 0};
    d.port = 8123;
    d.fallbacks = 3;

    QStringList expected{"proxy", "--pool", pool, "--router", deployedRouter};
    for (const QString& dataset : datasets)
        expected << "--dataset" << QDir::current().absoluteFilePath(dataset);
    expected << "--split"
             << "category:math,code"
             << "--features"
             << "tfidf:128"
             << "--reward"
             << "linear"
             << "--preference"
             << "quality=0.7,cost=0.3,latency=0"
             << "--port"
             << "8123"
             << "--fallbacks"
             << "3";
    if (!workspace.isEmpty())
        expected << "--workspace" << workspace;
    QCOMPARE(proxyArguments(d), expected);
    const QString command = proxyCommand(d);
    QVERIFY2(command.contains(fragment), qPrintable(command));
    QCOMPARE(wordsThroughShell(command), expected);
}

void TestDeploy::relativePathsResolveAgainstTheFolder() {
    ProxyDeployment d;
    d.folder = QStringLiteral("/home/analyst/lab");
    d.pool = QStringLiteral("sample_data/sample.pool.json");
    d.datasets = {QStringLiteral("../shared/a.csv")};
    d.router = RouterSpec::parse(QStringLiteral("barp"));
    d.routerFile = QStringLiteral("routers/barp.barp");
    d.workspace = QStringLiteral("/elsewhere/ws.routerlab");
    const QStringList args = proxyArguments(d);
    QCOMPARE(args.at(args.indexOf("--pool") + 1), "/home/analyst/lab/sample_data/sample.pool.json");
    QCOMPARE(args.at(args.indexOf("--router") + 1),
             "barp:model=/home/analyst/lab/routers/barp.barp");
    QCOMPARE(args.at(args.indexOf("--dataset") + 1), "/home/analyst/shared/a.csv");
    QCOMPARE(args.at(args.indexOf("--workspace") + 1), "/elsewhere/ws.routerlab");
    QVERIFY(!args.contains("--split")); // no split: the proxy trains on every prompt
    // A BaRP router that loads a file already: the file named absolutely, and nothing trained.
    d.router = RouterSpec::parse(QStringLiteral("barp:model=models/rb.barp,decode=sample"));
    QCOMPARE(deployedRouter(d).toString(),
             QStringLiteral("barp:decode=sample,model=/home/analyst/lab/models/rb.barp"));
    // A model name is not a path.
    d.router = RouterSpec::parse(QStringLiteral("fixed:model=gpt-4o"));
    QCOMPARE(deployedRouter(d).toString(), QStringLiteral("fixed:model=gpt-4o"));
}

void TestDeploy::refusesWhatCannotBePassed_data() {
    QTest::addColumn<QString>("router");
    QTest::addColumn<QString>("routerFile");
    QTest::addColumn<QString>("pool");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("field");
    QTest::newRow("barp not trained yet") << "barp"
                                          << ""
                                          << "/p.json" << 1 << "router file";
    QTest::newRow("comma in the file") << "barp"
                                       << "/a,b.barp"
                                       << "/p.json" << 1 << "router file";
    QTest::newRow("trailing space") << "barp"
                                    << "/a.barp "
                                    << "/p.json" << 1 << "router file";
    QTest::newRow("no pool") << "knn"
                             << ""
                             << "" << 1 << "pool";
    QTest::newRow("port too large") << "knn"
                                    << ""
                                    << "/p.json" << 70000 << "port";
}

void TestDeploy::refusesWhatCannotBePassed() {
    QFETCH(QString, router);
    QFETCH(QString, routerFile);
    QFETCH(QString, pool);
    QFETCH(int, port);
    QFETCH(QString, field);
    ProxyDeployment d;
    d.router = RouterSpec::parse(router);
    d.routerFile = routerFile;
    d.pool = pool;
    d.port = port;
    d.datasets = {QStringLiteral("/data/a.csv")};
    try {
        proxyCommand(d);
        QFAIL("a command was built");
    } catch (const std::invalid_argument& e) {
        QVERIFY2(QString::fromUtf8(e.what()).startsWith(field + QLatin1Char(':')), e.what());
    }
}

void TestDeploy::trainedFileLoadsAsTheProxyLoadsIt() {
    const PricedDataset data =
        loadPricedDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    const SimulationSetup setup(data.dataset, data.pool, options);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("with space.barp"));
    int epochsSeen = 0;
    const TrainedRouterFile trained =
        trainRouterFile(setup.problem(), RouterSpec::parse(QStringLiteral("barp:epochs=3")), path,
                        [&](int done, int total) {
                            epochsSeen = done;
                            return total == 3;
                        });
    QVERIFY(trained.model);
    QCOMPARE(epochsSeen, 3);
    QVERIFY(QFile::exists(path));
    ProxyDeployment d;
    d.router = RouterSpec::parse(QStringLiteral("barp:epochs=3"));
    d.routerFile = path;
    const RouterSpec spec = deployedRouter(d);
    // What the proxy does with --router barp:model=FILE: load it and check it fits the data.
    const auto router = RouterRegistry::instance().create(spec, setup.problem());
    QVERIFY(router);
    const RewardFunction reward(RewardKind::Linear, setup.problem().scales, Preference{0.5, 0.5});
    router->reset(1);
    const Decision decision = router->route(Query{setup.scoredRows().front()}, reward);
    QVERIFY(decision.model >= 0 && decision.model < setup.problem().modelCount());
    QCOMPARE(BarpModel::load(path)->trainingCurve(), trained.model->trainingCurve());

    // Another router is not trained into a file.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             trainRouterFile(setup.problem(), RouterSpec::parse("knn"), path));
}

void TestDeploy::stoppedTrainingWritesNothing() {
    const PricedDataset data =
        loadPricedDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    const SimulationSetup setup(data.dataset, data.pool, SimulationOptions{});
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("stopped.barp"));
    int epochsRun = 0;
    const TrainedRouterFile trained =
        trainRouterFile(setup.problem(), RouterSpec::parse(QStringLiteral("barp:epochs=50")), path,
                        [&](int done, int) {
                            epochsRun = done;
                            return done < 2;
                        });
    QVERIFY(!trained.model);
    QCOMPARE(epochsRun, 2);
    QVERIFY(!QFile::exists(path));
}

void TestDeploy::trafficSummaryByHand() {
    // Request 1: a fails (429), falls back to b. Request 2: a answers, rated 1. Request 3: b
    // answers, rated 0.5, judged at $0.01. Request 4: c answers, unrated.
    std::vector<LiveCallRecord> calls{call(1, "a", "failed", 0, 0.2),
                                      call(1, "b", "ok", 0.004, 1.0),
                                      call(2, "a", "ok", 0.002, 3.0, 1.0),
                                      call(3, "b", "ok", 0.006, 2.0, 0.5),
                                      call(3, "judge-model", "ok", 0.01, 0.5, 0.9),
                                      call(4, "c", "ok", 0.001, 4.0)};
    calls[4].role = QStringLiteral("judge");
    const TrafficSummary s = summarizeTraffic(calls);
    QCOMPARE(s.requests, 4);
    QCOMPARE(s.calls, 5);
    QCOMPARE(s.answered, 4);
    QCOMPARE(s.failed, 1);
    QCOMPARE(s.spentUsd, 0.013);
    QCOMPARE(s.judgeUsd, 0.01);
    // Latencies of the answers: 1, 3, 2, 4 -> mean 2.5; p95 at rank 0.95 * 3 = 2.85 of
    // (1, 2, 3, 4): 3 + 0.85 * 1 = 3.85.
    QCOMPARE(s.meanLatencyS, 2.5);
    QCOMPARE(s.p95LatencyS, 3.85);
    QCOMPARE(s.rated, 2);
    QCOMPARE(s.ratedShare, 0.5);
    QCOMPARE(s.meanRating, 0.75);
    QCOMPARE(s.models.size(), std::size_t(3));
    // a and b have two calls each (a's failed one counts): by name; then c.
    QCOMPARE(s.models[0].model, QStringLiteral("a"));
    QCOMPARE(s.models[0].calls, 2);
    QCOMPARE(s.models[0].failed, 1);
    QCOMPARE(s.models[0].share, 0.4);
    QCOMPARE(s.models[0].spentUsd, 0.002);
    QCOMPARE(s.models[1].model, QStringLiteral("b"));
    QCOMPARE(s.models[1].spentUsd, 0.010);
    QCOMPARE(s.models[2].model, QStringLiteral("c"));
    QCOMPARE(s.models[2].share, 0.2);
}

void TestDeploy::trafficSummaryOfNothing() {
    const TrafficSummary s = summarizeTraffic({});
    QCOMPARE(s.requests, 0);
    QVERIFY(s.models.empty());
    QVERIFY(std::isnan(s.meanLatencyS));
    QVERIFY(std::isnan(s.ratedShare));
    QVERIFY(std::isnan(s.meanRating));
}

QTEST_GUILESS_MAIN(TestDeploy)
#include "test_deploy.moc"
