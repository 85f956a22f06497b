// Routers over the IRT fit (core/irt): each model's quality on a prompt predicted from its
// identity vector and the prompt's item parameters.
#include "irt/irt_evidence.h"
#include "irt/irt_model.h"
#include "irt/set_policy.h"
#include "routers/quality_predictors.h"
#include "routers/router_registry.h"

namespace routerlab {

namespace {

// One IRT fit per experiment and shape, shared by the routers that use it.
std::shared_ptr<const IrtModel> fittedIrt(const RoutingProblem& problem, int dimension, int epochs,
                                          std::uint64_t seed) {
    const QString key =
        QStringLiteral("irt-fit|d=%1|epochs=%2|seed=%3").arg(dimension).arg(epochs).arg(seed);
    return cachedTraining<IrtModel>(problem, key, [&] {
        const Eigen::MatrixXf& features = problem.features->matrix();
        IrtSettings settings;
        settings.dimension = dimension;
        settings.epochs = epochs;
        settings.finalRateShare = kRouterFinalRateShare;
        settings.seed = seed;
        auto irt = std::make_shared<IrtModel>(static_cast<int>(features.rows()),
                                              problem.modelCount(), settings);
        irt->fit(features, trainingObservations(problem));
        return std::shared_ptr<const IrtModel>(irt);
    });
}

std::unique_ptr<Router> makeIrtGreedy(const RoutingProblem& problem, int dimension, int epochs,
                                      std::uint64_t seed) {
    requireFeatures(problem, "irt-greedy");
    TrainedPredictor irt = irtPredictor(problem, dimension, epochs, seed);
    return std::make_unique<PredictedRewardRouter>(std::move(irt.predictions),
                                                   std::move(irt.predict));
}

struct TrainedSetPolicy {
    SetPolicy policy;
    std::shared_ptr<const IrtModel> irt;
    std::vector<ModelToken> tokens; // the problem's models, in its order
};

// Argmax of the set policy over the problem's models, for the preference of the run. The
// decision on a dataset prompt depends on nothing but the prompt and the preference, so the
// policy runs once over all of them per preference (batched, shared by the experiment's cells)
// and routing looks the answer up; only a prompt from outside (the proxy's) runs it alone.
class IrtBanditRouter : public Router {
public:
    IrtBanditRouter(const RoutingProblem& problem, std::shared_ptr<const TrainedSetPolicy> trained,
                    QString key)
        : problem_(problem), trained_(std::move(trained)), key_(std::move(key)) {}
    void reset(std::uint64_t) override {}
    Decision route(const Query& query, const RewardFunction& reward) override {
        const Eigen::MatrixXf& matrix = problem_.features->matrix();
        if (!query.features && query.row >= 0 && query.row < matrix.cols()) {
            const Eigen::MatrixXf& table = tableFor(reward);
            last_ = table.col(query.row);
        } else {
            const Eigen::VectorXf features = featuresOf(query, matrix);
            trained_->policy.forward(
                features, reward.weights(),
                SetPolicy::predictionInputs(*trained_->irt, features, trained_->tokens, reward),
                trace_);
            last_ = trace_.probability;
        }
        Eigen::Index best = 0;
        const double top = last_.maxCoeff(&best);
        return {static_cast<int>(best), top};
    }
    void observe(const Query&, int, const Feedback&) override {}
    std::vector<double> snapshot() const override {
        return {last_.data(), last_.data() + last_.size()};
    }

private:
    const Eigen::MatrixXf& tableFor(const RewardFunction& reward) {
        const Preference& w = reward.weights();
        if (!table_ || !(tableWeights_ == w)) {
            const QString key = QStringLiteral("%1|decisions|%2,%3,%4")
                                    .arg(key_)
                                    .arg(w.quality, 0, 'g', 17)
                                    .arg(w.cost, 0, 'g', 17)
                                    .arg(w.latency, 0, 'g', 17);
            table_ = cachedTraining<Eigen::MatrixXf>(problem_, key, [&] {
                return std::make_shared<const Eigen::MatrixXf>(
                    trained_->policy.probabilitiesForPrompts(
                        *trained_->irt, problem_.features->matrix(), trained_->tokens, reward));
            });
            tableWeights_ = w;
        }
        return *table_;
    }

    const RoutingProblem& problem_;
    std::shared_ptr<const TrainedSetPolicy> trained_;
    QString key_;
    std::shared_ptr<const Eigen::MatrixXf> table_; // models x prompts, for tableWeights_
    Preference tableWeights_;
    SetPolicy::Trace trace_;
    Eigen::VectorXf last_;
};

std::vector<ModelToken> modelTokens(const RoutingProblem& problem, const IrtModel& irt) {
    const QualityPredictions prices = emptyPredictions(problem);
    std::vector<ModelToken> tokens;
    for (int k = 0; k < problem.modelCount(); ++k)
        tokens.push_back({irt.identity(k), prices.meanCost[std::size_t(k)],
                          prices.meanLatency[std::size_t(k)], k});
    return tokens;
}

std::unique_ptr<Router> makeIrtBandit(const RoutingProblem& problem, int dimension,
                                      const SetPolicySettings& settings) {
    requireFeatures(problem, "irt-bandit");
    const QString key =
        QStringLiteral("irt-bandit|d=%1|hidden=%2|iterations=%3|synthetic=%4|seed=%5")
            .arg(dimension)
            .arg(settings.hidden)
            .arg(settings.iterations)
            .arg(settings.syntheticShare, 0, 'g', 17)
            .arg(settings.seed);
    const auto trained = cachedTraining<TrainedSetPolicy>(problem, key, [&] {
        auto t = std::make_shared<TrainedSetPolicy>();
        t->irt = fittedIrt(problem, dimension, 60, settings.seed);
        t->tokens = modelTokens(problem, *t->irt);
        t->policy = trainSetPolicy(problem, *t->irt, t->tokens, settings);
        return std::shared_ptr<const TrainedSetPolicy>(t);
    });
    return std::make_unique<IrtBanditRouter>(problem, trained, key);
}

} // namespace

TrainedPredictor irtPredictor(const RoutingProblem& problem, int dimension, int epochs,
                              std::uint64_t seed) {
    const QString key =
        QStringLiteral("irt-greedy|d=%1|epochs=%2|seed=%3").arg(dimension).arg(epochs).arg(seed);
    const auto irt = fittedIrt(problem, dimension, epochs, seed);
    const auto predictions = cachedTraining<QualityPredictions>(problem, key, [&] {
        const Eigen::MatrixXf& features = problem.features->matrix();
        auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
        for (Eigen::Index row = 0; row < features.cols(); ++row)
            p->quality.col(row) = irt->probabilities(features.col(row));
        return std::shared_ptr<const QualityPredictions>(p);
    });
    const Eigen::MatrixXf* features = &problem.features->matrix();
    return {predictions, [irt, features](const Query& q) {
                return irt->probabilities(featuresOf(q, *features));
            }};
}

void registerIrtRouters(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("irt-bandit"),
         QStringLiteral("A preference-conditioned policy over any set of models (IRT identity, "
                        "price and latency per model; self-attention across the set), trained "
                        "with PPO on the training split; any preference at run time."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline,
         {{QStringLiteral("dimension"), RouterParameter::Type::Integer, 8, 1, 64,
           QStringLiteral("Size of the IRT identity vectors.")},
          {QStringLiteral("hidden"), RouterParameter::Type::Integer, 32, 4, 256,
           QStringLiteral("Width of the policy's tokens.")},
          {QStringLiteral("iterations"), RouterParameter::Type::Integer, 100, 1, 10000,
           QStringLiteral("PPO rounds of 256 episodes.")},
          {QStringLiteral("synthetic"), RouterParameter::Type::Number, 0.0, 0.0, 1.0,
           QStringLiteral("Share of training episodes with a made-up model (experimental).")},
          trainingSeedParameter()},
         [](const RoutingProblem& p, const RouterParameters& params) {
             SetPolicySettings s;
             s.hidden = params.integer(QStringLiteral("hidden"));
             s.iterations = params.integer(QStringLiteral("iterations"));
             s.syntheticShare = params.number(QStringLiteral("synthetic"));
             s.seed = trainingSeed(params);
             return makeIrtBandit(p, params.integer(QStringLiteral("dimension")), s);
         }});
    registry.add(
        {QStringLiteral("irt-greedy"),
         QStringLiteral("Offline, full information: a variational IRT fit of model identities "
                        "and prompt item parameters predicts each model's quality; routes by "
                        "predicted reward (no exploration)."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline,
         {{QStringLiteral("dimension"), RouterParameter::Type::Integer, 8, 1, 64,
           QStringLiteral("Size of the identity vectors.")},
          {QStringLiteral("epochs"), RouterParameter::Type::Integer, 60, 1, 1000,
           QStringLiteral("Passes over the training answers.")},
          trainingSeedParameter()},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return makeIrtGreedy(p, params.integer(QStringLiteral("dimension")),
                                  params.integer(QStringLiteral("epochs")), trainingSeed(params));
         }});
}

} // namespace routerlab
