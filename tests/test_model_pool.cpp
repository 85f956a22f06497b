#include "common/input_error.h"
#include "data/model_pool.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;

class TestModelPool : public QObject {
    Q_OBJECT

private slots:
    void roundTrips() {
        ModelPool pool;
        pool.name = QStringLiteral("round trip");
        PoolModel a;
        a.id = QStringLiteral("gpt-x");
        a.displayName = QStringLiteral("GPT X");
        a.inputPricePerMTok = 2.5;
        a.outputPricePerMTok = 10;
        a.feePerCall = 0.0001;
        a.endpoint = {QStringLiteral("https://api.example.com/v1"), QStringLiteral("gpt-x-2024"),
                      QStringLiteral("EXAMPLE_API_KEY")};
        a.contextWindow = 128000;
        a.tags = QStringList{QStringLiteral("large"), QStringLiteral("vendor-a")};
        a.firstTokenS = 0.4;
        a.outputTokensPerS = 80;
        PoolModel b;
        b.id = QStringLiteral("small");
        b.displayName = QStringLiteral("small");
        b.inputPricePerMTok = 0.05;
        b.outputPricePerMTok = 0.08;
        pool.models = {a, b};

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("p.pool.json"));
        pool.save(path);
        const ModelPool loaded = ModelPool::load(path);
        QCOMPARE(loaded, pool);
        QCOMPARE(loaded.toJson(), pool.toJson());
        QCOMPARE(loaded.indexOf(QStringLiteral("small")), 1);
        QVERIFY(!testing::readFile(path).contains("api_key\""));
    }

    void pricesACall() {
        PoolModel m;
        m.inputPricePerMTok = 2.0;
        m.outputPricePerMTok = 8.0;
        m.feePerCall = 0.001;
        QCOMPARE(m.costOfCall(1000, 500), 0.002 + 0.004 + 0.001);
        QCOMPARE(m.estimatedLatency(100), 0.5 + 2.0);
    }

    void defaultsFillIn() {
        const ModelPool p = ModelPool::fromJson(
            R"({"models":[{"id":"m","input_price_per_mtok":1,"output_price_per_mtok":2,
                "endpoint":{"base_url":"http://127.0.0.1:8080/v1"}}]})",
            QStringLiteral("inline"));
        QCOMPARE(p.models[0].displayName, QStringLiteral("m"));
        QCOMPARE(p.models[0].endpoint.remoteModel, QStringLiteral("m"));
        QCOMPARE(p.models[0].feePerCall, 0.0);
    }

    void rejects_data() {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray("  \n") << 0 << ""
                               << "empty";
        QTest::newRow("syntax") << QByteArray("{\n\"models\": [\n{\"id\": \"a\",,}\n]}") << 3 << ""
                                << "invalid JSON";
        QTest::newRow("no models") << QByteArray("{\"name\": \"x\"}") << 0 << "models"
                                   << "non-empty";
        QTest::newRow("negative price")
            << QByteArray("{\"models\": [\n {\"id\": \"a\",\n  \"input_price_per_mtok\": -1,\n  "
                          "\"output_price_per_mtok\": 1}]}")
            << 3 << "models[0].input_price_per_mtok"
            << ">= 0";
        QTest::newRow("price not a number")
            << QByteArray("{\"models\": [{\"id\": \"a\", \"input_price_per_mtok\": \"1\", "
                          "\"output_price_per_mtok\": 1}]}")
            << 1 << "models[0].input_price_per_mtok"
            << "number";
        QTest::newRow("missing price")
            << QByteArray("{\"models\": [{\"id\": \"a\", \"input_price_per_mtok\": 1}]}") << 1
            << "models[0].output_price_per_mtok"
            << "missing";
        QTest::newRow("duplicate id")
            << QByteArray(
                   "{\"models\": [\n{\"id\": \"a\", \"input_price_per_mtok\": 1, "
                   "\"output_price_per_mtok\": 1},\n"
                   "{\"id\": \"b\", \"input_price_per_mtok\": 1, \"output_price_per_mtok\": 1},\n"
                   "{\"id\": \"a\", \"input_price_per_mtok\": 1, \"output_price_per_mtok\": 1}]}")
            << 4 << "models[2].id"
            << "duplicate";
        QTest::newRow("api key in pool")
            << QByteArray(
                   "{\"models\": [{\"id\": \"a\", \"input_price_per_mtok\": 1, "
                   "\"output_price_per_mtok\": 1,\n"
                   "\"endpoint\": {\"base_url\": \"https://x\",\n \"api_key\": \"sk-secret\"}}]}")
            << 3 << "models[0].endpoint.api_key"
            << "never go in a pool";
        QTest::newRow("bad url") << QByteArray(
                                        "{\"models\": [{\"id\": \"a\", \"input_price_per_mtok\": "
                                        "1, \"output_price_per_mtok\": 1,"
                                        "\"endpoint\": {\"base_url\": \"ftp://x\"}}]}")
                                 << 1 << "models[0].endpoint.base_url"
                                 << "http";
        // A key in the base URL would be stored verbatim in every workspace the pool goes into.
        for (const char* url :
             {"https://user:sk-secret@api.example.com/v1", "https://sk-secret@api.example.com/v1",
              "https://api.example.com/v1?api-key=sk-secret",
              "https://api.example.com/v1?x=1&key=sk-secret",
              "https://api.example.com/v1#sk-secret"})
            QTest::addRow("credential in %s", url)
                << QByteArray("{\"models\": [{\"id\": \"a\", \"input_price_per_mtok\": 1, "
                              "\"output_price_per_mtok\": 1,\n\"endpoint\": {\n\"base_url\": \"") +
                       url + "\"}}]}"
                << 3 << "models[0].endpoint.base_url"
                << "api_key_env";
        QTest::newRow("huge context window")
            << QByteArray("{\"models\": [{\"id\": \"a\", \"input_price_per_mtok\": 1, "
                          "\"output_price_per_mtok\": 1,\n"
                          "\"context_window\": 8e93}]}")
            << 2 << "models[0].context_window"
            << "within 0..1000000000";
        QTest::newRow("fractional context window")
            << QByteArray("{\"models\": [{\"id\": \"a\", \"input_price_per_mtok\": 1, "
                          "\"output_price_per_mtok\": 1, "
                          "\"context_window\": 1.5}]}")
            << 1 << "models[0].context_window"
            << "whole number";
        QTest::newRow("newer version")
            << QByteArray("{\"version\": 99, \"models\": [{\"id\": \"a\", "
                          "\"input_price_per_mtok\": 1, \"output_price_per_mtok\": 1}]}")
            << 1 << "version"
            << "newer";
    }
    void rejects() {
        QFETCH(QByteArray, json);
        QFETCH(int, line);
        QFETCH(QString, field);
        QFETCH(QString, message);
        try {
            ModelPool::fromJson(json, QStringLiteral("p.pool.json"));
            QFAIL("no error raised");
        } catch (const InputError& e) {
            QCOMPARE(e.file(), QStringLiteral("p.pool.json"));
            QCOMPARE(e.line(), line);
            QCOMPARE(e.field(), field);
            QVERIFY2(e.message().contains(message), qPrintable(e.text()));
            QVERIFY(!e.text().contains(QStringLiteral("sk-secret")));
        }
    }

    void saveFailureKeepsOldFile() {
        QTemporaryDir dir;
        ModelPool pool;
        pool.models.push_back(PoolModel{});
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 pool.save(dir.filePath(QStringLiteral("no/such/dir/p.json"))));
    }
};

QTEST_GUILESS_MAIN(TestModelPool)
#include "test_model_pool.moc"
