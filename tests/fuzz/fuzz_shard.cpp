// Shard files of a sharded simulate or sweep, merged as `routerlab-cli merge` does. The input
// holds up to four files separated by NUL bytes (JSON has none), so duplicates, conflicts
// and missing shards are reachable.
#include "common/input_error.h"
#include "experiment/shard_files.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace routerlab;
    const QString folder = fuzzing::scratchFile("-shards");
    QDir(folder).removeRecursively();
    QDir().mkpath(folder);
    const QList<QByteArray> files = fuzzing::bytesOf(data, size).split('\0');
    for (qsizetype i = 0; i < std::min<qsizetype>(files.size(), 4); ++i)
        if (!fuzzing::writeFile(QDir(folder).filePath(QStringLiteral("shard-%1.json").arg(i)),
                                files[i]))
            return 0;
    try {
        const MergeOutcome merged = mergeShards(folder, true);
        const std::size_t cells = cellsOf(merged.context).size();
        if (merged.shards < 1 || merged.runs.size() + merged.missingCells != cells)
            fuzzing::finding("the merge lost track of its cells");
        if (merged.result.isEmpty())
            fuzzing::finding("a merge without a result");
    } catch (const InputError&) {
    }
    return 0;
}
