#pragma once

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <QtTest>

namespace routerlab::testing {

inline QString writeFile(const QDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = dir.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write test file %s", qPrintable(path));
    return path;
}

inline QByteArray readFile(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The real routing records beside the project (../shared/data), or empty when absent.
inline QString sharedDataDir() {
    const QString fromEnv = qEnvironmentVariable("ROUTERLAB_SHARED_DATA");
    if (!fromEnv.isEmpty())
        return fromEnv;
#ifdef ROUTERLAB_SHARED_DATA_DIR
    if (QFileInfo::exists(QStringLiteral(ROUTERLAB_SHARED_DATA_DIR)))
        return QDir(QStringLiteral(ROUTERLAB_SHARED_DATA_DIR)).absolutePath();
#endif
    return {};
}

inline const QByteArray kTinyPool = R"({
  "name": "tiny",
  "models": [
    {"id": "small", "input_price_per_mtok": 0.1, "output_price_per_mtok": 0.2},
    {"id": "large", "input_price_per_mtok": 2.0, "output_price_per_mtok": 8.0, "fee_per_call": 0.001}
  ]
})";

} // namespace routerlab::testing
