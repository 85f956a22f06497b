#include "common/input_error.h"
#include "store/migrations.h"
#include "store/sqlite_database.h"
#include "store/workspace_store.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace routerlab;

namespace {

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(bytes), bytes.size());
}

// A second connection to a workspace, set up as the store sets up its own: tests read and
// break the file through it, the store's own connection stays behind its typed API.
Database connectionTo(const QString& path) {
    Database db(path);
    db.exec(QStringLiteral("PRAGMA foreign_keys = ON"), QStringLiteral("enabling foreign keys"));
    return db;
}

qint64 count(Database& db, const QString& table) {
    Statement query(db, QStringLiteral("SELECT count(*) FROM ") + table,
                    QStringLiteral("counting rows"));
    return query.step() ? query.columnInt64(0) : -1;
}

DatasetRecord sampleDataset() {
    DatasetRecord d;
    d.name = QStringLiteral("mmlu-mini");
    d.paths = {QStringLiteral("data/prompts.jsonl"), QStringLiteral("data/responses.csv")};
    d.hashes = {QString(64, u'a'), QString(64, u'b')};
    d.format = QStringLiteral("routerbench");
    d.prompts = 1200;
    d.models = 11;
    d.summaryJson = R"({"quality":{"mean":0.61}})";
    d.importedAt = QDateTime::fromMSecsSinceEpoch(1'700'000'000'123, QTimeZone::utc());
    return d;
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT

private slots:
    void init() { QVERIFY(dir_.isValid()); }

    void createAndReopenKeepsData() {
        const QString path = dir_.filePath(QStringLiteral("reopen.rlab"));
        DatasetRecord dataset = sampleDataset();
        PoolRecord pool{0,
                        QStringLiteral("default"),
                        QStringLiteral("pools/default.pool.json"),
                        QString(64, u'c'),
                        R"({"models":[]})",
                        {}};
        RunRecord run;
        qint64 experimentId = 0;
        {
            auto store = WorkspaceStore::open(path);
            QCOMPARE(store.schemaVersion(), latestSchemaVersion());
            dataset.id = store.recordDataset(dataset);
            pool.id = store.recordPool(pool);
            experimentId = store.addExperiment(QStringLiteral("sweep"), R"({"lambda":[0,1]})");
            run.experimentId = experimentId;
            run.router = QStringLiteral("knn");
            run.preferenceJson = R"({"cost":0.3})";
            run.seed = std::numeric_limits<quint64>::max(); // does not fit a signed column
            run.configJson = R"({"k":5})";
            run.id = store.addRun(run);
            store.finishRun(run.id, QStringLiteral("finished"), R"({"auc":0.7})");
            store.addSeries(run.id, QStringLiteral("quality"), {0.5, 0.75});
        }
        QVERIFY(QFile::exists(path));

        auto store = WorkspaceStore::open(path);
        QCOMPARE(store.schemaVersion(), latestSchemaVersion());
        const auto datasets = store.datasets();
        QCOMPARE(datasets.size(), size_t(1));
        QCOMPARE(datasets[0], dataset);
        const auto pools = store.pools();
        QCOMPARE(pools.size(), size_t(1));
        QCOMPARE(pools[0].hash, pool.hash);
        QCOMPARE(pools[0].json, pool.json);
        QVERIFY(pools[0].importedAt.isValid()); // recorded as "now"
        const auto experiments = store.experiments();
        QCOMPARE(experiments.size(), size_t(1));
        QCOMPARE(experiments[0].name, QStringLiteral("sweep"));
        QCOMPARE(experiments[0].configJson, QByteArray(R"({"lambda":[0,1]})"));
        const auto runs = store.runs(experimentId);
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].seed, run.seed);
        QCOMPARE(runs[0].router, run.router);
        QCOMPARE(runs[0].preferenceJson, run.preferenceJson);
        QCOMPARE(runs[0].status, QStringLiteral("finished"));
        QCOMPARE(runs[0].summaryJson, QByteArray(R"({"auc":0.7})"));
        QVERIFY(runs[0].startedAt.isValid());
        QVERIFY(runs[0].finishedAt >= runs[0].startedAt);
        QCOMPARE(store.series(run.id, QStringLiteral("quality")), (std::vector<double>{0.5, 0.75}));
        QCOMPARE(store.seriesNames(run.id), QStringList{QStringLiteral("quality")});
    }

    void connectionSettings() {
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("pragmas.rlab")));
        const ConnectionSettings settings = store.connectionSettings();
        QCOMPARE(settings.journalMode, QStringLiteral("wal"));
        QVERIFY(settings.foreignKeys);
        QVERIFY(settings.busyTimeoutMs > 0);
        QCOMPARE(settings.applicationId, qint64(kWorkspaceApplicationId));
    }

    void migrationsCountUpFromOne() {
        int expected = 1;
        for (const Migration& step : migrations())
            QCOMPARE(step.version, expected++);
        QVERIFY(latestSchemaVersion() >= 2);
    }

    void migratesFromVersion1() {
        const QString path = dir_.filePath(QStringLiteral("v1.rlab"));
        {
            Database db(path);
            db.exec(QString::fromUtf8(migrations()[0].sql), QStringLiteral("writing schema v1"));
            db.exec(QStringLiteral("PRAGMA user_version = 1"), QStringLiteral("stamping v1"));
            db.exec(QStringLiteral("INSERT INTO experiments VALUES (7, 'old', '{}', 0);"
                                   "INSERT INTO runs (id, experiment_id, router, preference_json, "
                                   "seed, config_json, status, started_at) "
                                   "VALUES (3, 7, 'random', '{}', 1, '{}', 'finished', 0)"),
                    QStringLiteral("adding v1 rows"));
        }
        auto store = WorkspaceStore::open(path);
        QCOMPARE(store.schemaVersion(), latestSchemaVersion());
        const auto runs = store.runs(7);
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].router, QStringLiteral("random"));
        store.addSeries(3, QStringLiteral("cost"), {1.0, 2.0}); // run_series came with v2
        QCOMPARE(store.series(3, QStringLiteral("cost")), (std::vector<double>{1.0, 2.0}));
    }

    void refusesNewerSchema_data() {
        QTest::addColumn<int>("ahead");
        QTest::newRow("next") << 1;
        QTest::newRow("far") << 40;
    }
    void refusesNewerSchema() {
        QFETCH(int, ahead);
        const QString path = dir_.filePath(QStringLiteral("newer.rlab"));
        QFile::remove(path);
        WorkspaceStore::open(path).addExperiment(QStringLiteral("x"), "{}");
        const int newer = latestSchemaVersion() + ahead;
        {
            Database db(path);
            db.exec(QStringLiteral("PRAGMA user_version = %1").arg(newer),
                    QStringLiteral("pretending a newer build wrote the file"));
        }
        const QByteArray before = readAll(path);
        try {
            WorkspaceStore::open(path);
            QFAIL("a newer schema was accepted");
        } catch (const InputError& e) {
            QVERIFY2(e.text().contains(path), qPrintable(e.text()));
            for (int version : {newer, latestSchemaVersion()})
                QVERIFY2(e.text().contains(QStringLiteral("version %1").arg(version)),
                         qPrintable(e.text()));
        }
        QCOMPARE(readAll(path), before);
    }

    void refusesForeignFile_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        std::mt19937 random(42);
        QByteArray noise(4096, '\0');
        for (char& c : noise)
            c = static_cast<char>(random());
        QTest::newRow("random bytes") << noise << "not an SQLite database";
        QTest::newRow("text") << QByteArray("model,prompt,quality\ngpt,hello,1\n")
                              << "not an SQLite database";
        QTest::newRow("bad header")
            << QByteArray("SQLite format 3\0", 16) + noise << "not an SQLite database";
        QTest::newRow("other app") << QByteArray() << "not a RouterLab workspace";
    }
    void refusesForeignFile() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString path =
            dir_.filePath(QStringLiteral("foreign-%1.rlab").arg(QTest::currentDataTag()));
        if (bytes.isEmpty()) {
            Database db(path);
            db.exec(QStringLiteral("CREATE TABLE notes (body TEXT)"),
                    QStringLiteral("making another program's database"));
        } else {
            writeAll(path, bytes);
        }
        const QByteArray before = readAll(path);
        try {
            WorkspaceStore::open(path);
            QFAIL("a foreign file was accepted");
        } catch (const InputError& e) {
            QVERIFY2(e.text().contains(path), qPrintable(e.text()));
            QVERIFY2(e.text().contains(message), qPrintable(e.text()));
        }
        QCOMPARE(readAll(path), before);
    }

    void transactionCommitsOnlyWhenAsked_data() {
        QTest::addColumn<bool>("commit");
        QTest::addColumn<bool>("throwInside");
        QTest::addColumn<qint64>("rows");
        QTest::newRow("committed") << true << false << qint64(2);
        QTest::newRow("dropped") << false << false << qint64(0);
        QTest::newRow("exception") << true << true << qint64(0);
    }
    void transactionCommitsOnlyWhenAsked() {
        QFETCH(bool, commit);
        QFETCH(bool, throwInside);
        QFETCH(qint64, rows);
        Database db(dir_.filePath(QStringLiteral("tx-%1.db").arg(QTest::currentDataTag())));
        db.exec(QStringLiteral("CREATE TABLE t (x INTEGER)"), QStringLiteral("making a table"));
        try {
            Transaction transaction(db, QStringLiteral("inserting two rows"));
            Statement insert(db, QStringLiteral("INSERT INTO t VALUES (?)"),
                             QStringLiteral("inserting"));
            for (qint64 x : {1, 2}) {
                insert.reset();
                insert.bind(1, x).run();
            }
            if (throwInside)
                throw std::runtime_error("interrupted");
            if (commit)
                transaction.commit();
        } catch (const std::runtime_error&) {
        }
        QVERIFY(!db.inTransaction());
        QCOMPARE(count(db, QStringLiteral("t")), rows);
    }

    void removingExperimentCascades() {
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("cascade.rlab")));
        const qint64 doomed = store.addExperiment(QStringLiteral("doomed"), "{}");
        const qint64 kept = store.addExperiment(QStringLiteral("kept"), "{}");
        std::vector<qint64> doomedRuns;
        for (int i = 0; i < 2; ++i) {
            RunRecord run;
            run.experimentId = doomed;
            run.router = QStringLiteral("r%1").arg(i);
            doomedRuns.push_back(store.addRun(run));
            store.addSeries(doomedRuns.back(), QStringLiteral("q"), {double(i)});
        }
        RunRecord other;
        other.experimentId = kept;
        const qint64 keptRun = store.addRun(other);
        store.addSeries(keptRun, QStringLiteral("q"), {9.0});

        QVERIFY(store.removeExperiment(doomed));
        QVERIFY(!store.removeExperiment(doomed));
        QVERIFY(store.runs(doomed).empty());
        for (qint64 run : doomedRuns)
            QVERIFY(store.seriesNames(run).isEmpty());
        Database db = connectionTo(store.path());
        QCOMPARE(count(db, QStringLiteral("runs")), qint64(1));
        QCOMPARE(count(db, QStringLiteral("run_series")), qint64(1));
        QCOMPARE(store.series(keptRun, QStringLiteral("q")), std::vector<double>{9.0});
        QCOMPARE(store.experiments().size(), size_t(1));
    }

    void seriesRoundTripsExactly_data() {
        using L = std::numeric_limits<double>;
        QTest::addColumn<std::vector<double>>("values");
        QTest::newRow("empty") << std::vector<double>{};
        QTest::newRow("one") << std::vector<double>{0.1};
        QTest::newRow("signed zeros") << std::vector<double>{0.0, -0.0, -1.5};
        QTest::newRow("extremes") << std::vector<double>{L::max(), L::lowest(), L::min(),
                                                         L::denorm_min(), L::epsilon()};
        QTest::newRow("non-finite")
            << std::vector<double>{L::infinity(), -L::infinity(), L::quiet_NaN()};
        std::mt19937_64 random(7);
        std::vector<double> many(100'000);
        for (double& v : many)
            v = std::ldexp(double(random()), -40);
        QTest::newRow("many") << many;
    }
    void seriesRoundTripsExactly() {
        QFETCH(std::vector<double>, values);
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("series.rlab")));
        RunRecord record;
        record.experimentId = store.addExperiment(QStringLiteral("e"), "{}");
        const qint64 run = store.addRun(record);
        store.addSeries(run, QStringLiteral("old"), {1.0, 2.0, 3.0});
        store.addSeries(run, QStringLiteral("old"), values); // replaces
        const std::vector<double> back = store.series(run, QStringLiteral("old"));
        QCOMPARE(back.size(), values.size());
        // memcmp, not ==: NaN must come back as NaN and -0.0 as -0.0.
        QVERIFY(values.empty() ||
                std::memcmp(back.data(), values.data(), values.size() * sizeof(double)) == 0);
        QVERIFY(store.series(run, QStringLiteral("absent")).empty());
    }

    void errorsNameThePurpose_data() {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<bool>("prepared");
        QTest::addColumn<QString>("sqliteText");
        QTest::newRow("prepare") << "SELECT * FROM unicorns" << true << "no such table";
        QTest::newRow("step") << "INSERT INTO runs (experiment_id, router, preference_json, seed, "
                                 "config_json, status, started_at) VALUES (99, 'r', '{}', 0, "
                                 "'{}', 'running', 0)"
                              << true << "FOREIGN KEY constraint failed";
        QTest::newRow("exec") << "CREATE TABLE experiments (x)" << false << "already exists";
    }
    void errorsNameThePurpose() {
        QFETCH(QString, sql);
        QFETCH(bool, prepared);
        QFETCH(QString, sqliteText);
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("errors.rlab")));
        const QString purpose = QStringLiteral("counting the unicorns");
        try {
            Database db = connectionTo(store.path());
            if (prepared)
                Statement(db, sql, purpose).run();
            else
                db.exec(sql, purpose);
            QFAIL("the statement succeeded");
        } catch (const SqliteError& e) {
            QVERIFY2(e.text().contains(purpose), qPrintable(e.text()));
            QVERIFY2(e.text().contains(sqliteText), qPrintable(e.text()));
            QCOMPARE(e.purpose(), purpose);
        }
    }

    void misuseIsReported() {
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("misuse.rlab")));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range,
                                 store.finishRun(12345, QStringLiteral("failed"), {}));
        DatasetRecord dataset = sampleDataset();
        dataset.hashes.removeLast();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, store.recordDataset(dataset));
        QVERIFY(store.datasets().empty());
    }

    void experimentIsRecordedWholeOrNotAtAll() {
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("record.rlab")));
        FinishedRunRecord finished;
        finished.router = QStringLiteral("linucb");
        finished.preferenceJson = R"({"quality":1})";
        finished.seed = 7;
        finished.configJson = R"({"router":"linucb"})";
        finished.status = QStringLiteral("cancelled");
        finished.summaryJson = R"({"steps":3})";
        finished.series = {{QStringLiteral("reward"), {0.5, -0.0}},
                           {QStringLiteral("reward.step"), {0, 2}}};
        const qint64 id = store.recordExperiment(QStringLiteral("sweep"), "{}", {finished});
        const std::vector<RunRecord> runs = store.runs(id);
        QCOMPARE(runs.size(), size_t(1));
        QCOMPARE(runs[0].router, finished.router);
        QCOMPARE(runs[0].seed, finished.seed);
        QCOMPARE(runs[0].status, finished.status);
        QCOMPARE(runs[0].summaryJson, finished.summaryJson);
        QVERIFY(runs[0].finishedAt.isValid());
        QCOMPARE(store.seriesNames(runs[0].id),
                 (QStringList{QStringLiteral("reward"), QStringLiteral("reward.step")}));
        QCOMPARE(store.series(runs[0].id, QStringLiteral("reward.step")),
                 (std::vector<double>{0, 2}));

        // A series the file refuses fails the second run: nothing of the experiment stays.
        Database db = connectionTo(store.path());
        db.exec(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON run_series WHEN "
                               "NEW.name = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END"),
                QStringLiteral("planting a refusal"));
        FinishedRunRecord broken = finished;
        broken.series.emplace_back(QStringLiteral("poison"), std::vector<double>{1});
        QVERIFY_THROWS_EXCEPTION(
            SqliteError, store.recordExperiment(QStringLiteral("half"), "{}", {finished, broken}));
        QCOMPARE(store.experiments().size(), size_t(1));
        QCOMPARE(count(db, QStringLiteral("runs")), qint64(1));
    }

    // Each cell is its own transaction: one that fails leaves the cells before it stored.
    void cellsAreRecordedOneByOne() {
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("cells.rlab")));
        const qint64 id =
            store.startExperiment(QStringLiteral("sweep s"), "{}", QStringLiteral("abc"), 3);
        QCOMPARE(store.experimentsWithIdentity(QStringLiteral("abc")).size(), size_t(1));
        QVERIFY(store.experimentsWithIdentity(QStringLiteral("abd")).empty());
        FinishedRunRecord cell;
        cell.router = QStringLiteral("thompson");
        cell.preferenceJson = R"({"quality":1})";
        cell.status = QStringLiteral("finished");
        cell.summaryJson = R"({"steps":3})";
        cell.cellJson = R"({"steps":3,"mean_reward":"nan"})";
        cell.series = {{QStringLiteral("reward"), {0.5}}};
        QVERIFY(store.recordCell(id, 2, cell));
        QVERIFY(!store.recordCell(id, 2, cell)); // stored once, however often it is offered
        Database db = connectionTo(store.path());
        db.exec(QStringLiteral("CREATE TRIGGER refuse BEFORE INSERT ON run_series WHEN "
                               "NEW.name = 'poison' BEGIN SELECT RAISE(ABORT, 'refused'); END"),
                QStringLiteral("planting a refusal"));
        FinishedRunRecord broken = cell;
        broken.series.emplace_back(QStringLiteral("poison"), std::vector<double>{1});
        QVERIFY_THROWS_EXCEPTION(SqliteError, store.recordCell(id, 0, broken));
        const ExperimentProgress progress = store.experimentsWithIdentity(QStringLiteral("abc"))[0];
        QCOMPARE(progress.id, id);
        QCOMPARE(progress.plannedRuns, qint64(3));
        QCOMPARE(progress.storedRuns, qint64(1));
        QVERIFY(!progress.complete());
        const std::map<qint64, QByteArray> stored = store.storedCells(id);
        QCOMPARE(stored.size(), size_t(1));
        QCOMPARE(stored.at(2), cell.cellJson);
        QCOMPARE(store.series(store.runs(id)[0].id, QStringLiteral("reward")),
                 std::vector<double>{0.5});
    }

    // Schema 5 adds the experiment's identity and the run's cell; older rows keep NULL there
    // and are never taken for a run to resume.
    void migratesFromVersion4() {
        const QString path = dir_.filePath(QStringLiteral("v4.rlab"));
        {
            Database db(path);
            for (const Migration& step : migrations().first(4))
                db.exec(QString::fromUtf8(step.sql), QStringLiteral("writing schema v4"));
            db.exec(QStringLiteral("PRAGMA user_version = 4"), QStringLiteral("stamping v4"));
            db.exec(QStringLiteral("INSERT INTO experiments VALUES (7, 'old', '{}', 0);"
                                   "INSERT INTO runs (id, experiment_id, router, preference_json, "
                                   "seed, config_json, status, started_at) "
                                   "VALUES (3, 7, 'random', '{}', 1, '{}', 'finished', 0)"),
                    QStringLiteral("adding v4 rows"));
        }
        auto store = WorkspaceStore::open(path);
        QCOMPARE(store.schemaVersion(), latestSchemaVersion());
        QCOMPARE(store.runs(7).size(), size_t(1));
        QVERIFY(store.storedCells(7).empty());
        QVERIFY(store.experimentsWithIdentity(QString()).empty());
        const qint64 id =
            store.startExperiment(QStringLiteral("new"), "{}", QStringLiteral("h"), 1);
        QVERIFY(id > 7); // AUTOINCREMENT: never an old id again
    }

    // A workspace of version 6 (before evaluations) gains the table, keeping its experiments;
    // evaluations come back as recorded, in order, and one can be removed.
    void evaluationsAreRecordedInAnUpgradedWorkspace() {
        const QString path = dir_.filePath(QStringLiteral("v6.rlab"));
        {
            Database db(path);
            for (const Migration& step : migrations().first(6))
                db.exec(QString::fromUtf8(step.sql), QStringLiteral("writing schema v6"));
            db.exec(QStringLiteral("PRAGMA user_version = 6"), QStringLiteral("stamping v6"));
            db.exec(QStringLiteral("INSERT INTO experiments (id, name, config_json, created_at) "
                                   "VALUES (2, 'old', '{}', 0)"),
                    QStringLiteral("adding a v6 row"));
        }
        auto store = WorkspaceStore::open(path);
        QCOMPARE(store.schemaVersion(), latestSchemaVersion());
        QCOMPARE(store.experiments().size(), size_t(1));
        EvaluationRecord first{0, QStringLiteral("on RouterBench"), R"({"routers":["knn"]})",
                               R"({"points":[]})",
                               QDateTime::fromMSecsSinceEpoch(1234567, QTimeZone::utc())};
        EvaluationRecord second = first;
        second.name = QStringLiteral("on the sample");
        first.id = store.recordEvaluation(first);
        second.id = store.recordEvaluation(second);
        QCOMPARE(store.evaluations(), (std::vector<EvaluationRecord>{first, second}));
        QVERIFY(store.removeEvaluation(first.id));
        QVERIFY(!store.removeEvaluation(first.id));
        QCOMPARE(store.evaluations(), std::vector<EvaluationRecord>{second});
    }

    void embeddingCacheKeepsVectorsBitForBit() {
        auto store = WorkspaceStore::open(dir_.filePath(QStringLiteral("embeddings.rlab")));
        const QString source = QStringLiteral("embedder@http://127.0.0.1:8000/v1");
        const std::vector<QByteArray> hashes = {QByteArray(64, 'a'), QByteArray(64, 'b')};
        const std::vector<std::vector<float>> vectors = {{0.25f, -0.0f, 1e-30f}, {3.0f}};
        store.cacheEmbeddings(source, hashes, vectors);
        const std::vector<QByteArray> asked = {hashes[1], QByteArray(64, 'c'), hashes[0]};
        std::vector<std::vector<float>> back = store.cachedEmbeddings(source, asked);
        QCOMPARE(back.size(), size_t(3));
        QCOMPARE(back[0], vectors[1]);
        QVERIFY(back[1].empty());
        QCOMPARE(back[2].size(), vectors[0].size());
        QVERIFY(std::memcmp(back[2].data(), vectors[0].data(), sizeof(float) * 3) == 0);
        QVERIFY(store.cachedEmbeddings(QStringLiteral("other@http://host/v1"), hashes)[0].empty());

        // A damaged entry reads as absent: the featurizer fetches it again.
        Database db = connectionTo(store.path());
        db.exec(QStringLiteral("UPDATE embedding_cache SET dimension = 2"),
                QStringLiteral("damaging the cache"));
        back = store.cachedEmbeddings(source, hashes);
        QVERIFY(back[0].empty() && back[1].empty());
        store.cacheEmbeddings(source, {hashes[1]}, {vectors[1]}); // replaces
        QCOMPARE(store.cachedEmbeddings(source, {hashes[1]})[0], vectors[1]);
    }

    void sha256OfFile_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("abc") << QByteArray("abc");
        QTest::newRow("several chunks") << QByteArray(200'000, 'x');
    }
    void sha256OfFile() {
        QFETCH(QByteArray, content);
        const QString path = dir_.filePath(QStringLiteral("hash.bin"));
        writeAll(path, content);
        const QString expected = QString::fromLatin1(
            QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
        QCOMPARE(routerlab::sha256OfFile(path), expected);
        if (content == "abc")
            QCOMPARE(expected.left(16), QStringLiteral("ba7816bf8f01cfea"));
    }

    void sha256OfMissingFileThrows() {
        QVERIFY_THROWS_EXCEPTION(
            InputError, routerlab::sha256OfFile(dir_.filePath(QStringLiteral("missing.bin"))));
        QVERIFY_THROWS_EXCEPTION(InputError, routerlab::sha256OfFile(dir_.path()));
    }

private:
    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestStore)
#include "test_store.moc"
