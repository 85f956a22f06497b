// Simulation throughput on 100,000 prompts x 10 models: steps per second per router on one
// thread, and a whole set of cells on 1 and 2 threads. Prints figures; asserts nothing.
#include "experiment/experiment_plan.h"
#include "sim/simulation.h"
#include "synthetic_outcomes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>
#include <string>

using namespace routerlab;

namespace {

// What the intervals add to a sweep: the run, then its result with and without the bootstrap
// (computed from the cells' block totals, never by running again).
void benchBootstrap(const SimulationSetup& setup) {
    const std::vector<RouterSpec> routers{RouterSpec::parse(QStringLiteral("pickllm-q")),
                                          RouterSpec::parse(QStringLiteral("thompson"))};
    const ExperimentPlan plan = planSweep(routers, 11, 0.0, 3, setup, QString());
    QElapsedTimer runTimer;
    runTimer.start();
    const std::vector<CellResult> results = runCells(setup, plan.cells, 1, nullptr, {}, false);
    const double run = runTimer.nsecsElapsed() * 1e-9;
    std::vector<const CellSummary*> summaries;
    for (const CellResult& r : results)
        summaries.push_back(&r.summary);
    auto timeResult = [&](int resamples) {
        ResultOptions options;
        options.bootstrap.resamples = resamples;
        QElapsedTimer timer;
        timer.start();
        const QJsonObject json = buildResult(plan.context, summaries, options);
        return json.isEmpty() ? 0.0 : timer.nsecsElapsed() * 1e-9;
    };
    const double plain = timeResult(0);
    const double withIntervals = timeResult(1000);
    std::printf("bootstrap: sweep of %zu cells run in %.2f s (1 thread); result %.3f s without "
                "intervals, %.3f s with 1000 resamples (%.1f%% of the run)\n",
                plan.cells.size(), run, plain, withIntervals,
                100.0 * (withIntervals - plain) / run);
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const int prompts = argc > 1 ? std::atoi(argv[1]) : 100000;
    ModelPool pool;
    const Dataset dataset = bench::syntheticOutcomes(prompts, 10, &pool);
    SimulationOptions options;
    options.sessions = SessionRule::parse(QStringLiteral("length:1000"));
    const SimulationSetup setup(dataset, pool, options);
    const Preference preference{0.5, 0.5, 0.0};
    std::printf("RouterLab simulation benchmark: %d prompts x 10 models, PickLLM reward\n",
                prompts);
    std::printf("%-16s %14s %12s\n", "router", "steps/s (1 thr)", "us/decision");
    QElapsedTimer tableTimer;
    tableTimer.start();
    const RewardTable table = buildRewardTable(setup, preference);
    std::printf("reward table (once per preference): %.3f s\n", tableTimer.nsecsElapsed() * 1e-9);
    const char* routers[] = {"random",         "oracle", "pickllm-ga", "pickllm-q",
                             "epsilon-greedy", "ucb1",   "thompson"};
    for (const char* r : routers) {
        const Cell cell{RouterSpec::parse(QString::fromLatin1(r)), preference, 1};
        QElapsedTimer timer;
        timer.start();
        const CellResult result = runCell(setup, cell, nullptr, &table);
        const double seconds = timer.nsecsElapsed() * 1e-9;
        std::printf("%-16s %14.0f %12.3f\n", r, result.summary.steps / seconds,
                    1e6 * seconds / result.summary.steps);
    }
    std::vector<Cell> cells;
    for (const char* r : routers)
        for (int s = 1; s <= 4; ++s)
            cells.push_back({RouterSpec::parse(QString::fromLatin1(r)), preference,
                             static_cast<std::uint64_t>(s)});
    for (int threads : {1, 2}) {
        QElapsedTimer timer;
        timer.start();
        const auto results = runCells(setup, cells, threads);
        const double seconds = timer.nsecsElapsed() * 1e-9;
        std::printf("%zu cells on %d thread(s): %.2f s, %.0f steps/s\n", cells.size(), threads,
                    seconds,
                    static_cast<double>(cells.size()) * results[0].summary.steps / seconds);
    }
    // PickLLM alone, the figure the issue targets: steps per second per core and on both.
    std::vector<Cell> pickllm;
    for (const char* r : {"pickllm-ga", "pickllm-q"})
        for (int s = 1; s <= 8; ++s)
            pickllm.push_back({RouterSpec::parse(QString::fromLatin1(r)), preference,
                               static_cast<std::uint64_t>(s)});
    for (int threads : {1, 2}) {
        QElapsedTimer timer;
        timer.start();
        const auto results = runCells(setup, pickllm, threads, nullptr, {}, false);
        const double seconds = timer.nsecsElapsed() * 1e-9;
        std::printf("PickLLM, %zu cells on %d thread(s): %.0f steps/s\n", pickllm.size(), threads,
                    static_cast<double>(pickllm.size()) * results[0].summary.steps / seconds);
    }
    benchBootstrap(setup);
    std::printf("peak resident memory %.0f MiB\n", bench::peakRssMiB());
    return 0;
}
