#include "routers/prompt_model_embedding.h"

#include "common/random.h"
#include "irt/irt_model.h"
#include "routing/familiarity_gate.h"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

// Deals the split the epochs are chosen on (the guard's split is dealt from another seed).
constexpr std::uint64_t kEpochSplitSeed = 3;
constexpr float kAdaGradFloor = 1e-8f;
constexpr float kInitialScale = 0.1f;
// Epochs without a better held-out loss before a trial fit stops.
constexpr std::ptrdiff_t kPatience = 4;

// AdaGrad: each coordinate's step shrinks with its own squared gradients, so the rare terms
// of a sparse vocabulary learn as fast as the frequent ones. Over arrays, so the square roots
// and divisions run four at a time (a scalar std::sqrt may set errno, which keeps the loop
// scalar); each value rounds as in a scalar loop. The regularised gradient is computed twice
// rather than into a buffer: an allocation per call cost more than the arithmetic.
void adaGrad(float* value, float* squares, const float* gradient, Eigen::Index n, float rate,
             float l2) {
    Eigen::Map<Eigen::ArrayXf> v(value, n), s(squares, n);
    const Eigen::Map<const Eigen::ArrayXf> gradients(gradient, n);
    s += (gradients + l2 * v).square();
    v -= (rate * (gradients + l2 * v)) / (s.sqrt() + kAdaGradFloor);
}

void randomise(Eigen::MatrixXf& m, Random& random) {
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = kInitialScale * static_cast<float>(random.normal());
}

} // namespace

struct PromptModelEmbedding::Parameters {
    Eigen::MatrixXf prompt, promptSquares; // dimension x (term slots or features)
    Eigen::MatrixXf model, modelSquares;   // dimension x models
    Eigen::VectorXf bias, biasSquares;     // per model (pointwise only)
};

PromptModelEmbedding::~PromptModelEmbedding() = default;

PromptModelEmbedding::PromptModelEmbedding(const RoutingProblem& problem, const Settings& settings)
    : quality_(problem.quality), features_(problem.features), models_(problem.modelCount()),
      settings_(settings) {
    useTerms_ = settings.useTerms && features_->termSlots() > 0;
    const std::vector<int>& rows = problem.trainingRows;
    if (useTerms_) {
        trainedTerm_.assign(static_cast<std::size_t>(features_->termSlots()), false);
        const std::vector<SparseTerms>& terms = features_->sparseTerms();
        for (const int row : rows)
            for (const int slot : terms[static_cast<std::size_t>(row)].indices)
                trainedTerm_[static_cast<std::size_t>(slot)] = true;
    }
    const auto fresh = [&] {
        auto p = std::make_unique<Parameters>();
        Random random(Random::mix(settings_.seed, 0xe3bed));
        const int d = settings_.dimension;
        const Eigen::Index inputs = useTerms_ ? features_->termSlots() : features_->dimension();
        p->prompt.resize(d, inputs);
        randomise(p->prompt, random);
        p->promptSquares.setZero(d, inputs);
        p->model.resize(d, models_);
        randomise(p->model, random);
        p->modelSquares.setZero(d, models_);
        p->bias.setZero(models_);
        p->biasSquares.setZero(models_);
        return p;
    };
    const ValidationSplit split = splitForValidation(rows, kEpochSplitSeed);
    double bestLoss = INFINITY;
    for (const float rate : settings_.learningRates) {
        std::vector<double> checkLoss;
        fit(*fresh(), split.fit, settings_.maxEpochs, rate, &split.check, &checkLoss);
        const auto best = std::min_element(checkLoss.begin(), checkLoss.end());
        if (*best < bestLoss) {
            bestLoss = *best;
            chosenEpochs_ = 1 + static_cast<int>(best - checkLoss.begin());
            chosenRate_ = rate;
        }
    }
    parameters_ = fresh();
    fit(*parameters_, rows, chosenEpochs_, chosenRate_, nullptr, nullptr);
    // AdaGrad's sums are training's alone: over terms they are as large as the model (16 MB).
    parameters_->promptSquares.resize(0, 0);
    parameters_->modelSquares.resize(0, 0);
    parameters_->biasSquares.resize(0);
    if (settings_.objective == Objective::Contrastive)
        calibrate(*parameters_, rows);
}

const SparseTerms* PromptModelEmbedding::termsOf(const Query& query) const {
    if (!useTerms_)
        return nullptr;
    if (query.features)
        return query.terms;
    return &features_->sparseTerms()[static_cast<std::size_t>(query.row)];
}

Eigen::VectorXf PromptModelEmbedding::embed(const Parameters& p, const Query& query) const {
    if (!useTerms_)
        return p.prompt * featuresOf(query, features_->matrix());
    Eigen::VectorXf z = Eigen::VectorXf::Zero(settings_.dimension);
    if (const SparseTerms* terms = termsOf(query))
        for (std::size_t i = 0; i < terms->indices.size(); ++i)
            if (trainedTerm_[static_cast<std::size_t>(terms->indices[i])])
                z += terms->weights[i] * p.prompt.col(terms->indices[i]);
    return z;
}

Eigen::VectorXf embeddingScores(PromptModelEmbedding::Objective objective,
                                const Eigen::VectorXf& prompt, const Eigen::MatrixXf& models,
                                const Eigen::VectorXf& bias) {
    if (objective == PromptModelEmbedding::Objective::Pointwise)
        return models.transpose() * prompt + bias;
    const float norm = std::max(prompt.norm(), kAdaGradFloor);
    Eigen::VectorXf s = models.transpose() * prompt;
    for (Eigen::Index m = 0; m < models.cols(); ++m)
        s[m] /= norm * std::max(models.col(m).norm(), kAdaGradFloor);
    return s;
}

Eigen::VectorXf PromptModelEmbedding::scores(const Parameters& p,
                                             const Eigen::VectorXf& prompt) const {
    return embeddingScores(settings_.objective, prompt, p.model, p.bias);
}

namespace {

// The loss of one prompt (pointwise: summed over the models, as its gradient is) and its
// gradient with respect to the scores. Missing outcomes carry no loss; a contrastive prompt on
// which every model did equally well teaches nothing.
double pointwiseLoss(const Eigen::VectorXf& logits, const Eigen::VectorXd& quality,
                     Eigen::VectorXf& gradient) {
    double loss = 0;
    for (Eigen::Index m = 0; m < logits.size(); ++m) {
        if (std::isnan(quality[m])) {
            gradient[m] = 0;
            continue;
        }
        const double p = logistic(logits[m]);
        const double q = quality[m];
        loss -= q * std::log(std::max(p, 1e-12)) + (1 - q) * std::log(std::max(1 - p, 1e-12));
        gradient[m] = static_cast<float>(p - q);
    }
    return loss;
}

double contrastiveLoss(const Eigen::VectorXf& cosine, const Eigen::VectorXd& quality,
                       float temperature, Eigen::VectorXf& gradient) {
    gradient.setZero();
    double best = -INFINITY, worst = INFINITY;
    for (Eigen::Index m = 0; m < quality.size(); ++m)
        if (!std::isnan(quality[m])) {
            best = std::max(best, quality[m]);
            worst = std::min(worst, quality[m]);
        }
    if (!(best > worst))
        return 0;
    // Positives: the models that did best; negatives: every model that did worse.
    const auto isPositive = [&](Eigen::Index m) { return quality[m] >= best - 1e-9; };
    const auto isNegative = [&](Eigen::Index m) {
        return !std::isnan(quality[m]) && quality[m] < best - 1e-9;
    };
    const Eigen::VectorXf s = cosine / temperature;
    const float top = s.maxCoeff();
    double negatives = 0;
    for (Eigen::Index m = 0; m < s.size(); ++m)
        if (isNegative(m))
            negatives += std::exp(s[m] - top);
    double loss = 0;
    int positives = 0;
    for (Eigen::Index p = 0; p < s.size(); ++p) {
        if (!isPositive(p))
            continue;
        ++positives;
        const double own = std::exp(s[p] - top);
        const double total = own + negatives;
        loss -= std::log(own / total);
        gradient[p] -= static_cast<float>(1 - own / total);
        for (Eigen::Index n = 0; n < s.size(); ++n)
            if (isNegative(n))
                gradient[n] += static_cast<float>(std::exp(s[n] - top) / total);
    }
    gradient /= static_cast<float>(positives) * temperature;
    return loss / positives;
}

} // namespace

double embeddingLoss(PromptModelEmbedding::Objective objective, float temperature,
                     const Eigen::VectorXf& z, const Eigen::MatrixXf& models,
                     const Eigen::VectorXf& bias, const Eigen::VectorXd& quality,
                     EmbeddingGradients& g) {
    const Eigen::Index count = models.cols();
    const Eigen::VectorXf s = embeddingScores(objective, z, models, bias);
    Eigen::VectorXf gradient(count);
    g.models.resize(models.rows(), count);
    if (objective == PromptModelEmbedding::Objective::Pointwise) {
        const double loss = pointwiseLoss(s, quality, gradient);
        g.prompt.noalias() = models * gradient;
        g.models.noalias() = z * gradient.transpose();
        g.bias = gradient;
        return loss;
    }
    g.bias.setZero(count);
    g.prompt.setZero(models.rows());
    const double loss = contrastiveLoss(s, quality, temperature, gradient);
    if (loss == 0) {
        g.models.setZero();
        return 0;
    }
    // Through the cosines: d cos(z, k) / dz = (k^ - cos z^) / |z|, and likewise for k.
    const float zNorm = std::max(z.norm(), kAdaGradFloor);
    const Eigen::VectorXf zUnit = z / zNorm;
    for (Eigen::Index m = 0; m < count; ++m) {
        const float kNorm = std::max(models.col(m).norm(), kAdaGradFloor);
        const Eigen::VectorXf kUnit = models.col(m) / kNorm;
        g.prompt += gradient[m] * (kUnit - s[m] * zUnit) / zNorm;
        g.models.col(m) = gradient[m] * (zUnit - s[m] * kUnit) / kNorm;
    }
    return loss;
}

// Pointwise: the cross-entropy. Contrastive: one minus the quality of the model ranked first.
double PromptModelEmbedding::loss(const Parameters& p, const std::vector<int>& rows) const {
    double total = 0;
    Eigen::VectorXf gradient(models_);
    for (const int row : rows) {
        const Eigen::VectorXf s = scores(p, embed(p, Query{row, 0, nullptr, nullptr}));
        const Eigen::VectorXd q = quality_->row(row).transpose();
        if (settings_.objective == Objective::Pointwise) {
            total += pointwiseLoss(s, q, gradient);
        } else {
            // The held-out InfoNCE rises as soon as the similarities sharpen, long before the
            // ranking stops improving: the epochs are chosen on what the router routes by.
            Eigen::Index top = 0;
            s.maxCoeff(&top);
            total += std::isnan(q[top]) ? 1.0 : 1.0 - q[top];
        }
    }
    return total / std::max<std::size_t>(1, rows.size());
}

void PromptModelEmbedding::fit(Parameters& p, const std::vector<int>& rows, int epochs, float rate,
                               const std::vector<int>* checkRows,
                               std::vector<double>* checkLoss) const {
    std::vector<int> order = rows;
    Random random(Random::mix(settings_.seed, 0xf17));
    const bool pointwise = settings_.objective == Objective::Pointwise;
    const float l2 = settings_.l2;
    EmbeddingGradients g;
    Eigen::VectorXf termStep(settings_.dimension);
    for (int epoch = 0; epoch < epochs; ++epoch) {
        const std::size_t visits = shuffleFront(
            order, static_cast<std::size_t>(std::max(1, settings_.epochPrompts)), random);
        for (std::size_t i = 0; i < visits; ++i) {
            const int row = order[i];
            const Query query{row, 0, nullptr, nullptr};
            const Eigen::VectorXf z = embed(p, query);
            const Eigen::VectorXd q = quality_->row(row).transpose();
            const double promptLoss =
                embeddingLoss(settings_.objective, settings_.temperature, z, p.model, p.bias, q, g);
            if (pointwise)
                adaGrad(p.bias.data(), p.biasSquares.data(), g.bias.data(), models_, rate, 0);
            else if (promptLoss == 0)
                continue;
            const Eigen::VectorXf& promptGradient = g.prompt;
            const Eigen::MatrixXf& modelGradient = g.models;
            adaGrad(p.model.data(), p.modelSquares.data(), modelGradient.data(),
                    modelGradient.size(), rate, l2);
            if (const SparseTerms* terms = termsOf(query)) {
                for (std::size_t t = 0; t < terms->indices.size(); ++t) {
                    termStep.noalias() = terms->weights[t] * promptGradient;
                    const Eigen::Index slot = terms->indices[t];
                    adaGrad(p.prompt.col(slot).data(), p.promptSquares.col(slot).data(),
                            termStep.data(), termStep.size(), rate, l2);
                }
            } else {
                const Eigen::MatrixXf step =
                    promptGradient * featuresOf(query, features_->matrix()).transpose();
                adaGrad(p.prompt.data(), p.promptSquares.data(), step.data(), step.size(), rate,
                        l2);
            }
        }
        if (checkRows) {
            checkLoss->push_back(loss(p, *checkRows));
            const auto best = std::min_element(checkLoss->begin(), checkLoss->end());
            if (checkLoss->end() - best > kPatience)
                return;
        }
    }
}

// A logistic map per model from cosine similarity to quality, by Newton's method on the training
// prompts (a faint ridge keeps a model that always or never answers well finite). Tried on the
// sample: a slope shared by the models, or the map fitted on held-out training prompts, routed
// worse than the best single model at quality 0.7 / cost 0.3.
void PromptModelEmbedding::calibrate(const Parameters& p, const std::vector<int>& rows) {
    calibrationSlope_.setZero(models_);
    calibrationIntercept_.setZero(models_);
    Eigen::MatrixXf cosine(models_, static_cast<Eigen::Index>(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i)
        cosine.col(static_cast<Eigen::Index>(i)) =
            scores(p, embed(p, Query{rows[i], 0, nullptr, nullptr}));
    for (int m = 0; m < models_; ++m) {
        Eigen::Vector2d w = Eigen::Vector2d::Zero();
        for (int iteration = 0; iteration < 25; ++iteration) {
            Eigen::Matrix2d hessian = Eigen::Matrix2d::Identity() * 1e-3;
            Eigen::Vector2d gradient = -1e-3 * w;
            for (std::size_t i = 0; i < rows.size(); ++i) {
                const double q = (*quality_)(rows[i], m);
                if (std::isnan(q))
                    continue;
                const Eigen::Vector2d x(cosine(m, static_cast<Eigen::Index>(i)), 1.0);
                const double prob = logistic(w.dot(x));
                gradient += (q - prob) * x;
                hessian += prob * (1 - prob) * x * x.transpose();
            }
            const Eigen::Vector2d step = hessian.ldlt().solve(gradient);
            w += step;
            if (step.norm() < 1e-8)
                break;
        }
        calibrationSlope_[m] = static_cast<float>(w[0]);
        calibrationIntercept_[m] = static_cast<float>(w[1]);
    }
}

Eigen::VectorXf PromptModelEmbedding::quality(const Query& query) const {
    Eigen::VectorXf s = scores(*parameters_, embed(*parameters_, query));
    for (int m = 0; m < models_; ++m) {
        const double z = settings_.objective == Objective::Pointwise
                             ? s[m]
                             : calibrationSlope_[m] * s[m] + calibrationIntercept_[m];
        s[m] = static_cast<float>(logistic(z));
    }
    return s;
}

} // namespace routerlab
