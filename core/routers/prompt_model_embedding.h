#pragma once

#include "features/prompt_features.h"
#include "routing/router.h"

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <vector>

namespace routerlab {

// Prompts and models embedded in one space, learned from every model's recorded quality on the
// training prompts. A prompt's embedding sums a learned vector per term (its sparse terms, when
// the features have them: nothing is folded into a few hundred hashed dimensions) or is a
// linear map of its feature vector; each model has a vector of its own.
//
// Two objectives, after two published routers:
// - Pointwise (matrix factorisation in RouteLLM's manner): the logit of a good answer is the
//   dot product of the prompt's and the model's vectors plus the model's bias, fitted by
//   cross-entropy against the recorded quality.
// - Contrastive (RouterDC's sample-LLM loss): the cosine similarity of a prompt to the models
//   that answered it best is pulled above its similarity to those that did worse (InfoNCE at a
//   temperature); a logistic map per model, fitted on the training prompts, then turns
//   each similarity into a quality estimate.
//
// The learning rate and the number of epochs are chosen inside the training part: the model is
// fitted on 80% of the training prompts at each rate, the rate and epoch with the lowest loss on
// the other 20% are kept (a trial stops after a few epochs without improvement; for the contrastive
// objective, the loss is the shortfall of the quality of the model it ranks first), and the final
// model is fitted on all of them. Deterministic for a seed.
class PromptModelEmbedding {
public:
    enum class Objective { Pointwise, Contrastive };

    struct Settings {
        Objective objective = Objective::Pointwise;
        int dimension = 16;
        int maxEpochs = 24;
        bool useTerms = true; // when the features have terms
        // AdaGrad's base rates tried; the one with the lowest held-out loss is kept.
        std::vector<float> learningRates = {0.01f, 0.1f};
        float l2 = 1e-6f;
        float temperature = 0.3f; // contrastive only
        // An epoch visits at most this many prompts, so large data costs steps, not passes.
        int epochPrompts = 20000;
        std::uint64_t seed = 1;
    };

    // Trains on the problem's training rows.
    PromptModelEmbedding(const RoutingProblem& problem, const Settings& settings);

    // The predicted quality of every model on a query (a dataset row or an outside prompt).
    Eigen::VectorXf quality(const Query& query) const;
    int chosenEpochs() const { return chosenEpochs_; }
    float chosenLearningRate() const { return chosenRate_; }

private:
    struct Parameters;
    // The query's terms when the model reads terms, else null (it reads the feature vector).
    const SparseTerms* termsOf(const Query& query) const;
    Eigen::VectorXf embed(const Parameters& p, const Query& query) const;
    Eigen::VectorXf scores(const Parameters& p, const Eigen::VectorXf& prompt) const;
    // Fits `p` on `rows` for `epochs`; per epoch, the loss on `checkRows` when given.
    void fit(Parameters& p, const std::vector<int>& rows, int epochs, float rate,
             const std::vector<int>* checkRows, std::vector<double>* checkLoss) const;
    double loss(const Parameters& p, const std::vector<int>& rows) const;
    void calibrate(const Parameters& p, const std::vector<int>& rows);

    const Eigen::MatrixXd* quality_; // prompts x models; NaN for a missing outcome
    const PromptFeatures* features_;
    int models_;
    Settings settings_;
    bool useTerms_ = false;
    std::vector<bool> trainedTerm_; // per term slot: seen in a training prompt
    std::unique_ptr<Parameters> parameters_;
    Eigen::VectorXf calibrationSlope_, calibrationIntercept_; // contrastive only
    int chosenEpochs_ = 0;
    float chosenRate_ = 0;

public:
    ~PromptModelEmbedding();
};

// One prompt's loss under an objective and its gradients with respect to the prompt's vector,
// the models' vectors (columns) and their biases (pointwise only): what training steps on,
// exposed for the gradient check. A contrastive prompt on which every model did equally well
// teaches nothing: its loss and gradients are zero.
struct EmbeddingGradients {
    Eigen::VectorXf prompt;
    Eigen::MatrixXf models;
    Eigen::VectorXf bias;
};
double embeddingLoss(PromptModelEmbedding::Objective objective, float temperature,
                     const Eigen::VectorXf& prompt, const Eigen::MatrixXf& models,
                     const Eigen::VectorXf& bias, const Eigen::VectorXd& quality,
                     EmbeddingGradients& gradients);
// Pointwise: the logits. Contrastive: the cosine similarities.
Eigen::VectorXf embeddingScores(PromptModelEmbedding::Objective objective,
                                const Eigen::VectorXf& prompt, const Eigen::MatrixXf& models,
                                const Eigen::VectorXf& bias);

} // namespace routerlab
