// The routing proxy end to end: `routerlab-cli proxy` in front of the replay server, asked
// through the project's own client and through curl, streamed and not; every request must be
// routed as the simulation's router routes the same prompt at the same preference, recorded in
// the workspace, and under upstream faults answered by a fallback or failed with the
// upstream's error, never paid twice.
#include "data/model_pool.h"
#include "formats/dataset_loader.h"
#include "http/chat_client.h"
#include "replay_process.h"
#include "routers/router_registry.h"
#include "sim/simulation.h"
#include "store/workspace_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <map>

using namespace routerlab;
using namespace routerlab::testing;

namespace {

const QDir kSample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
const QString kSplit = QStringLiteral("random:0.5");
const QString kPreference = QStringLiteral("quality=0.7,cost=0.3");
const QString kCheap = QStringLiteral("quality=0.3,cost=0.7");

QString samplePath(const char* name) {
    return kSample.filePath(QLatin1String(name));
}

// What curl saw: the status, the headers (names in lower case) and the body.
struct CurlAnswer {
    int status = 0;
    std::map<QByteArray, QByteArray> headers;
    QByteArray body;
    QByteArray header(const QByteArray& name) const {
        const auto found = headers.find(name);
        return found == headers.end() ? QByteArray() : found->second;
    }
};

CurlAnswer curlPost(const QString& url, const QByteArray& body, bool stream,
                    const QString& key = {}) {
    QStringList args{QStringLiteral("-sS"),
                     QStringLiteral("-D"),
                     QStringLiteral("-"),
                     QStringLiteral("-H"),
                     QStringLiteral("Content-Type: application/json"),
                     QStringLiteral("--data-binary"),
                     QStringLiteral("@-")};
    if (stream)
        args << QStringLiteral("-N");
    if (!key.isEmpty())
        args << QStringLiteral("-H") << QStringLiteral("Authorization: Bearer ") + key;
    args << url + QStringLiteral("/chat/completions");
    QProcess curl;
    curl.start(QStringLiteral("curl"), args);
    curl.write(body);
    curl.closeWriteChannel();
    curl.waitForFinished(60000);
    const QByteArray out = curl.readAllStandardOutput();
    CurlAnswer answer;
    const qsizetype end = out.indexOf("\r\n\r\n");
    const QList<QByteArray> lines = out.left(end).split('\n');
    if (!lines.isEmpty())
        answer.status = lines.front().split(' ').value(1).toInt();
    for (const QByteArray& line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            answer.headers[line.left(colon).trimmed().toLower()] = line.mid(colon + 1).trimmed();
    }
    answer.body = end < 0 ? QByteArray() : out.mid(end + 4);
    return answer;
}

QByteArray chatBody(const QString& model, const QString& prompt, bool stream) {
    return QJsonDocument(
               QJsonObject{{QStringLiteral("model"), model},
                           {QStringLiteral("stream"), stream},
                           {QStringLiteral("messages"),
                            QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                                   {QStringLiteral("content"), prompt}}}}})
        .toJson(QJsonDocument::Compact);
}

// The "model" of every event of a streamed body, and whether it ended in [DONE].
QStringList streamedModels(const QByteArray& body, bool& done) {
    QStringList models;
    done = false;
    for (const QByteArray& line : body.split('\n')) {
        if (!line.startsWith("data: "))
            continue;
        const QByteArray payload = line.mid(6).trimmed();
        if (payload == "[DONE]") {
            done = true;
            continue;
        }
        models
            << QJsonDocument::fromJson(payload).object().value(QLatin1String("model")).toString();
    }
    return models;
}

bool curlAvailable() {
    return !QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty();
}

} // namespace

class ProxyTest : public QObject {
    Q_OBJECT

private:
    QStringList proxyArgs(const QString& router, const QString& upstream,
                          const QString& workspace) const {
        return {QStringLiteral("--dataset"),    samplePath("sample.csv"),
                QStringLiteral("--pool"),       samplePath("sample.pool.json"),
                QStringLiteral("--router"),     router,
                QStringLiteral("--split"),      kSplit,
                QStringLiteral("--preference"), kPreference,
                QStringLiteral("--base-url"),   upstream,
                QStringLiteral("--workspace"),  workspace};
    }

private slots:
    void initTestCase() {
        if (!curlAvailable() && qEnvironmentVariable("CI") == QLatin1String("true"))
            QFAIL("curl is missing: installer/install-deps.sh installs it");
        replay_ = startSampleReplay();
        QVERIFY(replay_->port() > 0);
        data_ = std::make_unique<PricedDataset>(
            loadPricedDataset({samplePath("sample.csv")}, samplePath("sample.pool.json")));
        SimulationOptions options;
        options.split = SplitRule::parse(kSplit);
        setup_ = std::make_unique<SimulationSetup>(data_->dataset, data_->pool, options);
    }

    void routesAsTheSimulation_data() {
        QTest::addColumn<QString>("router");
        QTest::addColumn<int>("requests");
        QTest::newRow("knn") << QStringLiteral("knn:k=10") << 200;
        QTest::newRow("quality-regression") << QStringLiteral("quality-regression") << 40;
        QTest::newRow("barp") << QStringLiteral("barp:epochs=2") << 40;
    }

    // 200 scored prompts: a quarter each through the project's client streamed and not, and
    // through curl streamed and not; one in four at a cheaper preference of its own.
    void routesAsTheSimulation() {
        QFETCH(QString, router);
        QFETCH(int, requests);
        if (!curlAvailable())
            QSKIP("curl is not installed");
        const QTemporaryDir dir;
        const QString workspace = dir.filePath(QStringLiteral("traffic.routerlab"));
        ServerProcess proxy(QStringLiteral("proxy"),
                            proxyArgs(router, replay_->baseUrl(), workspace));
        QVERIFY2(proxy.port() > 0, proxy.allOutput().constData());

        const RoutingProblem& problem = setup_->problem();
        const std::unique_ptr<Router> simulated =
            RouterRegistry::instance().create(RouterSpec::parse(router), problem);
        simulated->reset(1);
        ChatClient client;
        const Dataset& dataset = data_->dataset;
        std::vector<QString> expected;
        for (int n = 0; n < requests; ++n) {
            const int row = setup_->scoredRows()[std::size_t(n * 3)];
            const QString preference = n % 4 == 1 ? kCheap : kPreference;
            const RewardFunction reward(problem.rewardKind, problem.scales,
                                        Preference::parse(preference));
            const int k =
                simulated->route({row, dataset.promptCategory[std::size_t(row)]}, reward).model;
            expected.push_back(problem.modelNames[k]);
            const QString model = n % 4 == 1 ? QStringLiteral("routerlab:") + preference
                                             : QStringLiteral("routerlab");
            const QString& prompt = dataset.promptTexts[std::size_t(row)];
            const bool stream = n % 2 == 0;
            if (n % 8 < 4) { // the project's client
                ChatCall call;
                call.modelId = model;
                call.endpoint.baseUrl = proxy.baseUrl();
                call.endpoint.remoteModel = model;
                call.prompt = prompt;
                call.stream = stream;
                const ChatResult r = client.call(call);
                QVERIFY2(r.ok(), qPrintable(r.error));
                QVERIFY(!r.text.isEmpty());
                QVERIFY(r.usageReported());
                continue;
            }
            const CurlAnswer a = curlPost(proxy.baseUrl(), chatBody(model, prompt, stream), stream);
            QCOMPARE(a.status, 200);
            QCOMPARE(QString::fromUtf8(a.header("x-routerlab-model")), expected.back());
            QCOMPARE(QString::fromUtf8(a.header("x-routerlab-preference")),
                     Preference::parse(preference).toString());
            if (stream) {
                bool done = false;
                const QStringList models = streamedModels(a.body, done);
                QVERIFY(done);
                QVERIFY(models.size() >= 2);
                QCOMPARE(models.count(expected.back()), models.size());
            } else {
                const QJsonObject o = QJsonDocument::fromJson(a.body).object();
                QCOMPARE(o.value(QLatin1String("model")).toString(), expected.back());
                QVERIFY(!o.value(QLatin1String("choices")).toArray().isEmpty());
            }
        }
        QCOMPARE(proxy.stop(), 0);

        // Every request recorded once, answered by the model the simulation's router chose.
        WorkspaceStore store(workspace);
        const std::vector<LiveSessionRecord> sessions = store.liveSessions();
        QCOMPARE(sessions.size(), std::size_t(1));
        QCOMPARE(sessions.front().scorer, QStringLiteral("proxy"));
        QCOMPARE(sessions.front().status, QStringLiteral("stopped"));
        const std::vector<LiveCallRecord> calls = store.liveCalls(sessions.front().id);
        QCOMPARE(calls.size(), expected.size());
        for (const LiveCallRecord& c : calls) {
            QCOMPARE(c.status, QStringLiteral("ok"));
            QCOMPARE(c.model, expected[std::size_t(c.step - 1)]);
            QVERIFY(c.costUsd > 0);
            // The dataset repeats some texts: the recorded id must name the text that was sent.
            const int row = setup_->scoredRows()[std::size_t((c.step - 1) * 3)];
            const auto id =
                std::find(dataset.promptIds.begin(), dataset.promptIds.end(), c.promptId);
            QVERIFY(id != dataset.promptIds.end());
            QCOMPARE(dataset.promptTexts[std::size_t(id - dataset.promptIds.begin())],
                     dataset.promptTexts[std::size_t(row)]);
        }
        // The recorded traffic replays into a simulation of another router.
        QProcess simulate;
        simulate.start(QStringLiteral(ROUTERLAB_CLI_PATH),
                       {QStringLiteral("simulate"), QStringLiteral("--dataset"),
                        samplePath("sample.csv"), QStringLiteral("--pool"),
                        samplePath("sample.pool.json"), QStringLiteral("--traffic"), workspace,
                        QStringLiteral("--router"), QStringLiteral("quality-regression"),
                        QStringLiteral("--seeds"), QStringLiteral("1"), QStringLiteral("--json")});
        QVERIFY(simulate.waitForFinished(120000));
        QCOMPARE(simulate.exitCode(), 0);
        const QJsonObject traffic = QJsonDocument::fromJson(simulate.readAllStandardOutput())
                                        .object()
                                        .value(QLatin1String("traffic"))
                                        .toObject();
        QCOMPARE(traffic.value(QLatin1String("matched")).toInt(), requests);
        QCOMPARE(traffic.value(QLatin1String("router")).toString(), router);

        // The cheaper preference must move some prompts to cheaper models.
        int moved = 0;
        for (int n = 1; n < requests; n += 4)
            moved += expected[std::size_t(n)] != expected[std::size_t(n - 1)];
        QVERIFY2(moved > 0, "the per-request preference changed no decision");
    }

    // One upstream request in five fails (429 or 500): each request is answered by a fallback
    // or fails with the upstream's own status, and only answers are paid, once each.
    void fallsBackUnderFaults() {
        if (!curlAvailable())
            QSKIP("curl is not installed");
        ReplayProcess faulty(
            {QStringLiteral("--dataset"), samplePath("sample.csv"), QStringLiteral("--pool"),
             samplePath("sample.pool.json"), QStringLiteral("--latency-scale"), QStringLiteral("0"),
             QStringLiteral("--fault-429"), QStringLiteral("0.1"), QStringLiteral("--fault-500"),
             QStringLiteral("0.1"), QStringLiteral("--retry-after"), QStringLiteral("0"),
             QStringLiteral("--seed"), QStringLiteral("5")});
        QVERIFY(faulty.port() > 0);
        const QTemporaryDir dir;
        const QString workspace = dir.filePath(QStringLiteral("faults.routerlab"));
        ServerProcess proxy(QStringLiteral("proxy"),
                            proxyArgs(QStringLiteral("knn:k=10"), faulty.baseUrl(), workspace) +
                                QStringList{QStringLiteral("--fallbacks"), QStringLiteral("1")});
        QVERIFY2(proxy.port() > 0, proxy.allOutput().constData());
        ClientOptions noRetries; // the client sees the proxy's answer as it is
        noRetries.maxRetries = 0;
        ChatClient client(noRetries);
        int answered = 0, failed = 0, fellBack = 0;
        for (int n = 0; n < 200; ++n) {
            const QString& prompt =
                data_->dataset.promptTexts[std::size_t(setup_->scoredRows()[std::size_t(n)])];
            const bool stream = n % 2 == 1;
            if (n % 8 >= 2) { // the project's client: answered, or failed with 429 or 500
                ChatCall call;
                call.modelId = call.endpoint.remoteModel = QStringLiteral("routerlab");
                call.endpoint.baseUrl = proxy.baseUrl();
                call.prompt = prompt;
                call.stream = stream;
                const ChatResult r = client.call(call);
                answered += r.ok();
                failed += !r.ok();
                QVERIFY2(r.ok() || r.httpStatus == 429 || r.httpStatus == 500, qPrintable(r.error));
                continue;
            }
            const CurlAnswer a = curlPost(
                proxy.baseUrl(), chatBody(QStringLiteral("routerlab"), prompt, stream), stream);
            if (a.status == 200) {
                ++answered;
                bool done = true;
                if (stream)
                    streamedModels(a.body, done);
                QVERIFY(done);
                continue;
            }
            ++failed;
            QVERIFY2(a.status == 429 || a.status == 500, a.body.constData());
            QVERIFY(QJsonDocument::fromJson(a.body).object().contains(QLatin1String("error")));
        }
        QCOMPARE(proxy.stop(), 0);

        WorkspaceStore store(workspace);
        const std::vector<LiveCallRecord> calls = store.liveCalls(store.liveSessions().front().id);
        std::map<int, int> paid, attempts;
        for (const LiveCallRecord& c : calls) {
            fellBack += ++attempts[c.step] == 2;
            if (c.status == QLatin1String("ok"))
                ++paid[c.step];
            else
                QCOMPARE(c.costUsd, 0.0);
        }
        QCOMPARE(int(attempts.size()), 200);
        int paidRequests = 0;
        for (const auto& [step, count] : paid) {
            QCOMPARE(count, 1);
            ++paidRequests;
        }
        QCOMPARE(paidRequests, answered);
        QCOMPARE(int(calls.size()), 200 + fellBack); // one fallback at most
        QVERIFY2(fellBack >= 20 && failed >= 1 && failed <= 20,
                 qPrintable(QStringLiteral("%1 fell back, %2 failed").arg(fellBack).arg(failed)));
    }

    // A prompt the dataset does not hold is routed by its features; the replay server knows
    // no answer to it, and its 404 reaches the client unchanged (no fallback for a bad request).
    void routesUnseenPromptsByTheirFeatures() {
        if (!curlAvailable())
            QSKIP("curl is not installed");
        const QTemporaryDir dir;
        ServerProcess proxy(QStringLiteral("proxy"),
                            proxyArgs(QStringLiteral("knn:k=10"), replay_->baseUrl(),
                                      dir.filePath(QStringLiteral("u.routerlab"))));
        QVERIFY(proxy.port() > 0);
        const RoutingProblem& problem = setup_->problem();
        const std::unique_ptr<Router> simulated = RouterRegistry::instance().create(
            RouterSpec::parse(QStringLiteral("knn:k=10")), problem);
        const RewardFunction reward(problem.rewardKind, problem.scales,
                                    Preference::parse(kPreference));
        QSet<QString> chosen;
        for (int n = 0; n < 20; ++n) {
            const QString prompt =
                data_->dataset.promptTexts[std::size_t(setup_->scoredRows()[std::size_t(n * 7)])] +
                QStringLiteral(" Explain your reasoning.");
            const Eigen::VectorXf features = problem.features->featurizer().transform(prompt);
            Query query;
            query.features = &features;
            const QString expected = problem.modelNames[simulated->route(query, reward).model];
            chosen.insert(expected);
            const CurlAnswer a = curlPost(
                proxy.baseUrl(), chatBody(QStringLiteral("routerlab"), prompt, false), false);
            QCOMPARE(a.status, 404);
            QCOMPARE(QString::fromUtf8(a.header("x-routerlab-model")), expected);
            QCOMPARE(a.header("x-routerlab-fallbacks"), QByteArray("0"));
        }
        QCOMPARE(proxy.stop(), 0);
        WorkspaceStore store(dir.filePath(QStringLiteral("u.routerlab")));
        const std::vector<LiveCallRecord> calls = store.liveCalls(store.liveSessions().front().id);
        QCOMPARE(calls.size(), std::size_t(20));
        QVERIFY(calls.front().promptId.startsWith(QLatin1String("sha-")));
        QCOMPARE(calls.front().status, QStringLiteral("failed"));
    }

    void refusesBadRequests_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << QByteArray("{") << 400 << QStringLiteral("not a JSON object");
        QTest::newRow("no messages")
            << QByteArray("{\"model\": \"routerlab\"}") << 400 << QStringLiteral("'messages'");
        QTest::newRow("unknown model")
            << chatBody(QStringLiteral("gpt-5"), QStringLiteral("hi"), false) << 404
            << QStringLiteral("'gpt-5'");
        QTest::newRow("bad preference")
            << chatBody(QStringLiteral("routerlab:quality=x"), QStringLiteral("hi"), false) << 400
            << QStringLiteral("field 'model'");
    }

    void refusesBadRequests() {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        if (!curlAvailable())
            QSKIP("curl is not installed");
        const QTemporaryDir dir;
        ServerProcess proxy(QStringLiteral("proxy"),
                            proxyArgs(QStringLiteral("knn"), replay_->baseUrl(),
                                      dir.filePath(QStringLiteral("w.routerlab"))));
        QVERIFY(proxy.port() > 0);
        const CurlAnswer a = curlPost(proxy.baseUrl(), body, false);
        QCOMPARE(a.status, status);
        const QString error = QJsonDocument::fromJson(a.body)
                                  .object()
                                  .value(QLatin1String("error"))
                                  .toObject()
                                  .value(QLatin1String("message"))
                                  .toString();
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    // Keys: none or a wrong one is refused, each listed key is served; a daily budget refuses
    // once spent.
    void keysAndBudget() {
        if (!curlAvailable())
            QSKIP("curl is not installed");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ROUTERLAB_PROXY_KEYS"), QStringLiteral("alpha-key, beta-key"));
        const QTemporaryDir dir;
        ServerProcess proxy(
            QStringLiteral("proxy"),
            // The budget below counts on the cheap choices of this knn.
            proxyArgs(QStringLiteral("knn:k=10,prior=0,similarity=features"), replay_->baseUrl(),
                      dir.filePath(QStringLiteral("k.routerlab"))) +
                QStringList{QStringLiteral("--require-key-env"),
                            QStringLiteral("ROUTERLAB_PROXY_KEYS"),
                            QStringLiteral("--key-budget-usd-per-day"), QStringLiteral("0.002")},
            env);
        QVERIFY(proxy.port() > 0);
        const QString prompt = data_->dataset.promptTexts[std::size_t(setup_->scoredRows()[0])];
        const QByteArray body = chatBody(QStringLiteral("routerlab"), prompt, false);
        QCOMPARE(curlPost(proxy.baseUrl(), body, false).status, 401);
        QCOMPARE(curlPost(proxy.baseUrl(), body, false, QStringLiteral("gamma-key")).status, 401);
        QCOMPARE(curlPost(proxy.baseUrl(), body, false, QStringLiteral("beta-key")).status, 200);
        int served = 0;
        CurlAnswer last;
        for (; served < 100; ++served) {
            last = curlPost(proxy.baseUrl(), body, false, QStringLiteral("alpha-key"));
            if (last.status != 200)
                break;
        }
        QCOMPARE(last.status, 429);
        QVERIFY(last.body.contains("budget"));
        QVERIFY(served >= 1);
        // The other key has its own budget left.
        QCOMPARE(curlPost(proxy.baseUrl(), body, false, QStringLiteral("beta-key")).status, 200);
        const QByteArray log = proxy.allOutput();
        QVERIFY(!log.contains("alpha-key") && !log.contains("beta-key"));
    }

    void refusesWhatItCannotServe_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("message");
        QTest::newRow("online router")
            << QStringList{QStringLiteral("--router"), QStringLiteral("pickllm-q")}
            << QStringLiteral("learns from the feedback");
        QTest::newRow("hindsight router")
            << QStringList{QStringLiteral("--router"), QStringLiteral("oracle")}
            << QStringLiteral("reference");
        QTest::newRow("open address without keys")
            << QStringList{QStringLiteral("--router"), QStringLiteral("knn"),
                           QStringLiteral("--listen"), QStringLiteral("0.0.0.0")}
            << QStringLiteral("--require-key-env");
    }

    void refusesWhatItCannotServe() {
        QFETCH(QStringList, extra);
        QFETCH(QString, message);
        QProcess cli;
        cli.start(QStringLiteral(ROUTERLAB_CLI_PATH),
                  QStringList{QStringLiteral("proxy"), QStringLiteral("--dataset"),
                              samplePath("sample.csv"), QStringLiteral("--pool"),
                              samplePath("sample.pool.json"), QStringLiteral("--base-url"),
                              QStringLiteral("http://127.0.0.1:9/v1"), QStringLiteral("--port"),
                              QStringLiteral("0")} +
                      extra);
        QVERIFY(cli.waitForFinished(60000));
        QVERIFY(cli.exitCode() != 0);
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(err.contains(message), qPrintable(err));
    }

private:
    std::unique_ptr<ReplayProcess> replay_;
    std::unique_ptr<PricedDataset> data_;
    std::unique_ptr<SimulationSetup> setup_;
};

QTEST_GUILESS_MAIN(ProxyTest)
#include "test_proxy.moc"
