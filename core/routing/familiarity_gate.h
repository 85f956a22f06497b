#pragma once

#include "routing/router.h"

#include "routing/training_cache.h"

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <vector>

namespace routerlab {

// The training rows split for checking a router inside its own training part: about 80% to
// fit, the rest to check on; the same rows for every router of a problem.
struct ValidationSplit {
    std::vector<int> fit, check;
};
ValidationSplit splitForValidation(const std::vector<int>& trainingRows, std::uint64_t seed);
// The rows dealt round an order shuffled from `seed` into `folds` parts: each part's check rows,
// the others' fit rows (both sorted).
std::vector<ValidationSplit> foldsForValidation(const std::vector<int>& rows, int folds,
                                                std::uint64_t seed);
// The problem that trains on the split's fit rows and scores its check rows, with its own cache.
RoutingProblem validationProblem(const RoutingProblem& problem, const ValidationSplit& split,
                                 TrainingCache* cache);

// The model with the best mean reward over `rows` (missing quality counts as 0).
int bestModelOn(const RoutingProblem& problem, const std::vector<int>& rows,
                const RewardFunction& reward);

// How familiar a prompt looks to a router trained on some prompts: the cosine similarity of its
// features to the nearest of a few clusters of the training prompts' features. Prompts of a
// task family the router never saw look unfamiliar, and there its predictions extrapolate: on
// unseen families every learned router did worse than sending everything to the model best on
// the training prompts.
class FamiliarityModel {
public:
    // Spherical k-means over a random 80% of the training rows (columns of `features`; at most
    // 20,000 of them, every k-th, the centre from all); the threshold is the `unfamiliarShare`
    // quantile of the other 20%'s familiarity, so that share of prompts like the training ones
    // counts as unfamiliar.
    FamiliarityModel(const Eigen::MatrixXf& features, const std::vector<int>& trainingRows,
                     double unfamiliarShare, std::uint64_t seed);
    double familiarity(const Eigen::Ref<const Eigen::VectorXf>& features) const;
    double threshold() const { return threshold_; }
    bool familiar(const Eigen::Ref<const Eigen::VectorXf>& features) const {
        return familiarity(features) >= threshold_;
    }
    int clusters() const { return static_cast<int>(centroids_.cols()); }
    // The share of the held-out training prompts less familiar than `familiarity`.
    double shareLessFamiliarThan(double familiarity) const;

private:
    Eigen::VectorXf centre_;      // the mean training features
    Eigen::MatrixXf centroids_;   // dimension x clusters, unit columns
    std::vector<double> checked_; // the held-out training prompts' familiarity, ascending
    double threshold_ = 0;
};

// The unfamiliar share chosen inside the training part, from its task families (categories):
// each family in turn (the largest `maximumFamilies`) is left out of a familiarity model fitted
// on the others, and the share of that model's held-out prompts found as unfamiliar as the
// least familiar `caught` of the left-out family's. The largest over the families, within
// [minimumShare, maximumShare]; `fallbackShare` with fewer than two families. Each of those
// models fits on at most `maximumFitPrompts` of the other families' prompts.
struct ShareCalibration {
    double caught = 0.95;
    double minimumShare = 0.02;
    double maximumShare = 0.2;
    double fallbackShare = 0.2;
    int maximumFamilies = 6;
    int minimumFamilyPrompts = 20;
    int maximumFitPrompts = 5000; // per familiarity model fitted without a family
};
double familyCalibratedShare(const Eigen::MatrixXf& features, const std::vector<int>& trainingRows,
                             const std::vector<int>& rowCategory, const ShareCalibration& c,
                             std::uint64_t seed);

// Whether a router beats the model best on the training prompts where it can be checked: the
// router trained on the validation split's fit rows, scored on its check rows against the model
// best on the fit rows, per preference. A router that does not is no better than that model on
// prompts like its training ones, and the evidence says to deploy the model instead.
class ValidationEvidence {
public:
    using MakeRouter = std::function<std::unique_ptr<Router>(const RoutingProblem&)>;
    // One fold: the router trained on about 80% of the training rows and checked on the rest.
    // More: the rows dealt into that many folds, each checked by the router trained on the
    // others, so every training row is checked (at the cost of one training per fold).
    ValidationEvidence(const RoutingProblem& problem, const MakeRouter& make, std::uint64_t seed,
                       int folds = 1);
    // Thread-safe; the first call per preference routes the check rows.
    bool routerHelps(const RewardFunction& reward) const;

private:
    // A router trained on the fit rows of one split, its problem scoring the check rows.
    struct Fold {
        std::unique_ptr<TrainingCache> cache;
        RoutingProblem problem;
        std::unique_ptr<Router> router;
    };
    std::vector<Fold> folds_;
    mutable std::mutex mutex_;
    mutable std::map<std::tuple<double, double, double>, bool> verdicts_;
};

// A learned router that knows what it does not know. A prompt goes to the model with the best
// mean reward over the training prompts at the query's preference (what a user deploys without
// a router) when it is unfamiliar, or when the router did not beat that model on held-out
// training prompts at that preference; otherwise to the router it wraps.
class FamiliarityGate : public Router {
public:
    FamiliarityGate(std::unique_ptr<Router> inner, const RoutingProblem& problem,
                    std::shared_ptr<const FamiliarityModel> model,
                    std::shared_ptr<const ValidationEvidence> evidence);
    void reset(std::uint64_t seed) override { inner_->reset(seed); }
    void startSession() override { inner_->startSession(); }
    Decision route(const Query& query, const RewardFunction& reward) override;
    void observe(const Query& query, int model, const Feedback& feedback) override {
        inner_->observe(query, model, feedback);
    }
    std::vector<double> snapshot() const override { return inner_->snapshot(); }

private:
    int trainingBest(const RewardFunction& reward);

    std::unique_ptr<Router> inner_;
    const RoutingProblem& problem_;
    std::shared_ptr<const FamiliarityModel> model_;
    std::shared_ptr<const ValidationEvidence> evidence_; // null: not checked
    Preference cachedFor_{-1, -1, -1};
    bool routerHelps_ = true;
    int trainingBest_ = 0;
};

} // namespace routerlab
