// Prompt files for live runs (JSON Lines when the input opens with an object, plain text
// otherwise) against a two-model pool. What loads must be a dataset of distinct, named
// prompts with one column per model.
#include "common/input_error.h"
#include "fuzz_support.h"
#include "live/prompt_file.h"

#include <QSet>

namespace {

const routerlab::ModelPool& pool() {
    static const routerlab::ModelPool p = routerlab::ModelPool::fromJson(
        "{\"format\": \"routerlab.pool\", \"models\": ["
        "{\"id\": \"large\", \"input_price_per_mtok\": 2.5, \"output_price_per_mtok\": 10,"
        " \"latency\": {\"first_token_s\": 0.45, \"output_tokens_per_s\": 85}},"
        "{\"id\": \"small\", \"input_price_per_mtok\": 0.15, \"output_price_per_mtok\": 0.6,"
        " \"latency\": {\"first_token_s\": 0.35, \"output_tokens_per_s\": 110}}]}",
        QStringLiteral("fuzz pool"));
    return p;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace routerlab;
    const QByteArray bytes = fuzzing::bytesOf(data, size);
    const QString path = fuzzing::scratchFile(fuzzing::looksLikeJsonLines(bytes) ? "-prompts.jsonl"
                                                                                 : "-prompts.txt");
    if (!fuzzing::writeFile(path, bytes))
        return 0;
    try {
        const Dataset d = loadPromptFile(path, pool());
        const int n = d.promptCount();
        if (n < 1 || d.modelCount() != pool().size() || d.quality.rows() != n ||
            d.inputTokens.rows() != n || d.inputTokens.cols() != d.modelCount() ||
            static_cast<int>(d.promptTexts.size()) != n ||
            static_cast<int>(d.promptCategory.size()) != n)
            fuzzing::finding("a prompt file loaded as a misshapen dataset");
        QSet<QString> ids;
        for (const QString& id : d.promptIds) {
            if (id.isEmpty() || ids.contains(id))
                fuzzing::finding("prompt ids that are empty or repeated");
            ids.insert(id);
        }
        for (const QString& text : d.promptTexts)
            if (text.trimmed().isEmpty())
                fuzzing::finding("an empty prompt");
    } catch (const InputError&) {
    }
    return 0;
}
