// Reference points every routing result is read against: random choice, one fixed model, the
// cheapest and the most expensive model, and two hindsight routers that see the recorded
// outcomes (the best single model, and the per-prompt oracle: the upper bound).
#include "common/random.h"
#include "routers/router_registry.h"
#include "routing/familiarity_gate.h"

#include <stdexcept>

namespace routerlab {

namespace {

class RandomRouter : public Router {
public:
    explicit RandomRouter(int models) : models_(models), rng_(0) {}
    void reset(std::uint64_t seed) override { rng_ = Random(seed); }
    Decision route(const Query&, const RewardFunction&) override {
        return {rng_.uniformInt(models_), 1.0 / models_};
    }
    void observe(const Query&, int, const Feedback&) override {}

private:
    int models_;
    Random rng_;
};

// Always the same model: fixed, cheapest, priciest and best-single differ only in which.
class ConstantRouter : public Router {
public:
    explicit ConstantRouter(int model) : model_(model) {}
    void reset(std::uint64_t) override {}
    Decision route(const Query&, const RewardFunction&) override { return {model_, 1.0}; }
    void observe(const Query&, int, const Feedback&) override {}

private:
    int model_;
};

// Picks the model with the best mean reward over the scored rows under the query's
// preference; computed lazily per preference because the reward depends on it.
class BestSingleRouter : public Router {
public:
    explicit BestSingleRouter(const RoutingProblem& problem) : problem_(problem) {}
    void reset(std::uint64_t) override { cachedFor_ = Preference{-1, -1, -1}; }
    Decision route(const Query&, const RewardFunction& reward) override {
        if (!(cachedFor_ == reward.weights())) {
            cachedFor_ = reward.weights();
            best_ = bestSingleModel(problem_, reward);
        }
        return {best_, 1.0};
    }
    void observe(const Query&, int, const Feedback&) override {}

    static int bestSingleModel(const RoutingProblem& problem, const RewardFunction& reward) {
        return bestModelOn(problem, problem.scoredRows, reward);
    }

private:
    const RoutingProblem& problem_;
    Preference cachedFor_{-1, -1, -1};
    int best_ = 0;
};

// Per prompt, the model with the highest reward (ties: the cheaper one).
class OracleRouter : public Router {
public:
    explicit OracleRouter(const RoutingProblem& problem) : problem_(problem) {}
    void reset(std::uint64_t) override {}
    Decision route(const Query& query, const RewardFunction& reward) override {
        int best = 0;
        double bestReward = -INFINITY;
        for (int k = 0; k < problem_.modelCount(); ++k) {
            const double q = (*problem_.quality)(query.row, k);
            if (std::isnan(q))
                continue;
            const double r =
                reward(q, (*problem_.cost)(query.row, k), (*problem_.latency)(query.row, k));
            if (r > bestReward || (r == bestReward && (*problem_.cost)(query.row, k) <
                                                          (*problem_.cost)(query.row, best))) {
                bestReward = r;
                best = k;
            }
        }
        return {best, 1.0};
    }
    void observe(const Query&, int, const Feedback&) override {}

private:
    const RoutingProblem& problem_;
};

int extremeCostModel(const RoutingProblem& problem, bool cheapest) {
    int pick = 0;
    for (int k = 1; k < problem.modelCount(); ++k) {
        const bool better = cheapest ? problem.meanCost[k] < problem.meanCost[pick]
                                     : problem.meanCost[k] > problem.meanCost[pick];
        if (better)
            pick = k;
    }
    return pick;
}

} // namespace

int bestSingleModel(const RoutingProblem& problem, const RewardFunction& reward) {
    return BestSingleRouter::bestSingleModel(problem, reward);
}

void registerReferenceRouters(RouterRegistry& registry) {
    registry.add({QStringLiteral("random"),
                  QStringLiteral("Uniformly random model per query."),
                  Capability::ServesAnyPreference,
                  {},
                  [](const RoutingProblem& p, const RouterParameters&) {
                      return std::make_unique<RandomRouter>(p.modelCount());
                  }});
    registry.add(
        {QStringLiteral("fixed"),
         QStringLiteral("Always the named model."),
         Capability::ServesAnyPreference,
         {{QStringLiteral("model"), RouterParameter::Type::Text, QString(), 0, 0,
           QStringLiteral("Model name as in the dataset.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             const QString name = params.text(QStringLiteral("model"));
             const int k = static_cast<int>(p.modelNames.indexOf(name));
             if (k < 0)
                 throw std::invalid_argument(
                     QStringLiteral("router 'fixed': model '%1' is not in the dataset (%2)")
                         .arg(name, p.modelNames.join(QStringLiteral(", ")))
                         .toStdString());
             return std::make_unique<ConstantRouter>(k);
         }});
    registry.add({QStringLiteral("cheapest"),
                  QStringLiteral("Always the model with the lowest mean cost."),
                  Capability::ServesAnyPreference,
                  {},
                  [](const RoutingProblem& p, const RouterParameters&) {
                      return std::make_unique<ConstantRouter>(extremeCostModel(p, true));
                  }});
    registry.add({QStringLiteral("priciest"),
                  QStringLiteral("Always the model with the highest mean cost."),
                  Capability::ServesAnyPreference,
                  {},
                  [](const RoutingProblem& p, const RouterParameters&) {
                      return std::make_unique<ConstantRouter>(extremeCostModel(p, false));
                  }});
    registry.add(
        {QStringLiteral("best-single"),
         QStringLiteral("Hindsight: the one model with the best mean reward on the scored data."),
         Capability::ServesAnyPreference | Capability::Hindsight,
         {},
         [](const RoutingProblem& p, const RouterParameters&) {
             return std::make_unique<BestSingleRouter>(p);
         }});
    registry.add(
        {QStringLiteral("oracle"),
         QStringLiteral("Hindsight: per prompt the model with the best reward (upper bound)."),
         Capability::ServesAnyPreference | Capability::Hindsight | Capability::UpperBound,
         {},
         [](const RoutingProblem& p, const RouterParameters&) {
             return std::make_unique<OracleRouter>(p);
         }});
}

} // namespace routerlab
