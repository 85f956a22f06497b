// The official OpenAI client library (npm package `openai`, pinned in
// tests/openai_client/package-lock.json), a client nobody here wrote, against RouterLab's
// servers: tests/openai_client/check_openai_client.mjs run by Node.js checks chat with and
// without streaming (usage included), refusals (unknown model, wrong key) and embeddings in
// both encodings. installer/install-deps.sh installs Node.js and `setup.sh test` the package;
// without them the test skips and says why, except under CI=true, where it fails.
#include "formats/dataset_loader.h"
#include "replay_process.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>
#include <algorithm>
#include <memory>

using namespace routerlab;
using namespace routerlab::testing;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kSlowdown = 5;
#else
constexpr int kSlowdown = 1;
#endif

constexpr char kKeyVariable[] = "ROUTERLAB_TEST_OPENAI_CLIENT_KEY";
constexpr char kKey[] = "sk-openai-client-test-7Hq2LmXv9Rt4";
constexpr int kEmbeddingDimension = 24; // not the server's default, so the client must read it

QDir clientDir() {
    return QDir(QStringLiteral(ROUTERLAB_OPENAI_CLIENT_DIR));
}

QString samplePath(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QString::fromLatin1(name));
}

QJsonObject readJson(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                          : QJsonObject();
}

// Why the client cannot run here (empty when it can); `node` gets the executable's path.
QString missingClient(QString& node) {
    node = QStandardPaths::findExecutable(QStringLiteral("node"));
    if (node.isEmpty())
        return QStringLiteral("Node.js (`node`) is not on the PATH");
    QProcess version;
    version.start(node, {QStringLiteral("--version")});
    version.waitForFinished(30000);
    const QString text = QString::fromLatin1(version.readAllStandardOutput()).trimmed();
    if (text.mid(1).section(QLatin1Char('.'), 0, 0).toInt() < 18)
        return QStringLiteral("Node.js 18 or later is needed, `node --version` says '%1'")
            .arg(text);
    const QString pinned = readJson(clientDir().filePath(QStringLiteral("package-lock.json")))
                               .value(QLatin1String("packages"))
                               .toObject()
                               .value(QLatin1String("node_modules/openai"))
                               .toObject()
                               .value(QLatin1String("version"))
                               .toString();
    const QString installed =
        readJson(clientDir().filePath(QStringLiteral("node_modules/openai/package.json")))
            .value(QLatin1String("version"))
            .toString();
    if (installed.isEmpty() || installed != pinned)
        return QStringLiteral("the npm package openai %1 is not installed in %2 (found '%3'): "
                              "bash installer/install-openai-client.sh installs it")
            .arg(pinned, clientDir().path(), installed);
    return {};
}

// A server for the client, alive as long as this object, and where the client reaches it.
struct Target {
    std::unique_ptr<ReplayProcess> replay;
    std::unique_ptr<ServerProcess> proxy; // in front of the replay server, for "proxy" rows
    QString baseUrl;
    QByteArray output() const {
        return replay->allOutput() + (proxy ? proxy->allOutput() : QByteArray());
    }
};

} // namespace

class TestOpenAiClient : public QObject {
    Q_OBJECT

    QString node_;
    QString prompt_; // one the sample's replay answers, for model_
    QString model_;

    // The server a row names, started on a free port; the client's key is $kKeyVariable.
    static Target start(const QString& server, bool keyRequired) {
        QStringList args{QStringLiteral("--dataset"),
                         samplePath("sample.csv"),
                         QStringLiteral("--pool"),
                         samplePath("sample.pool.json"),
                         QStringLiteral("--latency-scale"),
                         QStringLiteral("0"),
                         QStringLiteral("--embedding-dimension"),
                         QString::number(kEmbeddingDimension)};
        const QStringList key{QStringLiteral("--require-key-env"),
                              QString::fromLatin1(kKeyVariable)};
        Target target;
        if (server == QLatin1String("replay")) {
            target.replay =
                std::make_unique<ReplayProcess>(keyRequired ? args + key : args, environment());
            target.baseUrl = target.replay->baseUrl();
        } else if (server == QLatin1String("proxy")) { // the replay server upstream
            target.replay = std::make_unique<ReplayProcess>(args, environment());
            const QStringList proxyArgs{
                QStringLiteral("--dataset"),  samplePath("sample.csv"),
                QStringLiteral("--pool"),     samplePath("sample.pool.json"),
                QStringLiteral("--router"),   QStringLiteral("knn"),
                QStringLiteral("--base-url"), target.replay->baseUrl()};
            target.proxy = std::make_unique<ServerProcess>(
                QStringLiteral("proxy"), keyRequired ? proxyArgs + key : proxyArgs, environment());
            target.baseUrl = target.proxy->port() > 0 ? target.proxy->baseUrl() : QString();
        } else {
            qFatal("no such server in this test: %s", qPrintable(server));
        }
        return target;
    }

    static QProcessEnvironment environment() {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kKeyVariable), QString::fromLatin1(kKey));
        return env;
    }

private slots:
    void initTestCase() {
        const QString missing = missingClient(node_);
        if (!missing.isEmpty()) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL(qPrintable(QStringLiteral("CI=true but ") + missing));
            QSKIP(qPrintable(missing + QStringLiteral(" (under CI=true this fails)")));
        }
        const PricedDataset data =
            loadPricedDataset({samplePath("sample.csv")}, samplePath("sample.pool.json"));
        const Dataset& d = data.dataset;
        for (int i = 0; i < d.promptCount() && prompt_.isEmpty(); ++i)
            for (int k = 0; k < d.modelCount() && prompt_.isEmpty(); ++k)
                if (!d.isMissing(i, k)) {
                    prompt_ = d.promptTexts[i];
                    model_ = d.modelNames[k];
                }
        QVERIFY(!prompt_.isEmpty());
    }

    // One row per server; embeddingDimension 0 leaves the embeddings check out.
    void officialClient_data() {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("model");
        QTest::addColumn<bool>("keyRequired");
        QTest::addColumn<int>("embeddingDimension");
        QTest::newRow("replay") << "replay" << model_ << false << kEmbeddingDimension;
        QTest::newRow("replay, key required") << "replay" << model_ << true << kEmbeddingDimension;
        // The proxy routes "routerlab"; it serves no embeddings.
        QTest::newRow("proxy") << "proxy" << QStringLiteral("routerlab") << false << 0;
        QTest::newRow("proxy, key required") << "proxy" << QStringLiteral("routerlab") << true << 0;
    }

    void officialClient() {
        QFETCH(QString, server);
        QFETCH(QString, model);
        QFETCH(bool, keyRequired);
        QFETCH(int, embeddingDimension);
        const Target target = start(server, keyRequired);
        QVERIFY2(!target.baseUrl.isEmpty() && target.replay->port() > 0,
                 target.output().constData());

        QStringList args{clientDir().filePath(QStringLiteral("check_openai_client.mjs")),
                         QStringLiteral("--base-url"),
                         target.baseUrl,
                         QStringLiteral("--model"),
                         model,
                         QStringLiteral("--prompt"),
                         prompt_};
        QStringList expected{QStringLiteral("chat"), QStringLiteral("chat-stream"),
                             QStringLiteral("unknown-model")};
        if (keyRequired) {
            args << QStringLiteral("--key-env") << QString::fromLatin1(kKeyVariable);
            expected << QStringLiteral("wrong-key");
        }
        if (embeddingDimension > 0) {
            args << QStringLiteral("--embedding-dimension") << QString::number(embeddingDimension);
            expected << QStringLiteral("embeddings");
        }
        QProcess client;
        client.setProcessEnvironment(environment());
        client.setWorkingDirectory(clientDir().path());
        client.start(node_, args);
        const bool finished = client.waitForFinished(60000 * kSlowdown);
        if (!finished) {
            client.kill();
            client.waitForFinished(5000);
        }
        const QString out = QString::fromUtf8(client.readAllStandardOutput());
        const QByteArray err = client.readAllStandardError();
        qInfo("%s%s", qPrintable(out), err.constData());
        QVERIFY2(finished, "the client did not finish within a minute");
        QCOMPARE(client.exitStatus(), QProcess::NormalExit);
        QCOMPARE(client.exitCode(), 0);

        const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        for (const QString& check : expected) {
            const QString prefix = QStringLiteral("ok ") + check + QLatin1Char(':');
            QVERIFY2(std::any_of(lines.begin(), lines.end(),
                                 [&](const QString& line) { return line.startsWith(prefix); }),
                     qPrintable(QStringLiteral("no line '%1 ...'").arg(prefix)));
        }
        QVERIFY(!out.contains(QLatin1String("FAILED")));
        QVERIFY2(
            lines.last().endsWith(QStringLiteral("%1 of %1 checks passed").arg(expected.size())),
            qPrintable(lines.last()));
        // The key never shows in what the client printed (the refusal's message included).
        QVERIFY(!out.contains(QLatin1String(kKey)) && !err.contains(kKey));
    }
};

QTEST_GUILESS_MAIN(TestOpenAiClient)
#include "test_openai_client.moc"
