#include "irt/quiz_study.h"

#include "irt/irt_evidence.h"
#include "reward/reward_function.h"
#include "routing/predicted_reward_router.h"
#include "routing/router.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

// Shares of the preparation, measured on the sample data: the fit and the policy's training
// take about as long (on RouterBench the fit two thirds).
constexpr double kFitShare = 0.5;

} // namespace

QuizStudy::QuizStudy(const RoutingProblem& problem, int newModel, const Preference& preference,
                     const QuizStudySettings& settings, const std::function<void(double)>& progress)
    : problem_(problem), newModel_(newModel), preference_(preference) {
    const Eigen::MatrixXf& features = problem.features->matrix();
    IrtSettings irtSettings;
    irtSettings.dimension = settings.dimension;
    irtSettings.seed = settings.seed;
    const int knownCount = problem.modelCount() - (hasRecords() ? 1 : 0);
    known_ = IrtModel(int(features.rows()), knownCount, irtSettings);
    const std::vector<IrtObservation> observations = trainingObservations(problem, newModel);
    known_.fit(features, observations, {}, [&](int epoch, double) {
        if (progress)
            progress(kFitShare * (epoch + 1) / irtSettings.epochs);
    });
    items_ = ItemBank(known_, features, observations);
    for (int k = 0; k < problem.modelCount(); ++k)
        if (k != newModel)
            knownColumns_.push_back(k);
    const IdentityPrior population = populationPrior(known_);
    prior_ = population;
    prior_.covariance *= float(settings.newModelSpread);

    // Prices and latencies as the policy sees them, from the training rows.
    const QualityPredictions prices = emptyPredictions(problem);
    meanCost_ = prices.meanCost;
    meanLatency_ = prices.meanLatency;
    for (int j = 0; j < known_.modelCount(); ++j) {
        const int k = knownColumns_[std::size_t(j)];
        knownTokens_.push_back(
            {known_.identity(j), meanCost_[std::size_t(k)], meanLatency_[std::size_t(k)], k});
    }
    SetPolicySettings policySettings = settings.policy;
    policySettings.seed = settings.seed;
    policy_ = trainSetPolicy(problem, known_, knownTokens_, policySettings, [&](int round, double) {
        if (progress)
            progress(kFitShare + (1 - kFitShare) * (round + 1) / settings.policy.iterations);
    });
    without_ = route(nullptr, preference_, &choicesWithout_);
    if (!hasRecords())
        return;
    std::vector<std::pair<int, float>> allAnswers;
    for (const int row : problem.trainingRows) {
        const double q = (*problem.quality)(row, newModel);
        if (!std::isnan(q))
            allAnswers.emplace_back(row, float(q));
    }
    full_ = fitIdentity(known_, features, allAnswers, population).diagonal();
    withFull_ = route(&full_, preference_, &choicesWithFull_);
    priorLogLikelihood_ = heldOutLogLikelihood({population.mean, population.covariance.diagonal()});
    fullLogLikelihood_ = heldOutLogLikelihood(full_);
}

float QuizStudy::recordedAnswer(int row) const {
    const double q = (*problem_.quality)(row, newModel_);
    return float(std::isnan(q) ? 0.0 : q);
}

std::vector<ModelToken> QuizStudy::tokensWith(const Identity* identity) const {
    std::vector<ModelToken> tokens = knownTokens_;
    if (identity)
        tokens.push_back({*identity, meanCost_[std::size_t(newModel_)],
                          meanLatency_[std::size_t(newModel_)], newModel_});
    return tokens;
}

int QuizStudy::chooseAmong(int row, const std::vector<ModelToken>& tokens,
                           const RewardFunction& reward, const Preference& preference) const {
    const auto features = problem_.features->matrix().col(row);
    SetPolicy::Trace trace;
    policy_.forward(features, preference,
                    SetPolicy::predictionInputs(known_, features, tokens, reward), trace);
    Eigen::Index pick = 0;
    trace.probability.maxCoeff(&pick);
    return tokens[std::size_t(pick)].column;
}

int QuizStudy::choose(int row, const Identity* identity, const Preference& preference) const {
    return chooseAmong(row, tokensWith(identity),
                       RewardFunction(problem_.rewardKind, problem_.scales, preference),
                       preference);
}

double QuizStudy::recordedReward(int row, int model, const Preference& preference) const {
    return recordedReward(row, model,
                          RewardFunction(problem_.rewardKind, problem_.scales, preference));
}

double QuizStudy::recordedReward(int row, int model, const RewardFunction& reward) const {
    const double q = (*problem_.quality)(row, model);
    const double quality = std::isnan(q) ? 0.0 : q; // a missing answer counts as a failure
    return reward(quality, (*problem_.cost)(row, model), (*problem_.latency)(row, model));
}

QuizRouting QuizStudy::route(const Identity* identity, const Preference& preference,
                             std::vector<int>* choices) const {
    constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
    if (identity && !hasRecords())
        return {kUnknown, kUnknown, kUnknown, kUnknown};
    // Built once for all the prompts: routing the scored prompts is the quiz's hot loop.
    const std::vector<ModelToken> tokens = tokensWith(identity);
    const RewardFunction reward(problem_.rewardKind, problem_.scales, preference);
    QuizRouting f;
    for (const int row : problem_.scoredRows) {
        const int chosen = chooseAmong(row, tokens, reward, preference);
        if (choices)
            choices->push_back(chosen);
        const double q = (*problem_.quality)(row, chosen);
        f.quality += std::isnan(q) ? 0.0 : q;
        f.costUsd += (*problem_.cost)(row, chosen);
        f.reward += recordedReward(row, chosen, reward);
        f.newModelShare += identity && chosen == newModel_;
    }
    const double n = double(std::max<std::size_t>(1, problem_.scoredRows.size()));
    f.quality /= n;
    f.costUsd /= n;
    f.reward /= n;
    f.newModelShare /= n;
    return f;
}

double QuizStudy::heldOutLogLikelihood(const Identity& identity) const {
    if (!hasRecords())
        return std::numeric_limits<double>::quiet_NaN();
    const Eigen::MatrixXf& features = problem_.features->matrix();
    double sum = 0;
    int n = 0;
    for (const int row : problem_.scoredRows) {
        const double y = (*problem_.quality)(row, newModel_);
        if (std::isnan(y))
            continue;
        const double p =
            std::clamp(known_.probability(features.col(row), identity), 1e-9, 1 - 1e-9);
        sum += y * std::log(p) + (1 - y) * std::log1p(-p);
        ++n;
    }
    return n ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

QuizOutcome QuizStudy::quiz(int budget, const std::vector<int>& categoryOfRow,
                            const std::function<float(int)>& answer, std::uint64_t seed) const {
    IdentityPosterior posterior;
    std::vector<QuizStep> steps = runQuiz(items_, prior_, problem_.trainingRows, categoryOfRow,
                                          budget, answer, posterior, seed);
    return judge(std::move(steps), posterior.diagonal());
}

QuizOutcome QuizStudy::judge(std::vector<QuizStep> steps, const Identity& identity) const {
    QuizOutcome outcome;
    outcome.steps = std::move(steps);
    outcome.identity = identity;
    outcome.routing = route(&outcome.identity, preference_, &outcome.choices);
    if (!hasRecords())
        return outcome;
    const double gain = withFull_.reward - without_.reward;
    if (gain > 1e-12)
        outcome.recovery = (outcome.routing.reward - without_.reward) / gain;
    outcome.logLikelihood = heldOutLogLikelihood(outcome.identity);
    outcome.predictionRecovery =
        (outcome.logLikelihood - priorLogLikelihood_) / (fullLogLikelihood_ - priorLogLikelihood_);
    return outcome;
}

} // namespace routerlab
