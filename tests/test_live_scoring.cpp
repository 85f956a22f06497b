// Scorers, judges, human ratings and the embeddings endpoint, against the replay server.
#include "live_fixture.h"
#include "raw_http.h"

#include <QtEndian>

using namespace routerlab;
using namespace routerlab::testing::live;
using routerlab::testing::exchange;
using routerlab::testing::readFile;
using routerlab::testing::ReplayProcess;
using routerlab::testing::writeFile;

class TestLiveScoring : public QObject, public routerlab::testing::LiveFixture {
    Q_OBJECT

private slots:
    void initTestCase() { setUpFixture(); }

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

    // encoding_format as the OpenAI API takes it: "base64" carries the same float32 numbers
    // as the default JSON array, bit for bit; any other value is refused and named.
    void embeddingsEncodingFormats() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--embedding-dimension"),
                              QStringLiteral("48")});
        QVERIFY(server.port() > 0);
        const QJsonArray texts{data_->dataset.promptTexts[0], data_->dataset.promptTexts[11],
                               QStringLiteral("words never seen before")};
        auto post = [&](const QJsonObject& extra) {
            QJsonObject body{{QStringLiteral("model"), QStringLiteral("embedder")},
                             {QStringLiteral("input"), texts}};
            for (auto it = extra.begin(); it != extra.end(); ++it)
                body.insert(it.key(), it.value());
            const QByteArray answer =
                exchange(server.port(), "POST", "/v1/embeddings", QJsonDocument(body).toJson());
            const qsizetype end = answer.indexOf("\r\n\r\n");
            return std::make_pair(answer.left(answer.indexOf(' ', 9)).mid(9).toInt(),
                                  QJsonDocument::fromJson(answer.mid(end + 4)).object());
        };
        const auto [defaultStatus, byDefault] = post({});
        const auto [floatStatus, asFloats] = post({{QStringLiteral("encoding_format"), "float"}});
        const auto [base64Status, asBase64] = post({{QStringLiteral("encoding_format"), "base64"}});
        QCOMPARE(defaultStatus, 200);
        QCOMPARE(floatStatus, 200);
        QCOMPARE(base64Status, 200);
        QCOMPARE(asFloats, byDefault);
        const QJsonArray floats = asFloats.value(QLatin1String("data")).toArray();
        const QJsonArray encoded = asBase64.value(QLatin1String("data")).toArray();
        QCOMPARE(floats.size(), texts.size());
        QCOMPARE(encoded.size(), texts.size());
        int nonZero = 0;
        for (qsizetype i = 0; i < texts.size(); ++i) {
            const QJsonArray numbers =
                floats[i].toObject().value(QLatin1String("embedding")).toArray();
            const QJsonValue text = encoded[i].toObject().value(QLatin1String("embedding"));
            QVERIFY(text.isString());
            const QByteArray bytes = QByteArray::fromBase64(
                text.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            QCOMPARE(numbers.size(), 48);
            QCOMPARE(bytes.size(), qsizetype(48 * sizeof(float)));
            for (int j = 0; j < 48; ++j) {
                const float decoded = qFromLittleEndian<float>(bytes.constData() + 4 * j);
                // Exactly, not nearly (QCOMPARE on doubles is a fuzzy compare).
                QVERIFY2(double(decoded) == numbers[j].toDouble(),
                         qPrintable(QStringLiteral("vector %1 value %2: %3 decoded, %4 as JSON")
                                        .arg(i)
                                        .arg(j)
                                        .arg(double(decoded), 0, 'g', 17)
                                        .arg(numbers[j].toDouble(), 0, 'g', 17)));
                nonZero += decoded != 0.0f;
            }
        }
        QVERIFY(nonZero > 3); // the vectors are not all zeros
        QCOMPARE(asBase64.value(QLatin1String("usage")), asFloats.value(QLatin1String("usage")));

        for (const QJsonValue& bad :
             {QJsonValue(QStringLiteral("base32")), QJsonValue(QStringLiteral("FLOAT")),
              QJsonValue(3), QJsonValue(QJsonValue::Null)}) {
            const auto [status, refused] = post({{QStringLiteral("encoding_format"), bad}});
            QCOMPARE(status, 400);
            const QString message = refused.value(QLatin1String("error"))
                                        .toObject()
                                        .value(QLatin1String("message"))
                                        .toString();
            QVERIFY2(message.contains(QLatin1String("encoding_format")) &&
                         message.contains(QLatin1String("\"float\"")) &&
                         message.contains(QLatin1String("\"base64\"")),
                     qPrintable(message));
        }
    }

    void judgeScoresThroughAServer() {
        ReplayProcess server({QStringLiteral("--dataset"), datasetPath_, QStringLiteral("--pool"),
                              poolPath_, QStringLiteral("--latency-scale"), QStringLiteral("0")});
        QVERIFY(server.port() > 0);
        const SimulationSetup setup(data_->dataset, data_->pool, SimulationOptions{});
        LiveOptions o = replayOptions(server.baseUrl(), QStringLiteral("epsilon-greedy"));
        o.scorer = QStringLiteral("judge:model=large");
        WorkspaceStore store(QDir(dir_.path()).filePath(QStringLiteral("judge.routerlab")));
        ChatClient client(fastClient_);
        LiveRunner runner(setup, data_->pool, client, &store);
        const LiveResult live = runner.run(o);
        QCOMPARE(live.stopReason, QStringLiteral("complete"));
        QCOMPARE(live.failed, 0);

        const Dataset& d = data_->dataset;
        double answerCost = 0, judgeCost = 0;
        int judged = 0;
        QHash<QString, int> rowOf;
        for (int i = 0; i < d.promptCount(); ++i)
            rowOf.insert(d.promptIds[i], i);
        for (const LiveCallRecord& c : store.liveCalls(live.sessionId)) {
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
        const qint64 session = store.startLiveSession({});
        LiveCallRecord call;
        call.sessionId = session;
        call.promptId = QStringLiteral("p1");
        call.model = QStringLiteral("tiny");
        call.status = QStringLiteral("ok");
        const qint64 id = store.recordLiveCall(call);
        QCOMPARE(store.sessionOfLastLiveCall(), session);
        QVERIFY(std::isnan(store.liveCalls(session).front().quality));
        store.rateLiveCall(
            id, {HumanRating::Scale::Stars, 4, QStringLiteral("ana"), QStringLiteral("ok")});
        QCOMPARE(store.liveCalls(session).front().quality, 0.75);
        store.rateLiveCall(id, {HumanRating::Scale::Thumbs, 0, {}, {}}); // replaces the stars
        QCOMPARE(store.liveCallRating(id)->scale, HumanRating::Scale::Thumbs);
        QCOMPARE(store.liveCalls(session).front().quality, 0.0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 store.rateLiveCall(id, {HumanRating::Scale::Stars, 6, {}, {}}));
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            store.rateLiveCall(id + 99, {HumanRating::Scale::Thumbs, 1, {}, {}}));
    }

    // What the Live Console starts, without its widgets: a session sampled from another thread
    // while it runs hands over every recorded call once, in order, and ends with its result.
};

QTEST_GUILESS_MAIN(TestLiveScoring)
#include "test_live_scoring.moc"
