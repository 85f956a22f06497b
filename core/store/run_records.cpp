#include "store/workspace_store.h"

#include "common/input_error.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <sqlite3.h>

namespace routerlab {

namespace {

InputError refusal(const QString& path, const QString& why) {
    return InputError(path, 0, {}, why);
}

// What the file system alone can tell, before SQLite says only "unable to open". True when
// the file was absent and the check created it (empty).
bool checkWorkspacePath(const QString& path) {
    const QFileInfo file(path);
    if (file.isDir())
        throw refusal(path, QStringLiteral("is a folder, not a workspace file (name a file in "
                                           "it, such as '%1')")
                                .arg(QDir(path).filePath(QStringLiteral("runs.routerlab"))));
    const QFileInfo folder(file.absolutePath());
    if (!folder.exists())
        throw refusal(
            path,
            QStringLiteral("cannot be created: folder '%1' does not exist").arg(folder.filePath()));
    if (!folder.isDir())
        throw refusal(path, QStringLiteral("cannot be created: '%1' is a file, not a folder")
                                .arg(folder.filePath()));
    // The write-ahead log and its index are files beside the workspace.
    if (!folder.isWritable())
        throw refusal(path, QStringLiteral("cannot be written: folder '%1' is read-only (the "
                                           "workspace keeps its write-ahead log beside it)")
                                .arg(folder.filePath()));
    // Opening it as SQLite will (read and write, created if absent) says why it cannot be.
    QFile probe(path);
    const bool existed = file.exists();
    if (!probe.open(existed ? QIODevice::ReadWrite : QIODevice::ReadWrite | QIODevice::NewOnly))
        throw refusal(path,
                      QStringLiteral("cannot be %1: %2")
                          .arg(existed ? QStringLiteral("written") : QStringLiteral("created"),
                               probe.errorString()));
    return !existed;
}

} // namespace

qint64 WorkspaceStore::recordExperiment(const QString& name, const QByteArray& configJson,
                                        const std::vector<FinishedRunRecord>& runs) {
    Transaction transaction(db_, QStringLiteral("recording experiment '%1'").arg(name));
    const qint64 experiment = addExperiment(name, configJson);
    for (const FinishedRunRecord& finished : runs) {
        RunRecord run;
        run.experimentId = experiment;
        run.router = finished.router;
        run.preferenceJson = finished.preferenceJson;
        run.seed = finished.seed;
        run.configJson = finished.configJson;
        // Added, then finished: the same rows a run recorded while it runs leaves behind.
        const qint64 id = addRun(run);
        finishRun(id, finished.status, finished.summaryJson);
        for (const auto& [seriesName, values] : finished.series)
            addSeries(id, seriesName, values);
    }
    transaction.commit();
    return experiment;
}

WorkspaceStore WorkspaceStore::openForRecording(const QString& path) {
    const bool created = checkWorkspacePath(path);
    try {
        WorkspaceStore store(path);
        // SQLite falls back to read-only where it may not write (as for a file on a read-only
        // mount), and would only say so at the first write.
        if (sqlite3_db_readonly(store.db_.handle(), "main") == 1)
            throw refusal(path, QStringLiteral("cannot be written: SQLite opened it read-only"));
        // A cell per commit: with write-ahead logging, NORMAL skips the flush to disk at each
        // commit yet keeps every committed cell through a killed process; a power cut may
        // lose the last few (a resume runs them again), never corrupt the file.
        store.db_.exec(QStringLiteral("PRAGMA synchronous = NORMAL"),
                       QStringLiteral("setting up '%1' for recording").arg(path));
        return store;
    } catch (const SqliteError& e) {
        if (created) // leave nothing behind
            QFile::remove(path);
        throw refusal(path, QStringLiteral("cannot be opened as a workspace: %1").arg(e.text()));
    }
}

qint64 WorkspaceStore::startExperiment(const QString& name, const QByteArray& configJson,
                                       const QString& identity, qint64 plannedRuns) {
    Statement insert(db_,
                     QStringLiteral("INSERT INTO experiments (name, config_json, created_at, "
                                    "identity, planned_runs) VALUES (?, ?, ?, ?, ?)"),
                     QStringLiteral("starting experiment '%1'").arg(name));
    insert.bind(1, name).bindText(2, configJson);
    insert.bind(3, QDateTime::currentMSecsSinceEpoch()).bind(4, identity).bind(5, plannedRuns);
    insert.run();
    return db_.lastInsertId();
}

std::vector<ExperimentProgress> WorkspaceStore::experimentsWithIdentity(const QString& identity) {
    Statement query(db_,
                    QStringLiteral("SELECT e.id, e.planned_runs, (SELECT count(*) FROM runs r "
                                   "WHERE r.experiment_id = e.id AND r.cell IS NOT NULL) "
                                   "FROM experiments e WHERE e.identity = ? ORDER BY e.id"),
                    QStringLiteral("looking for experiments with identity %1").arg(identity));
    query.bind(1, identity);
    std::vector<ExperimentProgress> result;
    while (query.step())
        result.push_back({query.columnInt64(0), query.columnInt64(1), query.columnInt64(2)});
    return result;
}

bool WorkspaceStore::recordCell(qint64 experimentId, qint64 cell, const FinishedRunRecord& run) {
    const QString purpose =
        QStringLiteral("recording cell %1 of experiment %2").arg(cell).arg(experimentId);
    Transaction transaction(db_, purpose);
    Statement existing(
        db_, QStringLiteral("SELECT 1 FROM runs WHERE experiment_id = ? AND cell = ?"), purpose);
    existing.bind(1, experimentId).bind(2, cell);
    if (existing.step())
        return false;
    RunRecord record;
    record.experimentId = experimentId;
    record.router = run.router;
    record.preferenceJson = run.preferenceJson;
    record.seed = run.seed;
    record.configJson = run.configJson;
    const qint64 id = addRun(record);
    finishRun(id, run.status, run.summaryJson);
    Statement keyed(db_, QStringLiteral("UPDATE runs SET cell = ?, cell_json = ? WHERE id = ?"),
                    purpose);
    keyed.bind(1, cell).bindText(2, run.cellJson).bind(3, id).run();
    for (const auto& [seriesName, values] : run.series)
        addSeries(id, seriesName, values);
    transaction.commit();
    return true;
}

std::map<qint64, QByteArray> WorkspaceStore::storedCells(qint64 experimentId) {
    Statement query(db_,
                    QStringLiteral("SELECT cell, cell_json FROM runs WHERE experiment_id = ? "
                                   "AND cell IS NOT NULL"),
                    QStringLiteral("reading the stored cells of experiment %1").arg(experimentId));
    query.bind(1, experimentId);
    std::map<qint64, QByteArray> cells;
    while (query.step())
        cells[query.columnInt64(0)] = query.columnBlob(1);
    return cells;
}

} // namespace routerlab
