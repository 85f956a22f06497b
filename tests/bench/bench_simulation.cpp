// Simulation throughput on 100,000 prompts x 10 models: steps per second per router on one
// thread, and a whole set of cells on 1 and 2 threads. Prints figures; asserts nothing.
#include "common/random.h"
#include "data/dataset_builder.h"
#include "sim/simulation.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>
#include <string>
#include <sys/resource.h>

using namespace routerlab;

namespace {

Dataset syntheticDataset(int prompts, int models, ModelPool& pool) {
    DatasetBuilder builder;
    const int file = builder.addSource(QStringLiteral("bench"), QStringLiteral("bench"));
    Random rng(42);
    for (int k = 0; k < models; ++k) {
        PoolModel m;
        m.id = QStringLiteral("model-%1").arg(k);
        m.inputPricePerMTok = 0.1 * (k + 1) * (k + 1);
        m.outputPricePerMTok = 0.4 * (k + 1) * (k + 1);
        pool.models.push_back(m);
    }
    const char* categories[] = {"math", "code", "knowledge", "chat"};
    for (int i = 0; i < prompts; ++i) {
        const std::string id = "p" + std::to_string(i);
        const int p =
            builder.addPrompt(id, id, categories[i % 4], {}, {}, {file, i + 2LL}, "prompt_id");
        for (int k = 0; k < models; ++k) {
            const int m = builder.addModel("model-" + std::to_string(k), {file, 1}, "model");
            CellValues v;
            v.quality = rng.bernoulli(0.3 + 0.06 * k) ? 1.0 : 0.0;
            v.inputTokens = 100;
            v.outputTokens = 50 + rng.uniformInt(400);
            v.latencyS = 0.2 + v.outputTokens / (30.0 + 10 * k);
            builder.addCell(p, m, v, {}, {file, i + 2LL});
        }
    }
    return builder.finish();
}

double peakRssMiB() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024.0;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const int prompts = argc > 1 ? std::atoi(argv[1]) : 100000;
    ModelPool pool;
    const Dataset dataset = syntheticDataset(prompts, 10, pool);
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
    std::printf("peak resident memory %.0f MiB\n", peakRssMiB());
    return 0;
}
