#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"
#include "reward/reward_function.h"
#include "routers/router_registry.h"
#include "routing/router.h"
#include "stats/bootstrap.h"

#include <QJsonObject>
#include <QString>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace routerlab {

// What happens to a prompt whose outcome is missing for some model.
enum class MissingPolicy {
    SkipPrompt, // leave the prompt out of the run (default)
    Failure,    // a missing outcome is a failed answer: quality 0, cost and latency as estimated
};

// How the scored prompts are grouped into sessions (PickLLM learns within one).
struct SessionRule {
    enum class Kind { Category, FixedLength, Column, Single } kind = Kind::Category;
    int length = 100;                              // for FixedLength
    static SessionRule parse(const QString& text); // "category", "length:50", "column", "single"
    QString toString() const;
};

// Which prompts train (routers that pre-train, reward scales) and which are scored.
struct SplitRule {
    enum class Kind { None, Random, Category, Sources } kind = Kind::None;
    double trainFraction = 0.7; // for Random
    QStringList testCategories; // for Category: scored on these, trained on the rest
    QStringList testSources;    // for Sources (--test-dataset): scored on rows from these files
    static SplitRule parse(const QString& text); // "none", "random:0.7", "category:math,code"
    QString toString() const;
    // The kinds a user picks by name, no split first (Sources comes from --test-dataset).
    static QStringList namedKinds() {
        return {QStringLiteral("none"), QStringLiteral("random"), QStringLiteral("category")};
    }
};

struct SimulationOptions {
    RewardKind reward = RewardKind::PickLlm;
    MissingPolicy missing = MissingPolicy::SkipPrompt;
    SessionRule sessions;
    SplitRule split;
    std::uint64_t splitSeed = 1;
    QString features = QStringLiteral("hashed-words:64"); // makeFeaturizer() form
    // The scored prompts as dataset rows, in run order, a row once for each time it is scored
    // (replayed traffic). Empty: the split chooses them. When given, the split is not used:
    // every other usable row trains, and the sessions must keep the order (single, length:N).
    std::vector<int> scoredRows;
    // With scoredRows: the rows that train (the usable ones among them; a row scored is never
    // trained on). Empty: every usable row not scored.
    std::vector<int> trainingRows;
};

// Everything a cell needs, computed once per experiment and shared read-only by all threads.
class SimulationSetup {
public:
    SimulationSetup(const Dataset& dataset, const ModelPool& pool,
                    const SimulationOptions& options);
    // problem() points into the setup's own members: a copy or a move would leave it
    // pointing at the original.
    SimulationSetup(const SimulationSetup&) = delete;
    SimulationSetup& operator=(const SimulationSetup&) = delete;
    SimulationSetup(SimulationSetup&&) = delete;
    SimulationSetup& operator=(SimulationSetup&&) = delete;

    const Dataset& dataset() const { return dataset_; }
    const SimulationOptions& options() const { return options_; }
    const RoutingProblem& problem() const { return problem_; }
    // Scored prompts, in run order, and where each session starts in that list.
    const std::vector<int>& scoredRows() const { return problem_.scoredRows; }
    const std::vector<int>& sessionStarts() const { return sessionStarts_; }
    int skippedPrompts() const { return skipped_; }
    // Given scored rows left out because the missing policy dropped their prompt.
    int skippedGivenRows() const { return skippedGiven_; }
    // Outcomes of the scored prompts in run order, row-major: entry t * K + k is step t's
    // outcome for model k. A step then reads one or two cache lines, whatever the model.
    const std::vector<double>& stepQuality() const { return stepQuality_; }
    const std::vector<double>& stepCost() const { return stepCost_; }
    const std::vector<double>& stepLatency() const { return stepLatency_; }
    QJsonObject describe() const; // recorded with every run

private:
    // The constructor's steps, in the order it takes them.
    void readOutcomes(const ModelPool& pool);
    std::vector<int> usableRows(); // also counts the skipped prompts
    std::vector<int> orderIntoSessions(const std::vector<int>& scored);
    void buildProblem(const std::vector<int>& training, const std::vector<int>& ordered);
    void tabulateSteps(const std::vector<int>& ordered);

    const Dataset& dataset_;
    SimulationOptions options_;
    Eigen::MatrixXd quality_, cost_, latency_;
    std::unique_ptr<PromptFeatures> features_;
    std::unique_ptr<TrainingCache> trainingCache_ = std::make_unique<TrainingCache>();
    RoutingProblem problem_;
    std::vector<int> sessionStarts_;
    std::vector<double> stepQuality_, stepCost_, stepLatency_;
    int skipped_ = 0;
    int skippedGiven_ = 0;
};

// The step log of one cell, one entry per scored prompt. Floats keep 100k-step logs small.
struct StepLog {
    std::vector<int> model;
    std::vector<float> reward;
    std::vector<float> oracleReward;
    std::vector<float> quality;
    std::vector<float> cost;
    std::vector<float> latency;
    std::vector<float> topProbability;
};

struct CellSummary {
    double meanQuality = 0;
    double totalCostUsd = 0;
    double meanCostUsd = 0;
    double meanLatencyS = 0;
    double p95LatencyS = 0;
    double meanReward = 0;
    double regret = 0;                  // sum over steps of (oracle reward - reward)
    std::vector<double> selectionShare; // per model
    double meanConvergenceStep = 0;     // per-session convergence step, averaged over sessions
    std::vector<double> sessionCostUsd; // per session
    std::vector<double> sessionConvergenceStep; // per session
    BlockTotals blocks; // per-block totals of the steps: the intervals' input
    int steps = 0;
    bool complete = true; // false when cancelled part-way

    QJsonObject toJson(const QStringList& models) const;
};

struct Cell {
    RouterSpec router;
    Preference preference;
    std::uint64_t seed = 1;
};

// A series reduced for storage and charts: values at the given step indexes.
struct SeriesPoints {
    std::vector<double> step;
    std::vector<double> value;
};

struct CellResult {
    Cell cell;
    CellSummary summary;
    StepLog log; // empty when runCells was told not to keep logs
    // Cumulative reward and regret, min/max down-sampled (runCells fills them, logs or not).
    SeriesPoints cumulativeReward, cumulativeRegret;
};

// Points kept per stored series: enough for any chart, small enough to write in milliseconds.
inline constexpr int kStoredSeriesPoints = 2000;
// At most `maxPoints` of a series, keeping each bucket's minimum and maximum.
SeriesPoints reduceSeries(const std::vector<double>& values, int maxPoints);
SeriesPoints reduceSeries(const SeriesPoints& series, int maxPoints);

// Every reward a preference can produce on the scored prompts, and the oracle's per prompt:
// built once per preference and shared by all routers and seeds, so a step is a lookup.
struct RewardTable {
    Preference preference;
    std::vector<double> reward;     // step t, model k at t * K + k (SimulationSetup's order)
    std::vector<double> normalised; // reward mapped onto [0, 1], same layout
    std::vector<double> oracle;     // best reward per step
};
RewardTable buildRewardTable(const SimulationSetup& setup, const Preference& preference);

// The summary of a step log (what runCell gives a cell; the live runner uses it too);
// `complete` is left at its default for the caller to set.
CellSummary summariseStepLog(const StepLog& log, const std::vector<int>& sessionStarts, int models);
// Throws std::out_of_range naming the router and the step when a decision lies outside the
// pool: a router's bug, which would otherwise index past the outcome tables.
void requireInPool(const Decision& decision, int models, const RouterSpec& router,
                   std::size_t step);
// Runs one cell. Deterministic in (setup, cell): no shared state, no timing. Without a table
// (or with one for another preference) it builds its own.
CellResult runCell(const SimulationSetup& setup, const Cell& cell,
                   const std::atomic_bool* cancel = nullptr, const RewardTable* table = nullptr);

// Runs every cell on `threads` workers; results come back in cell order and do not depend on
// the thread count. `progress(done, total)` is called from worker threads. Without
// `keepLogs` each cell's step log is dropped once summarised: a sweep of hundreds of 100k-step
// cells would otherwise hold gigabytes. `finished(i, result)` is called from the worker that
// ran cell i as soon as it has (a caller storing cells as they end serialises it); when it
// throws, no further cell starts and runCells rethrows.
std::vector<CellResult> runCells(const SimulationSetup& setup, const std::vector<Cell>& cells,
                                 int threads, const std::atomic_bool* cancel = nullptr,
                                 const std::function<void(int, int)>& progress = {},
                                 bool keepLogs = true,
                                 const std::function<void(int, const CellResult&)>& finished = {});

} // namespace routerlab
