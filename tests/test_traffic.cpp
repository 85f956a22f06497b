// Recorded traffic replayed into `simulate` and `sweep`: the live calls of a session in a real
// workspace become the scored prompts, in arrival order, and train nothing.
#include "cli_in_process.h"
#include "experiment/experiment_file.h"
#include "formats/dataset_loader.h"
#include "replay_process.h"
#include "sim/simulation.h"
#include "store/workspace_store.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>

using routerlab::testing::CliResult;
using routerlab::testing::runCliInProcess;

namespace {

bool closeTo(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

QString samplePath(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

// The id a proxy records for a prompt text it does not know as a dataset prompt.
QString hashedId(const QString& text) {
    return QStringLiteral("sha-") +
           QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256)
                                   .toHex()
                                   .left(16));
}

// One recorded call, as a live session stores it.
routerlab::LiveCallRecord call(qint64 session, int step, const QString& promptId,
                               const QString& model, double costUsd,
                               const QString& status = QStringLiteral("ok"),
                               const QString& role = QStringLiteral("answer")) {
    routerlab::LiveCallRecord c;
    c.sessionId = session;
    c.step = step;
    c.role = role;
    c.promptId = promptId;
    c.model = model;
    c.status = status;
    c.attempts = 1;
    c.costUsd = status == QLatin1String("ok") ? costUsd : 0.0;
    c.latencyS = 0.5 + step;
    return c;
}

qint64 startSession(routerlab::WorkspaceStore& store, const QString& router,
                    const QString& scorer) {
    routerlab::LiveSessionRecord s;
    s.router = router;
    s.scorer = scorer;
    s.preferenceJson = "quality=0.7,cost=0.3";
    return store.startLiveSession(s);
}

} // namespace

class TestTraffic : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString workspace_;
    std::unique_ptr<routerlab::PricedDataset> sample_;
    // Rows of the sample the proxy session asked, in arrival order (a repeat included).
    std::vector<int> proxyRows_;
    std::vector<routerlab::LiveCallRecord> proxyCalls_; // the answered ones, in order

    QStringList simulateArgs(const QString& traffic) const {
        return {QStringLiteral("simulate"),
                QStringLiteral("--dataset"),
                samplePath("sample.csv"),
                QStringLiteral("--pool"),
                samplePath("sample.pool.json"),
                QStringLiteral("--router"),
                QStringLiteral("pickllm-q"),
                QStringLiteral("--seeds"),
                QStringLiteral("2"),
                QStringLiteral("--bootstrap"),
                QStringLiteral("0"),
                QStringLiteral("--traffic"),
                traffic};
    }

    // The best and worst prompt for the oracle: a repeat then shows in its mean quality.
    std::pair<int, int> extremeRows() const {
        const Eigen::VectorXd best = sample_->dataset.quality.rowwise().maxCoeff();
        Eigen::Index top = 0, bottom = 0;
        best.maxCoeff(&top);
        best.minCoeff(&bottom);
        return {static_cast<int>(top), static_cast<int>(bottom)};
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        sample_ = std::make_unique<routerlab::PricedDataset>(routerlab::loadPricedDataset(
            {samplePath("sample.csv")}, samplePath("sample.pool.json")));
        const routerlab::Dataset& d = sample_->dataset;
        const auto [top, bottom] = extremeRows();
        const int third = top == 7 || bottom == 7 ? 8 : 7;
        proxyRows_ = {top, bottom, top, third};

        routerlab::testing::writeFile(QDir(dir_.path()), QStringLiteral("empty.routerlab"), {});
        workspace_ = dir_.filePath(QStringLiteral("traffic.routerlab"));
        routerlab::WorkspaceStore store(workspace_);
        // An earlier `live` run, then the proxy's session, then another `live` run: the
        // default replays the proxy's.
        const qint64 live =
            startSession(store, QStringLiteral("pickllm-ga"), QStringLiteral("replay"));
        store.recordLiveCall(call(live, 1, d.promptIds[0], d.modelNames[0], 0.01));
        store.finishLiveSession(live, QStringLiteral("finished"), {});

        const qint64 proxy =
            startSession(store, QStringLiteral("barp:model=rb.barp"), QStringLiteral("proxy"));
        const QString& thirdText = d.promptTexts[static_cast<std::size_t>(third)];
        const QList<routerlab::LiveCallRecord> calls{
            call(proxy, 1, d.promptIds[top], d.modelNames[0], 0.002),
            call(proxy, 2, d.promptIds[bottom], d.modelNames[1], 0.003),
            // Failed attempts and judges are not traffic to replay.
            call(proxy, 3, d.promptIds[5], d.modelNames[2], 0.0, QStringLiteral("failed")),
            call(proxy, 3, d.promptIds[top], d.modelNames[1], 0.004),
            call(proxy, 4, d.promptIds[6], d.modelNames[1], 0.001, QStringLiteral("ok"),
                 QStringLiteral("judge")),
            // Not in the dataset: skipped and counted.
            call(proxy, 5, hashedId(QStringLiteral("a prompt nobody recorded")),
                 QStringLiteral("outside-model"), 0.02),
            // Known to the dataset by its text only.
            call(proxy, 6, hashedId(thirdText), d.modelNames[2], 0.005),
            call(proxy, 7, QStringLiteral("no-such-prompt"), d.modelNames[0], 0.001)};
        for (const routerlab::LiveCallRecord& c : calls) {
            store.recordLiveCall(c);
            if (c.status == QLatin1String("ok") && c.role == QLatin1String("answer"))
                proxyCalls_.push_back(c);
        }
        store.finishLiveSession(proxy, QStringLiteral("finished"), {});

        const qint64 later =
            startSession(store, QStringLiteral("random"), QStringLiteral("replay"));
        store.recordLiveCall(
            call(later, 1, QStringLiteral("no-such-prompt"), d.modelNames[0], 0.01));
        store.finishLiveSession(later, QStringLiteral("finished"), {});
    }

    // The setup itself: given rows scored as given, repeats included, and never trained on.
    void setupScoresGivenRowsInOrder() {
        routerlab::SimulationOptions options;
        options.sessions = routerlab::SessionRule::parse(QStringLiteral("single"));
        options.scoredRows = {9, 3, 9, 100};
        const routerlab::SimulationSetup setup(sample_->dataset, sample_->pool, options);
        QCOMPARE(setup.scoredRows(), (std::vector<int>{9, 3, 9, 100}));
        QCOMPARE(setup.sessionStarts(), std::vector<int>{0});
        const std::vector<int>& training = setup.problem().trainingRows;
        QCOMPARE(int(training.size()), sample_->dataset.promptCount() - 3);
        for (const int row : {3, 9, 100})
            QVERIFY(std::find(training.begin(), training.end(), row) == training.end());
        const int models = sample_->dataset.modelCount();
        for (int k = 0; k < models; ++k) {
            QCOMPARE(setup.stepQuality()[std::size_t(2 * models + k)],
                     sample_->dataset.quality(9, k));
            QCOMPARE(setup.stepQuality()[std::size_t(1 * models + k)],
                     sample_->dataset.quality(3, k));
        }
        QCOMPARE(setup.describe().value("scored").toString(), QStringLiteral("given"));

        // Sessions that regroup would undo the order.
        options.sessions = routerlab::SessionRule::parse(QStringLiteral("category"));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            routerlab::SimulationSetup(sample_->dataset, sample_->pool, options));
    }

    // A given prompt without every model's outcome is skipped under --missing skip.
    void setupSkipsGivenRowsWithoutOutcomes() {
        const QByteArray csv =
            "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s\n"
            "a,q1,math,small,1,100,50,0.5\n"
            "a,q1,math,large,1,100,80,2\n"
            "b,q2,chat,small,0,100,50,0.5\n"
            "b,q2,chat,large,1,100,80,2\n"
            "c,q3,chat,small,0.5,100,50,0.5\n"
            "d,q4,chat,small,0.5,100,50,0.5\n"
            "d,q4,chat,large,0.5,100,50,0.5\n";
        const QDir dir(dir_.path());
        const routerlab::PricedDataset data = routerlab::loadPricedDataset(
            {routerlab::testing::writeFile(dir, QStringLiteral("gaps.csv"), csv)},
            routerlab::testing::writeFile(dir, QStringLiteral("gaps.pool.json"),
                                          routerlab::testing::kTinyPool));
        routerlab::SimulationOptions options;
        options.sessions = routerlab::SessionRule::parse(QStringLiteral("single"));
        options.scoredRows = {2, 0, 2};
        const routerlab::SimulationSetup setup(data.dataset, data.pool, options);
        QCOMPARE(setup.scoredRows(), std::vector<int>{0});
        QCOMPARE(setup.skippedGivenRows(), 2);
        QCOMPARE(setup.problem().trainingRows, (std::vector<int>{1, 3}));
        options.scoredRows = {2};
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 routerlab::SimulationSetup(data.dataset, data.pool, options));
        options.scoredRows = {0, 1, 3}; // nothing left to train on
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 routerlab::SimulationSetup(data.dataset, data.pool, options));
    }

    // The proxy session's prompts, and only they, are scored; what it did is reported.
    void simulateReplaysTheProxySession() {
        const CliResult r = runCliInProcess(simulateArgs(workspace_) << QStringLiteral("--json"));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject traffic = j.value("traffic").toObject();
        QCOMPARE(traffic.value("session").toInteger(), 2);
        QCOMPARE(traffic.value("router").toString(), QStringLiteral("barp:model=rb.barp"));
        QCOMPARE(traffic.value("calls").toInt(), 6);
        QCOMPARE(traffic.value("matched").toInt(), 4);
        QCOMPARE(traffic.value("skipped").toInt(), 2);
        QVERIFY2(r.err.contains("warning: 2 of 6 calls of live session 2"), qPrintable(r.err));
        QVERIFY2(r.err.contains(workspace_), qPrintable(r.err));

        const QJsonObject setup = j.value("setup").toObject();
        QCOMPARE(setup.value("scored_prompts").toInt(), 4);
        QCOMPARE(setup.value("training_prompts").toInt(), sample_->dataset.promptCount() - 3);
        QCOMPARE(setup.value("sessions").toString(), QStringLiteral("single"));
        // The oracle's quality is the mean of the best outcome over the prompts as they came:
        // the repeated prompt counts twice.
        const Eigen::VectorXd best = sample_->dataset.quality.rowwise().maxCoeff();
        double withRepeat = 0;
        for (const int row : proxyRows_)
            withRepeat += best(row) / 4.0;
        const double once = (best(proxyRows_[0]) + best(proxyRows_[1]) + best(proxyRows_[3])) / 3;
        QVERIFY(!closeTo(withRepeat, once));
        const QJsonObject oracle = j.value("oracle").toObject();
        QCOMPARE(oracle.value("steps").toInt(), 4);
        QVERIFY(closeTo(oracle.value("mean_quality").toDouble(), withRepeat));

        // What the recorded router did: all its answers, and those on the scored prompts,
        // priced and rated by the dataset.
        const QJsonObject recorded = traffic.value("recorded").toObject();
        double spent = 0;
        for (const routerlab::LiveCallRecord& c : proxyCalls_)
            spent += c.costUsd;
        QVERIFY(closeTo(recorded.value("cost_usd").toDouble(), spent));
        QVERIFY(closeTo(
            recorded.value("selection").toObject().value(sample_->dataset.modelNames[1]).toDouble(),
            2.0 / 6));
        const QJsonObject onScored = traffic.value("recorded_on_scored").toObject();
        QCOMPARE(onScored.value("calls").toInt(), 4);
        QVERIFY(closeTo(onScored.value("cost_usd").toDouble(), 0.002 + 0.003 + 0.004 + 0.005));
        const Eigen::MatrixXd& q = sample_->dataset.quality;
        const double recordedQuality = (q(proxyRows_[0], 0) + q(proxyRows_[1], 1) +
                                        q(proxyRows_[2], 1) + q(proxyRows_[3], 2)) /
                                       4;
        QVERIFY(closeTo(onScored.value("dataset_quality").toDouble(), recordedQuality));
    }

    // A session recorded through `live` against the replay server: what it routed is what is
    // scored, and the dataset rates and prices its choices as the server answered them.
    void replaysASessionRecordedLive() {
        const auto server = routerlab::testing::startSampleReplay();
        QVERIFY(server->port() > 0);
        const QString ws = dir_.filePath(QStringLiteral("live.routerlab"));
        const CliResult live = runCliInProcess(
            {QStringLiteral("live"), QStringLiteral("--dataset"), samplePath("sample.csv"),
             QStringLiteral("--pool"), samplePath("sample.pool.json"), QStringLiteral("--base-url"),
             server->baseUrl(), QStringLiteral("--scorer"), QStringLiteral("replay"),
             QStringLiteral("--router"), QStringLiteral("pickllm-ga"), QStringLiteral("--sessions"),
             QStringLiteral("single"), QStringLiteral("--limit"), QStringLiteral("40"),
             QStringLiteral("--workspace"), ws});
        QVERIFY2(live.code == 0, qPrintable(live.err));
        const CliResult r = runCliInProcess(simulateArgs(ws) << QStringLiteral("--json"));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonObject traffic = j.value("traffic").toObject();
        QCOMPARE(traffic.value("scorer").toString(), QStringLiteral("replay"));
        QCOMPARE(traffic.value("calls").toInt(), 40);
        QCOMPARE(traffic.value("skipped").toInt(), 0);
        QCOMPARE(j.value("setup").toObject().value("scored_prompts").toInt(), 40);
        // The session's prompts, read back from the workspace, are the ones left out of training.
        routerlab::WorkspaceStore store(ws);
        QSet<QString> asked;
        for (const routerlab::LiveCallRecord& c : store.liveCalls(1))
            asked.insert(c.promptId);
        QCOMPARE(j.value("setup").toObject().value("training_prompts").toInt(),
                 sample_->dataset.promptCount() - int(asked.size()));
        const QJsonObject recorded = traffic.value("recorded").toObject();
        const QJsonObject onScored = traffic.value("recorded_on_scored").toObject();
        QCOMPARE(recorded.value("rated_calls").toInt(), 40);
        QVERIFY(closeTo(recorded.value("mean_quality").toDouble(),
                        onScored.value("dataset_quality").toDouble()));
        QVERIFY(closeTo(recorded.value("cost_usd").toDouble(),
                        onScored.value("dataset_cost_usd").toDouble()));
    }

    void textNamesTheRecordedRouter() {
        const CliResult r = runCliInProcess(simulateArgs(workspace_ + QStringLiteral(":1")));
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("traffic: live session 1 of ") + workspace_ +
                                QStringLiteral(" (router pickllm-ga, preference "
                                               "quality=0.7,cost=0.3, scorer replay): 1 calls, 1 "
                                               "scored, 0 skipped")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("recorded router: $0.01 spent in all"), qPrintable(r.out));
        QVERIFY2(r.out.contains("on the 1 scored prompts: $0.01 spent; by the dataset quality"),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains("pickllm-q"), qPrintable(r.out));
        QVERIFY2(!r.err.contains("warning"), qPrintable(r.err));
    }

    // An experiment file carries the traffic, relative to the file: the CLI replays it again;
    // the workbench, which would score its split instead, refuses it.
    void experimentFileCarriesTheTraffic() {
        const QString file = dir_.filePath(QStringLiteral("replay.json"));
        const CliResult save = runCliInProcess(simulateArgs(workspace_ + QStringLiteral(":2"))
                                               << QStringLiteral("--save-experiment") << file);
        QVERIFY2(save.code == 0, qPrintable(save.err));
        const QJsonObject saved =
            QJsonDocument::fromJson(routerlab::testing::readFile(file)).object();
        QCOMPARE(saved.value("traffic").toString(), QStringLiteral("traffic.routerlab:2"));
        const CliResult again = runCliInProcess(
            {QStringLiteral("simulate"), QStringLiteral("--experiment"), file,
             QStringLiteral("--bootstrap"), QStringLiteral("0"), QStringLiteral("--json")});
        QVERIFY2(again.code == 0, qPrintable(again.err));
        const QJsonObject traffic =
            QJsonDocument::fromJson(again.out.toUtf8()).object().value("traffic").toObject();
        QCOMPARE(traffic.value("session").toInteger(), 2);
        QCOMPARE(traffic.value("matched").toInt(), 4);
        routerlab::GuiExperiment experiment;
        QString error;
        QVERIFY(!routerlab::loadExperimentFile(file, experiment, error));
        QVERIFY2(error.contains("field 'traffic'"), qPrintable(error));
    }

    void sweepReplaysToo() {
        const CliResult r = runCliInProcess(
            {QStringLiteral("sweep"), QStringLiteral("--dataset"), samplePath("sample.csv"),
             QStringLiteral("--pool"), samplePath("sample.pool.json"), QStringLiteral("--router"),
             QStringLiteral("pickllm-q"), QStringLiteral("--seeds"), QStringLiteral("1"),
             QStringLiteral("--points"), QStringLiteral("2"), QStringLiteral("--bootstrap"),
             QStringLiteral("0"), QStringLiteral("--traffic"), workspace_ + QStringLiteral(":2"),
             QStringLiteral("--json")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j.value("setup").toObject().value("scored_prompts").toInt(), 4);
        QCOMPARE(j.value("traffic").toObject().value("matched").toInt(), 4);
    }

    // A wrong workspace or session stops the command before anything is written.
    void badTrafficFailsCleanly_data() {
        QTest::addColumn<QString>("traffic");
        QTest::addColumn<QStringList>("named");
        QTest::newRow("missing workspace")
            << QStringLiteral("absent.routerlab") << QStringList{"absent.routerlab", "no such"};
        QTest::newRow("empty file")
            << QStringLiteral("empty.routerlab") << QStringList{"empty.routerlab", "is empty"};
        QTest::newRow("unknown session")
            << QStringLiteral(":99") << QStringList{"no live session 99", "sessions: 1, 2, 3"};
        QTest::newRow("session not a number")
            << QStringLiteral(":two") << QStringList{"session 'two'"};
        QTest::newRow("no prompt of the dataset")
            << QStringLiteral(":3") << QStringList{"live session 3", "none of its 1"};
    }

    void badTrafficFailsCleanly() {
        QFETCH(QString, traffic);
        QFETCH(QStringList, named);
        const bool inWorkspace = traffic.startsWith(QLatin1Char(':'));
        traffic = inWorkspace ? workspace_ + traffic : dir_.filePath(traffic);
        const QString out = dir_.filePath(QStringLiteral("not-written.routerlab"));
        const CliResult r =
            runCliInProcess(simulateArgs(traffic) << QStringLiteral("--workspace") << out);
        QCOMPARE(r.code, 2);
        for (const QString& part : named)
            QVERIFY2(r.err.contains(part), qPrintable(r.err));
        if (inWorkspace)
            QVERIFY2(r.err.contains(workspace_), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
        QVERIFY(!QFileInfo::exists(dir_.filePath(QStringLiteral("absent.routerlab"))));
        QCOMPARE(QFileInfo(dir_.filePath(QStringLiteral("empty.routerlab"))).size(), 0);
    }

    void trafficRefusesASplit() {
        const CliResult r = runCliInProcess(
            simulateArgs(workspace_) << QStringLiteral("--split") << QStringLiteral("random:0.5"));
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("drop --split"), qPrintable(r.err));
        const CliResult regroup = runCliInProcess(
            simulateArgs(workspace_) << QStringLiteral("--sessions") << QStringLiteral("category"));
        QCOMPARE(regroup.code, 2);
        QVERIFY2(regroup.err.contains("arrival order"), qPrintable(regroup.err));
    }
};

QTEST_GUILESS_MAIN(TestTraffic)
#include "test_traffic.moc"
