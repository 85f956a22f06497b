// LinUCB (Li, Chu, Langford, Schapire 2010, disjoint model): one ridge regression of reward on
// prompt features per model, chosen by the upper confidence bound theta.x + alpha *
// sqrt(x' A^-1 x). A^-1 is kept directly and updated by Sherman-Morrison, O(d^2) per step.
#include "routers/router_registry.h"

#include <stdexcept>

namespace routerlab {

namespace {

class LinUcbRouter : public Router {
public:
    LinUcbRouter(const RoutingProblem& problem, double alpha, double lambda)
        : features_(problem.features->matrix()), models_(problem.modelCount()), alpha_(alpha),
          lambda_(lambda) {}

    void reset(std::uint64_t) override {
        const int d = static_cast<int>(features_.rows());
        inverse_.assign(models_, Eigen::MatrixXf::Identity(d, d) / static_cast<float>(lambda_));
        b_.assign(models_, Eigen::VectorXf::Zero(d));
        theta_.assign(models_, Eigen::VectorXf::Zero(d));
    }
    Decision route(const Query& query, const RewardFunction&) override {
        const auto x = featuresOf(query, features_);
        int best = 0;
        double bestScore = -INFINITY;
        for (int k = 0; k < models_; ++k) {
            const double score =
                theta_[k].dot(x) + alpha_ * std::sqrt(std::max(0.0f, x.dot(inverse_[k] * x)));
            if (score > bestScore) {
                bestScore = score;
                best = k;
            }
        }
        return {best, std::nan("")};
    }
    void observe(const Query& query, int model, const Feedback& feedback) override {
        const auto x = featuresOf(query, features_);
        Eigen::MatrixXf& inverse = inverse_[model];
        const Eigen::VectorXf ax = inverse * x;
        inverse -= (ax * ax.transpose()) / (1.0f + x.dot(ax));
        b_[model] += static_cast<float>(feedback.reward) * x;
        theta_[model] = inverse * b_[model];
    }
    std::vector<double> snapshot() const override {
        std::vector<double> norms;
        for (const Eigen::VectorXf& t : theta_)
            norms.push_back(t.norm());
        return norms;
    }

private:
    const Eigen::MatrixXf& features_;
    int models_;
    double alpha_;
    double lambda_;
    std::vector<Eigen::MatrixXf> inverse_;
    std::vector<Eigen::VectorXf> b_;
    std::vector<Eigen::VectorXf> theta_;
};

} // namespace

void registerLinUcbRouter(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("linucb"),
         QStringLiteral("LinUCB contextual bandit over prompt features (one ridge model per LLM)."),
         Capability::LearnsOnline | Capability::NeedsFeatures,
         {{QStringLiteral("alpha"), RouterParameter::Type::Number, 0.3, 0.0, 10.0,
           QStringLiteral("Width of the confidence bonus.")},
          {QStringLiteral("lambda"), RouterParameter::Type::Number, 1.0, 1e-6, 1e6,
           QStringLiteral("Ridge regularisation.")}},
         [](const RoutingProblem& p, const RouterParameters& params) -> std::unique_ptr<Router> {
             if (!p.features)
                 throw std::invalid_argument("router 'linucb' needs prompt features");
             return std::make_unique<LinUcbRouter>(p, params.number(QStringLiteral("alpha")),
                                                   params.number(QStringLiteral("lambda")));
         }});
}

} // namespace routerlab
