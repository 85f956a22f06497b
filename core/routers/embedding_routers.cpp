// Routers over prompt and model embeddings learned together (routers/prompt_model_embedding.h):
// matrix factorisation in RouteLLM's manner and contrastive training in RouterDC's. Both are
// trained offline with full information and route by predicted reward.
#include "routers/prompt_model_embedding.h"
#include "routers/quality_predictors.h"
#include "routers/router_registry.h"

namespace routerlab {

namespace {

using Objective = PromptModelEmbedding::Objective;

QString settingsKey(const PromptModelEmbedding::Settings& s) {
    QStringList rates;
    for (const float rate : s.learningRates)
        rates << QString::number(rate, 'g', 9);
    return QStringLiteral(
               "embedding|objective=%1|d=%2|epochs=%3|terms=%4|rates=%5|l2=%6|t=%7|seed=%8")
        .arg(s.objective == Objective::Pointwise ? 0 : 1)
        .arg(s.dimension)
        .arg(s.maxEpochs)
        .arg(s.useTerms)
        .arg(rates.join(QLatin1Char(',')))
        .arg(s.l2, 0, 'g', 9)
        .arg(s.temperature, 0, 'g', 9)
        .arg(s.seed);
}

const QString kDimension = QStringLiteral("dimension");
const QString kEpochs = QStringLiteral("epochs");
const QString kInput = QStringLiteral("input");

RouterParameter dimensionParameter() {
    return {kDimension, RouterParameter::Type::Integer,
            16,         1,
            128,        QStringLiteral("Size of the prompt and model vectors.")};
}
RouterParameter epochsParameter() {
    return {kEpochs,
            RouterParameter::Type::Integer,
            24,
            1,
            1000,
            QStringLiteral("Most passes over the training prompts; the number used is chosen "
                           "on a fifth of them held out.")};
}
RouterParameter inputParameter(const char* byDefault) {
    return {kInput,
            RouterParameter::Type::Text,
            QLatin1String(byDefault),
            0,
            0,
            QStringLiteral("terms: a learned vector per term of the prompt when the features have "
                           "terms (tfidf); features: a linear map of the feature vector."),
            {QStringLiteral("terms"), QStringLiteral("features")}};
}

PromptModelEmbedding::Settings settingsFrom(Objective objective, const RouterParameters& p) {
    PromptModelEmbedding::Settings s;
    s.objective = objective;
    s.dimension = p.integer(kDimension);
    s.maxEpochs = p.integer(kEpochs);
    s.useTerms = p.text(kInput) == QLatin1String("terms");
    s.seed = trainingSeed(p);
    return s;
}

std::unique_ptr<Router> makeEmbeddingRouter(const RoutingProblem& problem,
                                            const PromptModelEmbedding::Settings& settings,
                                            const char* name) {
    requireFeatures(problem, name);
    TrainedPredictor predictor = embeddingPredictor(problem, settings);
    return std::make_unique<PredictedRewardRouter>(std::move(predictor.predictions),
                                                   std::move(predictor.predict));
}

} // namespace

TrainedPredictor embeddingPredictor(const RoutingProblem& problem,
                                    const PromptModelEmbedding::Settings& settings) {
    const QString key = settingsKey(settings);
    const auto model =
        cachedTraining<PromptModelEmbedding>(problem, key + QStringLiteral("|fit"), [&] {
            return std::make_shared<const PromptModelEmbedding>(problem, settings);
        });
    const auto predictions = cachedTraining<QualityPredictions>(problem, key, [&] {
        auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
        for (const int row : problem.scoredRows)
            p->quality.col(row) = model->quality(Query{row, 0, nullptr, nullptr});
        return std::shared_ptr<const QualityPredictions>(p);
    });
    return {predictions, [model](const Query& q) { return model->quality(q); }};
}

void registerEmbeddingRouters(RouterRegistry& registry) {
    const Capabilities capabilities =
        Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline;
    registry.add({QStringLiteral("mf"),
                  QStringLiteral("Offline, full information: matrix factorisation (RouteLLM's "
                                 "manner): a model's chance of a good answer from the dot "
                                 "product of learned prompt and model vectors; routes by "
                                 "predicted reward."),
                  capabilities,
                  {dimensionParameter(), epochsParameter(), inputParameter("terms"),
                   trainingSeedParameter()},
                  [](const RoutingProblem& p, const RouterParameters& params) {
                      return makeEmbeddingRouter(p, settingsFrom(Objective::Pointwise, params),
                                                 "mf");
                  }});
    registry.add({QStringLiteral("routerdc"),
                  QStringLiteral("Offline, full information: prompt and model vectors trained "
                                 "contrastively (RouterDC's manner), a prompt drawn toward the "
                                 "models that answered it best; similarity mapped to quality "
                                 "per model; routes by predicted reward."),
                  capabilities,
                  // Over terms it fitted the sample's 1,100 training prompts too closely and
                  // routed below the best single model at quality 0.7 / cost 0.3.
                  {dimensionParameter(), epochsParameter(), inputParameter("features"),
                   trainingSeedParameter()},
                  [](const RoutingProblem& p, const RouterParameters& params) {
                      return makeEmbeddingRouter(p, settingsFrom(Objective::Contrastive, params),
                                                 "routerdc");
                  }});
}

} // namespace routerlab
