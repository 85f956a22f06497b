#include "irt/quiz_continuation.h"

#include "common/random.h"
#include "irt/item_bank.h"
#include "irt/quiz_study.h"
#include "routing/router.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace routerlab {

double ContinuationOutcome::recovery() const {
    const double gain = fullReward - withoutReward;
    return gain > 1e-12 ? (reward - withoutReward) / gain
                        : std::numeric_limits<double>::quiet_NaN();
}

namespace {

// Draws at a quarter of the posterior's spread. Over the first 500 scored prompts after
// 30-prompt quizzes, summed over a five-point cost sweep, the full spread explored cheap models
// so much that the continuation recovered less of the gain than the fixed identity (sample 44%
// against 50%, RouterBench 20% against 43%); a quarter recovers 44% and 70%, losing at most
// 0.0026 reward per prompt on models that bring no gain (development measurement,
// routerlab-bench-quiz-recovery).
constexpr double kDrawSpread = 0.25;

// A draw from N(mean, kDrawSpread^2 covariance); the covariance's square root from its LLT (made
// positive definite by a small ridge, as a Laplace covariance can be nearly singular in float).
Eigen::VectorXf drawIdentity(const IdentityPosterior& posterior, Random& random) {
    const Eigen::Index d = posterior.mean.size();
    const Eigen::MatrixXd covariance =
        posterior.covariance.cast<double>() + 1e-9 * Eigen::MatrixXd::Identity(d, d);
    const Eigen::LLT<Eigen::MatrixXd> root(covariance);
    Eigen::VectorXd noise(d);
    for (Eigen::Index k = 0; k < d; ++k)
        noise[k] = random.normal();
    return (posterior.mean.cast<double>() + kDrawSpread * (Eigen::MatrixXd(root.matrixL()) * noise))
        .cast<float>();
}

// The posterior after one more answer, by a single Newton step from the current one (the
// online Laplace update): a full refit per answer made the quiz command's continuations cost
// more than the rest of it.
void addAnswer(IdentityPosterior& posterior, const Eigen::VectorXf& discrimination,
               double difficulty, double answer) {
    const Eigen::VectorXd a = discrimination.cast<double>();
    Eigen::MatrixXd covariance = posterior.covariance.cast<double>();
    Eigen::VectorXd mean = posterior.mean.cast<double>();
    const double p = logistic(a.dot(mean) - difficulty);
    const double weight = p * (1 - p);
    const Eigen::VectorXd spread = covariance * a;
    covariance -= (weight / (1.0 + weight * a.dot(spread))) * spread * spread.transpose();
    mean += covariance * a * (answer - p);
    posterior.mean = mean.cast<float>();
    posterior.covariance = covariance.cast<float>();
}

// The model routing picks for each of the first `count` scored prompts, from the study's cache
// when the preference is the study's.
std::vector<int> choices(const QuizStudy& study, const Identity* identity,
                         const std::vector<int>& cached, const Preference& preference, int count) {
    if (preference == study.preference() && int(cached.size()) >= count)
        return {cached.begin(), cached.begin() + count};
    std::vector<int> out;
    for (int t = 0; t < count; ++t)
        out.push_back(
            study.choose(study.problem().scoredRows[std::size_t(t)], identity, preference));
    return out;
}

} // namespace

ContinuationOutcome continueQuiz(const QuizStudy& study, const std::vector<QuizStep>& steps,
                                 const ContinuationSettings& settings,
                                 const std::vector<int>* fixedChoices) {
    if (!study.hasRecords())
        throw std::invalid_argument("the continuation scores the new model's recorded answers");
    std::vector<std::pair<int, float>> answers;
    for (const QuizStep& step : steps)
        answers.emplace_back(step.row, step.answer);
    ContinuationOutcome out;
    out.placement = fitIdentity(study.items(), answers, study.prior());
    const Identity fixed = out.placement.diagonal();
    const int newModel = study.newModel();
    const Preference& preference = settings.preference;
    Random random(Random::mix(settings.seed, 0xc0a7));
    const std::vector<int>& rows = study.problem().scoredRows;
    const int count = std::min<int>(settings.prompts, int(rows.size()));
    const std::vector<int> full =
        choices(study, &study.fullIdentity(), study.choicesWithFullIdentity(), preference, count);
    const std::vector<int> without =
        choices(study, nullptr, study.choicesWithout(), preference, count);
    const Eigen::MatrixXf& features = study.problem().features->matrix();
    for (int t = 0; t < count; ++t) {
        const int row = rows[std::size_t(t)];
        // The drawn identity routes as a point: its uncertainty is in the draw.
        const Identity drawn{drawIdentity(out.placement, random),
                             Eigen::VectorXf::Zero(out.placement.mean.size())};
        const int chosen = study.choose(row, &drawn, preference);
        out.reward += study.recordedReward(row, chosen, preference);
        const int fixedChoice = fixedChoices && int(fixedChoices->size()) > t
                                    ? (*fixedChoices)[std::size_t(t)]
                                    : study.choose(row, &fixed, preference);
        out.fixedReward += study.recordedReward(row, fixedChoice, preference);
        out.fullReward += study.recordedReward(row, full[std::size_t(t)], preference);
        out.withoutReward += study.recordedReward(row, without[std::size_t(t)], preference);
        ++out.routed;
        if (chosen != newModel)
            continue;
        ++out.newModelAnswers;
        const auto x = features.col(row);
        addAnswer(out.placement, study.knownModels().discrimination(x),
                  study.knownModels().difficulty(x), study.recordedAnswer(row));
    }
    return out;
}

} // namespace routerlab
