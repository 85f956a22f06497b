// Live sessions and runs against the replay server: they reproduce the simulation, survive
// faults, keep keys secret, stream, cancel, stop at the budget and honour Retry-After.
#include "live_fixture.h"
#include "stall_meter.h"

#include <QHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <chrono>

using namespace routerlab;
using namespace routerlab::testing::live;
using routerlab::testing::readFile;
using routerlab::testing::ReplayProcess;
using routerlab::testing::writeFile;

// Named, not anonymous: a unity build includes this file, and a test class with a member of an
// anonymous-namespace type then warns (-Wsubobject-linkage).
namespace live_test {

// A second, as the product promises for a cancel, scaled like the stall limit for the
// sanitizer build and a loaded machine (stall_meter.h).
qint64 steadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 cancelLimitMs() {
    return routerlab::testing::stallLimitMs(routerlab::testing::kSanitizerSlowdown, 1000);
}

// An endpoint on 127.0.0.1 that reads requests and never answers: each request it holds is a
// call in flight, which a test can wait for instead of sleeping.
class SilentProvider : public QObject {
public:
    SilentProvider() {
        server_.listen(QHostAddress::LocalHost, 0);
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = server_.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] {
                    QByteArray& received = received_[socket];
                    const bool headBefore = received.contains("\r\n\r\n");
                    received += socket->readAll();
                    // One request per connection: with no answer, none is ever reused.
                    if (!headBefore && received.contains("\r\n\r\n"))
                        ++held_;
                });
            }
        });
    }
    int port() const { return server_.serverPort(); }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1/v1").arg(port()); }
    int held() const { return held_; } // requests received so far, on this thread

private:
    QTcpServer server_;
    QHash<QTcpSocket*, QByteArray> received_;
    int held_ = 0;
};

} // namespace live_test

using namespace live_test;

class TestLive : public QObject, public routerlab::testing::LiveFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }

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
        ChatClient client(fastClient_);
        LiveRunner runner(setup, data_->pool, client, &store);
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

        const std::vector<LiveCallRecord> calls = store.liveCalls(live.sessionId);
        QCOMPARE(calls.size(), simulated.log.model.size());
        for (std::size_t t = 0; t < calls.size(); ++t) {
            QCOMPARE(calls[t].status, QStringLiteral("ok"));
            QCOMPARE(calls[t].model, data_->dataset.modelNames[simulated.log.model[t]]);
            QCOMPARE(calls[t].attempts, 1);
            QVERIFY(calls[t].requestId.startsWith(QLatin1String("replay-")));
            QVERIFY(calls[t].response.isEmpty()); // not opted in
            QCOMPARE(std::isnan(calls[t].firstTokenS), !stream);
        }
        QCOMPARE(store.liveSessions().back().status, QStringLiteral("complete"));
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
        ClientOptions options = fastClient_;
        options.maxRetries = 1; // some prompts must run out of retries
        ChatClient client(options);
        LiveRunner runner(setup, data_->pool, client, &store);
        const LiveResult live = runner.run(o);

        const std::vector<LiveCallRecord> calls = store.liveCalls(live.sessionId);
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
        // Every call failed: the run fails, and says why (the key still never shows).
        QCOMPARE(refused.code, 1);
        QVERIFY2(refused.err.contains("every call failed (30)"), refused.err.constData());
        QVERIFY(QJsonDocument::fromJson(refused.out)
                    .object()
                    .value(QStringLiteral("live"))
                    .toObject()
                    .value(QStringLiteral("failed"))
                    .toInt() == 30);

        WorkspaceStore store(workspace);
        const std::vector<LiveCallRecord> calls = store.liveCalls(store.liveSessions().back().id);
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
        // A provider that takes requests and never answers: only a cancel ends these calls,
        // and the requests it holds say when calls are in flight.
        SilentProvider provider;
        QVERIFY(provider.port() > 0);
        const SimulationSetup setup(data_->dataset, data_->pool, SimulationOptions{});
        ChatClient client(fastClient_);
        LiveRunner runner(setup, data_->pool, client);
        LiveResult result;
        std::atomic<qint64> endedAtMs{-1};
        std::thread worker([&] {
            result = runner.run(replayOptions(provider.baseUrl(), QStringLiteral("ucb1")));
            endedAtMs = steadyMs();
        });
        const bool inFlight = QTest::qWaitFor([&] { return provider.held() >= 1; }, 10000);
        const qint64 cancelledAtMs = steadyMs();
        runner.cancel();
        QVERIFY(QTest::qWaitFor([&] { return endedAtMs >= 0; }, 10000));
        worker.join();
        QVERIFY2(inFlight, "the runner's first call never reached the provider");
        const qint64 ms = endedAtMs - cancelledAtMs;
        QVERIFY2(ms >= 0 && ms < cancelLimitMs(),
                 qPrintable(QStringLiteral("cancel took %1 ms").arg(ms)));
        QCOMPARE(result.stopReason, QStringLiteral("cancelled"));
        QCOMPARE(result.summary.steps, 0);

        // Sixteen calls in flight at once, through a client alone (declared after the counters
        // its callbacks touch, so it goes first).
        constexpr int kCalls = 16;
        std::atomic<int> cancelled{0};
        std::atomic<int> done{0};
        std::atomic<qint64> allEndedAtMs{-1};
        ClientOptions options = fastClient_;
        options.concurrencyPerEndpoint = kCalls;
        ChatClient many(options);
        for (int i = 0; i < kCalls; ++i) {
            ChatCall call;
            call.modelId = QStringLiteral("tiny");
            call.endpoint.baseUrl = provider.baseUrl();
            call.endpoint.remoteModel = QStringLiteral("tiny");
            call.prompt = data_->dataset.promptTexts[i];
            many.submit(call, [&](ChatResult r) {
                cancelled += r.status == CallStatus::Cancelled;
                if (++done == kCalls)
                    allEndedAtMs = steadyMs();
            });
        }
        const int before = provider.held();
        QVERIFY2(QTest::qWaitFor([&] { return provider.held() == before + kCalls; }, 10000),
                 qPrintable(QStringLiteral("%1 of %2 calls reached the provider")
                                .arg(provider.held() - before)
                                .arg(kCalls)));
        QCOMPARE(done.load(), 0);
        const qint64 cancelAllAtMs = steadyMs();
        many.cancelAll();
        QVERIFY(QTest::qWaitFor([&] { return allEndedAtMs >= 0; }, 10000));
        QVERIFY2(
            allEndedAtMs - cancelAllAtMs < cancelLimitMs(),
            qPrintable(QStringLiteral("cancelAll took %1 ms").arg(allEndedAtMs - cancelAllAtMs)));
        QCOMPARE(cancelled.load(), kCalls);
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
