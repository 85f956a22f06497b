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
    constexpr int kContenders = 8;
    Random random(Random::mix(seed, 0x9a12));
    // Items of the candidates, computed once: the quiz re-scores them every round.
    std::vector<Eigen::VectorXf> alphas;
    std::vector<float> difficulties;
    for (const int row : candidates) {
        alphas.push_back(items.discrimination(row));
        difficulties.push_back(items.difficulty(row));
    }
    for (int round = 0; round < budget && round < int(candidates.size()); ++round) {
        // The answer to x shrinks the covariance by c S a a' S / (1 + c a' S a), c = p(1-p).
        // Scored by how much that lowers the predictive variance summed over every candidate
        // (M = sum of c_u a_u a_u'), not at x alone: prompts like many others teach more than
        // outliers with large discrimination, which a per-prompt criterion would favour.
        std::vector<double> weight(candidates.size());
        const Eigen::Index d = prior.mean.size();
        Eigen::MatrixXf population = Eigen::MatrixXf::Zero(d, d);
        for (std::size_t c = 0; c < candidates.size(); ++c) {
            const double p = logistic(double(alphas[c].dot(posterior.mean)) - difficulties[c]);
            weight[c] = p * (1 - p);
            population.noalias() += float(weight[c]) * alphas[c] * alphas[c].transpose();
        }
        // Only a few prompts, drawn at random from the least-asked category, compete on
        // information: the best prompt of the whole pool by that score is too often an
        // outlier the item model fits badly, and a quiz of such prompts places a model worse
        // than random ones (measured on the sample data).
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
            const Eigen::VectorXf spread = posterior.covariance * alphas[c];
            const double gain = weight[c] * double(spread.dot(population * spread)) /
                                (1.0 + weight[c] * double(alphas[c].dot(spread)));
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
        step.varianceReduction = best;
        step.predicted = items.probability(row, posterior.diagonal());
        step.answer = answer(row);
        asked.push_back(step);
        answers.emplace_back(row, step.answer);
        posterior = fitIdentity(items, answers, prior);
    }
    return asked;
}

} // namespace routerlab
