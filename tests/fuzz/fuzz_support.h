#pragma once

// Helpers shared by the fuzz targets. A target accepts the errors its reader promises for bad
// bytes (InputError, a false return with a message); anything else (a crash, a sanitizer
// report, another exception, a broken invariant) is a finding and aborts.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QList>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace routerlab::fuzzing {

inline QString scratchPrefix() {
    return QStringLiteral("routerlab-fuzz-%1").arg(getpid());
}

// Removes this process's scratch files and folders (and what SQLite made beside them) when it
// exits: a CI run starts dozens of fuzzer processes.
inline void removeScratchFiles() {
    QDir temp = QDir::temp();
    const QStringList names =
        temp.entryList({scratchPrefix() + QLatin1Char('*')},
                       QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QString& name : names) {
        const QString path = temp.filePath(name);
        if (QFileInfo(path).isDir())
            QDir(path).removeRecursively();
        else
            QFile::remove(path);
    }
}

inline QString scratchFile(const char* suffix) {
    static const bool cleanupRegistered = std::atexit(removeScratchFiles) == 0;
    (void)cleanupRegistered;
    return QDir::temp().filePath(scratchPrefix() + QLatin1String(suffix));
}

inline QByteArray bytesOf(const uint8_t* data, size_t size) {
    return QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
}

inline bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

// Aborts with `what` on stderr: the fuzzer keeps the input, the replay test fails.
[[noreturn]] inline void finding(const char* what) {
    std::fprintf(stderr, "fuzz finding: %s\n", what);
    std::abort();
}

// A JSON Lines file when the first non-blank byte opens an object, else the other format.
inline bool looksLikeJsonLines(const QByteArray& bytes) {
    return bytes.trimmed().startsWith('{');
}

// An HTTP response as libcurl hands it over: header lines (each with its line end), a blank
// line, then the body. Without a blank line, the whole input is the body of a plain 200.
struct ResponseBytes {
    QList<QByteArray> headerLines;
    QByteArray body;
};

inline ResponseBytes splitResponse(const QByteArray& bytes) {
    ResponseBytes r;
    qsizetype end = bytes.indexOf("\r\n\r\n");
    qsizetype skip = 4;
    const qsizetype lf = bytes.indexOf("\n\n");
    if (lf >= 0 && (end < 0 || lf < end)) {
        end = lf;
        skip = 2;
    }
    if (end < 0) {
        r.headerLines << QByteArray("HTTP/1.1 200 OK\r\n");
        r.body = bytes;
        return r;
    }
    const QByteArray head = bytes.left(end + skip / 2);
    for (qsizetype at = 0; at < head.size();) {
        qsizetype next = head.indexOf('\n', at);
        next = next < 0 ? head.size() : next + 1;
        r.headerLines << head.mid(at, next - at);
        at = next;
    }
    r.body = bytes.mid(end + skip);
    return r;
}

} // namespace routerlab::fuzzing
