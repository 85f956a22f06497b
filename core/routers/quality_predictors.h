#pragma once

#include "routers/prompt_model_embedding.h"
#include "routing/predicted_reward_router.h"

namespace routerlab {

// The offline routers' quality predictors, trained on a problem's training rows and shared
// through its training cache with the routers of the same settings: what the stacked router
// combines.

// Ridge regression of each model's quality on the prompt features.
TrainedPredictor ridgePredictor(const RoutingProblem& problem, double lambda);
// The similarity-weighted quality of the k nearest training prompts and `prior`
// pseudo-neighbours at the training mean; ahead for the scored rows.
TrainedPredictor knnPredictor(const RoutingProblem& problem, int k, bool useTerms, double prior);
// The IRT fit's probability of a correct answer.
TrainedPredictor irtPredictor(const RoutingProblem& problem, int dimension, int epochs,
                              std::uint64_t seed = 1);

// The prompt and model embeddings' predicted quality (mf, routerdc).
TrainedPredictor embeddingPredictor(const RoutingProblem& problem,
                                    const PromptModelEmbedding::Settings& settings);

// Every model's mean quality over `rows` (missing outcomes count as zero).
Eigen::VectorXf meanQualityOn(const RoutingProblem& problem, const std::vector<int>& rows);

} // namespace routerlab
