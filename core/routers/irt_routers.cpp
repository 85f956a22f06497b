// Routers over the IRT fit (core/irt): each model's quality on a prompt predicted from its
// identity vector and the prompt's item parameters.
#include "irt/irt_evidence.h"
#include "irt/irt_model.h"
#include "routers/predicted_reward_router.h"
#include "routers/router_registry.h"

namespace routerlab {

namespace {

std::unique_ptr<Router> makeIrtGreedy(const RoutingProblem& problem, int dimension, int epochs) {
    requireFeatures(problem, "irt-greedy");
    const QString key = QStringLiteral("irt-greedy|d=%1|epochs=%2").arg(dimension).arg(epochs);
    const auto predictions = cachedTraining<QualityPredictions>(problem, key, [&] {
        const Eigen::MatrixXf& features = problem.features->matrix();
        IrtSettings settings;
        settings.dimension = dimension;
        settings.epochs = epochs;
        IrtModel irt(static_cast<int>(features.rows()), problem.modelCount(), settings);
        irt.fit(features, trainingObservations(problem));
        auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
        for (Eigen::Index row = 0; row < features.cols(); ++row)
            p->quality.col(row) = irt.probabilities(features.col(row));
        return std::shared_ptr<const QualityPredictions>(p);
    });
    return std::make_unique<PredictedRewardRouter>(predictions, Predictor());
}

} // namespace

void registerIrtRouters(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("irt-greedy"),
         QStringLiteral("Offline, full information: a variational IRT fit of model identities "
                        "and prompt item parameters predicts each model's quality; routes by "
                        "predicted reward (no exploration)."),
         {{QStringLiteral("dimension"), RouterParameter::Type::Integer, 8, 1, 64,
           QStringLiteral("Size of the identity vectors.")},
          {QStringLiteral("epochs"), RouterParameter::Type::Integer, 60, 1, 1000,
           QStringLiteral("Passes over the training answers.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return makeIrtGreedy(p, params.integer(QStringLiteral("dimension")),
                                  params.integer(QStringLiteral("epochs")));
         }});
}

} // namespace routerlab
