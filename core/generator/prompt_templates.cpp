#include "generator/prompt_templates.h"

#include "generator/prompt_parts.h"

namespace routerlab {

using prompt_parts::chatPrompt;
using prompt_parts::codePrompt;
using prompt_parts::knowledgePrompt;
using prompt_parts::mathPrompt;
using prompt_parts::pick;

PromptText makePromptText(PromptKind kind, PromptTier tier, Random& rng) {
    // A varied opening keeps prompts from the same template from being identical strings.
    static const std::array<std::array<const char*, 4>, 4> openings = {{
        {"", "Quick maths question: ", "Homework help needed. ", "Please solve the following. "},
        {"", "Coding question: ", "Programming help: ", "Code review request. "},
        {"", "Trivia time. ", "Quiz: ", "Help me study. "},
        {"", "Hey! ", "Hi there. ", "Hello! "},
    }};
    static const std::array<const char*, 4> tails = {
        " Show the key steps before the final answer.", " Please explain the code briefly.",
        " Only one option is correct.", " Thanks so much in advance!"};
    const auto k = static_cast<std::size_t>(kind);
    PromptText out;
    out.text = pick(openings[k], rng);
    switch (kind) {
    case PromptKind::Math: {
        const PromptText p = mathPrompt(tier, rng);
        out.text += p.text;
        out.reference = p.reference;
        break;
    }
    case PromptKind::Code:
        out.text += codePrompt(tier, rng);
        break;
    case PromptKind::Knowledge: {
        const PromptText p = knowledgePrompt(tier, rng);
        out.text += p.text;
        out.reference = p.reference;
        break;
    }
    case PromptKind::Chat:
        out.text += chatPrompt(tier, rng);
        break;
    }
    // The documented floor of 100 characters; no template is long enough to need a cap.
    while (out.text.size() < 100)
        out.text += tails[k];
    return out;
}

} // namespace routerlab
