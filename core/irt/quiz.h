#pragma once

#include "irt/item_bank.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace routerlab {

// The cold-start quiz: asks `budget` prompts from `candidates` one at a time and refits the
// new identity (from `prior`, on the bank's items) after each answer (`answer(row)`). Each round
// takes the least-asked category (so the quiz spreads over them), draws up to 256 of its
// prompts at random and asks the one whose answer most lowers the variance of the model's level
// under the current posterior: its predicted accuracy over all candidates, what routing weighs
// it by (from the Fisher information p(1-p) alpha alpha'). Returns the rows in the order asked,
// each with why it was chosen; `posterior` receives the final fit.
struct QuizStep {
    int row = 0;
    int category = 0;
    int contenders = 0;           // prompts of the category that competed for the round
    double varianceReduction = 0; // share of the level's variance it was expected to remove
    double predicted = 0;         // P(answers well) under the posterior before asking
    float answer = 0;
};
std::vector<QuizStep> runQuiz(const ItemBank& items, const IdentityPrior& prior,
                              const std::vector<int>& candidates,
                              const std::vector<int>& categoryOfRow, int budget,
                              const std::function<float(int row)>& answer,
                              IdentityPosterior& posterior, std::uint64_t seed = 1);

} // namespace routerlab
