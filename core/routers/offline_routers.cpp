// Offline routers trained with full information (every model's outcome on every training
// prompt), the "strong offline routers" BaRP is compared with: a per-model ridge regression
// of quality on prompt features, and RouterBench's kNN router (quality of the k most similar
// training prompts, by cosine, shrunk toward the training mean). Both route by the best predicted
// reward under the run's preference, from predicted quality and each model's mean cost and latency.
#include "routers/quality_predictors.h"
#include "routers/router_registry.h"
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

// The neighbours' quality weighted by their similarity, plus `prior` pseudo-neighbours at
// the training mean: the fainter the neighbours, the closer to the training mean, where the
// best model is the one a user deploys without a router. Missing outcomes count as zero.
// `quality` is models x dataset rows.
Eigen::VectorXf neighbourQuality(const Eigen::MatrixXd& quality,
                                 const std::vector<Neighbour>& neighbours,
                                 const Eigen::VectorXf& trainingMean, double prior) {
    Eigen::VectorXf q = static_cast<float>(prior) * trainingMean;
    double total = prior;
    for (const Neighbour& n : neighbours) {
        const double w = std::max(0.0f, n.similarity);
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

// The priors kNN chooses from when none is given: pseudo-neighbours at the training mean.
const std::vector<double> kCandidatePriors = {0, 1, 3, 10, 30};
// Enough training prompts to choose among five priors; more would make the choice cost more
// than the routing on large data.
constexpr std::size_t kPriorChoiceRows = 3000;

// kNN's trained state: the neighbours of every scored and every training prompt (the latter
// leaving the prompt out), searched once and reweighted for each prior.
struct KnnState {
    std::shared_ptr<const NeighbourSearch> search;
    Eigen::VectorXf trainingMean;
    // Models x dataset rows, missing outcomes as zero: a neighbour's outcomes side by side
    // rather than a column apart, which on large data cost a cache miss per model.
    Eigen::MatrixXd quality;
    std::vector<std::vector<Neighbour>> scoredNeighbours; // per scored row
    // The scored rows' indices in the search's order: predictions made in it read the
    // neighbours' outcomes while they are in the cache (on large data a miss per neighbour).
    std::vector<std::size_t> scoredOrder;
    // The training prompts the prior is chosen on (at most kPriorChoiceRows of them, evenly
    // spaced) and their neighbours, the prompt left out; empty when the prior is given.
    std::vector<int> choiceRows;
    std::vector<std::vector<Neighbour>> choiceNeighbours;
};

// Routes by predicted reward like the other offline routers, with the prior given, or the
// prior whose leave-one-out routing of the training prompts earns the most at the query's
// preference (chosen once per preference).
class KnnRouter : public Router {
public:
    KnnRouter(const RoutingProblem& problem, std::shared_ptr<const KnnState> state, int k,
              double prior)
        : problem_(problem), state_(std::move(state)), k_(k), fixedPrior_(prior) {}
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
            const double prior = fixedPrior_ >= 0 ? fixedPrior_ : chosenPrior(reward);
            auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem_));
            for (const std::size_t i : state_->scoredOrder)
                p->quality.col(problem_.scoredRows[i]) = neighbourQuality(
                    state_->quality, state_->scoredNeighbours[i], state_->trainingMean, prior);
            router = std::make_unique<PredictedRewardRouter>(
                p, [state = state_, k = k_, prior](const Query& q) {
                    return neighbourQuality(state->quality, state->search->nearestTo(q, k),
                                            state->trainingMean, prior);
                });
        }
        last_ = router.get();
        return *router;
    }

    double chosenPrior(const RewardFunction& reward) const {
        const QualityPredictions base = emptyPredictions(problem_);
        double bestPrior = kCandidatePriors.front(), bestTotal = -INFINITY;
        for (const double prior : kCandidatePriors) {
            double total = 0;
            for (std::size_t i = 0; i < state_->choiceRows.size(); ++i) {
                const Eigen::VectorXf q = neighbourQuality(
                    state_->quality, state_->choiceNeighbours[i], state_->trainingMean, prior);
                int chosen = 0;
                double best = -INFINITY;
                for (int m = 0; m < problem_.modelCount(); ++m) {
                    const double r = reward(std::clamp(static_cast<double>(q[m]), 0.0, 1.0),
                                            base.meanCost[m], base.meanLatency[m]);
                    if (r > best) {
                        best = r;
                        chosen = m;
                    }
                }
                const int row = state_->choiceRows[i];
                total += reward(qualityOrZero(problem_, row, chosen), (*problem_.cost)(row, chosen),
                                (*problem_.latency)(row, chosen));
            }
            if (total >= bestTotal - 1e-9) { // a tie goes to the larger prior, the safer one
                bestTotal = total;
                bestPrior = prior;
            }
        }
        return bestPrior;
    }

    const RoutingProblem& problem_;
    std::shared_ptr<const KnnState> state_;
    int k_;
    double fixedPrior_; // negative: chosen per preference
    // One per preference the router was asked for (a proxy serves many).
    std::map<std::array<double, 3>, std::unique_ptr<PredictedRewardRouter>> routers_;
    const PredictedRewardRouter* last_ = nullptr;
};

std::shared_ptr<const KnnState> trainedKnn(const RoutingProblem& problem, int k, bool useTerms,
                                           bool choosesPrior) {
    const QString searchKey = useTerms ? QStringLiteral("knn-terms") : QStringLiteral("knn-dense");
    const auto search = cachedTraining<NeighbourSearch>(problem, searchKey, [&] {
        return std::make_shared<const NeighbourSearch>(problem, useTerms);
    });
    const QString key = searchKey + QStringLiteral("|k=%1|loo=%2").arg(k).arg(choosesPrior);
    return cachedTraining<KnnState>(problem, key, [&] {
        auto s = std::make_shared<KnnState>();
        s->search = search;
        s->trainingMean = trainingMeanQuality(problem);
        s->quality = Eigen::MatrixXd::Zero(problem.modelCount(), problem.quality->rows());
        for (const int row : problem.trainingRows)
            for (int m = 0; m < problem.modelCount(); ++m)
                s->quality(m, row) = qualityOrZero(problem, row, m);
        s->scoredNeighbours = search->nearestToRows(problem.scoredRows, k, &s->scoredOrder);
        if (choosesPrior) {
            const std::size_t n = problem.trainingRows.size();
            const std::size_t take = std::min<std::size_t>(n, kPriorChoiceRows);
            for (std::size_t i = 0; i < take; ++i)
                s->choiceRows.push_back(problem.trainingRows[i * n / take]);
            s->choiceNeighbours = search->nearestToRows(s->choiceRows, k);
        }
        return std::shared_ptr<const KnnState>(s);
    });
}

std::unique_ptr<Router> makeKnn(const RoutingProblem& problem, int k, bool useTerms, double prior) {
    requireFeatures(problem, "knn");
    return std::make_unique<KnnRouter>(problem, trainedKnn(problem, k, useTerms, prior < 0), k,
                                       prior);
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
        auto p = std::make_shared<QualityPredictions>(emptyPredictions(problem));
        for (const std::size_t i : state->scoredOrder)
            p->quality.col(problem.scoredRows[i]) = neighbourQuality(
                state->quality, state->scoredNeighbours[i], state->trainingMean, prior);
        return std::shared_ptr<const QualityPredictions>(p);
    });
    return {predictions, [state, k, prior](const Query& q) {
                return neighbourQuality(state->quality, state->search->nearestTo(q, k),
                                        state->trainingMean, prior);
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
         {{QStringLiteral("k"), RouterParameter::Type::Integer, 100, 1, 10000,
           QStringLiteral("Neighbours per prompt.")},
          {QStringLiteral("prior"), RouterParameter::Type::Number, -1.0, -1.0, 10000.0,
           QStringLiteral("Pseudo-neighbours at the mean quality of the training prompts, "
                          "weighed against the neighbours' summed cosine similarity: the less "
                          "familiar a prompt, the closer its prediction to that mean. -1: "
                          "chosen per preference among 0, 1, 3, 10 and 30 by leave-one-out "
                          "routing of the training prompts.")},
          {QStringLiteral("similarity"),
           RouterParameter::Type::Text,
           QStringLiteral("terms"),
           0,
           0,
           QStringLiteral("terms: compare the prompts' full term vectors when the features "
                          "have terms (tfidf); features: compare the feature vectors the "
                          "other routers read."),
           {QStringLiteral("terms"), QStringLiteral("features")}}},
         [](const RoutingProblem& p, const RouterParameters& params) {
             return makeKnn(p, params.integer(QStringLiteral("k")),
                            params.text(QStringLiteral("similarity")) == QLatin1String("terms"),
                            params.number(QStringLiteral("prior")));
         }});
}

} // namespace routerlab
