#include "proxy/proxy_routing.h"

#include <QCryptographicHash>
#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace routerlab {

namespace {

bool servable(const RouterType& type) {
    return !type.can(Capability::Hindsight) && !type.can(Capability::UpperBound) &&
           !type.can(Capability::LearnsOnline);
}

// Each model's mean reward over the training prompts (a missing outcome counts as quality 0):
// the order of models a router without scores of its own falls back in.
std::vector<double> meanTrainingReward(const RoutingProblem& problem,
                                       const RewardFunction& reward) {
    std::vector<double> mean(std::size_t(problem.modelCount()), 0.0);
    for (int k = 0; k < problem.modelCount(); ++k) {
        for (const int i : problem.trainingRows) {
            const double q = (*problem.quality)(i, k);
            mean[std::size_t(k)] +=
                reward(std::isnan(q) ? 0.0 : q, (*problem.cost)(i, k), (*problem.latency)(i, k));
        }
        mean[std::size_t(k)] /= std::max<std::size_t>(1, problem.trainingRows.size());
    }
    return mean;
}

} // namespace

QStringList ProxyRouting::servableRouters() {
    QStringList names;
    for (const RouterType& type : RouterRegistry::instance().types())
        if (servable(type))
            names << type.name;
    return names;
}

ProxyRouting::ProxyRouting(const SimulationSetup& setup, const RouterSpec& spec, std::uint64_t seed)
    : setup_(setup), problem_(setup.problem()) {
    const RouterType* type = RouterRegistry::instance().find(spec.name);
    if (type && !servable(*type))
        throw std::invalid_argument(
            QStringLiteral("router '%1' %2; the proxy serves %3")
                .arg(spec.name,
                     type->can(Capability::LearnsOnline)
                         ? QStringLiteral("learns from the feedback of its own run, which a "
                                          "proxy does not score")
                         : QStringLiteral("reads recorded outcomes: a reference, not a router"),
                     servableRouters().join(QStringLiteral(", ")))
                .toStdString());
    router_ = RouterRegistry::instance().create(spec, problem_); // throws for unknown names
    router_->reset(seed);
    // A text the dataset repeats is routed as its first scored row, else its first row: the
    // simulation scores only those, and a training row may be left out of its own prediction.
    const Dataset& dataset = setup.dataset();
    for (int i = dataset.promptCount() - 1; i >= 0; --i)
        rowOfText_.insert(dataset.promptTexts[std::size_t(i)], i);
    for (auto row = setup.scoredRows().rbegin(); row != setup.scoredRows().rend(); ++row)
        rowOfText_.insert(dataset.promptTexts[std::size_t(*row)], *row);
}

RoutedRequest ProxyRouting::route(const QString& prompt, const Preference& preference) {
    const RewardFunction reward(problem_.rewardKind, problem_.scales, preference);
    RoutedRequest routed;
    Decision decision;
    if (const auto row = rowOfText_.constFind(prompt); row != rowOfText_.constEnd()) {
        const Dataset& dataset = setup_.dataset();
        routed.promptId = dataset.promptIds[std::size_t(*row)];
        decision = router_->route({*row, dataset.promptCategory[std::size_t(*row)]}, reward);
    } else {
        routed.promptId = idOfUnknownPrompt(prompt);
        Eigen::VectorXf features;
        SparseTerms terms;
        if (problem_.features) {
            features = problem_.features->featurizer().transform(prompt);
            terms = problem_.features->featurizer().sparseTerms(prompt);
        }
        Query query;
        query.features = &features;
        query.terms = &terms;
        decision = router_->route(query, reward);
    }
    const std::vector<double> scores = router_->snapshot();
    routed.score = decision.topProbability;
    if (std::isnan(routed.score) && static_cast<int>(scores.size()) == problem_.modelCount())
        routed.score = scores[std::size_t(decision.model)]; // e.g. the predicted reward
    routed.ranking = rankingAfter(decision.model, scores, reward);
    return routed;
}

std::vector<int> ProxyRouting::rankingAfter(int chosen, const std::vector<double>& scores,
                                            const RewardFunction& reward) const {
    const int models = problem_.modelCount();
    const std::vector<double> order =
        static_cast<int>(scores.size()) == models ? scores : meanTrainingReward(problem_, reward);
    std::vector<int> ranking(static_cast<std::size_t>(models));
    std::iota(ranking.begin(), ranking.end(), 0);
    std::stable_sort(ranking.begin(), ranking.end(), [&](int a, int b) {
        if ((a == chosen) != (b == chosen))
            return a == chosen;
        return order[std::size_t(a)] > order[std::size_t(b)];
    });
    return ranking;
}

QString ProxyRouting::idOfUnknownPrompt(const QString& text) const {
    return QStringLiteral("sha-") +
           QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256)
                                   .toHex()
                                   .left(16));
}

} // namespace routerlab
