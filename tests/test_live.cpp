// Live mode against the replay server, run as a separate routerlab-cli process on 127.0.0.1.
#include "features/embedding_api_featurizer.h"
#include "features/prompt_features.h"
#include "formats/dataset_loader.h"
#include "http/api_key.h"
#include "live/live_runner.h"
#include "live/live_session.h"
#include "replay/replay_server.h"
#include "replay_process.h"
#include "store/sqlite_database.h"
#include "store/workspace_store.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <numeric>
#include <thread>

using namespace routerlab;
using routerlab::testing::readFile;
using routerlab::testing::ReplayProcess;
using routerlab::testing::writeFile;

namespace {

const char* const kKeyVariable = "ROUTERLAB_TEST_LIVE_KEY";
const QByteArray kFakeKey = "sk-live-test-Zq7XvY2mPp9LkR4tWc8s";

// 60 prompts x 4 models in 3 categories; integer tokens so that priced usage reproduces the
// simulation's costs exactly. Some prompts carry commas, quotes, new lines and non-ASCII text
// (the server finds prompts by exact text).
QByteArray syntheticDataset() {
    QByteArray csv = "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,"
                     "latency_s,reference\n";
    const char* categories[] = {"math", "chat", "code"};
    const char* models[] = {"tiny", "small", "medium", "large"};
    for (int i = 0; i < 60; ++i) {
        const QByteArray category = categories[i % 3];
        QByteArray prompt = "Question " + QByteArray::number(i) + " about " + category;
        if (i % 7 == 0)
            prompt += ", with \"quotes\",\nand a second line";
        if (i % 11 == 0)
            prompt += " — naïve café ∑";
        const QByteArray reference = category == "math" ? QByteArray::number(i * 3 + 1) : "";
        for (int k = 0; k < 4; ++k) {
            double quality = ((i * 7 + k * 13) % 10) / 9.0 * (0.4 + 0.2 * k);
            if (category == "math")
                quality = ((i + k) % 3 == 0 || k == 3) ? 1.0 : 0.0;
            const int input = 40 + i % 17 + k;
            const int output = 30 + (i * 5 + k * 11) % 200;
            const double latency = 0.2 + 0.3 * k + (i % 5) * 0.1;
            csv += "p" + QByteArray::number(i) + ",\"" + QByteArray(prompt).replace("\"", "\"\"") +
                   "\"," + category + "," + models[k] + "," + QByteArray::number(quality, 'g', 6) +
                   "," + QByteArray::number(input) + "," + QByteArray::number(output) + "," +
                   QByteArray::number(latency) + "," + reference + "\n";
        }
    }
    return csv;
}

// The URL goes in afterwards: moc takes the "//" of a URL inside a raw string for a comment
// and then finds no test class in this file.
QByteArray syntheticPool() {
    return QByteArray(R"({"name": "live-test", "models": [
  {"id": "tiny", "input_price_per_mtok": 0.05, "output_price_per_mtok": 0.1,
   "latency": {"first_token_s": 0.1, "output_tokens_per_s": 200},
   "endpoint": {"base_url": "BASEURL", "api_key_env": "KEYVAR"}},
  {"id": "small", "input_price_per_mtok": 0.2, "output_price_per_mtok": 0.6,
   "latency": {"first_token_s": 0.15, "output_tokens_per_s": 150},
   "endpoint": {"base_url": "BASEURL", "model": "small-remote", "api_key_env": "KEYVAR"}},
  {"id": "medium", "input_price_per_mtok": 1, "output_price_per_mtok": 3, "fee_per_call": 0.0001,
   "latency": {"first_token_s": 0.2, "output_tokens_per_s": 100},
   "endpoint": {"base_url": "BASEURL", "api_key_env": "KEYVAR"}},
  {"id": "large", "input_price_per_mtok": 5, "output_price_per_mtok": 15,
   "latency": {"first_token_s": 0.3, "output_tokens_per_s": 60},
   "endpoint": {"base_url": "BASEURL", "api_key_env": "KEYVAR"}}
]})")
        .replace("KEYVAR", kKeyVariable)
        .replace("BASEURL", "http://127.0.0.1:9/v1");
}

struct CliRun {
    int code = -1;
    QByteArray out;
    QByteArray err;
};

CliRun cli(const QStringList& args, const QProcessEnvironment& env) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ROUTERLAB_CLI_PATH), args);
    if (!p.waitForFinished(120000))
        qFatal("routerlab-cli did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QProcessEnvironment environmentWithKey() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kKeyVariable), QString::fromLatin1(kFakeKey));
    return env;
}

// Rows in a workspace's embedding cache, read through a connection of the test's own.
qint64 cachedEmbeddingRows(const QString& workspace) {
    Database db(workspace);
    Statement rows(db, QStringLiteral("SELECT count(*) FROM embedding_cache"),
                   QStringLiteral("counting cached embeddings"));
    return rows.step() ? rows.columnInt64(0) : -1;
}

} // namespace

class TestLive : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString datasetPath_, poolPath_;
    std::unique_ptr<PricedDataset> data_;
    ClientOptions fastClient_;

    LiveOptions replayOptions(const QString& baseUrl, const QString& router) const {
        LiveOptions o;
        o.router = RouterSpec::parse(router);
        o.preference = Preference::parse(QStringLiteral("quality=0.5,cost=0.3,latency=0.2"));
        o.seed = 3;
        o.scorer = QStringLiteral("replay");
        o.latencyFromReplay = true;
        o.baseUrl = baseUrl;
        return o;
    }

    // The window's dataset and pool, recorded into a workspace of this test's own.
    LiveSessionInput sessionInput(const QString& workspace) const {
        LiveSessionInput in;
        in.source = LivePromptSource::Dataset;
        in.dataset = std::make_shared<const Dataset>(data_->dataset);
        in.pool = std::make_shared<const ModelPool>(data_->pool);
        in.workspacePath = QDir(dir_.path()).filePath(workspace);
        in.options = replayOptions(QStringLiteral("http://127.0.0.1:9/v1"), defaultLiveRouter());
        in.client = fastClient_;
        return in;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qputenv(kKeyVariable, kFakeKey);
        datasetPath_ = writeFile(QDir(dir_.path()), QStringLiteral("live.csv"), syntheticDataset());
        poolPath_ = writeFile(QDir(dir_.path()), QStringLiteral("live.pool.json"), syntheticPool());
        data_ = std::make_unique<PricedDataset>(loadPricedDataset({datasetPath_}, poolPath_));
        QCOMPARE(data_->dataset.promptCount(), 60);
        fastClient_.backoffBaseS = 0.05;
        fastClient_.requestTimeoutS = 20;
    }

    void sseParserSplitsAnywhere() {
        const QByteArray stream = "data: {\"a\":1}\n\n: keep-alive\n\ndata: {\"b\":\r\n"
                                  "data: 2}\r\n\r\ndata: [DONE]\n\n";
        for (int cut = 0; cut <= stream.size(); ++cut) {
            SseParser parser;
            std::vector<QByteArray> events;
            parser.feed(stream.left(cut), events);
            parser.feed(stream.mid(cut), events);
            QCOMPARE(events.size(), std::size_t(3));
            QCOMPARE(events[0], QByteArray("{\"a\":1}"));
            QCOMPARE(events[1], QByteArray("{\"b\":\n2}"));
            QCOMPARE(events[2], QByteArray("[DONE]"));
        }
    }

    void scorers_data() {
        QTest::addColumn<QString>("scorer");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("reference");
        QTest::addColumn<double>("quality"); // -1: no verdict
        QTest::newRow("exact same") << "exact"
                                    << " Paris "
                                    << "Paris" << 1.0;
        QTest::newRow("exact case") << "exact"
                                    << "paris"
                                    << "Paris" << 0.0;
        QTest::newRow("normalised case, article, dot") << "normalised"
                                                       << "The Paris."
                                                       << "paris" << 1.0;
        QTest::newRow("normalised differs") << "normalised"
                                            << "Lyon"
                                            << "Paris" << 0.0;
        QTest::newRow("no reference") << "exact"
                                      << "Paris"
                                      << "" << -1.0;
        QTest::newRow("numeric gsm8k") << "numeric"
                                       << "so 3+4=7\n#### 7"
                                       << "7" << 1.0;
        QTest::newRow("numeric marker beats later") << "numeric"
                                                    << "#### 12 (checked with 5)"
                                                    << "#### 12" << 1.0;
        QTest::newRow("numeric last number") << "numeric"
                                             << "It costs $18,043.56 in the end."
                                             << "18043.56" << 1.0;
        QTest::newRow("numeric answer is") << "numeric"
                                           << "The answer is -4.5"
                                           << "-4.50" << 1.0;
        QTest::newRow("numeric wrong") << "numeric"
                                       << "#### 8"
                                       << "7" << 0.0;
        QTest::newRow("numeric none") << "numeric"
                                      << "no idea"
                                      << "7" << 0.0;
        QTest::newRow("choice stated") << "choice"
                                       << "I think the answer is (C)."
                                       << "C" << 1.0;
        QTest::newRow("choice leading") << "choice"
                                        << "B) because ..."
                                        << "(B)" << 1.0;
        QTest::newRow("choice bare") << "choice"
                                     << "d"
                                     << "D" << 1.0;
        QTest::newRow("choice wrong") << "choice"
                                      << "Answer: A"
                                      << "B" << 0.0;
        QTest::newRow("regex from reference") << "regex"
                                              << "x = 42 m/s"
                                              << "4[0-9] ?m/s" << 1.0;
        QTest::newRow("regex fixed") << "regex:^yes\\b"
                                     << "Yes, indeed"
                                     << "" << 1.0;
        QTest::newRow("regex fixed misses") << "regex:^yes\\b"
                                            << "No"
                                            << "" << 0.0;
    }
    void scorers() {
        QFETCH(QString, scorer);
        QFETCH(QString, answer);
        QFETCH(QString, reference);
        QFETCH(double, quality);
        const Score s = makeScorer(scorer)->score({QStringLiteral("q"), answer, reference, {}});
        if (quality < 0)
            QVERIFY(std::isnan(s.quality));
        else
            QCOMPARE(s.quality, quality);
    }

    void embeddingsEndpointIsCachedInTheWorkspace() {
        const QString workspace =
            QDir(dir_.path()).filePath(QStringLiteral("embeddings.routerlab"));
        const Dataset& d = data_->dataset;
        std::vector<int> training(30);
        std::iota(training.begin(), training.end(), 0);
        Eigen::MatrixXf first;
        QString spec;
        {
            ReplayProcess server({QStringLiteral("--dataset"), datasetPath_,
                                  QStringLiteral("--pool"), poolPath_,
                                  QStringLiteral("--embedding-dimension"), QStringLiteral("32")});
            QVERIFY(server.port() > 0);
            spec = QStringLiteral("embeddings-api:embedder@%1;cache=%2;batch=16")
                       .arg(server.baseUrl(), workspace);
            const PromptFeatures features(d.promptIds, d.promptTexts, training, spec);
            QCOMPARE(features.dimension(), 33); // 32 values and the bias
            first = features.matrix();
            QCOMPARE(first.cols(), Eigen::Index(d.promptCount()));
            // The server's vectors are the prompts' hashed words: compare with our own.
            const HashedWordFeaturizer words(33);
            for (int i : {0, 17, 59}) {
                Eigen::VectorXf expected = words.transform(d.promptTexts[i]).head(32);
                expected.normalize();
                QVERIFY((first.col(i).head(32) - expected).norm() < 1e-5f);
                QCOMPARE(first(32, i), 1.0f);
            }
            const auto& api = static_cast<const EmbeddingApiFeaturizer&>(features.featurizer());
            QCOMPARE(api.fetchedCount(), qint64(d.promptCount())); // each text fetched once
            QCOMPARE(api.cacheHitCount(), qint64(0));
        } // the server stops here

        // Offline now: every vector comes from the workspace, bit for bit.
        const PromptFeatures again(d.promptIds, d.promptTexts, training, spec);
        QVERIFY(again.matrix() == first);
        const auto& cached = static_cast<const EmbeddingApiFeaturizer&>(again.featurizer());
        QCOMPARE(cached.fetchedCount(), qint64(0));
        QCOMPARE(cached.cacheHitCount(), qint64(d.promptCount()));
        QCOMPARE(cachedEmbeddingRows(workspace), qint64(d.promptCount()));
        // A new text needs the server: the error names the endpoint and the model.
        try {
            again.featurizer().transform(QStringLiteral("a prompt nobody has seen"));
            QFAIL("expected the unreachable endpoint to be reported");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("model embedder")),
                     e.what());
        }
        for (const char* bad : {"embeddings-api:no-url", "embeddings-api:m@ftp://host/v1",
                                "embeddings-api:m@http://user:pw@host/v1",
                                "embeddings-api:m@http://host/v1;colour=blue",
                                "embeddings-api:m@http://host/v1;batch=0"})
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeFeaturizer(QLatin1String(bad)));
    }

    void embeddingsEndpointKeysAndCli() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--require-key-env"),
                              QString::fromLatin1(kKeyVariable)},
                             environmentWithKey());
        QVERIFY(server.port() > 0);
        // No key: refused by the server, and the message never holds one.
        const QString noKey = QStringLiteral("embeddings-api:e@%1").arg(server.baseUrl());
        try {
            makeFeaturizer(noKey)->transform(QStringLiteral("hello"));
            QFAIL("expected HTTP 401");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("401")), e.what());
        }
        // A contextual router over endpoint features, end to end through the CLI; the
        // workspace of the run caches the vectors.
        const QString workspace = QDir(dir_.path()).filePath(QStringLiteral("cli.routerlab"));
        const CliRun run =
            cli({QStringLiteral("simulate"), QStringLiteral("--dataset"), datasetPath_,
                 QStringLiteral("--pool"), poolPath_, QStringLiteral("--router"),
                 QStringLiteral("linucb"), QStringLiteral("--features"),
                 noKey + QStringLiteral(";key-env=") + QString::fromLatin1(kKeyVariable),
                 QStringLiteral("--workspace"), workspace, QStringLiteral("--json")},
                environmentWithKey());
        QVERIFY2(run.code == 0, run.err.constData());
        QVERIFY(!run.out.contains(kFakeKey) && !run.err.contains(kFakeKey));
        QCOMPARE(cachedEmbeddingRows(workspace), qint64(data_->dataset.promptCount()));
    }

    void judgeScoresThroughAServer() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"), QStringLiteral("0")});
        QVERIFY(server.port() > 0);
        const SimulationSetup setup(data_->dataset, data_->pool, SimulationOptions{});
        LiveOptions o = replayOptions(server.baseUrl(), QStringLiteral("epsilon-greedy"));
        o.scorer = QStringLiteral("judge:model=large");
        WorkspaceStore store(QDir(dir_.path()).filePath(QStringLiteral("judge.routerlab")));
        LiveCallLog log(store);
        ChatClient client(fastClient_);
        LiveRunner runner(setup, data_->pool, client, &log);
        const LiveResult live = runner.run(o);
        QCOMPARE(live.stopReason, QStringLiteral("complete"));
        QCOMPARE(live.failed, 0);

        const Dataset& d = data_->dataset;
        double answerCost = 0, judgeCost = 0;
        int judged = 0;
        QHash<QString, int> rowOf;
        for (int i = 0; i < d.promptCount(); ++i)
            rowOf.insert(d.promptIds[i], i);
        for (const LiveCallRecord& c : log.calls(live.sessionId)) {
            if (c.role == QLatin1String("judge")) {
                ++judged;
                judgeCost += c.costUsd;
                QCOMPARE(c.model, QStringLiteral("large"));
                QVERIFY(c.costUsd > 0);
                continue;
            }
            answerCost += c.costUsd;
            const int i = rowOf.value(c.promptId);
            const int k = int(std::find(d.modelNames.begin(), d.modelNames.end(), c.model) -
                              d.modelNames.begin());
            // The server's judge checks the answer against the reference: on math prompts
            // (which have one) it agrees with the recorded 0/1 quality; elsewhere it abstains.
            if (!d.references[i].isEmpty())
                QCOMPARE(c.quality, d.quality(i, k));
            else
                QCOMPARE(c.quality, 0.5);
        }
        QCOMPARE(judged, live.answered);
        QCOMPARE(live.judgeCostUsd, judgeCost);
        QVERIFY(std::abs(live.spentUsd - (answerCost + judgeCost)) < 1e-12);
    }

    void judgeAndHumanPieces() {
        QCOMPARE(judgeVerdict(QStringLiteral("Reasoning... Score: 7")).value(), 0.7);
        QCOMPARE(judgeVerdict(QStringLiteral("score=10")).value(), 1.0);
        QVERIFY(!judgeVerdict(QStringLiteral("Score: 11")));
        QVERIFY(!judgeVerdict(QStringLiteral("great answer")));
        const QString prompt =
            judgePrompt({QStringLiteral("2+2?"), QStringLiteral("4"), QStringLiteral("four"), {}});
        QVERIFY(prompt.contains(QLatin1String("2+2?")) && prompt.contains(QLatin1String("four")));
        const std::optional<ScoreInput> parsed = parseJudgePrompt(prompt);
        QVERIFY(parsed && parsed->prompt == QLatin1String("2+2?") &&
                parsed->answer == QLatin1String("4") && parsed->reference == QLatin1String("four"));
        const std::optional<ScoreInput> noReference = parseJudgePrompt(
            judgePrompt({QStringLiteral("Hi\n\nthere"), QStringLiteral("Hello"), {}, {}}));
        QVERIFY(noReference && noReference->prompt == QLatin1String("Hi\n\nthere") &&
                noReference->reference.isEmpty());
        QVERIFY(!parseJudgePrompt(QStringLiteral("Question 3 about math")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 makeScorer(QStringLiteral("judge:model=x")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeScorer(QStringLiteral("regex:(")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeScorer(QStringLiteral("telepathy")));
        ScorerContext context;
        context.askPerson = [](const ScoreInput&) { return std::optional<double>(0.75); };
        QCOMPARE(makeScorer(QStringLiteral("human"), context)->score({}).quality, 0.75);
    }

    void humanRatingsAreStored() {
        WorkspaceStore store(QDir(dir_.path()).filePath(QStringLiteral("ratings.routerlab")));
        LiveCallLog log(store);
        const qint64 session = log.startSession({});
        LiveCallRecord call;
        call.sessionId = session;
        call.promptId = QStringLiteral("p1");
        call.model = QStringLiteral("tiny");
        call.status = QStringLiteral("ok");
        const qint64 id = log.recordCall(call);
        QCOMPARE(store.sessionOfLastLiveCall(), session);
        QVERIFY(std::isnan(log.calls(session).front().quality));
        log.rate(id, {HumanRating::Scale::Stars, 4, QStringLiteral("ana"), QStringLiteral("ok")});
        QCOMPARE(log.calls(session).front().quality, 0.75);
        log.rate(id, {HumanRating::Scale::Thumbs, 0, {}, {}}); // replaces the stars
        QCOMPARE(log.rating(id)->scale, HumanRating::Scale::Thumbs);
        QCOMPARE(log.calls(session).front().quality, 0.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 log.rate(id, {HumanRating::Scale::Stars, 6, {}, {}}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 log.rate(id + 99, {HumanRating::Scale::Thumbs, 1, {}, {}}));
    }

    // What the Live Console starts, without its widgets: a session sampled from another thread
    // while it runs hands over every recorded call once, in order, and ends with its result.
    void liveSessionFollowsItsCalls() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"),
                              QStringLiteral("0.02")});
        QVERIFY(server.port() > 0);
        LiveSessionInput input = sessionInput(QStringLiteral("session.routerlab"));
        input.options = replayOptions(server.baseUrl(), defaultLiveRouter());
        input.options.limit = 30;
        input.options.storeResponses = true;
        input.options.configJson = input.configJson(QStringLiteral("test"), poolPath_);
        const QByteArray config = input.options.configJson;
        LiveSession session(input);

        std::vector<LiveCallRecord> arrived;
        int samples = 0;
        std::atomic_bool finished{false};
        std::thread worker([&] {
            session.run();
            finished = true;
        });
        LiveSessionProgress progress;
        do {
            QThread::msleep(20);
            const bool last = finished; // read before sampling: nothing can arrive after it
            progress = session.takeProgress();
            ++samples;
            for (const LiveCallRecord& c : progress.arrived) {
                QVERIFY(arrived.empty() || c.id > arrived.back().id); // each once, in order
                arrived.push_back(c);
            }
            if (last)
                break;
        } while (true);
        worker.join();
        QVERIFY(samples > 1);

        const LiveSessionOutcome outcome = session.outcome();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QVERIFY(outcome.gaveUp.isEmpty());
        QVERIFY(outcome.result);
        QCOMPARE(outcome.result->stopReason, QStringLiteral("complete"));
        QCOMPARE(outcome.result->answered, 30);
        QVERIFY(outcome.sessionId > 0);
        QCOMPARE(outcome.result->sessionId, outcome.sessionId);
        QCOMPARE(progress.sessionId, outcome.sessionId);
        QCOMPARE(progress.done, 30);
        QCOMPARE(progress.total, 30);
        QCOMPARE(progress.dataset, input.dataset); // the window's dataset, not a copy

        WorkspaceStore store(input.workspacePath);
        const std::vector<LiveCallRecord> stored = store.liveCalls(outcome.sessionId);
        QCOMPARE(arrived.size(), stored.size());
        QCOMPARE(stored.size(), std::size_t(30));
        for (std::size_t t = 0; t < stored.size(); ++t) {
            QCOMPARE(arrived[t].id, stored[t].id);
            QCOMPARE(arrived[t].model, stored[t].model);
            QCOMPARE(arrived[t].status, QStringLiteral("ok"));
            QVERIFY(!arrived[t].response.isEmpty());
            QVERIFY(!std::isnan(arrived[t].quality)); // the replay scorer's verdict
        }
        QCOMPARE(store.liveSessions().back().configJson, config);
        QCOMPARE(store.sessionOfLastLiveCall(), qint64(0)); // this connection recorded none
    }

    // A session that cannot reach its endpoint stops after its first failures; one that
    // cannot start says why; one cancelled before it runs makes no call.
    void liveSessionEndsInAnOutcome() {
        LiveSessionInput dead = sessionInput(QStringLiteral("dead.routerlab"));
        dead.options = replayOptions(QStringLiteral("http://127.0.0.1:9/v1"), defaultLiveRouter());
        dead.options.limit = 20;
        dead.client.maxRetries = 0;
        LiveSession unreachable(dead);
        unreachable.run();
        const LiveSessionOutcome gaveUp = unreachable.outcome();
        QVERIFY2(gaveUp.gaveUp.contains(QLatin1String("127.0.0.1:9")), qPrintable(gaveUp.gaveUp));
        QCOMPARE(gaveUp.result->stopReason, QStringLiteral("cancelled"));
        const std::vector<LiveCallRecord> failed = unreachable.takeProgress().arrived;
        QCOMPARE(static_cast<int>(failed.size()), LiveSession::kGiveUpAfterFailures);
        for (const LiveCallRecord& c : failed)
            QCOMPARE(c.status, QStringLiteral("failed"));

        LiveSessionInput missing = sessionInput(QStringLiteral("missing.routerlab"));
        missing.source = LivePromptSource::File;
        missing.promptsFile = QDir(dir_.path()).filePath(QStringLiteral("no-such-prompts.jsonl"));
        LiveSession noPrompts(missing);
        noPrompts.run();
        QVERIFY2(noPrompts.outcome().error.contains(QLatin1String("no-such-prompts.jsonl")),
                 qPrintable(noPrompts.outcome().error));
        QVERIFY(!noPrompts.outcome().result);

        LiveSession cancelled(sessionInput(QStringLiteral("cancelled.routerlab")));
        cancelled.cancel();
        cancelled.run();
        QCOMPARE(cancelled.outcome().result->stopReason, QStringLiteral("cancelled"));
        QVERIFY(cancelled.takeProgress().arrived.empty());
    }

    void reproducesTheSimulation_data() {
        QTest::addColumn<QString>("router");
        QTest::addColumn<bool>("stream");
        QTest::newRow("pickllm-ga streamed") << "pickllm-ga" << true;
        QTest::newRow("thompson whole") << "thompson" << false;
        QTest::newRow("epsilon-greedy streamed") << "epsilon-greedy" << true;
        QTest::newRow("linucb whole") << "linucb" << false;
    }
    void reproducesTheSimulation() {
        QFETCH(QString, router);
        QFETCH(bool, stream);
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"), QStringLiteral("0")});
        QVERIFY(server.port() > 0);
        const SimulationSetup setup(data_->dataset, data_->pool, SimulationOptions{});
        LiveOptions o = replayOptions(server.baseUrl(), router);
        o.stream = stream;
        const CellResult simulated = runCell(setup, {o.router, o.preference, o.seed});

        WorkspaceStore store(QDir(dir_.path()).filePath(QStringLiteral("reproduce.routerlab")));
        LiveCallLog log(store);
        ChatClient client(fastClient_);
        LiveRunner runner(setup, data_->pool, client, &log);
        const LiveResult live = runner.run(o);

        QCOMPARE(live.stopReason, QStringLiteral("complete"));
        QCOMPARE(live.failed, 0);
        QCOMPARE(live.log.model, simulated.log.model); // the same choices, step by step
        QCOMPARE(live.log.cost, simulated.log.cost);
        QCOMPARE(live.log.reward, simulated.log.reward);
        QCOMPARE(live.summary.totalCostUsd, simulated.summary.totalCostUsd);
        QCOMPARE(live.summary.meanQuality, simulated.summary.meanQuality);
        QCOMPARE(live.summary.meanReward, simulated.summary.meanReward);
        QCOMPARE(live.summary.regret, simulated.summary.regret);
        QCOMPARE(live.summary.selectionShare, simulated.summary.selectionShare);

        const std::vector<LiveCallRecord> calls = log.calls(live.sessionId);
        QCOMPARE(calls.size(), simulated.log.model.size());
        for (std::size_t t = 0; t < calls.size(); ++t) {
            QCOMPARE(calls[t].status, QStringLiteral("ok"));
            QCOMPARE(calls[t].model, data_->dataset.modelNames[simulated.log.model[t]]);
            QCOMPARE(calls[t].attempts, 1);
            QVERIFY(calls[t].requestId.startsWith(QLatin1String("replay-")));
            QVERIFY(calls[t].response.isEmpty()); // not opted in
            QCOMPARE(std::isnan(calls[t].firstTokenS), !stream);
        }
        QCOMPARE(log.sessions().back().status, QStringLiteral("complete"));
    }

    void faultsEndAnsweredOrFailedAndArePaidOnce_data() {
        QTest::addColumn<bool>("stream");
        QTest::newRow("streamed") << true;
        QTest::newRow("whole") << false;
    }
    void faultsEndAnsweredOrFailedAndArePaidOnce() {
        QFETCH(bool, stream);
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"), QStringLiteral("0"),
                              QStringLiteral("--faults"), QStringLiteral("0.2"),
                              QStringLiteral("--retry-after"), QStringLiteral("0.2"),
                              QStringLiteral("--slow-first-byte"), QStringLiteral("0.3"),
                              QStringLiteral("--seed"), QString::number(stream ? 5 : 6)});
        QVERIFY(server.port() > 0);
        const SimulationSetup setup(data_->dataset, data_->pool, SimulationOptions{});
        LiveOptions o = replayOptions(server.baseUrl(), QStringLiteral("pickllm-ga"));
        o.stream = stream;
        WorkspaceStore store(QDir(dir_.path()).filePath(QStringLiteral("faults.routerlab")));
        LiveCallLog log(store);
        ClientOptions options = fastClient_;
        options.maxRetries = 1; // some prompts must run out of retries
        ChatClient client(options);
        LiveRunner runner(setup, data_->pool, client, &log);
        const LiveResult live = runner.run(o);

        const std::vector<LiveCallRecord> calls = log.calls(live.sessionId);
        QCOMPARE(live.stopReason, QStringLiteral("complete"));
        QCOMPARE(static_cast<int>(calls.size()), live.summary.steps);
        QCOMPARE(live.answered + live.failed, live.summary.steps);
        int retried = 0;
        double paid = 0;
        const Eigen::MatrixXd recordedCost = data_->dataset.costUsd(data_->pool);
        for (std::size_t t = 0; t < calls.size(); ++t) {
            const LiveCallRecord& c = calls[t];
            QCOMPARE(c.step, static_cast<int>(t));
            retried += c.attempts > 1;
            if (c.status == QLatin1String("failed")) {
                QCOMPARE(c.attempts, 2); // the first try and its one retry
                QCOMPARE(c.costUsd, 0.0);
                QVERIFY(!c.error.isEmpty());
                QVERIFY2(c.error.contains(QLatin1String("model ")), qPrintable(c.error));
            } else {
                QCOMPARE(c.status, QStringLiteral("ok"));
                const int row = setup.scoredRows()[t];
                const int k = data_->dataset.modelIndex(c.model);
                QCOMPARE(c.costUsd, recordedCost(row, k)); // paid once, at the recorded price
            }
            paid += c.costUsd;
        }
        QVERIFY2(retried > 0, "20% faults should have caused retries");
        QVERIFY(std::abs(live.spentUsd - paid) <= 1e-12);
        qInfo("%s: %d answered, %d failed, %d retried", stream ? "streamed" : "whole",
              live.answered, live.failed, retried);
    }

    void apiKeyNeverLeaks() {
        const QProcessEnvironment env = environmentWithKey();
        ReplayProcess server(
            {QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"), poolPath_,
             QStringLiteral("--latency-scale"), QStringLiteral("0"), QStringLiteral("--faults"),
             QStringLiteral("0.2"), QStringLiteral("--retry-after"), QStringLiteral("0.1"),
             QStringLiteral("--slow-first-byte"), QStringLiteral("0.1"),
             QStringLiteral("--require-key-env"), QString::fromLatin1(kKeyVariable)},
            env);
        QVERIFY(server.port() > 0);
        const QString workspace = QDir(dir_.path()).filePath(QStringLiteral("keys.routerlab"));
        const QStringList common{QStringLiteral("live"),
                                 QStringLiteral("--dataset"),
                                 datasetPath_,
                                 QStringLiteral("--pool"),
                                 poolPath_,
                                 QStringLiteral("--base-url"),
                                 server.baseUrl(),
                                 QStringLiteral("--workspace"),
                                 workspace,
                                 QStringLiteral("--store-responses"),
                                 QStringLiteral("--backoff"),
                                 QStringLiteral("0.05"),
                                 QStringLiteral("--limit"),
                                 QStringLiteral("30")};
        const CliRun good = cli(common + QStringList{QStringLiteral("--json")}, env);
        QVERIFY2(good.code == 0, good.err.constData());
        const QJsonObject json = QJsonDocument::fromJson(good.out).object();
        QVERIFY(json.value(QStringLiteral("live"))
                    .toObject()
                    .value(QStringLiteral("answered"))
                    .toInt() > 20);
        const CliRun text = cli(common, env);
        QCOMPARE(text.code, 0);

        // A wrong key: the server refuses, the client must not echo what it sent.
        QProcessEnvironment wrong = env;
        const QByteArray wrongKey = "sk-wrong-key-Hh3Jk9Lm2Nb8Vc";
        wrong.insert(QString::fromLatin1(kKeyVariable), QString::fromLatin1(wrongKey));
        const CliRun refused = cli(common + QStringList{QStringLiteral("--json")}, wrong);
        QCOMPARE(refused.code, 0);
        QVERIFY(QJsonDocument::fromJson(refused.out)
                    .object()
                    .value(QStringLiteral("live"))
                    .toObject()
                    .value(QStringLiteral("failed"))
                    .toInt() == 30);

        WorkspaceStore store(workspace);
        LiveCallLog log(store);
        const std::vector<LiveCallRecord> calls = log.calls(log.sessions().back().id);
        QVERIFY(calls.front().error.contains(QLatin1String("HTTP 401")));

        QByteArray everything = good.out + good.err + text.out + text.err + refused.out +
                                refused.err + server.allOutput();
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            everything += readFile(workspace + suffix);
        QVERIFY(everything.size() > 10000);
        for (const QByteArray& key : {kFakeKey, wrongKey}) {
            QVERIFY2(!everything.contains(key), "an API key reached the workspace or the output");
            QVERIFY(!everything.contains(key.mid(8, 12)));
        }
    }

    void streamingMeasuresTimeToFirstToken() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"), QStringLiteral("1")});
        QVERIFY(server.port() > 0);
        ChatClient client(fastClient_);
        ChatCall call;
        call.modelId = QStringLiteral("large");
        call.endpoint.baseUrl = server.baseUrl();
        call.endpoint.remoteModel = QStringLiteral("large");
        call.prompt = data_->dataset.promptTexts[4]; // recorded 1.5 s; first token 0.3 s
        const ChatResult streamed = client.call(call);
        QVERIFY2(streamed.ok(), qPrintable(streamed.error));
        QVERIFY2(streamed.firstTokenS >= 0.2 && streamed.firstTokenS < streamed.latencyS - 0.5,
                 qPrintable(QStringLiteral("ttft %1 s, latency %2 s")
                                .arg(streamed.firstTokenS)
                                .arg(streamed.latencyS)));
        QVERIFY(streamed.latencyS >= 1.4);
        QCOMPARE(streamed.replayInfo.value(QStringLiteral("prompt_id")).toString(),
                 QStringLiteral("p4"));
        call.stream = false;
        const ChatResult whole = client.call(call);
        QVERIFY(whole.ok());
        QVERIFY(std::isnan(whole.firstTokenS));
        QCOMPARE(whole.text, streamed.text);
        QCOMPARE(whole.completionTokens, streamed.completionTokens);
    }

    void cancellationEndsCallsWithinASecond() {
        // Every answer's first byte comes 30 s late: only a cancel ends these calls.
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--fault-slow"), QStringLiteral("1"),
                              QStringLiteral("--slow-first-byte"), QStringLiteral("30")});
        QVERIFY(server.port() > 0);
        const SimulationSetup setup(data_->dataset, data_->pool, SimulationOptions{});
        ChatClient client(fastClient_);
        LiveRunner runner(setup, data_->pool, client);
        LiveResult result;
        std::atomic_bool finished{false};
        std::thread worker([&] {
            result = runner.run(replayOptions(server.baseUrl(), QStringLiteral("ucb1")));
            finished = true;
        });
        QThread::msleep(500);
        QElapsedTimer timer;
        timer.start();
        runner.cancel();
        while (!finished && timer.elapsed() < 10000)
            QThread::msleep(5);
        const qint64 ms = timer.elapsed();
        worker.join();
        QVERIFY2(ms < 1000, qPrintable(QStringLiteral("cancel took %1 ms").arg(ms)));
        QCOMPARE(result.stopReason, QStringLiteral("cancelled"));
        QCOMPARE(result.summary.steps, 0);

        // Many calls in flight at once, through a client alone (declared after the counters
        // its callbacks touch, so it goes first).
        std::atomic<int> cancelled{0};
        std::atomic<int> done{0};
        ChatClient many(fastClient_);
        for (int i = 0; i < 16; ++i) {
            ChatCall call;
            call.modelId = QStringLiteral("tiny");
            call.endpoint.baseUrl = server.baseUrl();
            call.endpoint.remoteModel = QStringLiteral("tiny");
            call.prompt = data_->dataset.promptTexts[i];
            many.submit(call, [&](ChatResult r) {
                cancelled += r.status == CallStatus::Cancelled;
                ++done;
            });
        }
        QThread::msleep(300);
        timer.restart();
        many.cancelAll();
        while (done < 16 && timer.elapsed() < 10000)
            QThread::msleep(5);
        QVERIFY2(timer.elapsed() < 1000, "cancelAll took more than a second");
        QCOMPARE(cancelled.load(), 16);
    }

    void budgetStopsTheSession() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"), QStringLiteral("0")});
        QVERIFY(server.port() > 0);
        const SimulationSetup setup(data_->dataset, data_->pool, SimulationOptions{});
        ChatClient client(fastClient_);
        LiveRunner runner(setup, data_->pool, client);
        LiveOptions o = replayOptions(server.baseUrl(), QStringLiteral("priciest"));
        o.budgetUsd = 0.01; // a large call costs about 2-4 thousandths of a dollar
        const LiveResult result = runner.run(o);
        QCOMPARE(result.stopReason, QStringLiteral("budget"));
        QVERIFY(result.summary.steps > 0 && result.summary.steps < 10);
        QVERIFY(result.spentUsd <= o.budgetUsd);
        QVERIFY(!result.summary.complete);
    }

    void retryAfterIsHonouredAndKeysAreRequired() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"), QStringLiteral("0"),
                              QStringLiteral("--fault-429"), QStringLiteral("1"),
                              QStringLiteral("--retry-after"), QStringLiteral("1")});
        QVERIFY(server.port() > 0);
        ClientOptions options = fastClient_;
        options.maxRetries = 1;
        ChatClient client(options);
        ChatCall call;
        call.modelId = QStringLiteral("tiny");
        call.endpoint.baseUrl = server.baseUrl();
        call.endpoint.remoteModel = QStringLiteral("tiny");
        call.prompt = data_->dataset.promptTexts[0];
        QElapsedTimer timer;
        timer.start();
        const ChatResult limited = client.call(call);
        QCOMPARE(limited.status, CallStatus::Failed);
        QCOMPARE(limited.attempts, 2);
        QCOMPARE(limited.httpStatus, 429);
        QVERIFY2(timer.elapsed() >= 950, "the retry came before Retry-After");

        call.endpoint.apiKeyEnv = QStringLiteral("ROUTERLAB_TEST_UNSET_VARIABLE");
        const ChatResult noKey = client.call(call);
        QCOMPARE(noKey.status, CallStatus::Failed);
        QCOMPARE(noKey.attempts, 0);
        QVERIFY(noKey.error.contains(QLatin1String("ROUTERLAB_TEST_UNSET_VARIABLE")));

        // A key file must be private.
        const QString keyFile = writeFile(QDir(dir_.path()), QStringLiteral("key.txt"), kFakeKey);
        qputenv("ROUTERLAB_TEST_FILE_KEY_FILE", keyFile.toLocal8Bit());
        QFile::setPermissions(keyFile, QFileDevice::ReadOwner | QFileDevice::ReadOther);
        QVERIFY(readApiKey(QStringLiteral("ROUTERLAB_TEST_FILE_KEY"))
                    .error.contains(QLatin1String("chmod 600")));
        QFile::setPermissions(keyFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QCOMPARE(readApiKey(QStringLiteral("ROUTERLAB_TEST_FILE_KEY")).value, kFakeKey);
        QCOMPARE(redactKey(QStringLiteral("bad key sk-live-te**"), kFakeKey),
                 QStringLiteral("bad key [redacted]**"));
    }
};

QTEST_GUILESS_MAIN(TestLive)
#include "test_live.moc"
