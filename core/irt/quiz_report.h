#pragma once

#include "irt/quiz_adoption.h"
#include "irt/quiz_draws.h"
#include "irt/quiz_study.h"
#include "reward/preference.h"

#include <Eigen/Core>
#include <QJsonObject>
#include <QString>
#include <cstdint>
#include <functional>
#include <vector>

namespace routerlab {

class Dataset;

// One point of the budget curve: the means over its draws (quizzes of the same budget with
// other seeds; one without records). Routing figures are NaN for a model without records (no
// recorded outcomes to score against); identitySd is filled for both.
struct BudgetPoint {
    int budget = 0;
    double reward = 0;
    double recovery = 0;
    double predictionRecovery = 0;
    double identitySd = 0; // root of the identity's mean posterior variance
    // The online continuation over the first scored prompts (continueQuiz): its regret against
    // routing with the full-data identity, summed over them, the same for the quizzed identity
    // kept fixed, and the share of the full-data gain it recovers there. NaN without records.
    int continuationPrompts = 0;
    double continuationRegret = 0;
    double fixedRegret = 0;
    double continuationRecovery = 0;
    int draws = 1;
    // One value per draw, the first the quiz of the report's seed (quizDrawSeed for the rest).
    std::vector<double> rewardDraws, recoveryDraws, predictionRecoveryDraws;
    std::vector<double> continuationRegretDraws, fixedRegretDraws, continuationRecoveryDraws;
    // 95% intervals of the means over the draws; invalid with one draw.
    Interval rewardCi95, recoveryCi95, predictionRecoveryCi95;
    Interval continuationRegretCi95, fixedRegretCi95, continuationRecoveryCi95;
};

// A finished quiz and what judges it: the quiz of the chosen budget, the budget curve and the
// quizzed identity's predicted quality per category. The quiz command and the wizard build it
// alike and write it with quizReportJson().
struct QuizReport {
    QuizOutcome outcome;                         // the quiz of the chosen budget
    std::vector<BudgetPoint> curve;              // the budgets in the order asked, the chosen last
    std::vector<std::uint64_t> drawSeeds;        // the quiz seed of each draw
    double priorSd = 0;                          // identitySd before any answer
    std::vector<double> categoryQuality;         // the quizzed identity's, per category
    std::vector<double> recordedCategoryQuality; // the model's records; NaN without them
    // What the quizzed identity would do to routing across a cost sweep; empty without records.
    std::vector<AdoptionPoint> adoption;
};

// The budgets of the wizard's curve: 5, 10, 20, 30, 50, 100 up to `budget`, and `budget` itself.
std::vector<int> curveBudgets(int budget);

// Asks the quiz of `budgets.back()` prompts through `answer`, then draws the curve over
// `budgets`. With records each budget is `draws.draws` quizzes of its own (milliseconds each,
// the first of the chosen budget being the quiz asked through `answer`), run on
// `draws.threads` threads; without, a point is the first k answers of the one quiz, since
// asking again would pay again. `beforeEachPoint` runs before each quiz of the curve, possibly
// on a worker thread, and may throw to cancel.
QuizReport buildQuizReport(const QuizStudy& study, const Dataset& dataset,
                           const std::vector<int>& budgets,
                           const std::function<float(int row)>& answer, std::uint64_t seed = 1,
                           const std::function<void()>& beforeEachPoint = {},
                           const QuizDrawOptions& draws = {});

// Predicted P(answers well) of every known model, averaged over each category's prompts:
// categories x knownModels(); NaN for a category the problem does not use.
Eigen::MatrixXd knownCategoryQuality(const QuizStudy& study, const Dataset& dataset);

// What the report's JSON says beyond the figures: who was quizzed, and how.
struct QuizReportLabels {
    QString newModel;
    Preference preference;
    QJsonObject setup;           // the simulation setup's description
    QString baseUrl, scorer;     // an endpoint model's (the URL without secrets); empty otherwise
    std::uint64_t studySeed = 1; // QuizStudySettings::seed
};

// The one schema of a quiz report, written by `routerlab-cli quiz --json` and the wizard's Save
// Result: the chosen quiz (prompt_ids, steps, identity_quiz, routing_quiz, recovery,
// prediction_recovery), the study's bounds (identity_full, routing_full, routing_without and the
// log-likelihoods) and budget_curve, whose points are means over their draws with `_ci95`
// intervals and the per-draw values. Figures a model without records cannot have are null.
QJsonObject quizReportJson(const QuizReport& report, const QuizStudy& study, const Dataset& dataset,
                           const QuizReportLabels& labels);

} // namespace routerlab
