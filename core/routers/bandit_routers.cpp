// Classic multi-armed bandits, the comparison points of the routing papers: epsilon-greedy,
// UCB1 (Auer et al. 2002) and Thompson sampling with Beta posteriors over the reward mapped
// onto [0, 1]. They learn across the whole run (no per-session reset).
#include "common/random.h"
#include "routers/router_registry.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

class EpsilonGreedyRouter : public Router {
public:
    EpsilonGreedyRouter(int models, double epsilon) : models_(models), epsilon_(epsilon), rng_(0) {}
    void reset(std::uint64_t seed) override {
        rng_ = Random(seed);
        mean_.assign(models_, 0.0);
        count_.assign(models_, 0);
    }
    Decision route(const Query&, const RewardFunction&) override {
        for (int k = 0; k < models_; ++k)
            if (count_[k] == 0)
                return {k, 1.0 / models_}; // try every model once
        if (rng_.uniform() < epsilon_)
            return {rng_.uniformInt(models_), epsilon_ / models_};
        const int best =
            static_cast<int>(std::max_element(mean_.begin(), mean_.end()) - mean_.begin());
        return {best, 1.0 - epsilon_ + epsilon_ / models_};
    }
    void observe(const Query&, int model, const Feedback& feedback) override {
        ++count_[model];
        mean_[model] += (feedback.reward - mean_[model]) / count_[model];
    }
    std::vector<double> snapshot() const override { return mean_; }

private:
    int models_;
    double epsilon_;
    Random rng_;
    std::vector<double> mean_;
    std::vector<long long> count_;
};

class Ucb1Router : public Router {
public:
    Ucb1Router(int models, double exploration) : models_(models), c_(exploration) {}
    void reset(std::uint64_t) override {
        mean_.assign(models_, 0.0);
        count_.assign(models_, 0);
        total_ = 0;
    }
    Decision route(const Query&, const RewardFunction&) override {
        for (int k = 0; k < models_; ++k)
            if (count_[k] == 0)
                return {k, std::nan("")};
        const double logTotal = std::log(static_cast<double>(total_));
        int best = 0;
        double bestScore = -INFINITY;
        for (int k = 0; k < models_; ++k) {
            const double score = mean_[k] + c_ * std::sqrt(2.0 * logTotal / count_[k]);
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return {best, static_cast<double>(count_[best]) / total_};
    }
    void observe(const Query&, int model, const Feedback& feedback) override {
        ++count_[model];
        ++total_;
        mean_[model] += (feedback.normalisedReward - mean_[model]) / count_[model];
    }
    std::vector<double> snapshot() const override { return mean_; }

private:
    int models_;
    double c_;
    std::vector<double> mean_;
    std::vector<long long> count_;
    long long total_ = 0;
};

// Beta(1,1) priors; a reward beta in [0,1] counts as a Bernoulli success with probability
// beta (the usual extension of Beta-Bernoulli Thompson sampling to bounded rewards).
class ThompsonRouter : public Router {
public:
    explicit ThompsonRouter(int models) : models_(models), rng_(0) {}
    void reset(std::uint64_t seed) override {
        rng_ = Random(seed);
        alpha_.assign(models_, 1.0);
        beta_.assign(models_, 1.0);
    }
    Decision route(const Query&, const RewardFunction&) override {
        int best = 0;
        double bestDraw = -1;
        for (int k = 0; k < models_; ++k) {
            const double x = sampleGamma(alpha_[k]);
            const double draw = x / (x + sampleGamma(beta_[k]));
            if (draw > bestDraw) {
                bestDraw = draw;
                best = k;
            }
        }
        return {best, alpha_[best] / (alpha_[best] + beta_[best])};
    }
    void observe(const Query&, int model, const Feedback& feedback) override {
        if (rng_.uniform() < feedback.normalisedReward)
            alpha_[model] += 1;
        else
            beta_[model] += 1;
    }
    std::vector<double> snapshot() const override {
        std::vector<double> means(models_);
        for (int k = 0; k < models_; ++k)
            means[k] = alpha_[k] / (alpha_[k] + beta_[k]);
        return means;
    }

private:
    // Marsaglia and Tsang's method, from our portable uniforms and normals.
    double sampleGamma(double shape) {
        if (shape < 1.0)
            return sampleGamma(shape + 1.0) * std::pow(rng_.uniform() + 1e-300, 1.0 / shape);
        const double d = shape - 1.0 / 3.0;
        const double c = 1.0 / std::sqrt(9.0 * d);
        for (;;) {
            double x, v;
            do {
                x = rng_.normal();
                v = 1.0 + c * x;
            } while (v <= 0);
            v = v * v * v;
            const double u = rng_.uniform();
            if (u < 1.0 - 0.0331 * x * x * x * x ||
                std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v)))
                return d * v;
        }
    }

    int models_;
    Random rng_;
    std::vector<double> alpha_;
    std::vector<double> beta_;
};

} // namespace

void registerBanditRouters(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("epsilon-greedy"),
         QStringLiteral("Epsilon-greedy bandit over models, learning across the whole run."),
         Capability::LearnsOnline,
         {{QStringLiteral("epsilon"), RouterParameter::Type::Number, 0.1, 0.0, 1.0,
           QStringLiteral("Probability of a random model.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return std::make_unique<EpsilonGreedyRouter>(p.modelCount(),
                                                          params.number(QStringLiteral("epsilon")));
         }});
    registry.add(
        {QStringLiteral("ucb1"),
         QStringLiteral("UCB1 bandit: mean reward plus an exploration bonus."),
         Capability::LearnsOnline,
         {{QStringLiteral("c"), RouterParameter::Type::Number, 0.25, 0.0, 10.0,
           QStringLiteral("Scale of the exploration bonus. Reward gaps between models are "
                          "small on the [0,1] scale, so the textbook 1.0 explores for long.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return std::make_unique<Ucb1Router>(p.modelCount(),
                                                 params.number(QStringLiteral("c")));
         }});
    registry.add({QStringLiteral("thompson"),
                  QStringLiteral("Thompson sampling with Beta posteriors."),
                  Capability::LearnsOnline,
                  {},
                  [](const RoutingProblem& p, const RouterParameters&) {
                      return std::make_unique<ThompsonRouter>(p.modelCount());
                  }});
}

} // namespace routerlab
