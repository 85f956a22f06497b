#include "store/migrations.h"

#include "common/input_error.h"
#include "store/sqlite_database.h"

namespace routerlab {

namespace {

// Times are milliseconds since the epoch, UTC. JSON is stored as TEXT so the sqlite3 shell
// and its json functions can read it.
constexpr Migration kMigrations[] = {
    {1, "creating the workspace tables", R"sql(
PRAGMA application_id = 1380729154;
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    prompts INTEGER NOT NULL,
    models INTEGER NOT NULL,
    summary_json TEXT NOT NULL,
    imported_at INTEGER NOT NULL
);
CREATE TABLE dataset_files (
    dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (dataset_id, position)
) WITHOUT ROWID;
CREATE TABLE pools (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    pool_json TEXT NOT NULL,
    imported_at INTEGER NOT NULL
);
-- AUTOINCREMENT: an id the UI still holds must never come back as a different experiment.
CREATE TABLE experiments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    config_json TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    experiment_id INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    router TEXT NOT NULL,
    preference_json TEXT NOT NULL,
    seed INTEGER NOT NULL, -- the bits of the uint64 seed
    config_json TEXT NOT NULL,
    status TEXT NOT NULL,
    summary_json TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
);
)sql"},
    {2, "adding run series and the runs-by-experiment index", R"sql(
CREATE INDEX runs_by_experiment ON runs (experiment_id);
CREATE TABLE run_series (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    data BLOB NOT NULL, -- little-endian IEEE 754 doubles
    PRIMARY KEY (run_id, name)
) WITHOUT ROWID;
)sql"},
    {3, "adding live sessions, their calls and people's ratings", R"sql(
CREATE TABLE live_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    router TEXT NOT NULL,
    scorer TEXT NOT NULL,
    preference_json TEXT NOT NULL,
    seed INTEGER NOT NULL,
    config_json TEXT NOT NULL, -- never holds an API key: pools name only the variable
    status TEXT NOT NULL,      -- running, complete, budget, cancelled, failed
    summary_json TEXT,
    budget_usd REAL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
);
-- One row per call, committed as it ends, so a crash loses no answered call.
CREATE TABLE live_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,     -- position in the session's prompt order
    role TEXT NOT NULL,        -- answer, judge
    prompt_id TEXT NOT NULL,
    model TEXT NOT NULL,
    decision_json TEXT,        -- the router's choice: model index, top probability
    request_id TEXT,
    status TEXT NOT NULL,      -- ok, failed, cancelled
    http_status INTEGER,
    attempts INTEGER NOT NULL,
    prompt_tokens INTEGER,     -- NULL when the server reported no usage
    completion_tokens INTEGER,
    cost_usd REAL NOT NULL,    -- of the answering attempt only: a retry is never paid twice
    latency_s REAL,
    first_token_s REAL,        -- streaming only
    quality REAL,              -- NULL until scored (a person's rating comes later)
    reward REAL,
    error TEXT,
    response TEXT,             -- only when the session opted in
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL
);
CREATE INDEX live_calls_by_session ON live_calls (session_id, step);
CREATE TABLE live_ratings (
    call_id INTEGER PRIMARY KEY REFERENCES live_calls(id) ON DELETE CASCADE,
    scale TEXT NOT NULL,       -- thumbs (0 or 1) or stars (1 to 5)
    rating REAL NOT NULL,
    rater TEXT,
    note TEXT,
    rated_at INTEGER NOT NULL
);
)sql"},
    {4, "cache prompt embeddings fetched from an embeddings endpoint", R"sql(
CREATE TABLE embedding_cache (
    source TEXT NOT NULL,      -- model@base URL (no credentials): whose vectors these are
    text_sha256 TEXT NOT NULL, -- of the prompt's UTF-8 text; the text itself is not kept
    dimension INTEGER NOT NULL,
    vector BLOB NOT NULL,      -- dimension float32 values, little-endian
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (source, text_sha256)
) WITHOUT ROWID;
)sql"},
    {5, "keying experiments by identity and runs by cell, so a killed run can resume", R"sql(
-- sha256 of everything a command-line experiment's result depends on (data hashes, routers,
-- parameters, seeds, split, version); NULL for experiments recorded whole.
ALTER TABLE experiments ADD COLUMN identity TEXT;
ALTER TABLE experiments ADD COLUMN planned_runs INTEGER; -- cells it has; NULL when unknown
ALTER TABLE runs ADD COLUMN cell INTEGER;      -- position in the experiment's cell order
ALTER TABLE runs ADD COLUMN cell_json TEXT;    -- the cell's summary, exact, to rebuild results
CREATE INDEX experiments_by_identity ON experiments (identity) WHERE identity IS NOT NULL;
-- A cell is stored once, however many processes resume the experiment.
CREATE UNIQUE INDEX runs_by_cell ON runs (experiment_id, cell) WHERE cell IS NOT NULL;
)sql"},
    {6, "recording which process runs a live session", R"sql(
-- A session left 'running' by a process that is gone is marked 'interrupted' (see
-- WorkspaceStore::liveSessions); sessions from before this version have no owner.
ALTER TABLE live_sessions ADD COLUMN owner_host TEXT;
ALTER TABLE live_sessions ADD COLUMN owner_pid INTEGER;
)sql"},
    {7, "adding recorded evaluations", R"sql(
-- One `routerlab-cli evaluate --workspace` run: what it was asked (config_json) and its
-- leaderboard, as `evaluate --json` prints it (result_json).
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    config_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
)sql"},
};

qint64 pragmaValue(Database& db, const char* pragma) {
    Statement query(db, QStringLiteral("PRAGMA %1").arg(QLatin1String(pragma)),
                    QStringLiteral("reading PRAGMA %1").arg(QLatin1String(pragma)));
    return query.step() ? query.columnInt64(0) : 0;
}

bool hasSchemaObjects(Database& db) {
    Statement query(db, QStringLiteral("SELECT count(*) FROM sqlite_master"),
                    QStringLiteral("listing the schema"));
    return query.step() && query.columnInt64(0) > 0;
}

} // namespace

std::span<const Migration> migrations() {
    return kMigrations;
}

int latestSchemaVersion() {
    return migrations().back().version;
}

int schemaVersion(Database& db) {
    return static_cast<int>(pragmaValue(db, "user_version"));
}

void migrate(Database& db, const QString& file) {
    const int version = schemaVersion(db);
    const qint64 applicationId = pragmaValue(db, "application_id");
    // A fresh file is empty; anything else without our id belongs to another program.
    const bool fresh = applicationId == 0 && version == 0 && !hasSchemaObjects(db);
    if (applicationId != kWorkspaceApplicationId && !fresh)
        throw InputError(file, 0, {},
                         QStringLiteral("is an SQLite database but not a RouterLab workspace"));
    if (version > latestSchemaVersion())
        throw InputError(file, 0, {},
                         QStringLiteral("workspace schema version %1 is newer than version %2, the "
                                        "newest this RouterLab supports; open it with a newer "
                                        "RouterLab")
                             .arg(version)
                             .arg(latestSchemaVersion()));

    for (const Migration& step : migrations()) {
        if (step.version <= version)
            continue;
        const QString purpose = QStringLiteral("migrating '%1' to schema %2: %3")
                                    .arg(file)
                                    .arg(step.version)
                                    .arg(QLatin1String(step.purpose));
        Transaction transaction(db, purpose);
        // Another process may have run this step while we waited for the write lock.
        if (schemaVersion(db) >= step.version)
            continue;
        db.exec(QString::fromUtf8(step.sql), purpose);
        db.exec(QStringLiteral("PRAGMA user_version = %1").arg(step.version), purpose);
        transaction.commit();
    }
}

} // namespace routerlab
