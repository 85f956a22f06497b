#include "store/sqlite_database.h"

#include <sqlite3.h>
#include <utility>

namespace routerlab {

namespace {

QString compose(const QString& purpose, const QString& sqliteMessage) {
    return purpose + QStringLiteral(": ") + sqliteMessage;
}

QString errorMessage(sqlite3* db, int rc) {
    // Without a handle (out of memory on open) only the generic text for the code exists.
    return QString::fromUtf8(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
}

} // namespace

SqliteError::SqliteError(int code, const QString& purpose, const QString& sqliteMessage)
    : std::runtime_error(compose(purpose, sqliteMessage).toStdString()), code_(code & 0xff),
      purpose_(purpose) {}

// --- Database ---------------------------------------------------------------------------

Database::~Database() {
    close();
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

void Database::open(const QString& path) {
    close();
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        const QString message = errorMessage(db, rc);
        sqlite3_close_v2(db); // a handle is usually allocated even when opening fails
        throw SqliteError(rc, QStringLiteral("opening '%1'").arg(path), message);
    }
    db_ = db;
    path_ = path;
}

void Database::close() {
    if (db_)
        sqlite3_close_v2(db_);
    db_ = nullptr;
}

void Database::exec(const QString& sql, const QString& purpose) {
    if (!db_)
        throw SqliteError(SQLITE_MISUSE, purpose, QStringLiteral("database is not open"));
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.toUtf8().constData(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        const QString message = error ? QString::fromUtf8(error) : errorMessage(db_, rc);
        sqlite3_free(error);
        throw SqliteError(rc, purpose, message);
    }
}

qint64 Database::lastInsertId() const {
    return db_ ? sqlite3_last_insert_rowid(db_) : 0;
}

int Database::changes() const {
    return db_ ? sqlite3_changes(db_) : 0;
}

bool Database::inTransaction() const {
    return db_ && sqlite3_get_autocommit(db_) == 0;
}

// --- Statement --------------------------------------------------------------------------

Statement::Statement(Database& db, const QString& sql, const QString& purpose)
    : db_(db.handle()), purpose_(purpose) {
    if (!db_)
        throw SqliteError(SQLITE_MISUSE, purpose, QStringLiteral("database is not open"));
    const QByteArray utf8 = sql.toUtf8();
    const int rc =
        sqlite3_prepare_v2(db_, utf8.constData(), static_cast<int>(utf8.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        throw SqliteError(rc, purpose, errorMessage(db_, rc));
    }
    if (!stmt_) // only whitespace or comments: nothing to run, which is a caller bug
        throw SqliteError(SQLITE_MISUSE, purpose, QStringLiteral("empty statement"));
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)),
      purpose_(std::move(other.purpose_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        db_ = other.db_;
        stmt_ = std::exchange(other.stmt_, nullptr);
        purpose_ = std::move(other.purpose_);
    }
    return *this;
}

void Statement::check(int rc) const {
    if (rc != SQLITE_OK)
        throw SqliteError(rc, purpose_, errorMessage(db_, rc));
}

Statement& Statement::bind(int index, qint64 value) {
    check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check(sqlite3_bind_double(stmt_, index, value));
    return *this;
}

Statement& Statement::bind(int index, const QString& value) {
    return bindText(index, value.toUtf8());
}

Statement& Statement::bind(int index, const QByteArray& value) {
    // A null data pointer would bind NULL, so an empty blob is bound explicitly.
    if (value.isEmpty())
        check(sqlite3_bind_zeroblob(stmt_, index, 0));
    else
        check(sqlite3_bind_blob64(stmt_, index, value.constData(),
                                  static_cast<sqlite3_uint64>(value.size()), SQLITE_TRANSIENT));
    return *this;
}

Statement& Statement::bindText(int index, const QByteArray& utf8) {
    const char* data = utf8.isEmpty() ? "" : utf8.constData();
    check(sqlite3_bind_text64(stmt_, index, data, static_cast<sqlite3_uint64>(utf8.size()),
                              SQLITE_TRANSIENT, SQLITE_UTF8));
    return *this;
}

Statement& Statement::bindNull(int index) {
    check(sqlite3_bind_null(stmt_, index));
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    throw SqliteError(rc, purpose_, errorMessage(db_, rc));
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    // The return value repeats the last step's error, which step() has already reported.
    sqlite3_reset(stmt_);
}

int Statement::columnCount() const {
    return sqlite3_column_count(stmt_);
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

qint64 Statement::columnInt64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double Statement::columnDouble(int column) const {
    return sqlite3_column_double(stmt_, column);
}

QString Statement::columnText(int column) const {
    // text before bytes: sqlite3_column_bytes then measures the converted UTF-8 value.
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return QString::fromUtf8(text, sqlite3_column_bytes(stmt_, column));
}

QByteArray Statement::columnBlob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    return QByteArray(data, sqlite3_column_bytes(stmt_, column));
}

// --- Transaction ------------------------------------------------------------------------

Transaction::Transaction(Database& db, QString purpose) : db_(db), purpose_(std::move(purpose)) {
    db_.exec(QStringLiteral("BEGIN IMMEDIATE"), QStringLiteral("beginning ") + purpose_);
}

Transaction::~Transaction() {
    // Some errors (SQLITE_FULL, SQLITE_IOERR) already rolled back; a second ROLLBACK would fail.
    if (!done_ && db_.inTransaction())
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.exec(QStringLiteral("COMMIT"), QStringLiteral("committing ") + purpose_);
    done_ = true;
}

} // namespace routerlab
