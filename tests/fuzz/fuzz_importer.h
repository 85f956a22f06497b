#pragma once

// Shared driver: importers read files, so each input is written to a scratch file first.
// Only InputError is an accepted outcome for bad bytes; anything else (a crash, a sanitizer
// report, another exception) is a finding.
#include "common/input_error.h"
#include "data/dataset_builder.h"
#include "formats/dataset_importer.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>
#include <unistd.h>

namespace routerlab::fuzzing {

inline QString scratchFile(const char* suffix) {
    return QDir::temp().filePath(
        QStringLiteral("routerlab-fuzz-%1%2").arg(getpid()).arg(QLatin1String(suffix)));
}

template <typename Importer> int runImporter(const uint8_t* data, size_t size, const char* suffix) {
    const QString path = scratchFile(suffix);
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return 0;
        f.write(reinterpret_cast<const char*>(data), static_cast<qint64>(size));
    }
    ImportOptions options;
    options.maxRecordBytes = 1 << 20;
    ImportContext context(options, {});
    try {
        DatasetBuilder builder;
        Importer().read(path, builder, context);
        Dataset d = builder.finish();
        (void)d.missingCells();
    } catch (const InputError&) {
    }
    return 0;
}

} // namespace routerlab::fuzzing
