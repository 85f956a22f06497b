// The IRT bandit's costs with 10 and with 50 models in the pool: training time of the IRT fit
// and of the set policy, microseconds per routing decision (featurizing a ~2,000-character
// prompt, then the policy over every model; the paper reports ~5 ms and < 100 MB), and the
// size of the trained router. Prints figures; asserts nothing.
#include "features/tfidf_featurizer.h"
#include "irt/irt_evidence.h"
#include "irt/irt_model.h"
#include "irt/set_policy.h"
#include "reward/reward_function.h"
#include "sim/simulation.h"
#include "synthetic_outcomes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>

using namespace routerlab;

namespace {

QString longPrompt(int chars, int variant) {
    const char* words[] = {"which", "planet", "is",    "closest", "to",       "the",
                           "sun",   "answer", "write", "python",  "function", "reverses"};
    QString text;
    Random random(static_cast<std::uint64_t>(variant) + 1);
    while (text.size() < chars) {
        text += QString::fromLatin1(words[random.uniformInt(12)]);
        text += QLatin1Char(' ');
    }
    return text.left(chars);
}

void run(int models, int prompts) {
    ModelPool pool;
    const Dataset dataset = bench::syntheticOutcomes(prompts, models, &pool);
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    options.features = QStringLiteral("tfidf:512");
    options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    const SimulationSetup setup(dataset, pool, options);
    const RoutingProblem& problem = setup.problem();
    const Eigen::MatrixXf& features = problem.features->matrix();

    QElapsedTimer timer;
    timer.start();
    IrtModel irt(static_cast<int>(features.rows()), models, IrtSettings{});
    irt.fit(features, trainingObservations(problem));
    const double fitSeconds = timer.nsecsElapsed() * 1e-9;

    std::vector<ModelToken> tokens;
    for (int k = 0; k < models; ++k) {
        double cost = 0, latency = 0;
        for (const int i : problem.trainingRows) {
            cost += (*problem.cost)(i, k);
            latency += (*problem.latency)(i, k);
        }
        const double n = double(problem.trainingRows.size());
        tokens.push_back({irt.identity(k), cost / n, latency / n, k});
    }
    timer.restart();
    SetPolicySettings settings;
    const SetPolicy policy = trainSetPolicy(problem, irt, tokens, settings);
    const double policySeconds = timer.nsecsElapsed() * 1e-9;

    // What live mode does per prompt: featurize, then the policy over the whole pool.
    const Featurizer& featurizer = problem.features->featurizer();
    std::vector<QString> fresh;
    for (int i = 0; i < 200; ++i)
        fresh.push_back(longPrompt(2000, 5000 + i));
    const Preference preference{0.7, 0.3, 0.0};
    const RewardFunction reward(problem.rewardKind, problem.scales, preference);
    SetPolicy::Trace trace;
    const int rounds = 10;
    Eigen::Index choices = 0;
    timer.restart();
    for (int r = 0; r < rounds; ++r)
        for (const QString& text : fresh) {
            const Eigen::VectorXf x = featurizer.transform(text);
            policy.forward(x, preference, SetPolicy::predictionInputs(irt, x, tokens, reward),
                           trace);
            Eigen::Index best = 0;
            trace.probability.maxCoeff(&best);
            choices += best;
        }
    const double decisionMicros = timer.nsecsElapsed() * 1e-3 / (rounds * fresh.size());
    const Eigen::VectorXf x = featurizer.transform(fresh.front());
    timer.restart();
    for (int r = 0; r < rounds * 200; ++r)
        policy.forward(x, preference, SetPolicy::predictionInputs(irt, x, tokens, reward), trace);
    const double policyMicros = timer.nsecsElapsed() * 1e-3 / (rounds * 200);
    timer.restart();
    float featureSum = 0; // read, so the transforms are not optimised away
    for (int r = 0; r < rounds; ++r)
        for (const QString& text : fresh)
            featureSum += featurizer.transform(text)[0];
    const double featureMicros =
        timer.nsecsElapsed() * 1e-3 / double(rounds) / double(fresh.size());

    const std::size_t parameters = policy.parameterCount();
    const double routerKiB =
        (parameters + static_cast<std::size_t>(2 * models * irt.dimension()) + // identities
         static_cast<std::size_t>((irt.featureDimension() + 1) * (irt.dimension() + 1))) *
        sizeof(float) / 1024.0;
    std::printf(
        "%2d models: IRT fit %.2f s, policy (PPO, %d rounds) %.2f s; decision incl. "
        "featurization %.1f us (featurization alone %.1f us, policy alone %.1f us); trained "
        "router %.0f KiB%s\n",
        models, fitSeconds, settings.iterations, policySeconds, decisionMicros, featureMicros,
        policyMicros, routerKiB, choices < 0 || featureSum > 1e30f ? " " : "");
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const int prompts = argc > 1 ? std::atoi(argv[1]) : 2000;
    std::printf("RouterLab IRT-bandit benchmark: %d synthetic prompts, tfidf:512 features\n",
                prompts);
    for (const int models : {10, 50})
        run(models, prompts);
    std::printf("peak resident memory %.0f MiB\n", bench::peakRssMiB());
    return 0;
}
