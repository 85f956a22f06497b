#pragma once

// Shared driver: importers read files, so each input is written to a scratch file first.
// Only InputError is an accepted outcome for bad bytes; anything else (a crash, a sanitizer
// report, another exception) is a finding.
#include "common/input_error.h"
#include "data/dataset_builder.h"
#include "formats/dataset_importer.h"
#include "fuzz_support.h"

namespace routerlab::fuzzing {

template <typename Importer> int runImporter(const uint8_t* data, size_t size, const char* suffix) {
    const QString path = scratchFile(suffix);
    if (!writeFile(path, bytesOf(data, size)))
        return 0;
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
