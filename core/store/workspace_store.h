#pragma once

#include "store/live_call_records.h"
#include "store/sqlite_database.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace routerlab {

// An imported dataset. paths[i] was read with content hash hashes[i] (SHA-256, lower-case hex).
struct DatasetRecord {
    qint64 id = 0;
    QString name;
    QStringList paths;
    QStringList hashes;
    QString format;
    qint64 prompts = 0;
    qint64 models = 0;
    QByteArray summaryJson;
    QDateTime importedAt; // invalid when recording means "now"

    bool operator==(const DatasetRecord&) const = default;
};

struct PoolRecord {
    qint64 id = 0;
    QString name;
    QString path;
    QString hash; // SHA-256 of the file, lower-case hex
    QByteArray json;
    QDateTime importedAt; // invalid when recording means "now"

    bool operator==(const PoolRecord&) const = default;
};

struct ExperimentRecord {
    qint64 id = 0;
    QString name;
    QByteArray configJson;
    QDateTime createdAt;

    bool operator==(const ExperimentRecord&) const = default;
};

struct RunRecord {
    qint64 id = 0;
    qint64 experimentId = 0;
    QString router;
    QByteArray preferenceJson;
    quint64 seed = 0;
    QByteArray configJson;
    QString status;         // empty when adding means "running"
    QByteArray summaryJson; // empty until the run finishes
    QDateTime startedAt;    // invalid when adding means "now"
    QDateTime finishedAt;   // invalid until the run finishes

    bool operator==(const RunRecord&) const = default;
};

// A recorded evaluation: what `evaluate` was asked and its leaderboard (Evaluation::toJson).
struct EvaluationRecord {
    qint64 id = 0;
    QString name;
    QByteArray configJson;
    QByteArray resultJson;
    QDateTime createdAt; // invalid when recording means "now"

    bool operator==(const EvaluationRecord&) const = default;
};

// A run that has ended, as recordExperiment stores it with its series.
struct FinishedRunRecord {
    QString router;
    QByteArray preferenceJson;
    quint64 seed = 0;
    QByteArray configJson;
    QString status; // how it ended: "finished", "cancelled"
    QByteArray summaryJson;
    std::vector<std::pair<QString, std::vector<double>>> series; // name and values, stored in order
    QByteArray cellJson; // the exact summary a result is rebuilt from (recordCell), or empty
};

// An experiment recorded cell by cell, found by its identity: how far it got.
struct ExperimentProgress {
    qint64 id = 0;
    qint64 plannedRuns = 0;
    qint64 storedRuns = 0;

    bool complete() const { return storedRuns >= plannedRuns; }
};

// How the store's connection is set up (what the workspace relies on: write-ahead logging,
// enforced foreign keys, patience with another process's write lock).
struct ConnectionSettings {
    QString journalMode;
    bool foreignKeys = false;
    int busyTimeoutMs = 0;
    qint64 applicationId = 0;
};

// The record of one workspace: what was imported and what was run, in one SQLite file.
// Lists come back in insertion order. Not thread-safe: one store per thread.
class WorkspaceStore {
public:
    // Creates the file if absent and migrates it to the latest schema. Throws InputError
    // naming the file when it is not a workspace or is newer than this build, SqliteError
    // for anything else (unwritable directory, locked too long).
    explicit WorkspaceStore(const QString& path);
    static WorkspaceStore open(const QString& path) { return WorkspaceStore(path); }

    const QString& path() const { return db_.path(); }
    int schemaVersion();
    ConnectionSettings connectionSettings();

    // ---- Imported datasets and pools (workspace_store.cpp) ----

    qint64 recordDataset(const DatasetRecord& dataset);
    std::vector<DatasetRecord> datasets();
    qint64 recordPool(const PoolRecord& pool);
    std::vector<PoolRecord> pools();

    // ---- Experiments, runs and their series (workspace_store.cpp, run_records.cpp) ----

    qint64 addExperiment(const QString& name, const QByteArray& configJson);
    std::vector<ExperimentRecord> experiments();
    // Also removes the experiment's runs and their series.
    bool removeExperiment(qint64 id);

    qint64 addRun(const RunRecord& run);
    // Throws std::out_of_range when there is no such run.
    void finishRun(qint64 runId, const QString& status, const QByteArray& summaryJson);
    std::vector<RunRecord> runs(qint64 experimentId);

    // Replaces a series of the same name. Doubles round-trip bit for bit (NaN, -0.0 too).
    void addSeries(qint64 runId, const QString& name, const std::vector<double>& values);
    std::vector<double> series(qint64 runId, const QString& name); // empty when absent
    QStringList seriesNames(qint64 runId);
    // Stores an experiment and its finished runs with their series in one transaction: all of
    // it or, on an error, none. Returns the experiment id.
    qint64 recordExperiment(const QString& name, const QByteArray& configJson,
                            const std::vector<FinishedRunRecord>& runs);

    // ---- Experiments recorded cell by cell (run_records.cpp) ----
    // Each cell is its own transaction, so a killed run keeps every cell that had finished and
    // a later run with the same identity continues it.

    // Opens `path` to record runs in, before anything is computed. Throws InputError naming
    // the path and why it cannot be one: a folder, a missing folder, another program's file,
    // a read-only file or folder, a newer schema.
    static WorkspaceStore openForRecording(const QString& path);
    qint64 startExperiment(const QString& name, const QByteArray& configJson,
                           const QString& identity, qint64 plannedRuns);
    // Experiments started with this identity, oldest first.
    std::vector<ExperimentProgress> experimentsWithIdentity(const QString& identity);
    // Stores cell `cell` of the experiment with its series in one transaction. False, storing
    // nothing, when that cell is already stored.
    bool recordCell(qint64 experimentId, qint64 cell, const FinishedRunRecord& run);
    // The cellJson of each stored cell, by cell.
    std::map<qint64, QByteArray> storedCells(qint64 experimentId);

    // ---- Evaluations (workspace_store.cpp) ----

    qint64 recordEvaluation(const EvaluationRecord& evaluation);
    std::vector<EvaluationRecord> evaluations();
    bool removeEvaluation(qint64 id);

    // ---- Embedding cache (embedding_cache.cpp) ----
    // Prompt embeddings keyed by their source ("model@base URL") and the prompt text's SHA-256
    // in lower-case hex, so a re-run fetches nothing.

    // One vector per hash, in order; empty where nothing usable is cached (absent, or a
    // damaged entry that should be fetched again).
    std::vector<std::vector<float>> cachedEmbeddings(const QString& source,
                                                     const std::vector<QByteArray>& textHashes);
    // Caches vectors[i] as the embedding of textHashes[i], replacing an older entry, in one
    // transaction.
    void cacheEmbeddings(const QString& source, const std::vector<QByteArray>& textHashes,
                         const std::vector<std::vector<float>>& vectors);

    // --- live calls (live_call_records.cpp) ---------------------------------------------------
    // Every write is its own transaction, so a crash keeps every call that had ended.

    // Records the session as 'running', owned by this process on this machine.
    qint64 startLiveSession(const LiveSessionRecord& session);
    void finishLiveSession(qint64 sessionId, const QString& status, const QByteArray& summaryJson);
    // Sessions still 'running' whose owning process on this machine has gone (killed, crashed)
    // are marked 'interrupted' first, as they are when a session starts.
    std::vector<LiveSessionRecord> liveSessions();

    qint64 recordLiveCall(const LiveCallRecord& call);
    // Only the calls recorded after `afterCallId`: a console following a run reads each once.
    std::vector<LiveCallRecord> liveCalls(qint64 sessionId, qint64 afterCallId = 0);
    // The session of the live call this connection recorded last (0 when there is none), for
    // a caller that follows a run whose session id it has not been told yet.
    qint64 sessionOfLastLiveCall();

    // Replaces an earlier rating of the same call, and sets the call's quality from it.
    // Throws std::invalid_argument for a rating outside its scale or an unknown call.
    void rateLiveCall(qint64 callId, const HumanRating& rating);
    std::optional<HumanRating> liveCallRating(qint64 callId);

private:
    void markInterruptedLiveSessions();

    Database db_;
};

// Lower-case hex SHA-256 of a file's bytes, read in chunks. Throws InputError when the file
// cannot be read.
QString sha256OfFile(const QString& path);

} // namespace routerlab
