#include "common/paths.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace routerlab {

QString sampleDataDir(const QString& buildTreeFallback) {
    auto valid = [](const QString& dir) {
        return !dir.isEmpty() && QFileInfo::exists(QDir(dir).filePath(kSampleDatasetFile));
    };
    const QString fromEnv = qEnvironmentVariable("ROUTERLAB_SAMPLE_DIR");
    if (valid(fromEnv))
        return QDir(fromEnv).absolutePath();
    if (QCoreApplication::instance()) {
        const QString installed =
            QDir(QCoreApplication::applicationDirPath())
                .absoluteFilePath(QStringLiteral("../share/routerlab/sample_data"));
        if (valid(installed))
            return QDir(installed).absolutePath();
    }
    if (valid(buildTreeFallback))
        return QDir(buildTreeFallback).absolutePath();
    return {};
}

} // namespace routerlab
