// Simulation throughput on 100,000 prompts x 10 models: steps per second per router on one
// thread, and a whole set of cells on 1 and 2 threads. Prints figures; asserts nothing.
#include "sim/simulation.h"
#include "synthetic_outcomes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>
#include <string>

using namespace routerlab;

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
    std::printf("peak resident memory %.0f MiB\n", bench::peakRssMiB());
    return 0;
}
