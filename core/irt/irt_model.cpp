#include "irt/irt_model.h"

#include "common/random.h"
#include "common/vector_state.h"
#include "nn/adam_optimizer.h"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace routerlab {

namespace {

// log p for y = 1 and log(1 - p) for y = 0, from the logit, without overflow.
double logSigmoid(double z) {
    return z >= 0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z));
}

double softLogLikelihood(double z, double y) {
    return y * logSigmoid(z) + (1.0 - y) * logSigmoid(-z);
}

} // namespace

IrtModel::IrtModel(int featureDimension, int models, IrtSettings settings) : settings_(settings) {
    if (featureDimension < 1 || models < 1 || settings.dimension < 1)
        throw std::invalid_argument("an IRT model needs features, models and a dimension");
    Random random(Random::mix(settings.seed, 0x1f7));
    const int d = settings.dimension;
    // One column more than the features: the item maps' constant terms, the part of every
    // item the prompt's words do not explain (without it a prompt of unseen words would tell
    // the models apart by nothing).
    discrimination_.resize(d, featureDimension + 1);
    for (Eigen::Index i = 0; i < discrimination_.size(); ++i)
        discrimination_.data()[i] = static_cast<float>(random.normal(0, 0.3));
    difficulty_ = Eigen::VectorXf::Zero(featureDimension + 1);
    mean_.resize(d, models);
    for (Eigen::Index i = 0; i < mean_.size(); ++i)
        mean_.data()[i] = static_cast<float>(random.normal(0, 0.1));
    logSd_ = Eigen::MatrixXf::Constant(d, models, -1.0f);
}

namespace {

// fit()'s stochastic gradient of the negative ELBO, a minibatch at a time: each item draws its
// models' identities by reparameterisation (theta = mu + sd * eps) and adds its gradient, scaled
// to the minibatch, to the parameters'. The items' discriminations and the item maps' gradient
// are one matrix product each over the minibatch's prompts (one small product per item was
// most of the fit's time with 512 word features).
class ElboGradient {
public:
    ElboGradient(Parameter& a, Parameter& w, Parameter& mu, Parameter& logSd, Random& random,
                 Eigen::Index featureCount, Eigen::Index batch)
        : a_(a), w_(w), mu_(mu), logSd_(logSd), random_(random), eps_(mu.value.rows()),
          epsWinner_(mu.value.rows()), thetaA_(mu.value.rows()), thetaB_(mu.value.rows()),
          prompts_(featureCount + 1, batch), alphaGradient_(mu.value.rows(), batch),
          difficultyGradient_(batch) {
        prompts_.row(featureCount).setOnes();
    }

    // The minibatch's prompts (features and the constant 1), one per item, and their items.
    void startBatch(const Eigen::MatrixXf& features, const std::vector<int>& rows) {
        n_ = static_cast<Eigen::Index>(rows.size());
        for (Eigen::Index j = 0; j < n_; ++j)
            prompts_.col(j).head(features.rows()) = features.col(rows[std::size_t(j)]);
        alpha_.noalias() = a_.value * prompts_.leftCols(n_);
        difficulty_.noalias() = prompts_.leftCols(n_).transpose() * w_.value.col(0);
        sd_ = logSd_.value.array().exp();
    }

    void finishBatch() {
        a_.gradient.noalias() += alphaGradient_.leftCols(n_) * prompts_.leftCols(n_).transpose();
        w_.gradient.col(0).noalias() -= prompts_.leftCols(n_) * difficultyGradient_.head(n_);
    }

    // Item j of the minibatch; each returns the item's log-likelihood at the drawn identities.
    double addGraded(Eigen::Index j, const IrtObservation& o, float scale) {
        const auto alpha = alpha_.col(j);
        sample(o.model, thetaA_);
        const double z = double(alpha.dot(thetaA_)) - double(difficulty_[j]);
        const double logLikelihood = softLogLikelihood(z, o.score);
        const float g = static_cast<float>(logistic(z) - o.score) * scale;
        alphaGradient_.col(j) = g * thetaA_;
        difficultyGradient_[j] = g;
        mu_.gradient.col(o.model) += g * alpha;
        logSd_.gradient.col(o.model).array() +=
            g * alpha.array() * eps_.array() * sd_.col(o.model).array();
        return logLikelihood;
    }

    double addComparison(Eigen::Index j, const IrtComparison& c, float scale) {
        const auto alpha = alpha_.col(j);
        sample(c.winner, thetaA_);
        epsWinner_ = eps_;
        sample(c.loser, thetaB_);
        const double z = double(alpha.dot(thetaA_ - thetaB_));
        const double logLikelihood = logSigmoid(z);
        const float g = static_cast<float>(logistic(z) - 1.0) * scale;
        alphaGradient_.col(j) = g * (thetaA_ - thetaB_);
        difficultyGradient_[j] = 0;
        mu_.gradient.col(c.winner) += g * alpha;
        mu_.gradient.col(c.loser) -= g * alpha;
        logSd_.gradient.col(c.winner).array() +=
            g * alpha.array() * epsWinner_.array() * sd_.col(c.winner).array();
        logSd_.gradient.col(c.loser).array() -=
            g * alpha.array() * eps_.array() * sd_.col(c.loser).array();
        return logLikelihood;
    }

private:
    void sample(int m, Eigen::VectorXf& theta) {
        for (Eigen::Index k = 0; k < eps_.size(); ++k)
            eps_[k] = static_cast<float>(random_.normal());
        theta = mu_.value.col(m) + sd_.col(m).cwiseProduct(eps_);
    }

    Parameter& a_;
    Parameter& w_;
    Parameter& mu_;
    Parameter& logSd_;
    Random& random_;
    Eigen::VectorXf eps_, epsWinner_, thetaA_, thetaB_;
    Eigen::MatrixXf prompts_;                         // (F + 1) x batch
    Eigen::MatrixXf alpha_, alphaGradient_;           // d x batch
    Eigen::VectorXf difficulty_, difficultyGradient_; // batch
    Eigen::MatrixXf sd_;                              // the identities' spreads, d x M
    Eigen::Index n_ = 0;
};

// KL(q || N(0, I)) of all identities.
double identityKl(const Parameter& mu, const Parameter& logSd) {
    return 0.5 * ((2.0f * logSd.value.array()).exp() + mu.value.array().square() - 1.0f -
                  2.0f * logSd.value.array())
                     .sum();
}

} // namespace

void IrtModel::fit(const Eigen::MatrixXf& features, const std::vector<IrtObservation>& observations,
                   const std::vector<IrtComparison>& comparisons,
                   const std::function<void(int, double)>& epochLoss) {
    if (features.rows() != featureDimension())
        throw std::invalid_argument("the features do not match the IRT model's dimension");
    const std::size_t total = observations.size() + comparisons.size();
    if (total == 0)
        return;
    Parameter a{QStringLiteral("discrimination"), discrimination_, {}};
    Parameter w{QStringLiteral("difficulty"), difficulty_, {}};
    Parameter mu{QStringLiteral("identity_mean"), mean_, {}};
    Parameter logSd{QStringLiteral("identity_log_sd"), logSd_, {}};
    const ParameterList parameters{&a, &w, &mu, &logSd};
    zeroGradients(parameters);
    for (Parameter* p : parameters)
        p->gradient.setZero(p->value.rows(), p->value.cols());
    AdamOptimizer adam(parameters, {settings_.learningRate, 0.9f, 0.999f, 1e-8f});

    // Items of both kinds in one shuffled order: index < observations.size() is a graded
    // answer, the rest comparisons.
    std::vector<std::size_t> order(total);
    std::iota(order.begin(), order.end(), std::size_t{0});
    const auto rowOf = [&](std::size_t item) {
        return item < observations.size() ? observations[item].row
                                          : comparisons[item - observations.size()].row;
    };
    for (std::size_t item = 0; item < total; ++item)
        if (rowOf(item) < 0 || rowOf(item) >= features.cols())
            throw std::out_of_range("an IRT item outside the features' prompts");
    Random random(Random::mix(settings_.seed, 0x5eed));
    const double perItem = 1.0 / static_cast<double>(total);
    ElboGradient elbo(a, w, mu, logSd, random, features.rows(), settings_.batch);
    std::vector<int> rows;

    for (int epoch = 0; epoch < settings_.epochs; ++epoch) {
        const double progress = double(epoch) / double(settings_.epochs);
        const double share = settings_.finalRateShare + (1.0 - settings_.finalRateShare) * 0.5 *
                                                            (1.0 + std::cos(M_PI * progress));
        adam.setLearningRate(static_cast<float>(settings_.learningRate * share));
        const std::size_t visited =
            shuffleFront(order, std::size_t(std::max(1, settings_.epochAnswers)), random);
        double epochNll = 0;
        for (std::size_t start = 0; start < visited;
             start += static_cast<std::size_t>(settings_.batch)) {
            const std::size_t end = std::min(visited, start + std::size_t(settings_.batch));
            const float scale = 1.0f / static_cast<float>(end - start);
            zeroGradients(parameters);
            rows.clear();
            for (std::size_t j = start; j < end; ++j)
                rows.push_back(rowOf(order[j]));
            elbo.startBatch(features, rows);
            clearUpperVectorState();
            for (std::size_t j = start; j < end; ++j) {
                const std::size_t item = order[j];
                const auto inBatch = static_cast<Eigen::Index>(j - start);
                epochNll -= item < observations.size()
                                ? elbo.addGraded(inBatch, observations[item], scale)
                                : elbo.addComparison(
                                      inBatch, comparisons[item - observations.size()], scale);
            }
            elbo.finishBatch();
            // KL(q || N(0, I)) and the item maps' weight decay, per item of the whole set.
            const float kl = static_cast<float>(perItem);
            mu.gradient += kl * mu.value;
            logSd.gradient += kl * ((2.0f * logSd.value.array()).exp() - 1.0f).matrix();
            a.gradient += settings_.l2 * a.value;
            w.gradient += settings_.l2 * w.value;
            adam.step();
        }
        if (epochLoss)
            epochLoss(epoch, epochNll / double(visited) + identityKl(mu, logSd) * perItem);
    }
    discrimination_ = a.value;
    difficulty_ = w.value.col(0);
    mean_ = mu.value;
    logSd_ = logSd.value;
}

Eigen::VectorXf IrtModel::discrimination(const Eigen::VectorXf& features) const {
    const Eigen::Index f = features.size();
    return discrimination_.leftCols(f) * features + discrimination_.col(f);
}

float IrtModel::difficulty(const Eigen::VectorXf& features) const {
    const Eigen::Index f = features.size();
    return difficulty_.head(f).dot(features) + difficulty_[f];
}

double IrtModel::probability(const Eigen::VectorXf& features, const Identity& identity) const {
    return probability(discrimination(features), difficulty(features), identity);
}

namespace {

// The logit at the identity's mean and its variance under the identity's (diagonal) spread.
std::pair<double, double> logitAndVariance(const Eigen::VectorXf& alpha, double difficulty,
                                           const Identity& identity) {
    return {double(alpha.dot(identity.mean)) - difficulty,
            double(alpha.array().square().matrix().dot(identity.variance))};
}

} // namespace

double IrtModel::probability(const Eigen::VectorXf& alpha, double difficulty,
                             const Identity& identity) {
    const auto [z, variance] = logitAndVariance(alpha, difficulty, identity);
    // E[logistic(z + noise)] ~ logistic(z / sqrt(1 + pi * var / 8)).
    return logistic(z / std::sqrt(1.0 + M_PI * variance / 8.0));
}

double IrtModel::cautiousProbability(const Eigen::VectorXf& alpha, double difficulty,
                                     const Identity& identity) {
    const auto [z, variance] = logitAndVariance(alpha, difficulty, identity);
    return logistic(z - kCaution * std::sqrt(variance));
}

Eigen::VectorXf IrtModel::probabilities(const Eigen::VectorXf& features) const {
    const Eigen::VectorXf alpha = discrimination(features);
    const Eigen::VectorXf alphaSquared = alpha.array().square();
    const double b = difficulty(features);
    Eigen::VectorXf p(modelCount());
    for (int m = 0; m < modelCount(); ++m) {
        const double z = double(alpha.dot(mean_.col(m))) - b;
        const double variance =
            double(alphaSquared.dot((2.0f * logSd_.col(m).array()).exp().matrix()));
        p[m] = static_cast<float>(logistic(z / std::sqrt(1.0 + M_PI * variance / 8.0)));
    }
    return p;
}

Identity IrtModel::identity(int model) const {
    return {mean_.col(model), (2.0f * logSd_.col(model).array()).exp().matrix()};
}

void IrtModel::setIdentity(int model, const Identity& identity) {
    mean_.col(model) = identity.mean;
    logSd_.col(model) = (0.5f * identity.variance.array().max(1e-12f).log()).matrix();
}

int IrtModel::addModel(const Identity& identity) {
    const Eigen::Index m = mean_.cols();
    mean_.conservativeResize(Eigen::NoChange, m + 1);
    logSd_.conservativeResize(Eigen::NoChange, m + 1);
    setIdentity(static_cast<int>(m), identity);
    return static_cast<int>(m);
}

void IrtModel::removeModel(int model) {
    const Eigen::Index m = mean_.cols();
    if (model < 0 || model >= m)
        throw std::out_of_range("no such model in the IRT fit");
    for (Eigen::Index k = model; k + 1 < m; ++k) {
        mean_.col(k) = mean_.col(k + 1);
        logSd_.col(k) = logSd_.col(k + 1);
    }
    mean_.conservativeResize(Eigen::NoChange, m - 1);
    logSd_.conservativeResize(Eigen::NoChange, m - 1);
}

double IrtModel::logLikelihood(const Eigen::MatrixXf& features,
                               const std::vector<IrtObservation>& observations) const {
    if (observations.empty())
        return 0;
    double sum = 0;
    for (const IrtObservation& o : observations) {
        const double p = std::clamp(probability(features.col(o.row), o.model), 1e-9, 1 - 1e-9);
        sum += o.score * std::log(p) + (1.0 - o.score) * std::log1p(-p);
    }
    return sum / static_cast<double>(observations.size());
}

IdentityPrior populationPrior(const IrtModel& model) {
    const int d = model.dimension();
    const int m = model.modelCount();
    IdentityPrior prior;
    prior.mean = Eigen::VectorXf::Zero(d);
    Eigen::VectorXf meanVariance = Eigen::VectorXf::Zero(d);
    for (int k = 0; k < m; ++k) {
        const Identity id = model.identity(k);
        prior.mean += id.mean / float(m);
        meanVariance += id.variance / float(m);
    }
    prior.covariance = meanVariance.asDiagonal();
    for (int k = 0; k < m && m > 1; ++k) {
        const Eigen::VectorXf centred = model.identity(k).mean - prior.mean;
        prior.covariance += centred * centred.transpose() / float(m - 1);
    }
    prior.covariance += 1e-3f * Eigen::MatrixXf::Identity(d, d);
    return prior;
}

IdentityPosterior fitIdentity(const IrtModel& model, const Eigen::MatrixXf& features,
                              const std::vector<std::pair<int, float>>& answers,
                              const IdentityPrior& prior) {
    std::vector<AnsweredItem> items;
    items.reserve(answers.size());
    for (const auto& [row, score] : answers)
        items.push_back(
            {model.discrimination(features.col(row)), model.difficulty(features.col(row)), score});
    return fitIdentity(items, prior);
}

IdentityPosterior fitIdentity(const std::vector<AnsweredItem>& answers,
                              const IdentityPrior& prior) {
    const Eigen::MatrixXd precision = prior.covariance.cast<double>().inverse();
    const Eigen::VectorXd mean0 = prior.mean.cast<double>();
    std::vector<Eigen::VectorXd> alphas;
    for (const AnsweredItem& a : answers)
        alphas.push_back(a.discrimination.cast<double>());
    Eigen::VectorXd theta = mean0;
    Eigen::MatrixXd hessian = precision; // of the negative log posterior
    for (int iteration = 0; iteration < 50; ++iteration) {
        Eigen::VectorXd gradient = precision * (theta - mean0);
        hessian = precision;
        for (std::size_t i = 0; i < answers.size(); ++i) {
            const double p = logistic(alphas[i].dot(theta) - answers[i].difficulty);
            gradient += (p - answers[i].score) * alphas[i];
            hessian += p * (1 - p) * alphas[i] * alphas[i].transpose();
        }
        const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
        theta -= step;
        if (step.norm() < 1e-8)
            break;
    }
    IdentityPosterior posterior;
    posterior.mean = theta.cast<float>();
    posterior.covariance = hessian.inverse().cast<float>();
    return posterior;
}

} // namespace routerlab
