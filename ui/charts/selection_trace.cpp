#include "ui/charts/selection_trace.h"

#include "metrics/series_stats.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

bool isDistribution(const std::vector<double>& values, int models) {
    if (static_cast<int>(values.size()) != models)
        return false;
    double sum = 0;
    for (const double v : values) {
        if (!(v >= 0))
            return false;
        sum += v;
    }
    return std::abs(sum - 1.0) < 1e-3;
}

SelectionTrace sharesFromChoices(const StepLog& log, int models, int samples) {
    SelectionTrace trace;
    const auto windows = selectionShareOverTime(log.model, models, samples);
    const int n = static_cast<int>(log.model.size());
    const int width = windows.empty() ? 0
                                      : (n + static_cast<int>(windows.size()) - 1) /
                                            static_cast<int>(windows.size());
    for (std::size_t w = 0; w < windows.size(); ++w) {
        trace.steps.push_back(std::min(n - 1, static_cast<int>(w + 1) * width - 1));
        trace.shares.push_back(windows[w]);
    }
    return trace;
}

} // namespace

SelectionTrace traceSelection(const SimulationSetup& setup, const Cell& cell,
                              const RewardTable& table, const StepLog& log, int samples) {
    const RoutingProblem& problem = setup.problem();
    const int models = problem.modelCount();
    const std::vector<int>& rows = setup.scoredRows();
    const int n = static_cast<int>(std::min(rows.size(), log.model.size()));
    if (n == 0 || samples < 1)
        return {};
    std::unique_ptr<Router> router = RouterRegistry::instance().create(cell.router, problem);
    router->reset(cell.seed);
    const RewardFunction reward(problem.rewardKind, problem.scales, cell.preference);
    const std::vector<int>& starts = setup.sessionStarts();
    const std::vector<int>& categories = setup.dataset().promptCategory;
    const int every = std::max(1, n / samples);

    SelectionTrace trace;
    trace.fromRouter = true;
    std::size_t nextSession = 0;
    for (int t = 0; t < n; ++t) {
        if (nextSession < starts.size() && starts[nextSession] == t) {
            router->startSession();
            ++nextSession;
        }
        const Query query{rows[static_cast<std::size_t>(t)],
                          categories[static_cast<std::size_t>(rows[static_cast<std::size_t>(t)])]};
        const int k = router->route(query, reward).model;
        const std::size_t at = static_cast<std::size_t>(t) * models + static_cast<std::size_t>(k);
        Feedback fb;
        fb.quality = setup.stepQuality()[at];
        fb.cost = setup.stepCost()[at];
        fb.latency = setup.stepLatency()[at];
        fb.reward = table.reward[at];
        fb.normalisedReward = table.normalised[at];
        router->observe(query, k, fb);
        if (t % every == 0 || t == n - 1) {
            const std::vector<double> snapshot = router->snapshot();
            if (!isDistribution(snapshot, models))
                return sharesFromChoices(log, models, samples);
            trace.steps.push_back(t);
            trace.shares.push_back(snapshot);
        }
    }
    return trace;
}

} // namespace routerlab
