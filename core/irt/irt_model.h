#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

namespace routerlab {

// The IRT link, 1 / (1 + e^-z), without overflow.
inline double logistic(double z) {
    return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z));
}

// Evidence about models: a graded answer (score in [0, 1]; 0/1 correctness is the special
// case) or a pairwise preference on one prompt. `row` is a column of the feature matrix.
struct IrtObservation {
    int row = 0;
    int model = 0;
    float score = 0;
};
struct IrtComparison {
    int row = 0;
    int winner = 0;
    int loser = 0;
};

struct IrtSettings {
    int dimension = 8; // of the identity vectors
    int epochs = 60;
    // An epoch visits at most this many answers, freshly shuffled each time: on large data the
    // fit takes a fixed number of steps, not a number of passes (100,000 prompts of 8 models:
    // 3 passes' worth instead of 60, 11 times faster, with the same routing reward). The
    // shared datasets and the sample are below it.
    int epochAnswers = 40000;
    int batch = 256;
    float learningRate = 0.02f;
    // The rate falls along a half cosine to this share of itself by the last epoch (1: a
    // constant rate). The routers' fit falls to kRouterFinalRateShare; the quiz keeps a
    // constant rate, which its prior and item choice were measured with.
    float finalRateShare = 1.0f;
    // On the item maps, per observation. 1e-4 let the maps fit the training prompts' words so
    // closely that on RouterBench's test prompts the best model came first only 61% of the
    // time; 1e-3 also fits the sample's held-out answers better.
    float l2 = 1e-3f;
    std::uint64_t seed = 1;
};

// At a constant rate the fit ended wherever its last noisy steps left it: irt-greedy on ten
// 70/30 splits of RouterBench's training files at quality 0.8 / cost 0.2 gained +1.3 points on
// average, two splits below -2; with the rate falling to 5%, +2.2, none below +1.1.
inline constexpr float kRouterFinalRateShare = 0.05f;

// A model's identity: a diagonal Gaussian (variational fit) or a full one (a quizzed model's
// Laplace posterior, reduced to its diagonal for storage).
struct Identity {
    Eigen::VectorXf mean;
    Eigen::VectorXf variance;
};

// Variational item response theory over prompt features: model m has an identity
// theta_m ~ q = N(mu_m, diag sigma_m^2) under a standard normal prior; prompt x has
// discrimination alpha(x) = A e(x) + a0 and difficulty b(x) = w . e(x) + b0, affine in its
// features e(x);
//   P(m answers x well) = sigmoid(alpha(x) . theta_m - b(x)),
//   P(m preferred to m' on x) = sigmoid(alpha(x) . (theta_m - theta_m')).
// Graded scores are soft Bernoulli targets. fit() maximises the ELBO with one reparameterised
// sample per observation and Adam; deterministic for a seed.
class IrtModel {
public:
    IrtModel() = default;
    IrtModel(int featureDimension, int models, IrtSettings settings);

    // features: F x prompts (a column per row). `epochLoss` (optional) receives the negative
    // ELBO per observation after each epoch.
    void fit(const Eigen::MatrixXf& features, const std::vector<IrtObservation>& observations,
             const std::vector<IrtComparison>& comparisons = {},
             const std::function<void(int epoch, double loss)>& epochLoss = {});

    int dimension() const { return static_cast<int>(mean_.rows()); }
    int modelCount() const { return static_cast<int>(mean_.cols()); }
    int featureDimension() const { return static_cast<int>(discrimination_.cols()) - 1; }

    Eigen::VectorXf discrimination(const Eigen::VectorXf& features) const;
    float difficulty(const Eigen::VectorXf& features) const;
    // At the identity's mean, widened by its variance (the probit approximation), so an
    // uncertain model is predicted less confidently.
    double probability(const Eigen::VectorXf& features, const Identity& identity) const;
    double probability(const Eigen::VectorXf& features, int model) const {
        return probability(features, identity(model));
    }
    // The same from an item computed once (discrimination(), difficulty()).
    static double probability(const Eigen::VectorXf& discrimination, double difficulty,
                              const Identity& identity);
    // What routing goes by: the probability at a logit half a standard deviation (from the
    // identity's variance) below its mean. Routing takes the best of several estimates, so an
    // uncertain one that errs high wins traffic it does not deserve: a cheap model placed by a
    // 30-prompt quiz drew 61% of the sample's prompts at cost weight 0.5 and lost reward
    // there, while its full-data identity drew 21%. Models fitted on many answers are
    // barely affected.
    static double cautiousProbability(const Eigen::VectorXf& discrimination, double difficulty,
                                      const Identity& identity);
    static constexpr double kCaution = 0.5;
    // Every model's probability on one prompt (the item computed once).
    Eigen::VectorXf probabilities(const Eigen::VectorXf& features) const;

    Identity identity(int model) const;
    void setIdentity(int model, const Identity& identity);
    int addModel(const Identity& identity); // returns its index
    void removeModel(int model);

    // Mean Bernoulli log-likelihood per observation (soft targets), at the identities' means.
    double logLikelihood(const Eigen::MatrixXf& features,
                         const std::vector<IrtObservation>& observations) const;

private:
    IrtSettings settings_;
    Eigen::MatrixXf discrimination_; // A: d x (F + 1), the last column constant
    Eigen::VectorXf difficulty_;     // w: F + 1
    Eigen::MatrixXf mean_;           // d x M
    Eigen::MatrixXf logSd_;          // d x M
};

// The population of known identities as a prior for a new model: the mean of their means and
// the covariance of their means plus their mean variance (never singular).
struct IdentityPrior {
    Eigen::VectorXf mean;
    Eigen::MatrixXf covariance;
};
IdentityPrior populationPrior(const IrtModel& model);

// A new model's identity from its answers alone, the items fixed: the posterior mode under
// `prior` (Newton's method on the logistic likelihood) and its Laplace covariance.
struct IdentityPosterior {
    Eigen::VectorXf mean;
    Eigen::MatrixXf covariance;
    Identity diagonal() const { return {mean, covariance.diagonal()}; }
};
IdentityPosterior fitIdentity(const IrtModel& model, const Eigen::MatrixXf& features,
                              const std::vector<std::pair<int, float>>& answers,
                              const IdentityPrior& prior);
// The same from the answered prompts' items.
struct AnsweredItem {
    Eigen::VectorXf discrimination;
    double difficulty = 0;
    double score = 0;
};
IdentityPosterior fitIdentity(const std::vector<AnsweredItem>& answers, const IdentityPrior& prior);

} // namespace routerlab
