// A stacked router: the quality predictions of the offline routers (knn, the IRT fit, ridge
// regression) and the training mean, blended with non-negative weights. The weights are fitted
// by cross-validation inside the training part: each fold's prompts predicted by members
// trained on the other folds, so a member that only memorises its training prompts earns no
// weight. The members are then trained on every training prompt and blended with those weights.
#include "common/non_negative_least_squares.h"
#include "common/random.h"
#include "routers/quality_predictors.h"
#include "routers/router_registry.h"
#include "routing/familiarity_gate.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

struct StackSettings {
    int k = 100;
    int dimension = 8;
    int epochs = 60;
    double lambda = 1.0;
    int folds = 3;

    QString key() const {
        return QStringLiteral("stack|k=%1|d=%2|epochs=%3|lambda=%4|folds=%5")
            .arg(k)
            .arg(dimension)
            .arg(epochs)
            .arg(lambda, 0, 'g', 17)
            .arg(folds);
    }
};

// Deals the folds the weights are fitted over (the guard's own split is another).
constexpr std::uint64_t kWeightSeed = 2;

constexpr int kMemberCount = 3;

std::vector<TrainedPredictor> trainMembers(const RoutingProblem& problem, const StackSettings& s) {
    return {knnPredictor(problem, s.k, true, 0.0), irtPredictor(problem, s.dimension, s.epochs),
            ridgePredictor(problem, s.lambda)};
}

// The weights of the members and, last, of the constant training mean: least squares against the
// outcomes of every training row, predicted by members trained without its fold.
Eigen::VectorXd fitWeights(const RoutingProblem& problem, const StackSettings& settings) {
    const int n = kMemberCount + 1;
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(n, n);
    Eigen::VectorXd target = Eigen::VectorXd::Zero(n);
    Eigen::MatrixXd predicted(problem.modelCount(), n);
    Eigen::VectorXd outcome(problem.modelCount());
    for (const ValidationSplit& split : foldsForValidation(problem.trainingRows, settings.folds,
                                                           Random::mix(kWeightSeed, 0x57ac))) {
        TrainingCache cache;
        const RoutingProblem part = validationProblem(problem, split, &cache);
        const std::vector<TrainedPredictor> members = trainMembers(part, settings);
        const Eigen::VectorXd mean = meanQualityOn(part, part.trainingRows).cast<double>();
        for (const int row : part.scoredRows) {
            for (int j = 0; j < kMemberCount; ++j)
                predicted.col(j) = members[static_cast<std::size_t>(j)]
                                       .quality(Query{row, 0, nullptr, nullptr})
                                       .cast<double>();
            predicted.col(n - 1) = mean;
            for (int m = 0; m < problem.modelCount(); ++m) {
                const double q = (*problem.quality)(row, m);
                outcome[m] = std::isnan(q) ? 0.0 : q;
            }
            gram.noalias() += predicted.transpose() * predicted;
            target.noalias() += predicted.transpose() * outcome;
        }
    }
    return nonNegativeLeastSquares(gram, target);
}

struct StackState {
    std::vector<TrainedPredictor> members;
    Eigen::VectorXf mean;
    Eigen::VectorXf weights; // per member, then the mean's

    Eigen::VectorXf blend(const Query& query) const {
        Eigen::VectorXf q = weights[kMemberCount] * mean;
        for (int j = 0; j < kMemberCount; ++j)
            if (weights[j] > 0)
                q += weights[j] * members[static_cast<std::size_t>(j)].quality(query);
        return q;
    }
};

std::unique_ptr<Router> makeStack(const RoutingProblem& problem, const StackSettings& settings) {
    requireFeatures(problem, "stack");
    const auto state = cachedTraining<StackState>(problem, settings.key(), [&] {
        auto s = std::make_shared<StackState>();
        s->weights = fitWeights(problem, settings).cast<float>();
        s->members = trainMembers(problem, settings);
        s->mean = meanQualityOn(problem, problem.trainingRows);
        return std::shared_ptr<const StackState>(s);
    });
    const auto predictions =
        cachedTraining<QualityPredictions>(problem, settings.key() + QStringLiteral("|rows"), [&] {
            auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
            for (const int row : problem.scoredRows)
                p->quality.col(row) = state->blend(Query{row, 0, nullptr, nullptr});
            return std::shared_ptr<const QualityPredictions>(p);
        });
    return std::make_unique<PredictedRewardRouter>(
        predictions, [state](const Query& q) { return state->blend(q); });
}

} // namespace

void registerStackedRouter(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("stack"),
         QStringLiteral("Offline, full information: knn's, the IRT fit's and ridge regression's "
                        "quality predictions and the training mean, blended with non-negative "
                        "weights fitted on held-out training prompts; routes by predicted "
                        "reward."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline,
         {{QStringLiteral("k"), RouterParameter::Type::Integer, 100, 1, 10000,
           QStringLiteral("knn's neighbours per prompt.")},
          {QStringLiteral("dimension"), RouterParameter::Type::Integer, 8, 1, 64,
           QStringLiteral("Size of the IRT identity vectors.")},
          {QStringLiteral("epochs"), RouterParameter::Type::Integer, 60, 1, 1000,
           QStringLiteral("Passes of the IRT fit over the training answers.")},
          {QStringLiteral("lambda"), RouterParameter::Type::Number, 1.0, 1e-6, 1e6,
           QStringLiteral("Ridge regularisation.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             StackSettings s;
             s.k = params.integer(QStringLiteral("k"));
             s.dimension = params.integer(QStringLiteral("dimension"));
             s.epochs = params.integer(QStringLiteral("epochs"));
             s.lambda = params.number(QStringLiteral("lambda"));
             return makeStack(p, s);
         }});
}

} // namespace routerlab
