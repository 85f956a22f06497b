#pragma once

#include <QByteArray>
#include <QString>
#include <cstddef>
#include <stdexcept>

struct sqlite3;
struct sqlite3_stmt;

namespace routerlab {

// A failed SQLite call. The message reads "<purpose>: <sqlite3_errmsg>" so a log line says
// what we were trying to do, not only what SQLite disliked.
class SqliteError : public std::runtime_error {
public:
    SqliteError(int code, const QString& purpose, const QString& sqliteMessage);

    int code() const { return code_; } // primary result code, e.g. SQLITE_NOTADB
    const QString& purpose() const { return purpose_; }
    QString text() const { return QString::fromStdString(what()); }

private:
    int code_;
    QString purpose_;
};

// One connection to one SQLite file. Closing uses sqlite3_close_v2, so a Statement that
// outlives its Database only delays the real close instead of leaking the handle.
class Database {
public:
    Database() = default;
    explicit Database(const QString& path) { open(path); }
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Opens read-write, creating the file if absent. SQLite reads lazily, so a file that is
    // not a database is only detected by the first statement (SQLITE_NOTADB).
    void open(const QString& path);
    void close();
    bool isOpen() const { return db_ != nullptr; }
    const QString& path() const { return path_; }

    // Runs one or more statements that return no rows we need.
    void exec(const QString& sql, const QString& purpose);
    qint64 lastInsertId() const;
    int changes() const; // rows touched by the last INSERT/UPDATE/DELETE
    bool inTransaction() const;
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    QString path_;
};

// A prepared statement. Parameter and column indexes follow SQLite: bind() is 1-based,
// column accessors are 0-based.
class Statement {
public:
    Statement(Database& db, const QString& sql, const QString& purpose);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, int value) { return bind(index, static_cast<qint64>(value)); }
    Statement& bind(int index, qint64 value);
    Statement& bind(int index, double value);
    Statement& bind(int index, const QString& value);    // TEXT
    Statement& bind(int index, const QByteArray& value); // BLOB
    Statement& bind(int index, std::nullptr_t) { return bindNull(index); }
    Statement& bindText(int index, const QByteArray& utf8); // TEXT from UTF-8 bytes (JSON)
    Statement& bindNull(int index);

    // True when a row is ready, false when the statement has finished.
    bool step();
    // For statements that must touch rows but return none.
    void run();
    // Makes the statement runnable again; bindings are kept (SQLite semantics).
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    qint64 columnInt64(int column) const;
    double columnDouble(int column) const;
    QString columnText(int column) const;
    QByteArray columnBlob(int column) const; // raw bytes of a BLOB or TEXT value

    sqlite3_stmt* handle() const { return stmt_; }

private:
    void check(int rc) const;

    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
    QString purpose_;
};

// BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way for a
// lock it could not upgrade. Rolls back on destruction unless commit() succeeded.
class Transaction {
public:
    explicit Transaction(Database& db, QString purpose = QStringLiteral("a transaction"));
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    void commit();

private:
    Database& db_;
    QString purpose_;
    bool done_ = false;
};

} // namespace routerlab
