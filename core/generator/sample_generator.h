#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"

#include <QString>
#include <QStringList>
#include <cstdint>

namespace routerlab {

struct GeneratorOptions {
    std::uint64_t seed = 7;
    int promptsPerCategory = 400;
    // Any of the four built-in kinds, in the order the prompts should appear.
    QStringList categories = {"math", "code", "knowledge", "chat"};
};

struct GeneratedSample {
    Dataset dataset;
    ModelPool pool;
};

// A synthetic outcome matrix from a documented latent model (core/generator/README.md). The
// same options give the same bits on every machine; each prompt and each cell draws from its
// own stream, keyed by category name, prompt number and model id, so adding a category or
// reordering the list leaves the other prompts unchanged. Throws std::invalid_argument for
// an unknown or repeated category or a negative prompt count.
GeneratedSample generateSample(const GeneratorOptions& options);

// The eight models of the default catalogue with their published list prices (late 2024).
// Endpoints are left empty: the user adds them.
ModelPool defaultCatalogue();

// Writes <dir>/sample.csv (long CSV) and <dir>/sample.pool.json, the files the app opens
// on first start.
void saveSample(const GeneratedSample& sample, const QString& dir);

} // namespace routerlab
