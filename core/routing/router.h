#pragma once

#include "features/prompt_features.h"
#include "reward/reward_function.h"
#include "routing/training_cache.h"

#include <Eigen/Core>
#include <QStringList>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace routerlab {

// What every router may know about the problem before the first query: the models, their
// typical cost, and, for the hindsight reference routers only, the outcome matrices.
struct RoutingProblem {
    QStringList modelNames;
    std::vector<double> meanCost; // USD per call, per model, over the training rows
    const Eigen::MatrixXd* quality = nullptr;
    const Eigen::MatrixXd* cost = nullptr;
    const Eigen::MatrixXd* latency = nullptr;
    std::vector<int> trainingRows;
    std::vector<int> scoredRows; // the rows a run is scored on (hindsight routers use them)
    // The category (task family) of every dataset row; null when unknown.
    const std::vector<int>* rowCategory = nullptr;
    // Prompt features for contextual routers (computed on first use): column = prompt row.
    const PromptFeatures* features = nullptr;
    RewardKind rewardKind = RewardKind::PickLlm;
    RewardScales scales;
    // Shared trained state for routers that pre-train; null outside an experiment.
    TrainingCache* trainingCache = nullptr;

    int modelCount() const { return static_cast<int>(modelNames.size()); }
};

struct Query {
    int row = 0;      // prompt row in the dataset
    int category = 0; // index into the dataset's categories
    // A prompt that is not a row of the dataset (a request to the routing proxy): its features
    // from the problem's fitted featurizer, which contextual routers read instead of row's.
    // Routers that need a row (the hindsight references) refuse such a query.
    const Eigen::VectorXf* features = nullptr;
    // Its sparse terms, beside `features`, when the featurizer has terms.
    const SparseTerms* terms = nullptr;
};

// The query's features: its own, else its row's column of `matrix` (features x rows).
inline Eigen::Ref<const Eigen::VectorXf> featuresOf(const Query& query,
                                                    const Eigen::MatrixXf& matrix) {
    if (query.features)
        return *query.features;
    return matrix.col(query.row);
}

struct Decision {
    int model = 0;
    // The probability (or normalised score) behind the choice; NaN when the router has none.
    double topProbability = std::numeric_limits<double>::quiet_NaN();
};

// Bandit feedback: the outcome of the chosen model only.
struct Feedback {
    double quality = 0;
    double cost = 0;
    double latency = 0;
    double reward = 0;
    double normalisedReward = 0; // reward mapped onto [0, 1]
};

// One routing strategy. The simulation and the live runner drive every router through this
// interface alone; routers cannot tell a replayed outcome from a live one.
class Router {
public:
    virtual ~Router() = default;
    // Start of a run: forget everything learned, reseed.
    virtual void reset(std::uint64_t seed) = 0;
    // Start of a session of related queries; per-session routers start over here.
    virtual void startSession() {}
    virtual Decision route(const Query& query, const RewardFunction& reward) = 0;
    virtual void observe(const Query& query, int model, const Feedback& feedback) = 0;
    // The router's internals for plots: selection probabilities, values or scores per model.
    virtual std::vector<double> snapshot() const { return {}; }
};

} // namespace routerlab
