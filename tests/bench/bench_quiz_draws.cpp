// What the quiz's draws add to `routerlab-cli quiz`: the study prepared once (the IRT fit and the
// policy of the other models), then the budget curve 10,30,50,100 built with one draw and with
// ten, on one thread and on two. Each curve is timed five times and the fastest kept, so that
// other work on the machine inflates the figures less. Prints figures; asserts nothing.
//   routerlab-bench-quiz-draws DATASET [NEW_MODEL]   (a file or folder, e.g. the RouterBench
//   records and zero-one-ai/Yi-34B-Chat)
#include "formats/dataset_loader.h"
#include "irt/quiz_report.h"
#include "irt/quiz_study.h"
#include "sim/simulation.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>

using namespace routerlab;

namespace {

double fastestCurveSeconds(const QuizStudy& study, const Dataset& dataset, int draws, int threads) {
    QuizDrawOptions options;
    options.draws = draws;
    options.threads = threads;
    double fastest = 1e9;
    for (int repeat = 0; repeat < 5; ++repeat) {
        QElapsedTimer timer;
        timer.start();
        const QuizReport report = buildQuizReport(
            study, dataset, {10, 30, 50, 100}, [&](int row) { return study.recordedAnswer(row); },
            1, {}, options);
        fastest = std::min(fastest, timer.nsecsElapsed() * 1e-9);
        if (report.curve.size() != 4)
            std::printf("unexpected curve\n");
    }
    return fastest;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: routerlab-bench-quiz-draws DATASET [NEW_MODEL]\n");
        return 2;
    }
    const PricedDataset data = loadPricedDataset({QString::fromLocal8Bit(argv[1])}, {});
    const QString name =
        argc > 2 ? QString::fromLocal8Bit(argv[2]) : data.dataset.modelNames.front();
    const int newModel = data.dataset.modelIndex(name);
    if (newModel < 0) {
        std::fprintf(stderr, "no model %s in the dataset\n", qPrintable(name));
        return 2;
    }
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    QElapsedTimer timer;
    timer.start();
    const SimulationSetup setup(data.dataset, data.pool, options);
    const QuizStudy study(setup.problem(), newModel, Preference{0.8, 0.2, 0.0});
    std::printf("%s quizzed at quality 0.8 / cost 0.2, budgets 10,30,50,100\n", qPrintable(name));
    std::printf("preparation (features, IRT fit, policy): %.2f s\n", timer.nsecsElapsed() * 1e-9);
    for (const int draws : {1, 10})
        for (const int threads : {1, 2})
            std::printf("curve with %2d draws on %d thread%s: %.3f s (fastest of 5)\n", draws,
                        threads, threads > 1 ? "s" : "",
                        fastestCurveSeconds(study, data.dataset, draws, threads));
    return 0;
}
