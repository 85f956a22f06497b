// What the live tests share: a synthetic dataset and pool whose endpoints are the replay
// server, run as a separate routerlab-cli process on 127.0.0.1, and a workspace per test.
#pragma once

#include "cli_process.h"
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

namespace routerlab::testing::live {

inline const char* const kKeyVariable = "ROUTERLAB_TEST_LIVE_KEY";
inline const QByteArray kFakeKey = "sk-live-test-Zq7XvY2mPp9LkR4tWc8s";

// 60 prompts x 4 models in 3 categories; integer tokens so that priced usage reproduces the
// simulation's costs exactly. Some prompts carry commas, quotes, new lines and non-ASCII text
// (the server finds prompts by exact text).
inline QByteArray syntheticDataset() {
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
inline QByteArray syntheticPool() {
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

using routerlab::testing::cli;
using routerlab::testing::CliRun;

inline QProcessEnvironment environmentWithKey() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kKeyVariable), QString::fromLatin1(kFakeKey));
    return env;
}

// Rows in a workspace's embedding cache, read through a connection of the test's own.
inline qint64 cachedEmbeddingRows(const QString& workspace) {
    Database db(workspace);
    Statement rows(db, QStringLiteral("SELECT count(*) FROM embedding_cache"),
                   QStringLiteral("counting cached embeddings"));
    return rows.step() ? rows.columnInt64(0) : -1;
}

} // namespace routerlab::testing::live

namespace routerlab::testing {

// The dataset and pool written into a folder of the test's own, loaded once.
class LiveFixture {
protected:
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

    void setUpFixture() {
        QVERIFY(dir_.isValid());
        qputenv(live::kKeyVariable, live::kFakeKey);
        datasetPath_ =
            writeFile(QDir(dir_.path()), QStringLiteral("live.csv"), live::syntheticDataset());
        poolPath_ =
            writeFile(QDir(dir_.path()), QStringLiteral("live.pool.json"), live::syntheticPool());
        data_ = std::make_unique<PricedDataset>(loadPricedDataset({datasetPath_}, poolPath_));
        QCOMPARE(data_->dataset.promptCount(), 60);
        fastClient_.backoffBaseS = 0.05;
        fastClient_.requestTimeoutS = 20;
    }
};

} // namespace routerlab::testing
