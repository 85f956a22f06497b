// Offline routers trained with full information (every model's outcome on every training
// prompt), the "strong offline routers" BaRP is compared with: a per-model ridge regression
// of quality on prompt features, and RouterBench's kNN router (mean quality of the k most
// similar training prompts, by cosine). Both route by the best predicted reward under the
// run's preference, from predicted quality and each model's mean cost and latency.
#include "routers/router_registry.h"
#include "routing/predicted_reward_router.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace routerlab {

namespace {

double qualityOrZero(const RoutingProblem& problem, int row, int model) {
    const double q = (*problem.quality)(row, model);
    return std::isnan(q) ? 0.0 : q;
}

// Ridge regression, one weight vector per model, solved together: (X X' + l I) W = X Q.
struct RidgeModel {
    Eigen::MatrixXf weights; // features x models
};

std::shared_ptr<const RidgeModel> fitRidge(const RoutingProblem& problem, double lambda) {
    const Eigen::MatrixXf& features = problem.features->matrix();
    const Eigen::Index d = features.rows();
    const int models = problem.modelCount();
    Eigen::MatrixXd gram = Eigen::MatrixXd::Identity(d, d) * lambda;
    Eigen::MatrixXd target = Eigen::MatrixXd::Zero(d, models);
    Eigen::MatrixXd x(d, static_cast<Eigen::Index>(problem.trainingRows.size()));
    Eigen::MatrixXd q(x.cols(), models);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const int row = problem.trainingRows[static_cast<std::size_t>(j)];
        x.col(j) = features.col(row).cast<double>();
        for (int k = 0; k < models; ++k)
            q(j, k) = qualityOrZero(problem, row, k);
    }
    gram.selfadjointView<Eigen::Lower>().rankUpdate(x);
    target.noalias() = x * q;
    auto model = std::make_shared<RidgeModel>();
    model->weights = gram.selfadjointView<Eigen::Lower>().llt().solve(target).cast<float>();
    return model;
}

struct NeighbourIndex {
    Eigen::MatrixXf normalised; // features x training prompts, unit columns
    std::vector<int> rows;      // dataset row of each column
};

std::shared_ptr<const NeighbourIndex> buildNeighbourIndex(const RoutingProblem& problem) {
    const Eigen::MatrixXf& features = problem.features->matrix();
    auto index = std::make_shared<NeighbourIndex>();
    index->rows = problem.trainingRows;
    index->normalised.resize(features.rows(), static_cast<Eigen::Index>(index->rows.size()));
    for (std::size_t j = 0; j < index->rows.size(); ++j)
        index->normalised.col(static_cast<Eigen::Index>(j)) =
            features.col(index->rows[j]).normalized();
    return index;
}

// Mean quality over the k most similar training prompts, the prompt itself left out (so a
// run scored on its training prompts does not read its own answers).
Eigen::VectorXf neighbourQuality(const RoutingProblem& problem, const NeighbourIndex& index,
                                 const Eigen::VectorXf& similarity, int row, int k) {
    std::vector<int> order(index.rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::erase_if(order, [&](int j) { return index.rows[static_cast<std::size_t>(j)] == row; });
    const int take = std::min<int>(k, static_cast<int>(order.size()));
    std::partial_sort(order.begin(), order.begin() + take, order.end(), [&](int a, int b) {
        return similarity[a] > similarity[b] || (similarity[a] == similarity[b] && a < b);
    });
    Eigen::VectorXf q = Eigen::VectorXf::Zero(problem.modelCount());
    for (int n = 0; n < take; ++n)
        for (int m = 0; m < problem.modelCount(); ++m)
            q[m] += static_cast<float>(
                qualityOrZero(problem, index.rows[static_cast<std::size_t>(order[n])], m));
    return take > 0 ? Eigen::VectorXf(q / static_cast<float>(take)) : q;
}

std::unique_ptr<Router> makeQualityRegression(const RoutingProblem& problem, double lambda) {
    requireFeatures(problem, "quality-regression");
    const QString key = QStringLiteral("quality-regression|lambda=%1").arg(lambda, 0, 'g', 17);
    const auto ridge = cachedTraining<RidgeModel>(problem, key + QStringLiteral("|weights"),
                                                  [&] { return fitRidge(problem, lambda); });
    const auto predictions = cachedTraining<QualityPredictions>(problem, key, [&] {
        auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
        p->quality.noalias() = ridge->weights.transpose() * problem.features->matrix();
        return std::shared_ptr<const QualityPredictions>(p);
    });
    return std::make_unique<PredictedRewardRouter>(
        predictions, Predictor(), [ridge](const Eigen::Ref<const Eigen::VectorXf>& x) {
            return Eigen::VectorXf(ridge->weights.transpose() * x);
        });
}

std::unique_ptr<Router> makeKnn(const RoutingProblem& problem, int k) {
    requireFeatures(problem, "knn");
    const auto index = cachedTraining<NeighbourIndex>(problem, QStringLiteral("knn-index"),
                                                      [&] { return buildNeighbourIndex(problem); });
    // Every scored prompt's prediction at once: one matrix product instead of one per step.
    const auto predictions =
        cachedTraining<QualityPredictions>(problem, QStringLiteral("knn|k=%1").arg(k), [&] {
            auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
            const Eigen::MatrixXf& features = problem.features->matrix();
            const std::vector<int>& scored = problem.scoredRows;
            const Eigen::Index chunk = 256;
            for (std::size_t start = 0; start < scored.size(); start += chunk) {
                const Eigen::Index n =
                    std::min<Eigen::Index>(chunk, static_cast<Eigen::Index>(scored.size() - start));
                Eigen::MatrixXf queries(features.rows(), n);
                for (Eigen::Index j = 0; j < n; ++j)
                    queries.col(j) = features.col(scored[start + j]).normalized();
                const Eigen::MatrixXf similarity = index->normalised.transpose() * queries;
                for (Eigen::Index j = 0; j < n; ++j)
                    p->quality.col(scored[start + j]) =
                        neighbourQuality(problem, *index, similarity.col(j), scored[start + j], k);
            }
            return std::shared_ptr<const QualityPredictions>(p);
        });
    const RoutingProblem* problemPointer = &problem;
    return std::make_unique<PredictedRewardRouter>(
        predictions,
        [problemPointer, index, k](int row) {
            const Eigen::VectorXf query = problemPointer->features->matrix().col(row).normalized();
            const Eigen::VectorXf similarity = index->normalised.transpose() * query;
            return neighbourQuality(*problemPointer, *index, similarity, row, k);
        },
        [problemPointer, index, k](const Eigen::Ref<const Eigen::VectorXf>& x) {
            const Eigen::VectorXf similarity = index->normalised.transpose() * x.normalized();
            return neighbourQuality(*problemPointer, *index, similarity, -1, k);
        });
}

} // namespace

void registerOfflineRouters(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("quality-regression"),
         QStringLiteral("Offline, full information: ridge regression of each model's quality on "
                        "prompt features; routes by predicted reward."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline,
         {{QStringLiteral("lambda"), RouterParameter::Type::Number, 1.0, 1e-6, 1e6,
           QStringLiteral("Ridge regularisation.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return makeQualityRegression(p, params.number(QStringLiteral("lambda")));
         }});
    registry.add(
        {QStringLiteral("knn"),
         QStringLiteral("Offline, full information: mean quality of the k most similar "
                        "training prompts (cosine); routes by predicted reward."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline,
         {{QStringLiteral("k"), RouterParameter::Type::Integer, 10, 1, 10000,
           QStringLiteral("Neighbours per prompt.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return makeKnn(p, params.integer(QStringLiteral("k")));
         }});
}

} // namespace routerlab
