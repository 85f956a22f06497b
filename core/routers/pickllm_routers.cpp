// PickLLM (Sikeridis, Ramdass, Pareek 2024, arXiv 2412.12170): per-session reinforcement
// learning over a weighted reward of accuracy, cost and latency, converging within a
// session to the model that serves it best. Two variants: a learning automaton updated by
// linear reward-inaction (gradient ascent), and stateless epsilon-greedy Q-learning.
#include "common/random.h"
#include "routers/router_registry.h"

#include <algorithm>

namespace routerlab {

namespace {

int argmax(const std::vector<double>& v) {
    return static_cast<int>(std::max_element(v.begin(), v.end()) - v.begin());
}

// Both PickLLM variants learn within a session and start over at the next one, unless told
// to carry what they learned across sessions.
class SessionRouter : public Router {
public:
    explicit SessionRouter(bool carryOver) : carryOver_(carryOver) {}
    void reset(std::uint64_t seed) override {
        rng_ = Random(seed);
        restart();
    }
    void startSession() override {
        if (!carryOver_)
            restart();
    }

protected:
    virtual void restart() = 0;
    Random rng_{0};

private:
    bool carryOver_;
};

// Keeps action probabilities p; samples a ~ p, then on reward beta in [0,1]:
// p_a += eta * beta * (1 - p_a), p_j -= eta * beta * p_j. Zero reward changes nothing.
class LearningAutomatonRouter : public SessionRouter {
public:
    LearningAutomatonRouter(int models, double eta, double threshold, bool carryOver)
        : SessionRouter(carryOver), models_(models), eta_(eta), threshold_(threshold) {}

    Decision route(const Query&, const RewardFunction&) override {
        const int top = top_;
        if (p_[top] >= threshold_)
            return {top, p_[top]}; // converged: exploit for the rest of the session
        double u = rng_.uniform();
        int a = 0;
        for (; a < models_ - 1; ++a) {
            u -= p_[a];
            if (u < 0)
                break;
        }
        return {a, p_[top]};
    }
    void observe(const Query&, int model, const Feedback& feedback) override {
        const double step = eta_ * feedback.normalisedReward;
        for (int j = 0; j < models_; ++j)
            p_[j] -= step * p_[j];
        p_[model] += step;
        // Every other probability shrank by the same factor, so their order holds: only the
        // rewarded model can take the lead.
        if (p_[model] > p_[top_])
            top_ = model;
    }
    std::vector<double> snapshot() const override { return p_; }

private:
    void restart() override {
        p_.assign(models_, 1.0 / models_);
        top_ = 0;
    }

    int models_;
    int top_ = 0;
    double eta_;
    double threshold_;
    std::vector<double> p_;
};

// One value per model, Q(a) += alpha * (R - Q(a)); epsilon-greedy with epsilon decaying per
// step. Converged once the greedy choice held for `patience` steps or epsilon reached its
// floor; from then on it exploits only.
class StatelessQRouter : public SessionRouter {
public:
    StatelessQRouter(int models, double alpha, double epsilon0, double decay, double floor,
                     int patience, bool carryOver)
        : SessionRouter(carryOver), models_(models), alpha_(alpha), epsilon0_(epsilon0),
          decay_(decay), floor_(floor), patience_(patience) {}

    Decision route(const Query&, const RewardFunction&) override {
        if (converged_)
            return {locked_, 1.0}; // the session's model from here on
        const int greedy = argmax(q_);
        if (rng_.uniform() >= epsilon_)
            return {greedy, 1.0 - epsilon_ + epsilon_ / models_};
        return {rng_.uniformInt(models_), 1.0 - epsilon_ + epsilon_ / models_};
    }
    void observe(const Query&, int model, const Feedback& feedback) override {
        // Sample average until 1/n falls below alpha: the first answers replace the
        // optimistic start instead of nudging it, so a single good answer cannot lock in.
        const double rate = std::max(alpha_, 1.0 / ++tries_[model]);
        q_[model] += rate * (feedback.reward - q_[model]);
        epsilon_ = std::max(floor_, epsilon_ * decay_);
        const int greedy = argmax(q_);
        stable_ = greedy == lastGreedy_ ? stable_ + 1 : 0;
        lastGreedy_ = greedy;
        if (!converged_ && (stable_ >= patience_ || epsilon_ <= floor_)) {
            converged_ = true;
            locked_ = greedy;
        }
    }
    std::vector<double> snapshot() const override { return q_; }

private:
    void restart() override {
        // Optimistic start: every model gets tried before the greedy choice settles.
        q_.assign(models_, 1.0);
        tries_.assign(models_, 0);
        epsilon_ = epsilon0_;
        stable_ = 0;
        lastGreedy_ = -1;
        converged_ = false;
    }

    int models_;
    double alpha_, epsilon0_, decay_, floor_;
    int patience_;
    std::vector<double> q_;
    std::vector<int> tries_;
    double epsilon_ = 0;
    int stable_ = 0;
    int lastGreedy_ = -1;
    bool converged_ = false;
    int locked_ = 0;
};

RouterParameter carryOverParameter() {
    return {
        QStringLiteral("carry_over"),
        RouterParameter::Type::Integer,
        0,
        0,
        1,
        QStringLiteral("1 keeps what was learned across sessions; 0 starts each session afresh.")};
}

} // namespace

void registerPickLlmRouters(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("pickllm-ga"),
         QStringLiteral(
             "PickLLM gradient ascent: a learning automaton (linear reward-inaction) per session."),
         Capability::LearnsOnline,
         {{QStringLiteral("eta"), RouterParameter::Type::Number, 0.1, 0.001, 1.0,
           QStringLiteral("Learning rate of the automaton.")},
          {QStringLiteral("threshold"), RouterParameter::Type::Number, 0.95, 0.5, 1.0,
           QStringLiteral("Probability at which the session is converged and exploits only.")},
          carryOverParameter()},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return std::make_unique<LearningAutomatonRouter>(
                 p.modelCount(), params.number(QStringLiteral("eta")),
                 params.number(QStringLiteral("threshold")),
                 params.integer(QStringLiteral("carry_over")) != 0);
         }});
    registry.add(
        {QStringLiteral("pickllm-q"),
         QStringLiteral("PickLLM stateless Q-learning: epsilon-greedy with decay, per session."),
         Capability::LearnsOnline,
         {{QStringLiteral("alpha"), RouterParameter::Type::Number, 0.1, 0.001, 1.0,
           QStringLiteral("Learning rate of the value update.")},
          {QStringLiteral("epsilon"), RouterParameter::Type::Number, 0.3, 0.0, 1.0,
           QStringLiteral("Initial exploration rate.")},
          {QStringLiteral("decay"), RouterParameter::Type::Number, 0.98, 0.5, 1.0,
           QStringLiteral("Exploration rate multiplier per step.")},
          {QStringLiteral("floor"), RouterParameter::Type::Number, 0.01, 0.0, 1.0,
           QStringLiteral("Lowest exploration rate; reaching it ends exploration.")},
          {QStringLiteral("patience"), RouterParameter::Type::Integer, 50, 1, 100000,
           QStringLiteral("Steps the greedy choice must hold to count as converged.")},
          carryOverParameter()},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return std::make_unique<StatelessQRouter>(
                 p.modelCount(), params.number(QStringLiteral("alpha")),
                 params.number(QStringLiteral("epsilon")), params.number(QStringLiteral("decay")),
                 params.number(QStringLiteral("floor")), params.integer(QStringLiteral("patience")),
                 params.integer(QStringLiteral("carry_over")) != 0);
         }});
}

} // namespace routerlab
