#include "generator/sample_generator.h"

#include "common/paths.h"
#include "common/random.h"
#include "data/dataset_builder.h"
#include "formats/long_csv_writer.h"
#include "generator/prompt_templates.h"

#include <QDir>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace routerlab {

namespace {

constexpr int kKinds = 4; // math, code, knowledge, chat: the order of every per-kind array

struct CategoryProfile {
    const char* name;
    PromptKind kind;
    double meanDifficulty;  // mu_c of the latent model
    double outputLogMedian; // log of the median answer length in tokens
    bool graded;            // judge-like score in tenths instead of 0/1
};

// Knowledge answers are short (a letter and a sentence); code and chat answers run long.
const std::array<CategoryProfile, kKinds> kCategories = {{
    {"math", PromptKind::Math, 0.35, 5.55, false},          // median ~260 tokens (worked steps)
    {"code", PromptKind::Code, 0.20, 6.05, false},          // ~420
    {"knowledge", PromptKind::Knowledge, 0.0, 4.40, false}, // ~80
    {"chat", PromptKind::Chat, -0.25, 5.70, true},          // ~300
}};

struct ModelProfile {
    const char* id;
    const char* displayName;
    double inputPrice, outputPrice; // USD per 1M tokens: list prices, late 2024
    int contextWindow;              // tokens
    const char* sizeClass;
    const char* provider; // whose price list the prices come from
    double firstTokenS, tokensPerS;
};

struct LatentProfile {
    double ability;                       // g_m
    std::array<double, kKinds> specialty; // s_{m,c}: math, code, knowledge, chat
    double tokenizer;                     // input tokens relative to the bytes/4 estimate
    double verbosity;                     // output length relative to the category median
};

// The tables are kept one model per line so a reader can compare the columns.
// clang-format off
const std::array<ModelProfile, 8> kModels = {{
    // id                      display name                    $in/M  $out/M  context  size      provider     ttft  tok/s
    {"gpt-4o",               "GPT-4o",                       2.50,  10.00,   128000, "large",  "openai",    0.45,  85},
    {"gpt-4o-mini",          "GPT-4o mini",                  0.15,   0.60,   128000, "small",  "openai",    0.35, 110},
    {"claude-3-5-sonnet",    "Claude 3.5 Sonnet",            3.00,  15.00,   200000, "large",  "anthropic", 0.85,  65},
    {"claude-3-5-haiku",     "Claude 3.5 Haiku",             0.80,   4.00,   200000, "medium", "anthropic", 0.60,  60},
    {"gemini-1.5-pro",       "Gemini 1.5 Pro",               1.25,   5.00,  2097152, "large",  "google",    0.90,  60},
    {"gemini-1.5-flash",     "Gemini 1.5 Flash",             0.075,  0.30,  1048576, "small",  "google",    0.35, 170},
    {"mistral-large-2411",   "Mistral Large 24.11",          2.00,   6.00,   131072, "large",  "mistral",   0.55,  40},
    {"llama-3.1-8b-instant", "Llama 3.1 8B Instant (Groq)",  0.05,   0.08,   131072, "small",  "groq",      0.25, 750},
}};

// Abilities follow size and price only loosely: gemini-1.5-flash is strong at math and
// gpt-4o-mini at chat, claude-3-5-sonnet (the priciest) is ahead in expectation only at
// code, and mistral-large-2411 leads nothing. That spread is what makes routing worthwhile.
const std::array<LatentProfile, 8> kLatent = {{
    //  g_m      math   code   know   chat   tokenizer verbosity
    { 1.50, {  0.10,  0.00,  0.20,  0.30}, 1.00, 1.00},  // gpt-4o
    { 0.60, {  0.00, -0.10, -0.10,  0.70}, 1.00, 0.95},  // gpt-4o-mini
    { 1.50, { -0.10,  0.50,  0.00,  0.10}, 1.10, 1.10},  // claude-3-5-sonnet
    { 0.80, { -0.20,  0.30, -0.10,  0.00}, 1.10, 0.90},  // claude-3-5-haiku
    { 1.30, {  0.30, -0.10,  0.30, -0.10}, 0.95, 1.05},  // gemini-1.5-pro
    { 0.50, {  1.00, -0.10,  0.00, -0.10}, 0.95, 0.90},  // gemini-1.5-flash
    { 1.00, { -0.10,  0.20,  0.00,  0.10}, 1.08, 1.00},  // mistral-large-2411
    { 0.10, { -0.40, -0.20,  0.00,  0.20}, 1.05, 0.80},  // llama-3.1-8b-instant
}};
// clang-format on

// Stream keys from names, so a prompt's numbers do not depend on list order. FNV-1a 64.
std::uint64_t nameKey(const QByteArray& utf8) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : utf8) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// Milliseconds are plenty for latency, and rounding shields the written files from last-bit
// differences between maths libraries.
double roundToMs(double seconds) {
    return std::round(seconds * 1000.0) / 1000.0;
}

const CategoryProfile& profileOf(const QString& category) {
    for (const CategoryProfile& c : kCategories)
        if (category == QLatin1String(c.name))
            return c;
    throw std::invalid_argument("unknown category '" + category.toStdString() +
                                "': the generator knows math, code, knowledge and chat");
}

void validate(const GeneratorOptions& options) {
    if (options.promptsPerCategory < 0)
        throw std::invalid_argument("promptsPerCategory must be >= 0");
    if (options.categories.isEmpty())
        throw std::invalid_argument("at least one category is needed");
    for (const QString& c : options.categories) {
        profileOf(c);
        if (options.categories.count(c) > 1)
            throw std::invalid_argument("category '" + c.toStdString() + "' is listed twice");
    }
}

struct Item {
    double difficulty;     // d
    double discrimination; // a
    double lengthShift;    // shared by all models: some prompts ask for longer answers
};

// One prompt x model outcome of the latent model (README.md, "The latent model").
CellValues drawCell(const CategoryProfile& cat, const Item& item, const ModelProfile& model,
                    const LatentProfile& latent, double baseInputTokens, Random& rng) {
    const auto k = static_cast<std::size_t>(cat.kind);
    const double p =
        sigmoid(item.discrimination * (latent.ability + latent.specialty[k] - item.difficulty));
    CellValues v;
    if (cat.graded) // a judge's score: the probability blurred, clamped, in tenths
        v.quality = std::round(std::clamp(p + rng.normal(0.0, 0.1), 0.0, 1.0) * 10.0) / 10.0;
    else
        v.quality = rng.bernoulli(p) ? 1.0 : 0.0;
    v.inputTokens = std::ceil(baseInputTokens * latent.tokenizer);
    const double logLength = cat.outputLogMedian + item.lengthShift + rng.normal(0.0, 0.3);
    v.outputTokens = std::max(1.0, std::round(std::exp(logLength) * latent.verbosity));
    const double nominal = model.firstTokenS + v.outputTokens / model.tokensPerS;
    v.latencyS = roundToMs(nominal * std::exp(rng.normal(0.0, 0.15)));
    // Cost stays unrecorded so that editing the pool's prices re-prices the data.
    return v;
}

} // namespace

ModelPool defaultCatalogue() {
    ModelPool pool;
    pool.name = QStringLiteral("Default catalogue (list prices, late 2024)");
    for (const ModelProfile& p : kModels) {
        PoolModel m;
        m.id = QLatin1String(p.id);
        m.displayName = QLatin1String(p.displayName);
        m.inputPricePerMTok = p.inputPrice;
        m.outputPricePerMTok = p.outputPrice;
        m.contextWindow = p.contextWindow;
        m.tags = {QLatin1String(p.sizeClass), QLatin1String(p.provider)};
        m.firstTokenS = p.firstTokenS;
        m.outputTokensPerS = p.tokensPerS;
        pool.models.push_back(m);
    }
    return pool;
}

GeneratedSample generateSample(const GeneratorOptions& options) {
    validate(options);
    GeneratedSample sample;
    sample.pool = defaultCatalogue();

    DatasetBuilder builder(&sample.pool);
    const SourcePosition at{
        builder.addSource(QStringLiteral("generated"), QStringLiteral("generator")), 0};
    const QString idField = QStringLiteral("prompt_id");
    const QString modelField = QStringLiteral("model");
    std::array<int, kModels.size()> column{};
    std::array<std::uint64_t, kModels.size()> modelKey{};
    for (std::size_t m = 0; m < kModels.size(); ++m) {
        column[m] = builder.addModel(kModels[m].id, at, modelField);
        modelKey[m] = nameKey(QByteArray(kModels[m].id));
    }

    for (const QString& category : options.categories) {
        const CategoryProfile& cat = profileOf(category);
        const std::uint64_t categorySeed = Random::mix(options.seed, nameKey(category.toUtf8()));
        for (int i = 1; i <= options.promptsPerCategory; ++i) {
            const std::uint64_t promptSeed =
                Random::mix(categorySeed, static_cast<std::uint64_t>(i));

            Random itemRng(Random::mix(promptSeed, 0));
            Item item;
            item.difficulty = itemRng.normal(cat.meanDifficulty, 1.0);
            item.discrimination = itemRng.uniform(0.8, 2.0);
            item.lengthShift =
                itemRng.normal(0.0, 0.35) + 0.15 * (item.difficulty - cat.meanDifficulty);

            const double relative = item.difficulty - cat.meanDifficulty;
            const PromptTier tier = relative < -0.5  ? PromptTier::Easy
                                    : relative > 0.5 ? PromptTier::Hard
                                                     : PromptTier::Medium;
            Random textRng(Random::mix(promptSeed, 1));
            const PromptText text = makePromptText(cat.kind, tier, textRng);

            char id[32];
            std::snprintf(id, sizeof id, "%s-%04d", cat.name, i);
            const int row =
                builder.addPrompt(id, text.text, cat.name, text.reference, {}, at, idField);
            const double baseInputTokens =
                std::ceil(static_cast<double>(text.text.size()) / Dataset::kCharsPerToken);

            const std::uint64_t cellsSeed = Random::mix(promptSeed, 2);
            for (std::size_t m = 0; m < kModels.size(); ++m) {
                Random cellRng(Random::mix(cellsSeed, modelKey[m]));
                const CellValues v =
                    drawCell(cat, item, kModels[m], kLatent[m], baseInputTokens, cellRng);
                builder.addCell(row, column[m], v, {}, at);
            }
        }
    }
    sample.dataset = builder.finish();
    sample.dataset.name = QStringLiteral("Synthetic sample (seed %1)").arg(options.seed);
    return sample;
}

void saveSample(const GeneratedSample& sample, const QString& dir) {
    if (!QDir().mkpath(dir))
        throw std::runtime_error("cannot create folder " + dir.toStdString());
    const QDir d(dir);
    writeLongCsv(sample.dataset, d.filePath(QLatin1String(kSampleDatasetFile)));
    sample.pool.save(d.filePath(QLatin1String(kSamplePoolFile)));
}

} // namespace routerlab
