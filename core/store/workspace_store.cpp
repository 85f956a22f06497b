#include "store/workspace_store.h"

#include "common/input_error.h"
#include "store/migrations.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTimeZone>
#include <QtEndian>
#include <bit>
#include <sqlite3.h>
#include <stdexcept>
#include <string>

namespace routerlab {

namespace {

// Long enough to ride out another process's write transaction (a run saving its series).
constexpr int kBusyTimeoutMs = 5000;

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

// An invalid time in a record means "now".
qint64 toMs(const QDateTime& time) {
    return time.isValid() ? time.toMSecsSinceEpoch() : nowMs();
}

QDateTime fromMs(const Statement& query, int column) {
    if (query.isNull(column))
        return {};
    return QDateTime::fromMSecsSinceEpoch(query.columnInt64(column), QTimeZone::utc());
}

void bindJson(Statement& statement, int index, const QByteArray& json) {
    if (json.isEmpty())
        statement.bindNull(index);
    else
        statement.bindText(index, json);
}

QByteArray encodeDoubles(const std::vector<double>& values) {
    QByteArray bytes(static_cast<qsizetype>(values.size() * sizeof(double)), Qt::Uninitialized);
    char* out = bytes.data();
    for (const double v : values) {
        qToLittleEndian(std::bit_cast<quint64>(v), out);
        out += sizeof(double);
    }
    return bytes;
}

QString pragmaText(Database& db, const QString& name) {
    Statement query(db, QStringLiteral("PRAGMA ") + name,
                    QStringLiteral("reading PRAGMA %1").arg(name));
    return query.step() ? query.columnText(0) : QString();
}

} // namespace

WorkspaceStore::WorkspaceStore(const QString& path) {
    db_.open(path);
    sqlite3_busy_timeout(db_.handle(), kBusyTimeoutMs);
    try {
        db_.exec(QStringLiteral("PRAGMA foreign_keys = ON"),
                 QStringLiteral("enabling foreign keys"));
        migrate(db_, path);
        // Only now: switching to WAL rewrites the header, and a refused file must stay as it
        // was. The mode is stored in the file, so this is a no-op on later opens.
        db_.exec(QStringLiteral("PRAGMA journal_mode = WAL"),
                 QStringLiteral("switching '%1' to write-ahead logging").arg(path));
    } catch (const SqliteError& e) {
        // SQLite only notices a foreign file at the first read; say so in the user's terms.
        if (e.code() == SQLITE_NOTADB)
            throw InputError(path, 0, {},
                             QStringLiteral("is not a RouterLab workspace (not an SQLite "
                                            "database)"));
        if (e.code() == SQLITE_CORRUPT)
            throw InputError(path, 0, {},
                             QStringLiteral("is a damaged workspace: %1").arg(e.text()));
        throw;
    }
}

int WorkspaceStore::schemaVersion() {
    return routerlab::schemaVersion(db_);
}

ConnectionSettings WorkspaceStore::connectionSettings() {
    ConnectionSettings settings;
    settings.journalMode = pragmaText(db_, QStringLiteral("journal_mode"));
    settings.foreignKeys = pragmaText(db_, QStringLiteral("foreign_keys")).toInt() != 0;
    settings.busyTimeoutMs = pragmaText(db_, QStringLiteral("busy_timeout")).toInt();
    settings.applicationId = pragmaText(db_, QStringLiteral("application_id")).toLongLong();
    return settings;
}

qint64 WorkspaceStore::recordDataset(const DatasetRecord& dataset) {
    if (dataset.paths.size() != dataset.hashes.size())
        throw std::invalid_argument("DatasetRecord needs one hash per path");
    const QString purpose = QStringLiteral("recording dataset '%1'").arg(dataset.name);
    Transaction transaction(db_, purpose);
    Statement insert(db_,
                     QStringLiteral("INSERT INTO datasets (name, format, prompts, models, "
                                    "summary_json, imported_at) VALUES (?, ?, ?, ?, ?, ?)"),
                     purpose);
    insert.bind(1, dataset.name)
        .bind(2, dataset.format)
        .bind(3, dataset.prompts)
        .bind(4, dataset.models)
        .bindText(5, dataset.summaryJson)
        .bind(6, toMs(dataset.importedAt));
    insert.run();
    const qint64 id = db_.lastInsertId();

    Statement file(db_,
                   QStringLiteral("INSERT INTO dataset_files (dataset_id, position, path, sha256) "
                                  "VALUES (?, ?, ?, ?)"),
                   purpose);
    for (qsizetype i = 0; i < dataset.paths.size(); ++i) {
        file.reset();
        file.bind(1, id).bind(2, static_cast<qint64>(i)).bind(3, dataset.paths[i]);
        file.bind(4, dataset.hashes[i]).run();
    }
    transaction.commit();
    return id;
}

std::vector<DatasetRecord> WorkspaceStore::datasets() {
    // One statement, so the datasets and their files come from the same snapshot.
    Statement query(db_,
                    QStringLiteral("SELECT d.id, d.name, d.format, d.prompts, d.models, "
                                   "d.summary_json, d.imported_at, f.path, f.sha256 "
                                   "FROM datasets d LEFT JOIN dataset_files f "
                                   "ON f.dataset_id = d.id ORDER BY d.id, f.position"),
                    QStringLiteral("listing datasets"));
    std::vector<DatasetRecord> result;
    while (query.step()) {
        const qint64 id = query.columnInt64(0);
        if (result.empty() || result.back().id != id) {
            DatasetRecord& d = result.emplace_back();
            d.id = id;
            d.name = query.columnText(1);
            d.format = query.columnText(2);
            d.prompts = query.columnInt64(3);
            d.models = query.columnInt64(4);
            d.summaryJson = query.columnBlob(5);
            d.importedAt = fromMs(query, 6);
        }
        if (!query.isNull(7)) {
            result.back().paths.append(query.columnText(7));
            result.back().hashes.append(query.columnText(8));
        }
    }
    return result;
}

qint64 WorkspaceStore::recordPool(const PoolRecord& pool) {
    Statement insert(db_,
                     QStringLiteral("INSERT INTO pools (name, path, sha256, pool_json, "
                                    "imported_at) VALUES (?, ?, ?, ?, ?)"),
                     QStringLiteral("recording pool '%1'").arg(pool.name));
    insert.bind(1, pool.name).bind(2, pool.path).bind(3, pool.hash).bindText(4, pool.json);
    insert.bind(5, toMs(pool.importedAt)).run();
    return db_.lastInsertId();
}

std::vector<PoolRecord> WorkspaceStore::pools() {
    Statement query(db_,
                    QStringLiteral("SELECT id, name, path, sha256, pool_json, imported_at "
                                   "FROM pools ORDER BY id"),
                    QStringLiteral("listing pools"));
    std::vector<PoolRecord> result;
    while (query.step()) {
        result.push_back({query.columnInt64(0), query.columnText(1), query.columnText(2),
                          query.columnText(3), query.columnBlob(4), fromMs(query, 5)});
    }
    return result;
}

qint64 WorkspaceStore::addExperiment(const QString& name, const QByteArray& configJson) {
    Statement insert(db_,
                     QStringLiteral("INSERT INTO experiments (name, config_json, created_at) "
                                    "VALUES (?, ?, ?)"),
                     QStringLiteral("adding experiment '%1'").arg(name));
    insert.bind(1, name).bindText(2, configJson).bind(3, nowMs()).run();
    return db_.lastInsertId();
}

std::vector<ExperimentRecord> WorkspaceStore::experiments() {
    Statement query(db_,
                    QStringLiteral("SELECT id, name, config_json, created_at FROM experiments "
                                   "ORDER BY id"),
                    QStringLiteral("listing experiments"));
    std::vector<ExperimentRecord> result;
    while (query.step()) {
        result.push_back(
            {query.columnInt64(0), query.columnText(1), query.columnBlob(2), fromMs(query, 3)});
    }
    return result;
}

bool WorkspaceStore::removeExperiment(qint64 id) {
    Statement remove(db_, QStringLiteral("DELETE FROM experiments WHERE id = ?"),
                     QStringLiteral("removing experiment %1").arg(id));
    remove.bind(1, id).run();
    return db_.changes() > 0;
}

qint64 WorkspaceStore::recordEvaluation(const EvaluationRecord& evaluation) {
    Statement insert(db_,
                     QStringLiteral("INSERT INTO evaluations (name, config_json, result_json, "
                                    "created_at) VALUES (?, ?, ?, ?)"),
                     QStringLiteral("recording evaluation '%1'").arg(evaluation.name));
    insert.bind(1, evaluation.name)
        .bindText(2, evaluation.configJson)
        .bindText(3, evaluation.resultJson)
        .bind(4, toMs(evaluation.createdAt))
        .run();
    return db_.lastInsertId();
}

std::vector<EvaluationRecord> WorkspaceStore::evaluations() {
    Statement query(db_,
                    QStringLiteral("SELECT id, name, config_json, result_json, created_at FROM "
                                   "evaluations ORDER BY id"),
                    QStringLiteral("listing evaluations"));
    std::vector<EvaluationRecord> result;
    while (query.step())
        result.push_back({query.columnInt64(0), query.columnText(1), query.columnBlob(2),
                          query.columnBlob(3), fromMs(query, 4)});
    return result;
}

bool WorkspaceStore::removeEvaluation(qint64 id) {
    Statement remove(db_, QStringLiteral("DELETE FROM evaluations WHERE id = ?"),
                     QStringLiteral("removing evaluation %1").arg(id));
    remove.bind(1, id).run();
    return db_.changes() > 0;
}

qint64 WorkspaceStore::addRun(const RunRecord& run) {
    Statement insert(db_,
                     QStringLiteral("INSERT INTO runs (experiment_id, router, preference_json, "
                                    "seed, config_json, status, summary_json, started_at, "
                                    "finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                     QStringLiteral("adding a run of '%1' to experiment %2")
                         .arg(run.router)
                         .arg(run.experimentId));
    insert.bind(1, run.experimentId).bind(2, run.router).bindText(3, run.preferenceJson);
    insert.bind(4, std::bit_cast<qint64>(run.seed)).bindText(5, run.configJson);
    insert.bind(6, run.status.isEmpty() ? QStringLiteral("running") : run.status);
    bindJson(insert, 7, run.summaryJson);
    insert.bind(8, toMs(run.startedAt));
    if (run.finishedAt.isValid())
        insert.bind(9, run.finishedAt.toMSecsSinceEpoch());
    insert.run();
    return db_.lastInsertId();
}

void WorkspaceStore::finishRun(qint64 runId, const QString& status, const QByteArray& summaryJson) {
    Statement update(db_,
                     QStringLiteral("UPDATE runs SET status = ?, summary_json = ?, "
                                    "finished_at = ? WHERE id = ?"),
                     QStringLiteral("finishing run %1").arg(runId));
    update.bind(1, status);
    bindJson(update, 2, summaryJson);
    update.bind(3, nowMs()).bind(4, runId).run();
    if (db_.changes() == 0)
        throw std::out_of_range("finishRun: no run with id " + std::to_string(runId));
}

std::vector<RunRecord> WorkspaceStore::runs(qint64 experimentId) {
    Statement query(db_,
                    QStringLiteral("SELECT id, experiment_id, router, preference_json, seed, "
                                   "config_json, status, summary_json, started_at, finished_at "
                                   "FROM runs WHERE experiment_id = ? ORDER BY id"),
                    QStringLiteral("listing the runs of experiment %1").arg(experimentId));
    query.bind(1, experimentId);
    std::vector<RunRecord> result;
    while (query.step()) {
        RunRecord& r = result.emplace_back();
        r.id = query.columnInt64(0);
        r.experimentId = query.columnInt64(1);
        r.router = query.columnText(2);
        r.preferenceJson = query.columnBlob(3);
        r.seed = std::bit_cast<quint64>(query.columnInt64(4));
        r.configJson = query.columnBlob(5);
        r.status = query.columnText(6);
        r.summaryJson = query.columnBlob(7);
        r.startedAt = fromMs(query, 8);
        r.finishedAt = fromMs(query, 9);
    }
    return result;
}

void WorkspaceStore::addSeries(qint64 runId, const QString& name,
                               const std::vector<double>& values) {
    Statement upsert(
        db_,
        QStringLiteral("INSERT INTO run_series (run_id, name, data) VALUES (?, ?, ?) "
                       "ON CONFLICT (run_id, name) DO UPDATE SET data = excluded.data"),
        QStringLiteral("saving series '%1' of run %2").arg(name).arg(runId));
    upsert.bind(1, runId).bind(2, name).bind(3, encodeDoubles(values)).run();
}

std::vector<double> WorkspaceStore::series(qint64 runId, const QString& name) {
    const QString purpose = QStringLiteral("reading series '%1' of run %2").arg(name).arg(runId);
    Statement query(
        db_, QStringLiteral("SELECT data FROM run_series WHERE run_id = ? AND name = ?"), purpose);
    query.bind(1, runId).bind(2, name);
    if (!query.step())
        return {};
    const QByteArray bytes = query.columnBlob(0);
    if (bytes.size() % sizeof(double) != 0)
        throw SqliteError(
            SQLITE_CORRUPT, purpose,
            QStringLiteral("%1 bytes is not a whole number of doubles").arg(bytes.size()));
    std::vector<double> values(bytes.size() / sizeof(double));
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = std::bit_cast<double>(
            qFromLittleEndian<quint64>(bytes.constData() + i * sizeof(double)));
    return values;
}

QStringList WorkspaceStore::seriesNames(qint64 runId) {
    Statement query(db_,
                    QStringLiteral("SELECT name FROM run_series WHERE run_id = ? ORDER BY name"),
                    QStringLiteral("listing the series of run %1").arg(runId));
    query.bind(1, runId);
    QStringList names;
    while (query.step())
        names.append(query.columnText(0));
    return names;
}

QString sha256OfFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot read: %1").arg(file.errorString()));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(1 << 16, Qt::Uninitialized);
    for (;;) {
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            throw InputError(path, 0, {},
                             QStringLiteral("cannot read: %1").arg(file.errorString()));
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
    }
    return QString::fromLatin1(hash.result().toHex());
}

} // namespace routerlab
