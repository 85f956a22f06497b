// BaRP's costs: microseconds per routing decision including featurization of a ~2,000-char
// prompt (the IRT-bandit paper reports ~5 ms; we aim under 50 us), TF-IDF featurizer speed,
// and policy-gradient updates per second in training. Prints figures; asserts nothing.
#include "features/tfidf_featurizer.h"
#include "routers/barp_model.h"
#include "sim/simulation.h"
#include "synthetic_outcomes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <cstdio>

using namespace routerlab;

namespace {

// A few-shot prompt of about `chars` characters, different words in every line.
QString longPrompt(int chars, int variant) {
    const char* words[] = {"which",    "planet", "is",       "closest", "to",     "the",
                           "sun",      "answer", "choice",   "write",   "python", "function",
                           "reverses", "list",   "sentence", "blank",   "trophy", "suitcase"};
    QString text;
    Random random(static_cast<std::uint64_t>(variant) + 1);
    while (text.size() < chars) {
        text += QString::fromLatin1(words[random.uniformInt(18)]);
        text += random.uniformInt(12) == 0 ? QStringLiteral("?\nA) ") : QStringLiteral(" ");
    }
    return text.left(chars);
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const int prompts = argc > 1 ? std::atoi(argv[1]) : 3000;
    std::printf("RouterLab BaRP benchmark: %d synthetic prompts x 11 models, tfidf:512 features\n",
                prompts);

    // Featurizer: fit on 2,000 long prompts, then transform fresh ones.
    std::vector<QString> corpus;
    for (int i = 0; i < 2000; ++i)
        corpus.push_back(longPrompt(2000, i));
    std::vector<const QString*> training;
    for (const QString& t : corpus)
        training.push_back(&t);
    TfidfFeaturizer featurizer(512);
    QElapsedTimer timer;
    timer.start();
    featurizer.fit(training);
    std::printf("tfidf fit on 2,000 prompts of 2,000 chars: %.3f s\n", timer.nsecsElapsed() * 1e-9);
    std::vector<QString> fresh;
    for (int i = 0; i < 200; ++i)
        fresh.push_back(longPrompt(2000, 10000 + i));
    const int rounds = 20;
    float sink = 0;
    timer.restart();
    for (int r = 0; r < rounds; ++r)
        for (const QString& t : fresh)
            sink += featurizer.transform(t)[0];
    const double featureMicros = timer.nsecsElapsed() * 1e-3 / (rounds * fresh.size());
    std::printf("tfidf transform, 2,000-char prompt: %.1f us/prompt\n", featureMicros);

    // Training throughput on synthetic outcomes.
    ModelPool pool;
    const Dataset dataset = bench::syntheticOutcomes(prompts, 11, &pool);
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    options.features = QStringLiteral("tfidf:512");
    const SimulationSetup setup(dataset, pool, options);
    setup.problem().features->matrix();
    BarpSettings settings;
    timer.restart();
    const auto model = BarpModel::train(setup.problem(), settings);
    const double trainSeconds = timer.nsecsElapsed() * 1e-9;
    const double updates =
        static_cast<double>(settings.epochs) * setup.problem().trainingRows.size();
    std::printf("training: %d epochs x %zu prompts in %.2f s: %.0f bandit updates/s "
                "(%.0f mini-batch steps/s)\n",
                settings.epochs, setup.problem().trainingRows.size(), trainSeconds,
                updates / trainSeconds, updates / settings.batchSize / trainSeconds);

    // A routing decision as live mode makes it: featurize, then one forward pass.
    const Eigen::VectorXf encoded = model->encodePreference({0.7, 0.3, 0.0});
    int choices = 0;
    timer.restart();
    for (int r = 0; r < rounds; ++r) {
        for (const QString& t : fresh) {
            const Eigen::VectorXf x = featurizer.transform(t);
            const Eigen::VectorXf p = model->probabilities(x, encoded);
            int best = 0;
            p.maxCoeff(&best);
            choices += best;
        }
    }
    const double decisionMicros = timer.nsecsElapsed() * 1e-3 / (rounds * fresh.size());
    std::printf("routing decision incl. featurization: %.1f us (policy alone %.1f us)\n",
                decisionMicros, decisionMicros - featureMicros);
    std::printf("peak resident memory %.0f MiB%s\n", bench::peakRssMiB(),
                sink + choices == -1.0f ? " " : "");
    return 0;
}
