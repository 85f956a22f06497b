#pragma once

#include "irt/irt_model.h"
#include "irt/quiz.h"
#include "reward/preference.h"

#include <cstdint>
#include <vector>

namespace routerlab {

class QuizStudy;

// A quiz is the start of a new model's placement, not its end. The continuation routes the
// scored prompts in order with the new model among the known ones and keeps placing it: for each
// prompt it draws an identity from the current posterior (Thompson sampling, at a quarter of
// its spread), so an uncertain model gets traffic while it may be the best choice, and each
// answer the new model gives is scored and updates the posterior.
struct ContinuationSettings {
    int prompts = 500; // routed, from the start of the scored prompts
    Preference preference;
    std::uint64_t seed = 1;
};

// Rewards summed over the routed prompts. Regret is measured against routing with the new
// model's full-data identity on the same prompts: what the continuation gives up while it learns.
struct ContinuationOutcome {
    int routed = 0;
    int newModelAnswers = 0;  // prompts the continuation sent to the new model
    double reward = 0;        // the continuation's
    double fixedReward = 0;   // routing with the quizzed identity kept as it was
    double fullReward = 0;    // routing with the full-data identity
    double withoutReward = 0; // routing without the new model
    double regret() const { return fullReward - reward; }
    double fixedRegret() const { return fullReward - fixedReward; }
    // Share of the full-data gain the continuation recovers over the routed prompts; NaN when
    // the full-data identity gains nothing there.
    double recovery() const;
    IdentityPosterior placement; // after the last answer
};

// Continues a quiz of `steps` (its answers refit on the study's items). Needs the new model's
// records (the study's hasRecords()). `fixedChoices` (optional): the quizzed identity's choices
// on the scored prompts at the settings' preference (QuizOutcome::choices), saving their routing.
ContinuationOutcome continueQuiz(const QuizStudy& study, const std::vector<QuizStep>& steps,
                                 const ContinuationSettings& settings,
                                 const std::vector<int>* fixedChoices = nullptr);

} // namespace routerlab
