// The learned routers' cost as the data grows: the generator's data at 10,000 and 100,000
// prompts (or the sizes given), `simulate --seeds 3` of each router on one cell thread (the
// guard's held-out retraining runs beside the main training), training, features and routing
// within the timing. Prints seconds, the ratio to pickllm-q and the growth exponent between
// sizes (1: linear, 2: the square), and how many of the exact nearest prompts knn's blocked
// search finds; asserts nothing. BENCH_ROUTERS=knn times that router alone (beside pickllm-q);
// BENCH_REPEATS=3 times each router three times and keeps the fastest, so that one run's page
// faults or a neighbour on the machine do not pass for growth.
#include "generator/sample_generator.h"
#include "routing/neighbour_search.h"
#include "sim/simulation.h"
#include "synthetic_outcomes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

using namespace routerlab;

namespace {

std::vector<const char*> kRouters = {
    "pickllm-q", "barp", "quality-regression", "knn", "irt-greedy", "irt-bandit", "mf", "routerdc"};

double secondsOfThreeSeeds(const GeneratedSample& sample, const char* router) {
    SimulationOptions options;
    options.features = QStringLiteral("hashed-words:64");
    QElapsedTimer timer;
    timer.start();
    const SimulationSetup setup(sample.dataset, sample.pool, options);
    std::vector<Cell> cells;
    for (std::uint64_t seed = 1; seed <= 3; ++seed)
        cells.push_back({RouterSpec::parse(QString::fromLatin1(router)), Preference{}, seed});
    runCells(setup, cells, 1);
    return timer.nsecsElapsed() * 1e-9;
}

// knn's blocked search against the exact one: the share of the exact 100 nearest prompts of
// 200 training prompts that it finds, a prompt as similar as the exact 100th counting as found
// (the generator's prompts repeat, so ties are common); -1 when the search is exact.
double blockedRecall(const GeneratedSample& sample) {
    SimulationOptions options;
    options.features = QStringLiteral("hashed-words:64");
    const SimulationSetup setup(sample.dataset, sample.pool, options);
    const NeighbourSearch blocked(setup.problem(), false);
    const NeighbourSearch exact(setup.problem(), false, std::numeric_limits<std::size_t>::max());
    if (!blocked.blocked())
        return -1;
    const std::vector<int>& rows = setup.problem().trainingRows;
    std::vector<int> asked;
    for (std::size_t i = 0; i < 200; ++i)
        asked.push_back(rows[i * rows.size() / 200]);
    const auto exactNeighbours = exact.nearestToRows(asked, 100);
    const auto blockedNeighbours = blocked.nearestToRows(asked, 100);
    std::size_t found = 0, wanted = 0;
    for (std::size_t i = 0; i < asked.size(); ++i) {
        const float last = exactNeighbours[i].back().similarity;
        wanted += exactNeighbours[i].size();
        for (const Neighbour& n : blockedNeighbours[i])
            found += n.similarity >= last;
    }
    return double(std::min(found, wanted)) / double(wanted);
}

void printRow(const char* label, const std::vector<double>& values, const char* format) {
    std::printf("%-12s", label);
    for (const double v : values)
        std::printf(format, v);
    std::printf("\n");
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    if (const char* only = std::getenv("BENCH_ROUTERS"))
        kRouters = {"pickllm-q", only};
    const char* repeatsText = std::getenv("BENCH_REPEATS");
    const int repeats = std::max(1, repeatsText ? std::atoi(repeatsText) : 1);
    std::vector<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty())
        sizes = {10000, 100000};
    std::printf("RouterLab scaling benchmark: the generator's data, 8 models, hashed-words:64, "
                "every prompt trained and scored, 3 seeds, fastest of %d\n%-12s",
                repeats, "");
    for (const char* router : kRouters)
        std::printf("%19s", router);
    std::printf("\n");
    std::vector<double> last;
    int lastSize = 0;
    for (const int size : sizes) {
        GeneratorOptions generator;
        generator.promptsPerCategory = size / 4;
        const GeneratedSample sample = generateSample(generator);
        const int prompts = sample.dataset.promptCount();
        std::vector<double> seconds, ratio, growth;
        for (const char* router : kRouters) {
            double fastest = std::numeric_limits<double>::infinity();
            for (int repeat = 0; repeat < repeats; ++repeat)
                fastest = std::min(fastest, secondsOfThreeSeeds(sample, router));
            seconds.push_back(fastest);
            std::fflush(stdout);
        }
        for (std::size_t r = 0; r < seconds.size(); ++r) {
            ratio.push_back(seconds[r] / seconds[0]);
            growth.push_back(lastSize > 0 ? std::log(seconds[r] / last[r]) /
                                                std::log(double(prompts) / lastSize)
                                          : std::nan(""));
        }
        const std::string label = std::to_string(prompts) + " prompts";
        std::printf("%s\n", label.c_str());
        printRow("  seconds", seconds, "%19.2f");
        printRow("  x pickllm", ratio, "%19.1f");
        if (lastSize > 0)
            printRow("  growth", growth, "%19.2f");
        if (const double recall = blockedRecall(sample); recall >= 0)
            std::printf("  knn's blocked search finds %.1f%% of the exact 100 nearest prompts\n",
                        100.0 * recall);
        else
            std::printf("  knn searches every training prompt\n");
        std::fflush(stdout);
        last = seconds;
        lastSize = prompts;
    }
    std::printf("peak resident memory %.0f MiB\n", bench::peakRssMiB());
    return 0;
}
