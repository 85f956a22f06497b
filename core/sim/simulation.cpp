#include "sim/simulation.h"

#include "common/random.h"
#include "common/vector_state.h"
#include "features/prompt_features.h"
#include "metrics/series_stats.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace routerlab {

namespace {

struct SplitRows {
    std::vector<int> training, scored;
};

SplitRows splitRows(const Dataset& dataset, const SplitRule& split, std::uint64_t splitSeed,
                    const std::vector<int>& usable) {
    std::vector<int> train, test;
    switch (split.kind) {
    case SplitRule::Kind::None:
        train = test = usable;
        break;
    case SplitRule::Kind::Random: {
        Random rng(Random::mix(splitSeed, 0x5117));
        for (const int i : usable)
            (rng.uniform() < split.trainFraction ? train : test).push_back(i);
        break;
    }
    case SplitRule::Kind::Category:
        for (const QString& c : split.testCategories)
            if (!dataset.categoryNames.contains(c))
                throw std::invalid_argument(
                    QStringLiteral("split: no category '%1' in the dataset (%2)")
                        .arg(c, dataset.categoryNames.join(QStringLiteral(", ")))
                        .toStdString());
        for (const int i : usable)
            (split.testCategories.contains(dataset.categoryNames[dataset.promptCategory[i]])
                 ? test
                 : train)
                .push_back(i);
        break;
    case SplitRule::Kind::Sources:
        for (const int i : usable)
            (split.testSources.contains(dataset.sources[dataset.promptSource[i]]) ? test : train)
                .push_back(i);
        break;
    }
    if (test.empty())
        throw std::invalid_argument(
            "no prompts left to score after the split and the missing-cell policy");
    if (train.empty())
        train = test;
    return {std::move(train), std::move(test)};
}

// Scored rows given in their order (replayed traffic): each scored as often as it is given,
// none trained on. A given row the missing policy left out is skipped and counted.
SplitRows givenRows(const std::vector<int>& given, const std::vector<int>& training,
                    const std::vector<int>& usable, int promptCount, int& skipped) {
    std::vector<char> isUsable(static_cast<std::size_t>(promptCount), 0);
    std::vector<char> isScored(static_cast<std::size_t>(promptCount), 0);
    for (const int i : usable)
        isUsable[i] = 1;
    SplitRows rows;
    for (const int i : given) {
        if (i < 0 || i >= promptCount)
            throw std::out_of_range(
                QStringLiteral("scored row %1 is outside the dataset's %2 prompts")
                    .arg(i)
                    .arg(promptCount)
                    .toStdString());
        if (!isUsable[i]) {
            ++skipped;
            continue;
        }
        isScored[i] = 1;
        rows.scored.push_back(i);
    }
    if (training.empty()) {
        for (const int i : usable)
            if (!isScored[i])
                rows.training.push_back(i);
    } else {
        for (const int i : training)
            if (i >= 0 && i < promptCount && isUsable[i] && !isScored[i])
                rows.training.push_back(i);
    }
    if (rows.scored.empty())
        throw std::invalid_argument(
            "none of the prompts to score has an outcome for every model (see --missing)");
    if (rows.training.empty())
        throw std::invalid_argument("every prompt of the dataset is to be scored: none is left "
                                    "to train on, and a prompt is never both");
    return rows;
}

} // namespace

SimulationSetup::SimulationSetup(const Dataset& dataset, const ModelPool& pool,
                                 const SimulationOptions& options)
    : dataset_(dataset), options_(options) {
    const bool given = !options.scoredRows.empty();
    if (given && (options.sessions.kind == SessionRule::Kind::Category ||
                  options.sessions.kind == SessionRule::Kind::Column))
        throw std::invalid_argument(
            QStringLiteral("session rule '%1' would reorder the given prompts: use single or "
                           "length:N")
                .arg(options.sessions.toString())
                .toStdString());
    readOutcomes(pool);
    const std::vector<int> usable = usableRows();
    const SplitRows split = given ? givenRows(options.scoredRows, options.trainingRows, usable,
                                              dataset.promptCount(), skippedGiven_)
                                  : splitRows(dataset, options.split, options.splitSeed, usable);
    const std::vector<int> ordered = orderIntoSessions(split.scored);
    buildProblem(split.training, ordered);
}

void SimulationSetup::readOutcomes(const ModelPool& pool) {
    quality_ = dataset_.quality;
    cost_ = dataset_.costUsd(pool);
    latency_ = dataset_.latencyS(pool);
    for (int k = 0; k < dataset_.modelCount(); ++k)
        if (pool.indexOf(dataset_.modelNames[k]) < 0 && !dataset_.hasRecordedCost())
            throw std::invalid_argument(QStringLiteral("model '%1' has no price in the pool")
                                            .arg(dataset_.modelNames[k])
                                            .toStdString());
}

std::vector<int> SimulationSetup::usableRows() {
    std::vector<int> usable;
    for (int i = 0; i < dataset_.promptCount(); ++i) {
        bool anyMissing = false;
        for (int k = 0; k < dataset_.modelCount(); ++k)
            anyMissing = anyMissing || std::isnan(quality_(i, k));
        if (anyMissing && options_.missing == MissingPolicy::SkipPrompt) {
            ++skipped_;
            continue;
        }
        if (anyMissing)
            for (int k = 0; k < dataset_.modelCount(); ++k)
                if (std::isnan(quality_(i, k)))
                    quality_(i, k) = 0.0;
        usable.push_back(i);
    }
    return usable;
}

std::vector<int> SimulationSetup::orderIntoSessions(const std::vector<int>& scored) {
    std::vector<int> ordered;
    auto groupBy = [&](const std::vector<int>& key, int groups) {
        std::vector<std::vector<int>> buckets(static_cast<std::size_t>(groups));
        for (const int i : scored)
            buckets[key[i]].push_back(i);
        for (const auto& b : buckets) {
            if (b.empty())
                continue;
            sessionStarts_.push_back(static_cast<int>(ordered.size()));
            ordered.insert(ordered.end(), b.begin(), b.end());
        }
    };
    switch (options_.sessions.kind) {
    case SessionRule::Kind::Category:
        groupBy(dataset_.promptCategory, static_cast<int>(dataset_.categoryNames.size()));
        break;
    case SessionRule::Kind::Column:
        if (dataset_.promptSession.empty())
            throw std::invalid_argument("session rule 'column': the dataset has no session column");
        groupBy(dataset_.promptSession, static_cast<int>(dataset_.sessionNames.size()));
        break;
    case SessionRule::Kind::FixedLength:
        ordered = scored;
        for (int s = 0; s < static_cast<int>(ordered.size()); s += options_.sessions.length)
            sessionStarts_.push_back(s);
        break;
    case SessionRule::Kind::Single:
        ordered = scored;
        sessionStarts_.push_back(0);
        break;
    }
    return ordered;
}

void SimulationSetup::buildProblem(const std::vector<int>& training,
                                   const std::vector<int>& ordered) {
    features_ = std::make_unique<PromptFeatures>(dataset_.promptIds, dataset_.promptTexts, training,
                                                 options_.features);
    problem_.features = features_.get();
    problem_.trainingCache = trainingCache_.get();
    problem_.modelNames = dataset_.modelNames;
    problem_.quality = &quality_;
    problem_.cost = &cost_;
    problem_.latency = &latency_;
    tabulateSteps(ordered);
    problem_.trainingRows = training;
    problem_.scoredRows = ordered;
    problem_.rowCategory = &dataset_.promptCategory;
    problem_.rewardKind = options_.reward;
    problem_.scales = deriveRewardScales(cost_, latency_, quality_, training);
    problem_.meanCost.assign(dataset_.modelCount(), 0.0);
    for (int k = 0; k < dataset_.modelCount(); ++k) {
        for (const int i : training)
            problem_.meanCost[k] += cost_(i, k);
        problem_.meanCost[k] /= static_cast<double>(training.size());
    }
}

void SimulationSetup::tabulateSteps(const std::vector<int>& ordered) {
    const int models = dataset_.modelCount();
    const std::size_t steps = ordered.size();
    stepQuality_.resize(steps * models);
    stepCost_.resize(steps * models);
    stepLatency_.resize(steps * models);
    for (std::size_t t = 0; t < steps; ++t)
        for (int k = 0; k < models; ++k) {
            stepQuality_[t * models + k] = quality_(ordered[t], k);
            stepCost_[t * models + k] = cost_(ordered[t], k);
            stepLatency_[t * models + k] = latency_(ordered[t], k);
        }
}

QJsonObject SimulationSetup::describe() const {
    QJsonObject json{
        {QStringLiteral("reward"), rewardKindName(options_.reward)},
        {QStringLiteral("reward_scales"), problem_.scales.toJson()},
        {QStringLiteral("missing"), options_.missing == MissingPolicy::SkipPrompt
                                        ? QStringLiteral("skip")
                                        : QStringLiteral("failure")},
        {QStringLiteral("sessions"), options_.sessions.toString()},
        {QStringLiteral("session_count"), static_cast<int>(sessionStarts_.size())},
        {QStringLiteral("split"), options_.split.toString()},
        {QStringLiteral("split_seed"), QString::number(options_.splitSeed)},
        {QStringLiteral("features"), options_.features},
        {QStringLiteral("training_prompts"), static_cast<int>(problem_.trainingRows.size())},
        {QStringLiteral("scored_prompts"), static_cast<int>(problem_.scoredRows.size())},
        {QStringLiteral("skipped_prompts"), skipped_}};
    if (!options_.scoredRows.empty()) {
        // The rows themselves tell two replays of different traffic apart (a resumed run).
        QCryptographicHash hash(QCryptographicHash::Sha256);
        for (const int i : options_.scoredRows)
            hash.addData(QByteArray::number(i).append(','));
        json.insert(QStringLiteral("scored"), QStringLiteral("given"));
        json.insert(QStringLiteral("given_rows_sha256"),
                    QString::fromLatin1(hash.result().toHex()));
        json.insert(QStringLiteral("given_rows_skipped"), skippedGiven_);
    }
    return json;
}

QJsonObject CellSummary::toJson(const QStringList& models) const {
    QJsonObject share;
    for (int k = 0; k < models.size() && k < static_cast<int>(selectionShare.size()); ++k)
        share.insert(models[k], selectionShare[k]);
    return {{QStringLiteral("mean_quality"), meanQuality},
            {QStringLiteral("total_cost_usd"), totalCostUsd},
            {QStringLiteral("mean_cost_usd"), meanCostUsd},
            {QStringLiteral("mean_latency_s"), meanLatencyS},
            {QStringLiteral("p95_latency_s"), p95LatencyS},
            {QStringLiteral("mean_reward"), meanReward},
            {QStringLiteral("regret"), regret},
            {QStringLiteral("selection"), share},
            {QStringLiteral("convergence_step"), meanConvergenceStep},
            {QStringLiteral("steps"), steps},
            {QStringLiteral("complete"), complete}};
}

RewardTable buildRewardTable(const SimulationSetup& setup, const Preference& preference) {
    const RoutingProblem& problem = setup.problem();
    const RewardFunction reward(problem.rewardKind, problem.scales, preference);
    const std::size_t k = static_cast<std::size_t>(problem.modelCount());
    const std::size_t steps = setup.scoredRows().size();
    const std::vector<double>& quality = setup.stepQuality();
    const std::vector<double>& cost = setup.stepCost();
    const std::vector<double>& latency = setup.stepLatency();
    RewardTable table;
    table.preference = preference;
    table.reward.resize(steps * k);
    table.normalised.resize(steps * k);
    table.oracle.assign(steps, -INFINITY);
    for (std::size_t t = 0; t < steps; ++t) {
        for (std::size_t j = 0; j < k; ++j) {
            const std::size_t at = t * k + j;
            const double r = reward(quality[at], cost[at], latency[at]);
            table.reward[at] = r;
            table.normalised[at] = reward.normalise(r);
            table.oracle[t] = std::max(table.oracle[t], r);
        }
    }
    return table;
}

CellSummary summariseStepLog(const StepLog& log, const std::vector<int>& sessionStarts,
                             int models) {
    CellSummary s;
    s.steps = static_cast<int>(log.model.size());
    s.selectionShare.assign(models, 0.0);
    if (s.steps == 0)
        return s;
    std::vector<double> latencies(log.latency.begin(), log.latency.end());
    double q = 0, c = 0, l = 0, r = 0, regret = 0;
    for (int t = 0; t < s.steps; ++t) {
        q += log.quality[t];
        c += log.cost[t];
        l += log.latency[t];
        r += log.reward[t];
        regret += log.oracleReward[t] - log.reward[t];
        s.selectionShare[log.model[t]] += 1.0 / s.steps;
    }
    s.meanQuality = q / s.steps;
    s.totalCostUsd = c;
    s.meanCostUsd = c / s.steps;
    s.meanLatencyS = l / s.steps;
    s.p95LatencyS = percentile(latencies, 95.0);
    s.meanReward = r / s.steps;
    s.regret = regret;
    s.blocks.quality = blockSeries(log.quality);
    s.blocks.cost = blockSeries(log.cost);
    s.blocks.latency = blockSeries(log.latency);
    s.blocks.reward = blockSeries(log.reward);
    std::vector<float> stepRegret(log.reward.size());
    for (std::size_t t = 0; t < stepRegret.size(); ++t)
        stepRegret[t] = log.oracleReward[t] - log.reward[t];
    s.blocks.regret = blockSeries(stepRegret);

    // Per session: cost, and the step after which the pick no longer changes.
    double convergence = 0;
    int sessions = 0;
    for (std::size_t si = 0; si < sessionStarts.size(); ++si) {
        const int begin = sessionStarts[si];
        if (begin >= s.steps)
            break;
        const int end =
            si + 1 < sessionStarts.size() ? std::min(sessionStarts[si + 1], s.steps) : s.steps;
        double sessionCost = 0;
        for (int t = begin; t < end; ++t)
            sessionCost += log.cost[t];
        s.sessionCostUsd.push_back(sessionCost);
        const std::vector<int> picks(log.model.begin() + begin, log.model.begin() + end);
        const int converged = convergenceStep(picks);
        s.sessionConvergenceStep.push_back(converged);
        convergence += converged;
        ++sessions;
    }
    s.meanConvergenceStep = sessions > 0 ? convergence / sessions : 0;
    return s;
}

void requireInPool(const Decision& decision, int models, const RouterSpec& router,
                   std::size_t step) {
    if (decision.model >= 0 && decision.model < models)
        return;
    throw std::out_of_range(
        QStringLiteral("router '%1' chose model %2 at step %3, outside the pool of %4 models "
                       "(0..%5)")
            .arg(router.toString())
            .arg(decision.model)
            .arg(step)
            .arg(models)
            .arg(models - 1)
            .toStdString());
}

CellResult runCell(const SimulationSetup& setup, const Cell& cell, const std::atomic_bool* cancel,
                   const RewardTable* sharedTable) {
    const RoutingProblem& problem = setup.problem();
    const RewardFunction reward(problem.rewardKind, problem.scales, cell.preference);
    RewardTable ownTable;
    if (!sharedTable || !(sharedTable->preference == cell.preference)) {
        ownTable = buildRewardTable(setup, cell.preference);
        sharedTable = &ownTable;
    }
    const RewardTable& table = *sharedTable;
    std::unique_ptr<Router> router = RouterRegistry::instance().create(cell.router, problem);
    router->reset(cell.seed);

    const std::vector<int>& rows = setup.scoredRows();
    const std::vector<int>& starts = setup.sessionStarts();
    const std::vector<int>& categories = setup.dataset().promptCategory;
    const double* quality = setup.stepQuality().data();
    const double* cost = setup.stepCost().data();
    const double* latency = setup.stepLatency().data();
    const double* rewards = table.reward.data();
    const double* normalised = table.normalised.data();
    const int models = problem.modelCount();

    CellResult result;
    result.cell = cell;
    StepLog& log = result.log;
    const std::size_t n = rows.size();
    // Written by index, trimmed at the end: a cancelled cell keeps the steps it ran.
    log.model.resize(n);
    log.reward.resize(n);
    log.oracleReward.resize(n);
    log.quality.resize(n);
    log.cost.resize(n);
    log.latency.resize(n);
    log.topProbability.resize(n);

    std::size_t nextSession = 0;
    std::size_t t = 0;
    for (; t < n; ++t) {
        if (nextSession < starts.size() && static_cast<std::size_t>(starts[nextSession]) == t) {
            router->startSession();
            ++nextSession;
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                result.summary.complete = false;
                break;
            }
        }
        if (cancel && (t & 4095) == 0 && cancel->load(std::memory_order_relaxed)) {
            result.summary.complete = false;
            break;
        }
        clearUpperVectorState();
        const int row = rows[t];
        const Query query{row, categories[row]};
        const Decision decision = router->route(query, reward);
        requireInPool(decision, models, cell.router, t);
        const int k = decision.model;
        const std::size_t at = t * static_cast<std::size_t>(models) + static_cast<std::size_t>(k);
        Feedback fb;
        fb.quality = quality[at];
        fb.cost = cost[at];
        fb.latency = latency[at];
        fb.reward = rewards[at];
        fb.normalisedReward = normalised[at];
        router->observe(query, k, fb);

        log.model[t] = k;
        log.reward[t] = static_cast<float>(fb.reward);
        log.oracleReward[t] = static_cast<float>(table.oracle[t]);
        log.quality[t] = static_cast<float>(fb.quality);
        log.cost[t] = static_cast<float>(fb.cost);
        log.latency[t] = static_cast<float>(fb.latency);
        log.topProbability[t] = static_cast<float>(decision.topProbability);
    }
    if (t < n) {
        log.model.resize(t);
        log.reward.resize(t);
        log.oracleReward.resize(t);
        log.quality.resize(t);
        log.cost.resize(t);
        log.latency.resize(t);
        log.topProbability.resize(t);
    }

    const bool complete = result.summary.complete;
    result.summary = summariseStepLog(log, starts, models);
    result.summary.complete = complete;
    return result;
}

SeriesPoints reduceSeries(const std::vector<double>& values, int maxPoints) {
    SeriesPoints out;
    for (const auto& [index, value] : downsampleMinMax(values, maxPoints)) {
        out.step.push_back(index);
        out.value.push_back(value);
    }
    return out;
}

SeriesPoints reduceSeries(const SeriesPoints& series, int maxPoints) {
    SeriesPoints out;
    for (const auto& [index, value] : downsampleMinMax(series.value, maxPoints)) {
        out.step.push_back(series.step[static_cast<std::size_t>(index)]);
        out.value.push_back(value);
    }
    return out;
}

namespace {

void reduceLogToSeries(CellResult& r) {
    const std::vector<double> reward(r.log.reward.begin(), r.log.reward.end());
    const std::vector<double> oracle(r.log.oracleReward.begin(), r.log.oracleReward.end());
    r.cumulativeReward = reduceSeries(cumulativeSum(reward), kStoredSeriesPoints);
    r.cumulativeRegret = reduceSeries(cumulativeRegret(oracle, reward), kStoredSeriesPoints);
}

} // namespace

std::vector<CellResult> runCells(const SimulationSetup& setup, const std::vector<Cell>& cells,
                                 int threads, const std::atomic_bool* cancel,
                                 const std::function<void(int, int)>& progress, bool keepLogs,
                                 const std::function<void(int, const CellResult&)>& finished) {
    std::vector<CellResult> results(cells.size());
    // One reward table per distinct preference, built before the workers start.
    std::vector<RewardTable> tables;
    std::vector<int> tableOfCell;
    for (const Cell& cell : cells) {
        int t = 0;
        while (t < static_cast<int>(tables.size()) && !(tables[t].preference == cell.preference))
            ++t;
        if (t == static_cast<int>(tables.size()))
            tables.push_back(buildRewardTable(setup, cell.preference));
        tableOfCell.push_back(t);
    }
    std::atomic<int> next{0};
    std::atomic<int> done{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    std::atomic_bool failed{false};
    auto worker = [&] {
        for (;;) {
            const int i = next.fetch_add(1);
            if (i >= static_cast<int>(cells.size()) || failed.load())
                return;
            try {
                if (cancel && cancel->load()) {
                    results[i].cell = cells[i];
                    results[i].summary.complete = false;
                } else {
                    results[i] = runCell(setup, cells[i], cancel, &tables[tableOfCell[i]]);
                    reduceLogToSeries(results[i]);
                    if (finished)
                        finished(i, results[i]);
                    if (!keepLogs)
                        results[i].log = StepLog{};
                }
            } catch (...) {
                const std::lock_guard lock(failureMutex);
                if (!failure)
                    failure = std::current_exception();
                failed = true;
            }
            const int finished = done.fetch_add(1) + 1;
            if (progress)
                progress(finished, static_cast<int>(cells.size()));
        }
    };
    const int count = std::max(1, std::min(threads, static_cast<int>(cells.size())));
    std::vector<std::thread> pool;
    for (int t = 1; t < count; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
    return results;
}

} // namespace routerlab
