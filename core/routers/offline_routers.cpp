// Offline routers trained with full information (every model's outcome on every training
// prompt), the "strong offline routers" BaRP is compared with: a per-model ridge regression
// of quality on prompt features, and RouterBench's kNN router (quality of the k most similar
// training prompts, by cosine, shrunk toward the training mean). Both route by the best predicted
// reward under the run's preference, from predicted quality and each model's mean cost and latency.
#include "routers/quality_predictors.h"
#include "routers/router_registry.h"
#include "routing/familiarity_gate.h"
#include "routing/neighbour_search.h"
#include "routing/predicted_reward_router.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <stdexcept>

namespace routerlab {

namespace {

double qualityOrZero(const RoutingProblem& problem, int row, int model) {
    const double q = (*problem.quality)(row, model);
    return std::isnan(q) ? 0.0 : q;
}

// Ridge regression, one weight vector per model, solved together: (X X' + l I) W = X Q.
struct RidgeModel {
    Eigen::MatrixXf weights; // features x models
};

std::shared_ptr<const RidgeModel> fitRidge(const RoutingProblem& problem, double lambda) {
    const Eigen::MatrixXf& features = problem.features->matrix();
    const Eigen::Index d = features.rows();
    const int models = problem.modelCount();
    Eigen::MatrixXd gram = Eigen::MatrixXd::Identity(d, d) * lambda;
    Eigen::MatrixXd target = Eigen::MatrixXd::Zero(d, models);
    Eigen::MatrixXd x(d, static_cast<Eigen::Index>(problem.trainingRows.size()));
    Eigen::MatrixXd q(x.cols(), models);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const int row = problem.trainingRows[static_cast<std::size_t>(j)];
        x.col(j) = features.col(row).cast<double>();
        for (int k = 0; k < models; ++k)
            q(j, k) = qualityOrZero(problem, row, k);
    }
    gram.selfadjointView<Eigen::Lower>().rankUpdate(x);
    target.noalias() = x * q;
    auto model = std::make_shared<RidgeModel>();
    model->weights = gram.selfadjointView<Eigen::Lower>().llt().solve(target).cast<float>();
    return model;
}

Eigen::VectorXf trainingMeanQuality(const RoutingProblem& problem) {
    return meanQualityOn(problem, problem.trainingRows);
}

// A neighbour's weight: its cosine similarity raised to `power`, so that a power above 1 lets
// the nearest of many neighbours count for more.
double similarityWeight(float similarity, double power) {
    const double s = std::max(0.0f, similarity);
    return power == 1 ? s : power == 2 ? s * s : std::pow(s, power);
}

// The neighbours' quality weighted by their similarity (to `power`), plus `prior`
// pseudo-neighbours at the training mean: the fainter the neighbours, the closer to the
// training mean, where the best model is the one a user deploys without a router. Only the
// first `count` neighbours (the nearest) are read; missing outcomes count as zero. `quality` is
// models x dataset rows.
Eigen::VectorXf neighbourQuality(const Eigen::MatrixXd& quality,
                                 const std::vector<Neighbour>& neighbours, int count,
                                 const Eigen::VectorXf& trainingMean, double prior, double power) {
    Eigen::VectorXf q = static_cast<float>(prior) * trainingMean;
    double total = prior;
    const std::size_t read = std::min(neighbours.size(), static_cast<std::size_t>(count));
    for (std::size_t i = 0; i < read; ++i) {
        const Neighbour& n = neighbours[i];
        const double w = similarityWeight(n.similarity, power);
        total += w;
        const double* outcomes = quality.col(n.row).data();
        for (Eigen::Index m = 0; m < q.size(); ++m)
            q[m] += static_cast<float>(w * outcomes[m]);
    }
    return total > 0 ? Eigen::VectorXf(q / static_cast<float>(total)) : trainingMean;
}

std::unique_ptr<Router> makeQualityRegression(const RoutingProblem& problem, double lambda) {
    requireFeatures(problem, "quality-regression");
    TrainedPredictor ridge = ridgePredictor(problem, lambda);
    return std::make_unique<PredictedRewardRouter>(std::move(ridge.predictions),
                                                   std::move(ridge.predict));
}

// What kNN chooses from when none is given: how many neighbours it reads and how many
// pseudo-neighbours at the training mean it adds to them (the fainter the neighbours, the
// nearer that mean its prediction).
const std::vector<int> kCandidateCounts = {25, 50, 100, 200, 400};
const std::vector<double> kCandidatePriors = {0, 1, 3, 10, 30, 100};
const std::vector<double> kCandidatePowers = {1, 2, 4};
// Enough training prompts to choose among the candidates; more would make the choice cost more
// than the routing on large data.
constexpr std::size_t kChoiceRows = 3000;

// The candidates a choice weighs: neighbour counts and similarity powers.
struct KnnCandidates {
    std::vector<int> counts;
    std::vector<double> powers;
    std::size_t size() const { return counts.size() * powers.size(); }
    // The column of a count and power in NeighbourSums.
    Eigen::Index column(std::size_t count, std::size_t power) const {
        return static_cast<Eigen::Index>(power * counts.size() + count);
    }
};

// The weighted sum of a training prompt's nearest neighbours' outcomes (models) and of their
// weights, for each candidate count and power.
struct NeighbourSums {
    Eigen::MatrixXd outcomes; // models x candidates
    Eigen::VectorXd weights;  // per candidate
};

NeighbourSums neighbourSums(const Eigen::MatrixXd& quality,
                            const std::vector<Neighbour>& neighbours,
                            const KnnCandidates& candidates) {
    const auto size = static_cast<Eigen::Index>(candidates.size());
    NeighbourSums sums{Eigen::MatrixXd::Zero(quality.rows(), size), Eigen::VectorXd::Zero(size)};
    for (std::size_t p = 0; p < candidates.powers.size(); ++p) {
        Eigen::VectorXd outcomes = Eigen::VectorXd::Zero(quality.rows());
        double weight = 0;
        std::size_t read = 0;
        for (std::size_t c = 0; c < candidates.counts.size(); ++c) {
            const std::size_t upTo =
                std::min(neighbours.size(), static_cast<std::size_t>(candidates.counts[c]));
            for (; read < upTo; ++read) {
                const double w =
                    similarityWeight(neighbours[read].similarity, candidates.powers[p]);
                weight += w;
                outcomes += w * quality.col(neighbours[read].row);
            }
            sums.outcomes.col(candidates.column(c, p)) = outcomes;
            sums.weights[candidates.column(c, p)] = weight;
        }
    }
    return sums;
}

// One task family of the training part left out: its choice rows' neighbours among the other
// families' prompts, which is how a family the router never saw looks to it.
struct FamilyFold {
    std::vector<int> otherRows;   // the other families' training rows
    Eigen::VectorXf trainingMean; // over otherRows
    std::vector<int> rows;        // the family's choice rows
    std::vector<NeighbourSums> sums;
};

// kNN's trained state: the search, and the neighbours of the training prompts its choice is
// made on (each prompt left out), searched once and reweighted for each candidate.
struct KnnState {
    QString searchKey;
    std::shared_ptr<const NeighbourSearch> search;
    Eigen::VectorXf trainingMean;
    // Models x dataset rows, missing outcomes as zero: a neighbour's outcomes side by side
    // rather than a column apart, which on large data cost a cache miss per model.
    Eigen::MatrixXd quality;
    // The neighbour counts and powers to choose among and the training prompts the choice is
    // made on (at most kChoiceRows of them, evenly spaced) with their neighbours' sums, the
    // prompt left out; empty when nothing is chosen.
    KnnCandidates candidates;
    std::vector<int> choiceRows;
    std::vector<NeighbourSums> choiceSums;
    // The training part's families each left out in turn (empty with fewer than two).
    std::vector<FamilyFold> familyFolds;
};

struct KnnSettings {
    int k = 100;
    double prior = 0;
    double power = 1;
};

// The scored rows' `count` nearest training prompts, searched once per count a choice asks
// for (a search for more costs more on large data).
struct ScoredNeighbours {
    std::vector<std::vector<Neighbour>> neighbours; // per scored row, nearest first
    // The scored rows' indices in the search's order: predictions made in it read the
    // neighbours' outcomes while they are in the cache (on large data a miss per neighbour).
    std::vector<std::size_t> order;
};

std::shared_ptr<const ScoredNeighbours> scoredNeighbours(const RoutingProblem& problem,
                                                         const KnnState& state, int count) {
    const QString key = state.searchKey + QStringLiteral("|scored|k=%1").arg(count);
    return cachedTraining<ScoredNeighbours>(problem, key, [&] {
        auto s = std::make_shared<ScoredNeighbours>();
        s->neighbours = state.search->nearestToRows(problem.scoredRows, count, &s->order);
        return std::shared_ptr<const ScoredNeighbours>(s);
    });
}

// Routes by predicted reward like the other offline routers, with k and the prior given, or
// those whose leave-one-out routing of the training prompts earns the most at the query's
// preference (chosen once per preference).
class KnnRouter : public Router {
public:
    // A k below 1, a negative prior or a negative power is chosen.
    KnnRouter(const RoutingProblem& problem, std::shared_ptr<const KnnState> state,
              const KnnSettings& fixed)
        : problem_(problem), state_(std::move(state)), fixed_(fixed) {}
    void reset(std::uint64_t) override {}
    Decision route(const Query& query, const RewardFunction& reward) override {
        return routerFor(reward).route(query, reward);
    }
    void observe(const Query&, int, const Feedback&) override {}
    std::vector<double> snapshot() const override {
        return last_ ? last_->snapshot() : std::vector<double>();
    }

private:
    PredictedRewardRouter& routerFor(const RewardFunction& reward) {
        const Preference& w = reward.weights();
        auto& router = routers_[{w.quality, w.cost, w.latency}];
        if (!router) {
            const KnnSettings chosen = chosenSettings(reward);
            const auto scored = scoredNeighbours(problem_, *state_, chosen.k);
            auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem_));
            for (const std::size_t i : scored->order)
                p->quality.col(problem_.scoredRows[i]) =
                    neighbourQuality(state_->quality, scored->neighbours[i], chosen.k,
                                     state_->trainingMean, chosen.prior, chosen.power);
            router = std::make_unique<PredictedRewardRouter>(p, [state = state_,
                                                                 chosen](const Query& q) {
                return neighbourQuality(state->quality, state->search->nearestTo(q, chosen.k),
                                        chosen.k, state->trainingMean, chosen.prior, chosen.power);
            });
        }
        last_ = router.get();
        return *router;
    }

    KnnSettings chosenSettings(const RewardFunction& reward) const {
        if (fixed_.k > 0 && fixed_.prior >= 0 && fixed_.power >= 0)
            return fixed_;
        const std::vector<double> priors =
            fixed_.prior >= 0 ? std::vector<double>{fixed_.prior} : kCandidatePriors;
        const KnnCandidates& candidates = state_->candidates;
        const QualityPredictions base = emptyPredictions(problem_);
        std::vector<int> familyBest;
        for (const FamilyFold& fold : state_->familyFolds)
            familyBest.push_back(bestModelOn(problem_, fold.otherRows, reward));
        // The best leave-one-out routing among the candidates that lose on no family left out;
        // when every candidate loses on one, the one whose worst family loses least.
        KnnSettings best, safest;
        double bestTotal = -INFINITY, safestMargin = -INFINITY;
        // Ties go to the lower power (1: the plain similarity) and to the later count and prior:
        // more neighbours, a larger prior, the safer choice.
        for (std::size_t p = candidates.powers.size(); p-- > 0;)
            for (std::size_t c = 0; c < candidates.counts.size(); ++c)
                for (const double prior : priors) {
                    const Eigen::Index column = candidates.column(c, p);
                    const KnnSettings settings{candidates.counts[c], prior, candidates.powers[p]};
                    double worst = INFINITY;
                    for (std::size_t f = 0; f < familyBest.size(); ++f)
                        worst = std::min(worst, familyMargin(state_->familyFolds[f], familyBest[f],
                                                             column, prior, base, reward));
                    if (worst >= safestMargin - 1e-12) {
                        safestMargin = worst;
                        safest = settings;
                    }
                    if (worst < 0)
                        continue;
                    const double total = leaveOneOutReward(column, prior, base, reward);
                    if (total >= bestTotal - 1e-9) {
                        bestTotal = total;
                        best = settings;
                    }
                }
        return bestTotal > -INFINITY ? best : safest;
    }

    // The mean reward per prompt of routing a left-out family's choice rows by their neighbours
    // among the other families, over sending them all to `fallback`.
    double familyMargin(const FamilyFold& fold, int fallback, Eigen::Index c, double prior,
                        const QualityPredictions& base, const RewardFunction& reward) const {
        double total = 0;
        for (std::size_t i = 0; i < fold.rows.size(); ++i) {
            const int chosen = chosenFrom(fold.sums[i], c, prior, fold.trainingMean, base, reward);
            total += recordedReward(fold.rows[i], chosen, reward) -
                     recordedReward(fold.rows[i], fallback, reward);
        }
        return fold.rows.empty() ? 0.0 : total / double(fold.rows.size());
    }

    // The model routing picks for a prompt from its neighbours' sums (their `column`), `prior`
    // pseudo-neighbours at `mean`; `base` gives each model's mean cost and latency.
    int chosenFrom(const NeighbourSums& sums, Eigen::Index column, double prior,
                   const Eigen::VectorXf& mean, const QualityPredictions& base,
                   const RewardFunction& reward) const {
        const double weight = prior + sums.weights[column];
        int chosen = 0;
        double best = -INFINITY;
        for (int m = 0; m < problem_.modelCount(); ++m) {
            const double q =
                weight > 0 ? (prior * mean[m] + sums.outcomes(m, column)) / weight : mean[m];
            const double r = reward(std::clamp(q, 0.0, 1.0), base.meanCost[m], base.meanLatency[m]);
            if (r > best) {
                best = r;
                chosen = m;
            }
        }
        return chosen;
    }

    double recordedReward(int row, int model, const RewardFunction& reward) const {
        return reward(qualityOrZero(problem_, row, model), (*problem_.cost)(row, model),
                      (*problem_.latency)(row, model));
    }

    // What routing the choice rows by their neighbours earns in all.
    double leaveOneOutReward(Eigen::Index c, double prior, const QualityPredictions& base,
                             const RewardFunction& reward) const {
        double total = 0;
        for (std::size_t i = 0; i < state_->choiceRows.size(); ++i) {
            const int chosen =
                chosenFrom(state_->choiceSums[i], c, prior, state_->trainingMean, base, reward);
            total += recordedReward(state_->choiceRows[i], chosen, reward);
        }
        return total;
    }

    const RoutingProblem& problem_;
    std::shared_ptr<const KnnState> state_;
    KnnSettings fixed_; // k below 1, a negative prior or power: chosen per preference
    // One per preference the router was asked for (a proxy serves many).
    std::map<std::array<double, 3>, std::unique_ptr<PredictedRewardRouter>> routers_;
    const PredictedRewardRouter* last_ = nullptr;
};

// Families with fewer training prompts say little about how an unseen one looks.
constexpr int kMinFamilyPrompts = 20;
constexpr std::size_t kMaxFamilies = 6;
// Each fold's search covers at most this many of the other families' prompts (every k-th), so
// that it stays exact and costs no more than one search of the whole on large data.
constexpr std::size_t kMaxFoldPrompts = 20000;

std::vector<FamilyFold> familyFolds(const RoutingProblem& problem, bool useTerms,
                                    const std::vector<int>& choiceRows,
                                    const Eigen::MatrixXd& quality, int searched,
                                    const KnnCandidates& candidates) {
    if (!problem.rowCategory)
        return {};
    const std::vector<int>& category = *problem.rowCategory;
    std::map<int, int> size;
    for (const int row : problem.trainingRows)
        ++size[category[std::size_t(row)]];
    std::vector<std::pair<int, int>> families; // (prompts, category), largest first
    for (const auto& [c, n] : size)
        if (n >= kMinFamilyPrompts)
            families.emplace_back(n, c);
    if (families.size() < 2)
        return {};
    std::sort(families.begin(), families.end(), std::greater<>());
    if (families.size() > kMaxFamilies)
        families.resize(kMaxFamilies);
    std::vector<FamilyFold> folds;
    for (const auto& [n, family] : families) {
        FamilyFold fold;
        for (const int row : problem.trainingRows)
            if (category[std::size_t(row)] != family)
                fold.otherRows.push_back(row);
        for (const int row : choiceRows)
            if (category[std::size_t(row)] == family)
                fold.rows.push_back(row);
        if (fold.rows.empty())
            continue;
        fold.trainingMean = meanQualityOn(problem, fold.otherRows);
        RoutingProblem part = problem;
        part.trainingCache = nullptr;
        const std::size_t take = std::min(fold.otherRows.size(), kMaxFoldPrompts);
        part.trainingRows.clear();
        for (std::size_t i = 0; i < take; ++i)
            part.trainingRows.push_back(fold.otherRows[i * fold.otherRows.size() / take]);
        const NeighbourSearch search(part, useTerms);
        for (const std::vector<Neighbour>& neighbours : search.nearestToRows(fold.rows, searched))
            fold.sums.push_back(neighbourSums(quality, neighbours, candidates));
        folds.push_back(std::move(fold));
    }
    return folds;
}

// With `chooses`, the sums the choice of k (among the candidates when not positive), of the
// power (when negative) and of the prior reads.
std::shared_ptr<const KnnState> trainedKnn(const RoutingProblem& problem, int k, bool useTerms,
                                           bool chooses, bool checksFamilies = false,
                                           double power = 1) {
    const QString searchKey = useTerms ? QStringLiteral("knn-terms") : QStringLiteral("knn-dense");
    const auto search = cachedTraining<NeighbourSearch>(problem, searchKey, [&] {
        return std::make_shared<const NeighbourSearch>(problem, useTerms);
    });
    const QString key = searchKey + QStringLiteral("|k=%1|loo=%2|families=%3|power=%4")
                                        .arg(k)
                                        .arg(chooses)
                                        .arg(chooses && checksFamilies)
                                        .arg(chooses ? power : 1.0, 0, 'g', 17);
    return cachedTraining<KnnState>(problem, key, [&] {
        auto s = std::make_shared<KnnState>();
        s->searchKey = searchKey;
        s->search = search;
        s->trainingMean = trainingMeanQuality(problem);
        s->quality = Eigen::MatrixXd::Zero(problem.modelCount(), problem.quality->rows());
        for (const int row : problem.trainingRows)
            for (int m = 0; m < problem.modelCount(); ++m)
                s->quality(m, row) = qualityOrZero(problem, row, m);
        if (chooses) {
            const int searched = k > 0 ? k : kCandidateCounts.back();
            s->candidates.counts = k > 0 ? std::vector<int>{k} : kCandidateCounts;
            s->candidates.powers = power >= 0 ? std::vector<double>{power} : kCandidatePowers;
            const std::size_t n = problem.trainingRows.size();
            const std::size_t take = std::min<std::size_t>(n, kChoiceRows);
            for (std::size_t i = 0; i < take; ++i)
                s->choiceRows.push_back(problem.trainingRows[i * n / take]);
            for (const std::vector<Neighbour>& neighbours :
                 search->nearestToRows(s->choiceRows, searched))
                s->choiceSums.push_back(neighbourSums(s->quality, neighbours, s->candidates));
            if (checksFamilies)
                s->familyFolds = familyFolds(problem, useTerms, s->choiceRows, s->quality, searched,
                                             s->candidates);
        }
        return std::shared_ptr<const KnnState>(s);
    });
}

std::unique_ptr<Router> makeKnn(const RoutingProblem& problem, const KnnSettings& fixed,
                                bool useTerms, bool checksFamilies) {
    requireFeatures(problem, "knn");
    const bool chooses = fixed.k <= 0 || fixed.prior < 0 || fixed.power < 0;
    return std::make_unique<KnnRouter>(
        problem, trainedKnn(problem, fixed.k, useTerms, chooses, checksFamilies, fixed.power),
        fixed);
}

} // namespace

Eigen::VectorXf meanQualityOn(const RoutingProblem& problem, const std::vector<int>& rows) {
    Eigen::VectorXf mean = Eigen::VectorXf::Zero(problem.modelCount());
    for (const int row : rows)
        for (int m = 0; m < problem.modelCount(); ++m)
            mean[m] += static_cast<float>(qualityOrZero(problem, row, m));
    return mean / std::max(1.0f, static_cast<float>(rows.size()));
}

TrainedPredictor ridgePredictor(const RoutingProblem& problem, double lambda) {
    const QString key = QStringLiteral("quality-regression|lambda=%1").arg(lambda, 0, 'g', 17);
    const auto ridge = cachedTraining<RidgeModel>(problem, key + QStringLiteral("|weights"),
                                                  [&] { return fitRidge(problem, lambda); });
    const auto predictions = cachedTraining<QualityPredictions>(problem, key, [&] {
        auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
        p->quality.noalias() = ridge->weights.transpose() * problem.features->matrix();
        return std::shared_ptr<const QualityPredictions>(p);
    });
    const Eigen::MatrixXf* features = &problem.features->matrix();
    return {predictions, [ridge, features](const Query& q) {
                return Eigen::VectorXf(ridge->weights.transpose() * featuresOf(q, *features));
            }};
}

TrainedPredictor knnPredictor(const RoutingProblem& problem, int k, bool useTerms, double prior) {
    const auto state = trainedKnn(problem, k, useTerms, false);
    const QString key = QStringLiteral("knn-predictions|terms=%1|k=%2|prior=%3")
                            .arg(useTerms)
                            .arg(k)
                            .arg(prior, 0, 'g', 17);
    const auto predictions = cachedTraining<QualityPredictions>(problem, key, [&] {
        const auto scored = scoredNeighbours(problem, *state, k);
        auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
        for (const std::size_t i : scored->order)
            p->quality.col(problem.scoredRows[i]) = neighbourQuality(
                state->quality, scored->neighbours[i], k, state->trainingMean, prior, 1);
        return std::shared_ptr<const QualityPredictions>(p);
    });
    return {predictions, [state, k, prior](const Query& q) {
                return neighbourQuality(state->quality, state->search->nearestTo(q, k), k,
                                        state->trainingMean, prior, 1);
            }};
}

void registerOfflineRouters(RouterRegistry& registry) {
    registry.add(
        {QStringLiteral("quality-regression"),
         QStringLiteral("Offline, full information: ridge regression of each model's quality on "
                        "prompt features; routes by predicted reward."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline,
         {{QStringLiteral("lambda"), RouterParameter::Type::Number, 1.0, 1e-6, 1e6,
           QStringLiteral("Ridge regularisation.")}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return makeQualityRegression(p, params.number(QStringLiteral("lambda")));
         }});
    registry.add(
        {QStringLiteral("knn"),
         QStringLiteral("Offline, full information: quality of the k most similar training "
                        "prompts (cosine over terms or features), weighted by similarity and "
                        "shrunk toward the training mean; routes by predicted reward."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline |
             Capability::ShrinksWhenUnfamiliar,
         {{QStringLiteral("k"),
           RouterParameter::Type::Integer,
           -1,
           -1,
           10000,
           QStringLiteral("Neighbours per prompt. -1: chosen per preference among 25, 50, "
                          "100, 200 and 400 with the prior, by leave-one-out routing of the "
                          "training prompts."),
           {},
           {},
           QStringLiteral("chosen")},
          {QStringLiteral("prior"),
           RouterParameter::Type::Number,
           -1.0,
           -1.0,
           10000.0,
           QStringLiteral("Pseudo-neighbours at the mean quality of the training prompts, "
                          "weighed against the neighbours' summed cosine similarity: the less "
                          "familiar a prompt, the closer its prediction to that mean. -1: "
                          "chosen per preference among 0, 1, 3, 10, 30 and 100 by leave-one-out "
                          "routing of the training prompts."),
           {},
           {},
           QStringLiteral("chosen")},
          {QStringLiteral("power"),
           RouterParameter::Type::Number,
           -1.0,
           -1.0,
           16.0,
           QStringLiteral("Each neighbour weighs its cosine similarity to this power: above 1 the "
                          "nearest of the neighbours count for more, at 0 all alike. -1: chosen "
                          "per preference among 1, 2 and 4 with k and the prior."),
           {},
           {},
           QStringLiteral("chosen")},
          {QStringLiteral("similarity"),
           RouterParameter::Type::Text,
           QStringLiteral("terms"),
           0,
           0,
           QStringLiteral("terms: compare the prompts' full term vectors when the features "
                          "have terms (tfidf); features: compare the feature vectors the "
                          "other routers read."),
           {QStringLiteral("terms"), QStringLiteral("features")}},
          {QStringLiteral("families"),
           RouterParameter::Type::Text,
           QStringLiteral("on"),
           0,
           0,
           QStringLiteral("on: what is chosen must also route each task family of the training "
                          "prompts, left out in turn, no worse than the model best on the "
                          "others, so that a family it never saw costs nothing; off: chosen by "
                          "leave-one-out routing alone."),
           {QStringLiteral("on"), QStringLiteral("off")}}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             const KnnSettings fixed{params.integer(QStringLiteral("k")),
                                     params.number(QStringLiteral("prior")),
                                     params.number(QStringLiteral("power"))};
             return makeKnn(p, fixed,
                            params.text(QStringLiteral("similarity")) == QLatin1String("terms"),
                            params.text(QStringLiteral("families")) == QLatin1String("on"));
         }});
}

} // namespace routerlab
