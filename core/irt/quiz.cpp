#include "irt/quiz.h"

#include "common/random.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace routerlab {

std::vector<QuizStep> runQuiz(const ItemBank& items, const IdentityPrior& prior,
                              const std::vector<int>& candidates,
                              const std::vector<int>& categoryOfRow, int budget,
                              const std::function<float(int)>& answer, IdentityPosterior& posterior,
                              std::uint64_t seed) {
    posterior = {prior.mean, prior.covariance};
    std::vector<QuizStep> asked;
    std::vector<std::pair<int, float>> answers;
    std::vector<char> used(candidates.size(), 0);
    std::vector<int> askedInCategory;
    auto categoryOf = [&](int row) {
        return row < int(categoryOfRow.size()) ? categoryOfRow[row] : 0;
    };
    auto askedIn = [&](int category) {
        return category < int(askedInCategory.size()) ? askedInCategory[category] : 0;
    };
    constexpr int kContenders = 256;
    Random random(Random::mix(seed, 0x9a12));
    // Items of the candidates, computed once: the quiz re-scores them every round.
    std::vector<Eigen::VectorXf> alphas, predictedAlphas;
    std::vector<float> difficulties, predictedDifficulties;
    for (const int row : candidates) {
        alphas.push_back(items.discrimination(row));
        difficulties.push_back(items.difficulty(row));
        predictedAlphas.push_back(items.predictedDiscrimination(row));
        predictedDifficulties.push_back(items.predictedDifficulty(row));
    }
    for (int round = 0; round < budget && round < int(candidates.size()); ++round) {
        // Routing weighs the new model against the others by how well it answers the prompts
        // it would take, so the quiz aims at its level: g . theta, g the gradient of its
        // predicted accuracy summed over the candidates (at the items routing reads). The
        // answer to x shrinks the covariance by c S a a' S / (1 + c a' S a), c = p(1-p), so
        // the variance of the level by c (g' S a)^2 / (1 + c a' S a). Lowering the predictive
        // variance summed over every prompt instead spread the answers over directions routing
        // barely reads: on RouterBench 30-prompt quizzes recovered 43% of the routing gain
        // against 63% now (routerlab-bench-quiz-recovery, 20 or more draws; the sample 46%
        // against 53%).
        const Eigen::Index d = prior.mean.size();
        Eigen::VectorXf level = Eigen::VectorXf::Zero(d);
        for (std::size_t c = 0; c < candidates.size(); ++c) {
            const double p =
                logistic(double(predictedAlphas[c].dot(posterior.mean)) - predictedDifficulties[c]);
            level += float(p * (1 - p)) * predictedAlphas[c];
        }
        const Eigen::VectorXf levelSpread = posterior.covariance * level;
        // What a step reports: the share of the level's variance its answer removes, the same
        // for every prompt of a round up to this factor, so the choice does not depend on it.
        const double levelVariance = std::max(double(level.dot(levelSpread)), 1e-30);
        // Contenders drawn from the least-asked category, so the quiz spreads over the
        // categories and each draw of a quiz asks its own prompts.
        int rarest = std::numeric_limits<int>::max();
        for (std::size_t c = 0; c < candidates.size(); ++c)
            if (!used[c])
                rarest = std::min(rarest, askedIn(categoryOf(candidates[c])));
        std::vector<std::size_t> pool;
        for (std::size_t c = 0; c < candidates.size(); ++c)
            if (!used[c] && askedIn(categoryOf(candidates[c])) == rarest)
                pool.push_back(c);
        double best = -1;
        std::size_t pick = pool.front();
        const int contenders = std::min<int>(kContenders, int(pool.size()));
        for (int draw = 0; draw < kContenders && !pool.empty(); ++draw) {
            const std::size_t slot = static_cast<std::size_t>(random.uniformInt(int(pool.size())));
            const std::size_t c = pool[slot];
            pool[slot] = pool.back();
            pool.pop_back();
            const double p =
                logistic(double(alphas[c].dot(posterior.mean)) - double(difficulties[c]));
            const double weight = p * (1 - p);
            const double along = double(levelSpread.dot(alphas[c]));
            const double gain =
                weight * along * along /
                (1.0 + weight * double(alphas[c].dot(posterior.covariance * alphas[c])));
            if (gain > best) {
                best = gain;
                pick = c;
            }
        }
        used[pick] = 1;
        const int row = candidates[pick];
        const int category = categoryOf(row);
        if (category >= int(askedInCategory.size()))
            askedInCategory.resize(category + 1, 0);
        ++askedInCategory[category];
        QuizStep step;
        step.row = row;
        step.category = category;
        step.contenders = contenders;
        step.varianceReduction = best / levelVariance;
        step.predicted = items.probability(row, posterior.diagonal());
        step.answer = answer(row);
        asked.push_back(step);
        answers.emplace_back(row, step.answer);
        posterior = fitIdentity(items, answers, prior);
    }
    return asked;
}

} // namespace routerlab
