// kNN's cost as the data grows: the generator's data at 10,000 and 100,000 prompts (or the
// sizes given), `simulate --seeds 3` of pickllm-q and of knn (default features) on one
// thread, knn's search built within the timing. Prints figures, the ratio to pickllm-q and the
// growth exponent between sizes (1: linear, 2: the square); asserts nothing.
#include "generator/sample_generator.h"
#include "sim/simulation.h"
#include "synthetic_outcomes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace routerlab;

namespace {

double secondsOfThreeSeeds(const GeneratedSample& sample, const QString& router,
                           const QString& features) {
    SimulationOptions options;
    options.features = features;
    QElapsedTimer timer;
    timer.start();
    const SimulationSetup setup(sample.dataset, sample.pool, options);
    std::vector<Cell> cells;
    for (std::uint64_t seed = 1; seed <= 3; ++seed)
        cells.push_back({RouterSpec::parse(router), Preference{}, seed});
    runCells(setup, cells, 1);
    return timer.nsecsElapsed() * 1e-9;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    std::vector<int> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty())
        sizes = {10000, 100000};
    std::printf("RouterLab kNN benchmark: the generator's data, 8 models, every prompt trained "
                "and scored, 3 seeds, one thread\n");
    std::printf("%9s %13s %11s %15s %8s %8s\n", "prompts", "pickllm-q s", "knn s", "knn us/prompt",
                "ratio", "growth");
    double lastKnn = 0;
    int lastSize = 0;
    for (const int size : sizes) {
        GeneratorOptions generator;
        generator.promptsPerCategory = size / 4;
        const GeneratedSample sample = generateSample(generator);
        const int prompts = sample.dataset.promptCount();
        const double pickllm = secondsOfThreeSeeds(sample, QStringLiteral("pickllm-q"),
                                                   QStringLiteral("hashed-words:64"));
        const double knn =
            secondsOfThreeSeeds(sample, QStringLiteral("knn"), QStringLiteral("hashed-words:64"));
        const double growth = lastSize > 0
                                  ? std::log(knn / lastKnn) / std::log(double(prompts) / lastSize)
                                  : std::nan("");
        std::printf("%9d %13.2f %11.2f %15.1f %8.1f %8.2f\n", prompts, pickllm, knn,
                    1e6 * knn / (3.0 * prompts), knn / pickllm, growth);
        std::fflush(stdout);
        lastKnn = knn;
        lastSize = prompts;
    }
    std::printf("peak resident memory %.0f MiB\n", bench::peakRssMiB());
    return 0;
}
