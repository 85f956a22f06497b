#include "routing/familiarity_gate.h"

#include "common/random.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace routerlab {

namespace {

constexpr int kMaxClusters = 32;
constexpr int kPromptsPerCluster = 20;
constexpr int kIterations = 10;
// The clusters are fitted on at most this many of the fit rows (every k-th): their shape needs
// a sample, not every prompt, and beyond it the fit's points no longer sit in the cache (the
// 100,000- to 400,000-prompt step of routerlab-bench-scaling grew as N^1.17).
constexpr std::size_t kMaxClusteredPrompts = 20000;
constexpr double kFitShare = 0.8;
// The gain must clear one standard error: a router that loses on the scored prompts hides
// behind noise less often, and one that wins is kept more often than at 95% confidence.
constexpr double kEvidenceZ = 1.0;

Eigen::VectorXf unit(const Eigen::Ref<const Eigen::VectorXf>& v) {
    const float norm = v.norm();
    return norm > 0 ? Eigen::VectorXf(v / norm) : Eigen::VectorXf(v);
}

} // namespace

ValidationSplit splitForValidation(const std::vector<int>& trainingRows, std::uint64_t seed) {
    Random rng(Random::mix(seed, 0xfa111a));
    ValidationSplit split;
    for (const int row : trainingRows)
        (rng.uniform() < kFitShare ? split.fit : split.check).push_back(row);
    if (split.fit.empty() || split.check.empty())
        split.fit = split.check = trainingRows;
    return split;
}

std::vector<ValidationSplit> foldsForValidation(const std::vector<int>& rows, int folds,
                                                std::uint64_t seed) {
    // Dealt round a shuffled order, so the folds differ in size by one row at most.
    std::vector<int> order = rows;
    Random random(seed);
    shuffleFront(order, order.size(), random);
    std::vector<ValidationSplit> out(static_cast<std::size_t>(folds));
    for (std::size_t i = 0; i < order.size(); ++i) {
        const std::size_t checkedIn = i % out.size();
        for (std::size_t f = 0; f < out.size(); ++f)
            (f == checkedIn ? out[f].check : out[f].fit).push_back(order[i]);
    }
    for (ValidationSplit& split : out) {
        std::sort(split.fit.begin(), split.fit.end());
        std::sort(split.check.begin(), split.check.end());
    }
    return out;
}

RoutingProblem validationProblem(const RoutingProblem& problem, const ValidationSplit& split,
                                 TrainingCache* cache) {
    RoutingProblem part = problem;
    part.trainingRows = split.fit;
    part.scoredRows = split.check;
    part.trainingCache = cache;
    for (int k = 0; k < part.modelCount(); ++k) {
        double sum = 0;
        for (const int i : split.fit)
            sum += (*part.cost)(i, k);
        part.meanCost[k] = sum / static_cast<double>(split.fit.size());
    }
    return part;
}

int bestModelOn(const RoutingProblem& problem, const std::vector<int>& rows,
                const RewardFunction& reward) {
    int best = 0;
    double bestSum = -INFINITY;
    for (int k = 0; k < problem.modelCount(); ++k) {
        double sum = 0;
        for (const int i : rows) {
            const double q = (*problem.quality)(i, k);
            sum += reward(std::isnan(q) ? 0.0 : q, (*problem.cost)(i, k), (*problem.latency)(i, k));
        }
        if (sum > bestSum) {
            bestSum = sum;
            best = k;
        }
    }
    return best;
}

FamiliarityModel::FamiliarityModel(const Eigen::MatrixXf& features,
                                   const std::vector<int>& trainingRows, double unfamiliarShare,
                                   std::uint64_t seed) {
    const ValidationSplit split = splitForValidation(trainingRows, seed);
    const std::vector<int>& fit = split.fit;
    const std::vector<int>& check = split.check;
    Random rng(Random::mix(seed, 0xce7e));
    const int d = static_cast<int>(features.rows());
    // Centred first: features share a large common part (frequent words, prompt templates)
    // that would make every prompt look like every other.
    centre_ = Eigen::VectorXf::Zero(d);
    for (const int row : fit)
        centre_ += features.col(row);
    centre_ /= static_cast<float>(fit.size());
    const std::size_t stride = (fit.size() + kMaxClusteredPrompts - 1) / kMaxClusteredPrompts;
    const std::size_t clustered = (fit.size() + stride - 1) / stride;
    Eigen::MatrixXf points(d, static_cast<Eigen::Index>(clustered));
    for (std::size_t i = 0; i < clustered; ++i)
        points.col(static_cast<Eigen::Index>(i)) = unit(features.col(fit[i * stride]) - centre_);
    const int k = std::clamp(static_cast<int>(fit.size()) / kPromptsPerCluster, 1, kMaxClusters);
    // Spherical k-means from k distinct random prompts.
    std::vector<int> order(clustered);
    std::iota(order.begin(), order.end(), 0);
    for (int i = 0; i < k; ++i)
        std::swap(order[i], order[i + static_cast<int>(rng.uniform() * (order.size() - i))]);
    centroids_.resize(d, k);
    for (int c = 0; c < k; ++c)
        centroids_.col(c) = points.col(order[c]);
    for (int iteration = 0; iteration < kIterations; ++iteration) {
        const Eigen::MatrixXf similarity = centroids_.transpose() * points; // k x n
        Eigen::MatrixXf sums = Eigen::MatrixXf::Zero(d, k);
        for (Eigen::Index i = 0; i < points.cols(); ++i) {
            Eigen::Index best = 0;
            similarity.col(i).maxCoeff(&best);
            sums.col(best) += points.col(i);
        }
        for (int c = 0; c < k; ++c)
            if (sums.col(c).norm() > 0) // an emptied cluster keeps its centre
                centroids_.col(c) = unit(sums.col(c));
    }
    for (const int row : check)
        checked_.push_back(familiarity(features.col(row)));
    std::sort(checked_.begin(), checked_.end());
    const double share = std::clamp(unfamiliarShare, 0.0, 1.0);
    threshold_ = share <= 0 ? -std::numeric_limits<double>::infinity()
                            : checked_[std::min(checked_.size() - 1,
                                                static_cast<std::size_t>(share * checked_.size()))];
}

double FamiliarityModel::shareLessFamiliarThan(double familiarity) const {
    const auto below = std::lower_bound(checked_.begin(), checked_.end(), familiarity);
    return checked_.empty() ? 0.0
                            : static_cast<double>(below - checked_.begin()) /
                                  static_cast<double>(checked_.size());
}

double familyCalibratedShare(const Eigen::MatrixXf& features, const std::vector<int>& trainingRows,
                             const std::vector<int>& rowCategory, const ShareCalibration& c,
                             std::uint64_t seed) {
    std::map<int, std::vector<int>> rowsOf;
    for (const int row : trainingRows)
        rowsOf[rowCategory[static_cast<std::size_t>(row)]].push_back(row);
    std::vector<std::pair<std::size_t, int>> families; // (prompts, category), largest first
    for (const auto& [category, rows] : rowsOf)
        if (rows.size() >= static_cast<std::size_t>(c.minimumFamilyPrompts))
            families.emplace_back(rows.size(), category);
    if (families.size() < 2)
        return c.fallbackShare;
    std::sort(families.rbegin(), families.rend());
    families.resize(std::min<std::size_t>(families.size(), std::size_t(c.maximumFamilies)));
    double share = c.minimumShare;
    for (const auto& [size, left] : families) {
        std::vector<int> others;
        for (const int row : trainingRows)
            if (rowCategory[static_cast<std::size_t>(row)] != left)
                others.push_back(row);
        // Every k-th of them on large data: the share needs the shape of the clusters, not
        // every prompt, and each left-out family costs a k-means fit.
        const std::size_t stride = others.size() / std::size_t(c.maximumFitPrompts) + 1;
        for (std::size_t i = 0; i * stride < others.size(); ++i)
            others[i] = others[i * stride];
        others.resize((others.size() + stride - 1) / stride);
        const FamiliarityModel model(features, others, c.fallbackShare, seed);
        std::vector<double> unseen;
        for (const int row : rowsOf[left])
            unseen.push_back(model.familiarity(features.col(row)));
        // The familiarity below which `caught` of the left-out family falls, and the share of
        // the model's own held-out prompts a threshold there would turn away too.
        std::sort(unseen.begin(), unseen.end());
        const double level = unseen[std::min(
            unseen.size() - 1, static_cast<std::size_t>(c.caught * double(unseen.size())))];
        share = std::max(share, model.shareLessFamiliarThan(std::nextafter(level, INFINITY)));
    }
    return std::min(share, c.maximumShare);
}

double FamiliarityModel::familiarity(const Eigen::Ref<const Eigen::VectorXf>& features) const {
    const Eigen::VectorXf centred = features - centre_;
    const float norm = centred.norm();
    if (norm <= 0)
        return 0.0;
    return (centroids_.transpose() * centred).maxCoeff() / norm;
}

ValidationEvidence::ValidationEvidence(const RoutingProblem& problem, const MakeRouter& make,
                                       std::uint64_t seed, int folds) {
    std::vector<ValidationSplit> splits;
    if (folds <= 1 || problem.trainingRows.size() < 2 * std::size_t(folds)) {
        splits.push_back(splitForValidation(problem.trainingRows, seed));
    } else {
        splits = foldsForValidation(problem.trainingRows, folds, Random::mix(seed, 0xf01d5));
    }
    folds_.reserve(splits.size()); // each router keeps a reference to its fold's problem
    for (const ValidationSplit& split : splits) {
        Fold fold;
        fold.cache = std::make_unique<TrainingCache>();
        fold.problem = validationProblem(problem, split, fold.cache.get());
        folds_.push_back(std::move(fold));
        folds_.back().router = make(folds_.back().problem);
    }
}

bool ValidationEvidence::routerHelps(const RewardFunction& reward) const {
    const Preference& w = reward.weights();
    const std::lock_guard lock(mutex_);
    const auto key = std::make_tuple(w.quality, w.cost, w.latency);
    if (const auto found = verdicts_.find(key); found != verdicts_.end())
        return found->second;
    double sum = 0, sumSquares = 0, n = 0;
    for (const Fold& fold : folds_) {
        const RoutingProblem& part = fold.problem;
        const int fallback = bestModelOn(part, part.trainingRows, reward);
        fold.router->reset(1);
        fold.router->startSession();
        for (const int row : part.scoredRows) {
            const int chosen = fold.router->route(Query{row, 0, nullptr}, reward).model;
            auto rewardOf = [&](int k) {
                const double q = (*part.quality)(row, k);
                return reward(std::isnan(q) ? 0.0 : q, (*part.cost)(row, k),
                              (*part.latency)(row, k));
            };
            const double gain = rewardOf(chosen) - rewardOf(fallback);
            sum += gain;
            sumSquares += gain * gain;
            n += 1;
        }
    }
    const double mean = sum / n;
    const double variance = std::max(0.0, sumSquares / n - mean * mean);
    return verdicts_[key] = mean - kEvidenceZ * std::sqrt(variance / n) > 0;
}

FamiliarityGate::FamiliarityGate(std::unique_ptr<Router> inner, const RoutingProblem& problem,
                                 std::shared_ptr<const FamiliarityModel> model,
                                 std::shared_ptr<const ValidationEvidence> evidence)
    : inner_(std::move(inner)), problem_(problem), model_(std::move(model)),
      evidence_(std::move(evidence)) {}

Decision FamiliarityGate::route(const Query& query, const RewardFunction& reward) {
    if (!problem_.quality)
        return inner_->route(query, reward);
    const int fallback = trainingBest(reward);
    if (routerHelps_ && model_->familiar(featuresOf(query, problem_.features->matrix())))
        return inner_->route(query, reward);
    return {fallback, 1.0};
}

int FamiliarityGate::trainingBest(const RewardFunction& reward) {
    if (!(reward.weights() == cachedFor_)) {
        trainingBest_ = bestModelOn(problem_, problem_.trainingRows, reward);
        routerHelps_ = !evidence_ || evidence_->routerHelps(reward);
        cachedFor_ = reward.weights();
    }
    return trainingBest_;
}

} // namespace routerlab
