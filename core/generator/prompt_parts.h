#pragma once

// Pieces shared by the per-kind prompt files (math_prompts.cpp, code_prompts.cpp,
// knowledge_prompts.cpp, chat_prompts.cpp); not part of the generator's interface.

#include "generator/prompt_templates.h"

#include <array>
#include <string>

namespace routerlab::prompt_parts {

template <std::size_t N> const char* pick(const std::array<const char*, N>& words, Random& rng) {
    return words[static_cast<std::size_t>(rng.uniformInt(static_cast<int>(N)))];
}

inline int between(Random& rng, int lo, int hi) {
    return lo + rng.uniformInt(hi - lo + 1);
}

// The reference is the true answer to the generated question.
PromptText mathPrompt(PromptTier tier, Random& rng);
std::string codePrompt(PromptTier tier, Random& rng);
// Options drawn from real term/definition pairs; the reference is the right letter.
PromptText knowledgePrompt(PromptTier tier, Random& rng);
std::string chatPrompt(PromptTier tier, Random& rng);

} // namespace routerlab::prompt_parts
