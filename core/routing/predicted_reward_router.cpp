#include "routing/predicted_reward_router.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

Decision PredictedRewardRouter::route(const Query& query, const RewardFunction& reward) {
    const QualityPredictions& p = *predictions_;
    Eigen::VectorXf q;
    if (!query.features)
        q = p.quality.col(query.row);
    if (query.features || std::isnan(q[0]))
        q = predict_(query);
    int best = 0;
    double bestReward = -INFINITY;
    lastRewards_.resize(static_cast<std::size_t>(q.size()));
    for (int k = 0; k < q.size(); ++k) {
        const double r = reward(std::clamp(static_cast<double>(q[k]), 0.0, 1.0), p.meanCost[k],
                                p.meanLatency[k]);
        lastRewards_[static_cast<std::size_t>(k)] = r;
        if (r > bestReward) {
            bestReward = r;
            best = k;
        }
    }
    return {best, std::nan("")};
}

Eigen::VectorXf TrainedPredictor::quality(const Query& query) const {
    if (!query.features) {
        Eigen::VectorXf q = predictions->quality.col(query.row);
        if (!std::isnan(q[0]))
            return q;
    }
    return predict(query);
}

QualityPredictions emptyPredictions(const RoutingProblem& problem) {
    QualityPredictions p;
    const int models = problem.modelCount();
    p.quality.setConstant(models, problem.quality->rows(), std::nanf(""));
    p.meanCost.assign(models, 0.0);
    p.meanLatency.assign(models, 0.0);
    for (int k = 0; k < models; ++k) {
        for (const int i : problem.trainingRows) {
            p.meanCost[k] += (*problem.cost)(i, k);
            p.meanLatency[k] += (*problem.latency)(i, k);
        }
        p.meanCost[k] /= std::max<std::size_t>(1, problem.trainingRows.size());
        p.meanLatency[k] /= std::max<std::size_t>(1, problem.trainingRows.size());
    }
    return p;
}

} // namespace routerlab
