// Precomputed embedding files (features embeddings:FILE): JSON Lines when the input opens
// with an object, CSV otherwise. What loads must give every prompt a finite vector of the
// file's dimension plus the bias.
#include "common/input_error.h"
#include "features/embedding_file_featurizer.h"
#include "fuzz_support.h"

#include <cmath>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace routerlab;
    const QByteArray bytes = fuzzing::bytesOf(data, size);
    const QString path = fuzzing::scratchFile(
        fuzzing::looksLikeJsonLines(bytes) ? "-embeddings.jsonl" : "-embeddings.csv");
    if (!fuzzing::writeFile(path, bytes))
        return 0;
    try {
        const EmbeddingFileFeaturizer featurizer(path);
        const QStringList ids = featurizer.promptIds();
        if (ids.isEmpty() || ids.size() != featurizer.embeddingCount() ||
            featurizer.dimension() < 2)
            fuzzing::finding("an embedding file loaded without embeddings");
        for (const QString& id : ids) {
            const Eigen::VectorXf v = featurizer.transformDatasetPrompt(id, {});
            if (v.size() != featurizer.dimension() || !v.allFinite() || v[v.size() - 1] != 1.0f)
                fuzzing::finding("an embedding is not a finite vector of the file's dimension");
        }
    } catch (const InputError&) {
    }
    return 0;
}
