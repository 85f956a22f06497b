#include "common/paths.h"

#include "build_info.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace routerlab {

QString sampleDataDir(const QString& buildTreeFallback, const QString& buildBinDir) {
    auto valid = [](const QString& dir) {
        return !dir.isEmpty() && QFileInfo::exists(QDir(dir).filePath(kSampleDatasetFile));
    };
    const QString fromEnv = qEnvironmentVariable("ROUTERLAB_SAMPLE_DIR");
    if (valid(fromEnv))
        return QDir(fromEnv).absolutePath();
    QString exeDir;
    if (QCoreApplication::instance()) {
        exeDir = QCoreApplication::applicationDirPath();
        const QString installed =
            QDir(exeDir).absoluteFilePath(QStringLiteral(ROUTERLAB_INSTALLED_SAMPLE_DIR_FROM_BIN));
        if (valid(installed))
            return QDir(installed).absolutePath();
    }
    // Canonical paths: the build folder may be reached through a symbolic link.
    const bool inBuildTree = buildBinDir.isEmpty() ||
                             (!exeDir.isEmpty() && QFileInfo(exeDir).canonicalFilePath() ==
                                                       QFileInfo(buildBinDir).canonicalFilePath());
    if (inBuildTree && valid(buildTreeFallback))
        return QDir(buildTreeFallback).absolutePath();
    return {};
}

} // namespace routerlab
