#pragma once

// The outcome matrix both benchmarks run on: `prompts` x `models`, quality rising and speed
// falling with the model index, four categories, a priced pool to match.
#include "common/random.h"
#include "data/dataset_builder.h"

#include <string>
#include <sys/resource.h>

namespace routerlab::bench {

inline Dataset syntheticOutcomes(int prompts, int models, ModelPool* pool = nullptr) {
    DatasetBuilder builder;
    const int file = builder.addSource(QStringLiteral("bench"), QStringLiteral("bench"));
    Random rng(42);
    for (int k = 0; pool && k < models; ++k) {
        PoolModel m;
        m.id = QStringLiteral("model-%1").arg(k);
        m.inputPricePerMTok = 0.1 * (k + 1) * (k + 1);
        m.outputPricePerMTok = 0.4 * (k + 1) * (k + 1);
        pool->models.push_back(m);
    }
    const char* categories[] = {"math", "code", "knowledge", "chat"};
    std::string text;
    for (int i = 0; i < prompts; ++i) {
        const std::string id = "p" + std::to_string(i);
        text = "Question " + std::to_string(i) +
               ": explain, with care, why the sky looks blue at noon and red at dusk.";
        const int p =
            builder.addPrompt(id, text, categories[i % 4], {}, {}, {file, i + 2LL}, "prompt_id");
        for (int k = 0; k < models; ++k) {
            const int m = builder.addModel("model-" + std::to_string(k), {file, 1}, "model");
            CellValues v;
            v.quality = rng.bernoulli(0.3 + 0.06 * k) ? 1.0 : 0.0;
            v.inputTokens = 40;
            v.outputTokens = 50 + rng.uniformInt(400);
            v.latencyS = 0.2 + v.outputTokens / (30.0 + 10 * k);
            builder.addCell(p, m, v, {}, {file, i + 2LL});
        }
    }
    return builder.finish();
}

inline double peakRssMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

} // namespace routerlab::bench
