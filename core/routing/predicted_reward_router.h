#pragma once

#include "common/vector_state.h"
#include "routing/router.h"

#include <Eigen/Core>
#include <QString>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace routerlab {

// What routers that predict each model's quality share: the predictions (models x dataset
// rows; a NaN column is predicted on first use) and each model's mean cost and latency over
// the training rows.
struct QualityPredictions {
    Eigen::MatrixXf quality;
    std::vector<double> meanCost;
    std::vector<double> meanLatency;
};

// Quality of every model on a query: a dataset row not predicted yet, or a prompt outside the
// dataset (its features and terms).
using Predictor = std::function<Eigen::VectorXf(const Query&)>;

// A trained quality predictor: its predictions for the rows it computed ahead, and the
// predictor for any other query.
struct TrainedPredictor {
    std::shared_ptr<const QualityPredictions> predictions;
    Predictor predict;

    Eigen::VectorXf quality(const Query& query) const;
};

// Routes to the model with the best reward under the run's preference, from predicted quality
// and mean cost and latency. Learns nothing online. Its snapshot is the last prompt's
// predicted reward per model (the proxy's fallback order).
class PredictedRewardRouter : public Router {
public:
    PredictedRewardRouter(std::shared_ptr<const QualityPredictions> predictions, Predictor predict)
        : predictions_(std::move(predictions)), predict_(std::move(predict)) {}
    void reset(std::uint64_t) override {}
    Decision route(const Query& query, const RewardFunction& reward) override;
    void observe(const Query&, int, const Feedback&) override {}
    std::vector<double> snapshot() const override { return lastRewards_; }

private:
    std::shared_ptr<const QualityPredictions> predictions_;
    Predictor predict_;
    std::vector<double> lastRewards_;
};

// NaN predictions, and the models' mean cost and latency over the training rows.
QualityPredictions emptyPredictions(const RoutingProblem& problem);

// Trained once per experiment and key when the problem has a training cache, else now.
template <typename T>
std::shared_ptr<const T> cachedTraining(const RoutingProblem& problem, const QString& key,
                                        const std::function<std::shared_ptr<const T>()>& make) {
    const std::function<std::shared_ptr<const T>()> train = [&] {
        clearUpperVectorState(); // the key's hash may have left it set (common/vector_state.h)
        return make();
    };
    return problem.trainingCache ? problem.trainingCache->getOrCreate<T>(key, train) : train();
}

inline void requireFeatures(const RoutingProblem& problem, const char* router) {
    if (!problem.features)
        throw std::invalid_argument(std::string("router '") + router + "' needs prompt features");
}

} // namespace routerlab
