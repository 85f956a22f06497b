// How much of a model's routing gain a cold-start quiz recovers, model by model. Each model of a
// dataset in turn is the new one; its full-data identity is judged against routing without it
// at the five points of a cost sweep (quality 1 to cost 1), and so are quizzes of 10 and 30
// prompts (ten draws each): the quizzed identity kept fixed over the scored prompts, and the
// online continuation over the first 500 of them (Thompson sampling, refit on every answer the
// new model gives). A model whose full-data identity raises the reward by more than 0.001 per
// point on average is summarised by the share of that gain recovered (summed over the sweep);
// any other by the mean reward per point the quizzes cost; beside them, the pooled recovery and
// the worst model without gain. Prints figures; asserts nothing.
//   routerlab-bench-quiz-recovery [--budgets K,K,...] [--study-seeds N] DATASET [POOL]
//   [FEATURES]   (a file or folder; a pool for a dataset that records no costs; budgets 10,30
//   unless given; with N study seeds the preparation, the known models' IRT fit and policy, is
//   trained with seeds 1..N and the summaries are averaged)
#include "formats/dataset_loader.h"
#include "irt/quiz_continuation.h"
#include "irt/quiz_draws.h"
#include "irt/quiz_study.h"
#include "sim/simulation.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

using namespace routerlab;

namespace {

constexpr int kDraws = 10;
constexpr int kSweepPoints = 5;
constexpr double kGainFloor = 0.001 * kSweepPoints;

std::vector<Preference> costSweep() {
    std::vector<Preference> out;
    for (int i = 0; i < kSweepPoints; ++i) {
        const double cost = double(i) / (kSweepPoints - 1);
        out.push_back({1.0 - cost, cost, 0.0});
    }
    return out;
}

// Gains over routing without the model, summed over the sweep (and averaged over draws).
struct Gains {
    double full = 0, fixed = 0;              // on all scored prompts
    double continuedFull = 0, continued = 0; // on the continuation's prompts
    double regret = 0, fixedRegret = 0;      // summed over those prompts and the sweep
};

std::vector<Gains> studyModel(const SimulationSetup& setup, int model,
                              const std::vector<int>& budgets, std::uint64_t studySeed,
                              double& fullGain) {
    const std::vector<Preference> sweep = costSweep();
    QuizStudySettings settings;
    settings.seed = studySeed;
    const QuizStudy study(setup.problem(), model, sweep.front(), settings);
    std::vector<double> without;
    fullGain = 0;
    for (const Preference& p : sweep) {
        without.push_back(study.route(nullptr, p).reward);
        fullGain += study.route(&study.fullIdentity(), p).reward - without.back();
    }
    std::vector<Gains> out;
    for (const int budget : budgets) {
        std::vector<Gains> draws(kDraws);
        runQuizTasks(kDraws, 2, [&](int draw) {
            const std::uint64_t seed = quizDrawSeed(1, draw);
            const QuizOutcome quiz = study.quiz(
                budget, setup.dataset().promptCategory,
                [&](int row) { return study.recordedAnswer(row); }, seed);
            Gains& g = draws[std::size_t(draw)];
            for (std::size_t i = 0; i < sweep.size(); ++i) {
                g.fixed += study.route(&quiz.identity, sweep[i]).reward - without[i];
                const ContinuationOutcome c =
                    continueQuiz(study, quiz.steps, {500, sweep[i], seed});
                g.continuedFull += (c.fullReward - c.withoutReward) / c.routed;
                g.continued += (c.reward - c.withoutReward) / c.routed;
                g.regret += c.regret();
                g.fixedRegret += c.fixedRegret();
            }
        });
        Gains mean;
        for (const Gains& g : draws) {
            mean.fixed += g.fixed / kDraws;
            mean.continuedFull += g.continuedFull / kDraws;
            mean.continued += g.continued / kDraws;
            mean.regret += g.regret / kDraws;
            mean.fixedRegret += g.fixedRegret / kDraws;
        }
        out.push_back(mean);
    }
    return out;
}

// Larger budgets show what the 10- and 30-prompt figures can be held to: the share recovered
// by quizzes that ask a good part of the training prompts.
// Per budget: mean recovery over the gaining models and mean reward change over the others; the
// pooled recovery (the gaining models' recovered gains summed, over their full-data gains
// summed), which a model with a gain near zero cannot swing as it swings a mean of ratios; and
// the worst reward change of a model without gain.
struct Summary {
    std::vector<double> fixedShare, continuedShare, loss, continuedLoss;
    std::vector<double> pooledFixed, pooledContinued, worstLoss, worstContinuedLoss;
    int gaining = 0, flat = 0;

    explicit Summary(std::size_t budgets)
        : fixedShare(budgets), continuedShare(budgets), loss(budgets), continuedLoss(budgets),
          pooledFixed(budgets), pooledContinued(budgets), worstLoss(budgets),
          worstContinuedLoss(budgets) {}
};

Summary studyEveryModel(const SimulationSetup& setup, const std::vector<int>& budgets,
                        std::uint64_t studySeed) {
    const std::size_t n = budgets.size();
    Summary out(n);
    std::vector<double> fullSum(n), fixedSum(n), continuedFullSum(n), continuedSum(n);
    for (int m = 0; m < setup.problem().modelCount(); ++m) {
        double full = 0;
        const std::vector<Gains> gains = studyModel(setup, m, budgets, studySeed, full);
        const bool gains_ = full > kGainFloor;
        (gains_ ? out.gaining : out.flat) += 1;
        QString line;
        for (std::size_t b = 0; b < n; ++b) {
            const Gains& g = gains[b];
            if (gains_) {
                out.fixedShare[b] += g.fixed / full;
                out.continuedShare[b] += g.continued / g.continuedFull;
                fullSum[b] += full;
                fixedSum[b] += g.fixed;
                continuedFullSum[b] += g.continuedFull;
                continuedSum[b] += g.continued;
                line += QStringLiteral("  k=%1 fixed %2% continued %3% (regret %4, fixed %5)")
                            .arg(budgets[b])
                            .arg(100 * g.fixed / full, 0, 'f', 0)
                            .arg(100 * g.continued / g.continuedFull, 0, 'f', 0)
                            .arg(g.regret / kSweepPoints, 0, 'f', 1)
                            .arg(g.fixedRegret / kSweepPoints, 0, 'f', 1);
            } else {
                out.loss[b] += g.fixed / kSweepPoints;
                out.continuedLoss[b] += g.continued / kSweepPoints;
                out.worstLoss[b] = std::min(out.worstLoss[b], g.fixed / kSweepPoints);
                out.worstContinuedLoss[b] =
                    std::min(out.worstContinuedLoss[b], g.continued / kSweepPoints);
                line += QStringLiteral("  k=%1 fixed %2 continued %3")
                            .arg(budgets[b])
                            .arg(g.fixed / kSweepPoints, 0, 'f', 4)
                            .arg(g.continued / kSweepPoints, 0, 'f', 4);
            }
        }
        std::printf("%-34s gain %.4f%s\n", qPrintable(setup.problem().modelNames[m]), full,
                    qPrintable(line));
        std::fflush(stdout);
    }
    for (std::size_t b = 0; b < n; ++b) {
        out.fixedShare[b] /= std::max(1, out.gaining);
        out.continuedShare[b] /= std::max(1, out.gaining);
        out.loss[b] /= std::max(1, out.flat);
        out.continuedLoss[b] /= std::max(1, out.flat);
        out.pooledFixed[b] = fullSum[b] > 0 ? fixedSum[b] / fullSum[b] : 0;
        out.pooledContinued[b] =
            continuedFullSum[b] > 0 ? continuedSum[b] / continuedFullSum[b] : 0;
    }
    return out;
}

void printSummary(const std::vector<int>& budgets, const Summary& s, const char* models) {
    for (std::size_t b = 0; b < budgets.size(); ++b) {
        std::printf("k=%d: mean recovery fixed %.0f%%, continued %.0f%% over %s gaining models; "
                    "reward change per prompt fixed %.4f, continued %.4f over %s others\n",
                    budgets[b], 100 * s.fixedShare[b], 100 * s.continuedShare[b],
                    models ? models : qPrintable(QString::number(s.gaining)), s.loss[b],
                    s.continuedLoss[b], models ? models : qPrintable(QString::number(s.flat)));
        std::printf("      pooled recovery fixed %.0f%%, continued %.0f%%; worst model without "
                    "gain fixed %.4f, continued %.4f\n",
                    100 * s.pooledFixed[b], 100 * s.pooledContinued[b], s.worstLoss[b],
                    s.worstContinuedLoss[b]);
    }
}

std::vector<int> parseBudgets(const QString& list) {
    std::vector<int> out;
    for (const QString& part : list.split(QLatin1Char(','))) {
        bool ok = false;
        const int k = part.toInt(&ok);
        if (!ok || k < 1)
            return {};
        out.push_back(k);
    }
    return out;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    std::vector<int> budgets{10, 30};
    int studySeeds = 1;
    bool usage = false;
    while (args.size() > 1 && args.front().startsWith(QLatin1String("--"))) {
        if (args.front() == QLatin1String("--budgets")) {
            budgets = parseBudgets(args.at(1));
            usage = usage || budgets.empty();
        } else if (args.front() == QLatin1String("--study-seeds")) {
            bool ok = false;
            studySeeds = args.at(1).toInt(&ok);
            usage = usage || !ok || studySeeds < 1;
        } else {
            usage = true;
        }
        args.remove(0, 2);
    }
    if (args.isEmpty() || usage) {
        std::fprintf(stderr, "usage: routerlab-bench-quiz-recovery [--budgets K,K,...] "
                             "[--study-seeds N] DATASET [POOL] [FEATURES]\n");
        return 2;
    }
    const bool pool = args.size() > 1 && args.at(1).endsWith(QLatin1String(".pool.json"));
    const PricedDataset data = loadPricedDataset({args.at(0)}, pool ? args.at(1) : QString());
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    if (args.size() > (pool ? 2 : 1))
        options.features = args.at(pool ? 2 : 1);
    const SimulationSetup setup(data.dataset, data.pool, options);
    QElapsedTimer timer;
    timer.start();
    std::printf("%d draws per budget, five-point cost sweep; fixed: the quizzed identity on all "
                "scored prompts; continued: Thompson continuation over the first 500\n",
                kDraws);
    Summary mean(budgets.size());
    for (int seed = 1; seed <= studySeeds; ++seed) {
        if (studySeeds > 1)
            std::printf("study seed %d (the known models' IRT fit and policy)\n", seed);
        const Summary s = studyEveryModel(setup, budgets, std::uint64_t(seed));
        printSummary(budgets, s, nullptr);
        for (std::size_t b = 0; b < budgets.size(); ++b) {
            mean.fixedShare[b] += s.fixedShare[b] / studySeeds;
            mean.continuedShare[b] += s.continuedShare[b] / studySeeds;
            mean.loss[b] += s.loss[b] / studySeeds;
            mean.continuedLoss[b] += s.continuedLoss[b] / studySeeds;
            mean.pooledFixed[b] += s.pooledFixed[b] / studySeeds;
            mean.pooledContinued[b] += s.pooledContinued[b] / studySeeds;
            mean.worstLoss[b] = std::min(mean.worstLoss[b], s.worstLoss[b]);
            mean.worstContinuedLoss[b] =
                std::min(mean.worstContinuedLoss[b], s.worstContinuedLoss[b]);
        }
    }
    if (studySeeds > 1) {
        std::printf("mean over %d study seeds (each seed's own gaining models):\n", studySeeds);
        printSummary(budgets, mean, "the");
    }
    std::printf("%.1f s\n", timer.nsecsElapsed() * 1e-9);
    return 0;
}
