#pragma once

#include "reward/preference.h"
#include "routers/router_registry.h"
#include "sim/simulation.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace routerlab {

// Where one request goes: the router's choice first, then the rest in its own order, for
// fallbacks.
struct RoutedRequest {
    std::vector<int> ranking;                                // model indexes into models()
    double score = std::numeric_limits<double>::quiet_NaN(); // the choice's probability or score
    QString promptId; // the dataset's id when the text is one of its prompts, else "sha-..."
};

// A router serving prompts that arrive one at a time: trained as `simulate` trains it on the
// setup's training part, then asked about each prompt at the request's preference. A prompt
// the dataset holds is routed as the simulation routes it (its row); any other by its features
// from the featurizer fitted on the training prompts. Nothing is learned from the answers:
// routers that learn only from their own run's feedback are refused.
class ProxyRouting {
public:
    // Throws std::invalid_argument for an unknown, hindsight or online-only router.
    ProxyRouting(const SimulationSetup& setup, const RouterSpec& spec, std::uint64_t seed = 1);

    RoutedRequest route(const QString& prompt, const Preference& preference);
    const QStringList& models() const { return problem_.modelNames; }
    // Mean cost per call of each model over the training prompts (what a call is expected to
    // cost before it is made, for budgets).
    double expectedCost(int model) const { return problem_.meanCost[std::size_t(model)]; }
    // The routers a proxy can serve, for messages and --help.
    static QStringList servableRouters();

private:
    std::vector<int> rankingAfter(int chosen, const std::vector<double>& scores,
                                  const RewardFunction& reward) const;
    QString idOfUnknownPrompt(const QString& text) const;

    const SimulationSetup& setup_;
    const RoutingProblem& problem_;
    std::unique_ptr<Router> router_;
    QHash<QString, int> rowOfText_;
};

} // namespace routerlab
