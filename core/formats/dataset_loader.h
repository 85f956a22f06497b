#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"

#include <QStringList>
#include <atomic>
#include <functional>
#include <stdexcept>

namespace routerlab {

struct ImportOptions {
    // A single CSV record or JSONL line longer than this is refused rather than buffered.
    qint64 maxRecordBytes = qint64(64) << 20;
    // A prompt x model matrix of more cells than this is loaded only when it is mostly
    // recorded (DatasetBuilder). 0: the ROUTERLAB_MAX_MATRIX_CELLS environment variable when
    // set, else DatasetBuilder::kDefaultMaxMatrixCells.
    qint64 maxMatrixCells = 0;
    // Called now and then with bytes read so far and the total over all files.
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic_bool* cancel = nullptr;
};

class ImportCancelled : public std::runtime_error {
public:
    ImportCancelled() : std::runtime_error("import cancelled") {}
};

// The matrix size limit in effect for these options. Throws InputError naming the
// environment variable when it is set to something other than a positive whole number.
qint64 effectiveMaxMatrixCells(const ImportOptions& options);

// Files to read for the given arguments: files as they are, folders searched recursively for
// *.csv, *.jsonl and *.ndjson, sorted by path. Throws InputError for a path that is absent.
QStringList expandDatasetPaths(const QStringList& paths);

// Reads one dataset from one or more files or folders, detecting each file's format
// (long CSV, JSONL, RouterBench wide CSV, RouteLLM wide CSV). With a pool, a model that the
// pool does not name is an error. Throws InputError (file, line, field) or ImportCancelled.
Dataset loadDataset(const QStringList& paths, const ModelPool* pool = nullptr,
                    const ImportOptions& options = {});

// A dataset with the pool that prices it: the given pool file, or, when the data records its
// own costs and no pool is given, a pool derived from the data.
struct PricedDataset {
    Dataset dataset;
    ModelPool pool;
    bool poolDerived = false;
};
PricedDataset loadPricedDataset(const QStringList& paths, const QString& poolPath,
                                const ImportOptions& options = {});

} // namespace routerlab
