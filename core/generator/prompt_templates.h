#pragma once

#include "common/random.h"

#include <string>

namespace routerlab {

// The four kinds of prompt the sample generator can write. Each has its own templates and
// vocabulary, so word n-grams tell the categories apart.
enum class PromptKind { Math, Code, Knowledge, Chat };

// How hard a prompt reads. The generator picks it from the latent difficulty, so the text
// carries some signal about difficulty for routers that look at it.
enum class PromptTier { Easy, Medium, Hard };

struct PromptText {
    std::string text;      // ASCII, 100..400 characters
    std::string reference; // math: the answer as a number; knowledge: a letter A-D; else empty
};

// One prompt drawn from the templates of `kind`. Deterministic in the state of `rng`.
PromptText makePromptText(PromptKind kind, PromptTier tier, Random& rng);

} // namespace routerlab
