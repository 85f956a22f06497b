// The IRT fit behind the IRT bandit and the cold-start quiz: on synthetic data drawn from a
// known IRT model, and on the sample data (and RouterBench when ../shared/data is present).
#include "common/random.h"
#include "common/subnormal_flush.h"
#include "features/prompt_features.h"
#include "formats/csv_reader.h"
#include "formats/dataset_loader.h"
#include "irt/irt_evidence.h"
#include "irt/irt_model.h"
#include "irt/item_bank.h"
#include "irt/quiz.h"
#include "irt/quiz_study.h"
#include "irt/set_policy.h"
#include "sim/simulation.h"
#include "sweep_support.h"
#include "test_main.h"
#include "test_support.h"

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <numeric>

using namespace routerlab;
using routerlab::testing::meanRewardOf;

namespace {

// Rows shuffled with a fixed seed, split into training and held-out parts.
void splitRows(int n, double trainShare, std::vector<int>& train, std::vector<int>& test) {
    std::vector<int> rows(static_cast<std::size_t>(n));
    std::iota(rows.begin(), rows.end(), 0);
    Random random(42);
    for (std::size_t i = rows.size(); i > 1; --i)
        std::swap(rows[i - 1], rows[static_cast<std::size_t>(random.uniformInt(int(i)))]);
    const auto cut = static_cast<std::ptrdiff_t>(trainShare * n);
    train.assign(rows.begin(), rows.begin() + cut);
    test.assign(rows.begin() + cut, rows.end());
}

std::vector<IrtObservation> observationsOf(const Dataset& d, const std::vector<int>& rows,
                                           int skipModel = -1, int onlyModel = -1) {
    std::vector<IrtObservation> out;
    for (const int i : rows)
        for (int k = 0; k < d.modelCount(); ++k)
            if (!d.isMissing(i, k) && k != skipModel && (onlyModel < 0 || k == onlyModel))
                out.push_back({i, k, static_cast<float>(d.quality(i, k))});
    return out;
}

// Log-likelihood of held-out answers under each model's training base rate.
double baseRateLogLikelihood(const std::vector<IrtObservation>& train,
                             const std::vector<IrtObservation>& test, int models) {
    std::vector<double> sum(models, 0), count(models, 0);
    for (const IrtObservation& o : train) {
        sum[o.model] += o.score;
        count[o.model] += 1;
    }
    double ll = 0;
    for (const IrtObservation& o : test) {
        const double p = std::clamp(sum[o.model] / std::max(1.0, count[o.model]), 1e-9, 1 - 1e-9);
        ll += o.score * std::log(p) + (1 - o.score) * std::log1p(-p);
    }
    return ll / double(test.size());
}

// Expected calibration error over ten bins of the predicted probability.
double calibrationError(const IrtModel& model, const Eigen::MatrixXf& features,
                        const std::vector<IrtObservation>& test) {
    std::vector<double> predicted(10, 0), observed(10, 0), count(10, 0);
    for (const IrtObservation& o : test) {
        const double p = model.probability(features.col(o.row), o.model);
        const int bin = std::min(9, int(p * 10));
        predicted[bin] += p;
        observed[bin] += o.score;
        count[bin] += 1;
    }
    double error = 0;
    for (int b = 0; b < 10; ++b)
        error += std::abs(predicted[b] - observed[b]);
    return error / double(test.size());
}

// The answers of the problem's scored rows, as IRT evidence.
std::vector<IrtObservation> scoredObservations(const RoutingProblem& problem) {
    std::vector<IrtObservation> out;
    for (const int row : problem.scoredRows)
        for (int k = 0; k < problem.modelCount(); ++k) {
            const double q = (*problem.quality)(row, k);
            if (!std::isnan(q))
                out.push_back({row, k, float(q)});
        }
    return out;
}

// Each model in turn is hidden, quizzed with each budget (five quizzes, seeds 1 to 5) and
// routed to by the policy trained without it, at every preference of the sweep: the routing
// gain its full-data identity brings over routing without it, and the part of that gain the
// quizzed identities bring on average, summed over models and preferences (single cases are
// too small and noisy to judge). One entry per budget.
struct QuizGain {
    double full = 0;
    double quizzed = 0;
    double share() const { return quizzed / full; }
};

std::vector<QuizGain> quizGains(const SimulationSetup& setup, const std::vector<int>& hidden,
                                const std::vector<int>& budgets,
                                const std::vector<Preference>& preferences) {
    constexpr int kSeeds = 10;
    const RoutingProblem& problem = setup.problem();
    std::vector<QuizGain> sum(budgets.size());
    for (const int model : hidden) {
        const QuizStudy study(problem, model, preferences.front());
        std::vector<double> without;
        double full = 0;
        for (const Preference& preference : preferences) {
            without.push_back(study.route(nullptr, preference).reward);
            full += study.route(&study.fullIdentity(), preference).reward - without.back();
        }
        QString line;
        for (std::size_t b = 0; b < budgets.size(); ++b) {
            double quizzed = 0;
            for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
                const QuizOutcome quiz = study.quiz(
                    budgets[b], setup.dataset().promptCategory,
                    [&](int row) { return study.recordedAnswer(row); }, seed);
                for (std::size_t i = 0; i < preferences.size(); ++i)
                    quizzed +=
                        (study.route(&quiz.identity, preferences[i]).reward - without[i]) / kSeeds;
            }
            sum[b].full += full;
            sum[b].quizzed += quizzed;
            line += QStringLiteral(" k=%1 %2").arg(budgets[b]).arg(quizzed, 0, 'f', 4);
        }
        qInfo("  %s hidden: full-data gain %.4f; quizzed%s (summed over the sweep)",
              qPrintable(problem.modelNames[model]), full, qPrintable(line));
    }
    return sum;
}

// The budgets reported; tests judge k = 30, the only one the sanitizer build runs (each
// budget routes every scored prompt 25 times per model).
#if defined(__SANITIZE_ADDRESS__)
const std::vector<int> kQuizBudgets{30};
#else
const std::vector<int> kQuizBudgets{5, 10, 20, 30, 50, 100};
#endif

// The RouterBench checks' scale: all of it in the release build, a quarter in the sanitizer
// build (see routerBench()). Learning is judged on all of it: on a quarter, the fit over 512
// features overfits (held-out log-likelihood -0.619 against base rates' -0.599), the policy
// trails the best single model, a 30-prompt quiz recovers 70% of the gain; there the checks
// are bounds any working fit meets, so that the code runs on real records under the sanitizers
// and can still fail.
#if defined(ROUTERLAB_SANITIZED)
constexpr int kRouterBenchSubset = 4; // every 4th record; 0: all of them
constexpr int kRouterBenchSweep = 3;
#else
constexpr int kRouterBenchSubset = 0;
constexpr int kRouterBenchSweep = 11;
#endif

// Every `step`-th record of a CSV file (and its header), written under the same name into
// `folder`: the sanitizer build's smaller RouterBench.
QString everyNthRecord(const QString& file, int step, const QDir& folder) {
    CsvReader reader(file, qint64(64) << 20);
    QByteArray out;
    const auto append = [&out](const auto& fields) {
        for (std::size_t f = 0; f < fields.size(); ++f) {
            const QByteArray field(fields[f].data(), qsizetype(fields[f].size()));
            out += (f ? ",\"" : "\"") + QByteArray(field).replace("\"", "\"\"") + "\"";
        }
        out += "\n";
    };
    append(reader.readHeader());
    for (int n = 0; reader.next(); ++n)
        if (n % step == 0)
            append(reader.fields());
    return testing::writeFile(folder, QFileInfo(file).fileName(), out);
}

const QuizGain& atBudget(const std::vector<QuizGain>& gains, int budget) {
    const auto at = std::find(kQuizBudgets.begin(), kQuizBudgets.end(), budget);
    return gains[static_cast<std::size_t>(at - kQuizBudgets.begin())];
}

void reportQuizGains(const char* what, const std::vector<QuizGain>& gains) {
    QString line;
    for (std::size_t b = 0; b < kQuizBudgets.size(); ++b)
        line +=
            QStringLiteral(" k=%1 %2%").arg(kQuizBudgets[b]).arg(100 * gains[b].share(), 0, 'f', 0);
    qInfo("%s: share of the full-data routing gain recovered,%s", what, qPrintable(line));
}

} // namespace

class TestIrt : public QObject {
    Q_OBJECT

private:
    // RouterBench's train files fitted, its test files scored; null when the records are
    // absent. The sanitizer build, 5-10 times slower, takes every kRouterBenchSubset-th record
    // of each file (all tasks and models, fewer prompts) and coarser sweeps, so that the
    // real-data checks run there within about a minute; the release build takes all of it.
    const SimulationSetup* routerBench() {
        if (routerBenchSetup_)
            return routerBenchSetup_.get();
        QStringList train, test;
        if (!testing::sharedRouterBenchFiles(train, test))
            return nullptr;
        if (kRouterBenchSubset) {
            for (QString& file : train)
                file = everyNthRecord(file, kRouterBenchSubset, QDir(subsetDir_.path()));
            for (QString& file : test)
                file = everyNthRecord(file, kRouterBenchSubset, QDir(subsetDir_.path()));
        }
        routerBenchData_ = std::make_unique<PricedDataset>(loadPricedDataset(train + test, {}));
        SimulationOptions options;
        options.reward = RewardKind::Linear;
        options.sessions = SessionRule::parse(QStringLiteral("single"));
        options.features = QStringLiteral("tfidf:512");
        options.split.kind = SplitRule::Kind::Sources;
        options.split.testSources = test;
        routerBenchSetup_ = std::make_unique<SimulationSetup>(routerBenchData_->dataset,
                                                              routerBenchData_->pool, options);
        return routerBenchSetup_.get();
    }

    QTemporaryDir subsetDir_;
    std::unique_ptr<PricedDataset> routerBenchData_;
    std::unique_ptr<SimulationSetup> routerBenchSetup_;
    PricedDataset sample_;
    Eigen::MatrixXf sampleFeatures_;
    std::vector<int> train_, test_;

private slots:
    void initTestCase() {
        const QDir dir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        sample_ = loadPricedDataset({dir.filePath(QStringLiteral("sample.csv"))},
                                    dir.filePath(QStringLiteral("sample.pool.json")));
        splitRows(sample_.dataset.promptCount(), 0.7, train_, test_);
        const PromptFeatures features(sample_.dataset.promptIds, sample_.dataset.promptTexts,
                                      train_, QStringLiteral("tfidf:128"));
        sampleFeatures_ = features.matrix();
    }

    // The set policy's products of decayed weights: subnormal inside the guard's scope is
    // zero, and the thread's mode is back as it was after it.
    void subnormalFlushIsScoped() {
        volatile float small = 1e-20f; // volatile: computed at run time, in the current mode
        const float before = small * small;
        float inside = before;
        {
            const SubnormalFlush flush;
            inside = small * small;
        }
        QCOMPARE(small * small, before);
#ifdef ROUTERLAB_HAS_MXCSR
        QVERIFY(std::fpclassify(before) == FP_SUBNORMAL);
        QCOMPARE(inside, 0.0f);
#else
        QCOMPARE(inside, before); // elsewhere a no-op
#endif
    }

    // Answers drawn from a known model: the fit predicts them nearly as well as the truth.
    void recoversSyntheticAbilities() {
        const int f = 6, d = 2, models = 6, prompts = 1500;
        Random random(7);
        Eigen::MatrixXf features(f, prompts), a(d, f), theta(d, models);
        Eigen::VectorXf w(f);
        for (Eigen::Index i = 0; i < features.size(); ++i)
            features.data()[i] = float(random.normal());
        features.row(f - 1).setOnes(); // bias
        for (Eigen::Index i = 0; i < a.size(); ++i)
            a.data()[i] = float(random.normal(0, 0.8));
        for (Eigen::Index i = 0; i < theta.size(); ++i)
            theta.data()[i] = float(random.normal(0, 1.2));
        for (int i = 0; i < f; ++i)
            w[i] = float(random.normal(0, 0.5));
        std::vector<IrtObservation> train, test;
        std::vector<IrtComparison> pairsTrain, pairsTest;
        double truthLl = 0;
        for (int x = 0; x < prompts; ++x) {
            const Eigen::VectorXf alpha = a * features.col(x);
            for (int m = 0; m < models; ++m) {
                const double p =
                    1 / (1 + std::exp(-(alpha.dot(theta.col(m)) - w.dot(features.col(x)))));
                const float y = random.bernoulli(p) ? 1.0f : 0.0f;
                (x < 1000 ? train : test).push_back({x, m, y});
                if (x >= 1000)
                    truthLl += y ? std::log(p) : std::log1p(-p);
            }
            const int m1 = random.uniformInt(models),
                      m2 = (m1 + 1 + random.uniformInt(models - 1)) % models;
            const double p12 = 1 / (1 + std::exp(-alpha.dot(theta.col(m1) - theta.col(m2))));
            const IrtComparison c =
                random.bernoulli(p12) ? IrtComparison{x, m1, m2} : IrtComparison{x, m2, m1};
            (x < 1000 ? pairsTrain : pairsTest).push_back(c);
        }
        truthLl /= double(test.size());

        IrtSettings s;
        s.dimension = d;
        s.epochs = 80;
        IrtModel fitted(f, models, s);
        std::vector<double> losses;
        fitted.fit(features, train, {}, [&](int, double loss) { losses.push_back(loss); });
        QVERIFY(losses.back() < losses.front()); // the ELBO rose
        const double ll = fitted.logLikelihood(features, test);
        const double base = baseRateLogLikelihood(train, test, models);
        qInfo("synthetic: held-out log-likelihood %.4f (truth %.4f, base rates %.4f)", ll, truthLl,
              base);
        QVERIFY(ll > base + 0.05);
        QVERIFY(ll > truthLl - 0.05);

        // Pairwise evidence alone orders the models on held-out prompts.
        IrtModel fromPairs(f, models, s);
        fromPairs.fit(features, {}, pairsTrain);
        int agree = 0;
        for (const IrtComparison& c : pairsTest) {
            const Eigen::VectorXf alpha = fromPairs.discrimination(features.col(c.row));
            agree +=
                alpha.dot(fromPairs.identity(c.winner).mean - fromPairs.identity(c.loser).mean) > 0;
        }
        const double share = double(agree) / double(pairsTest.size());
        qInfo("synthetic: pairwise fit orders %.1f%% of held-out comparisons", 100 * share);
        QVERIFY(share > 0.7);
    }

    // Graded scores on the sample data: better than per-model base rates, and calibrated.
    void predictsHeldOutQualityOnSampleData() {
        const Dataset& d = sample_.dataset;
        const std::vector<IrtObservation> train = observationsOf(d, train_);
        const std::vector<IrtObservation> test = observationsOf(d, test_);
        IrtModel model(int(sampleFeatures_.rows()), d.modelCount(), IrtSettings{});
        model.fit(sampleFeatures_, train);
        const double ll = model.logLikelihood(sampleFeatures_, test);
        const double base = baseRateLogLikelihood(train, test, d.modelCount());
        const double ece = calibrationError(model, sampleFeatures_, test);
        qInfo("sample: held-out log-likelihood %.4f vs base rates %.4f; calibration error %.3f", ll,
              base, ece);
        QVERIFY(ll > base);
        QVERIFY(ece < 0.1);
    }

    // Calibration refines the items of the prompts the known models answered (they explain
    // those answers better than the predicted items) and leaves the others as predicted.
    void itemBankCalibratesAnsweredPrompts() {
        const Dataset& d = sample_.dataset;
        const std::vector<IrtObservation> train = observationsOf(d, train_);
        IrtModel model(int(sampleFeatures_.rows()), d.modelCount(), IrtSettings{});
        model.fit(sampleFeatures_, train);
        const ItemBank items(model, sampleFeatures_, train);
        double predicted = 0, calibrated = 0;
        for (const IrtObservation& o : train) {
            const Identity id = model.identity(o.model);
            auto ll = [&](double p) {
                p = std::clamp(p, 1e-9, 1 - 1e-9);
                return o.score * std::log(p) + (1 - o.score) * std::log1p(-p);
            };
            predicted += ll(model.probability(sampleFeatures_.col(o.row), id));
            calibrated += ll(items.probability(o.row, id));
        }
        qInfo("sample training answers: log-likelihood %.4f with calibrated items, %.4f with "
              "predicted ones",
              calibrated / double(train.size()), predicted / double(train.size()));
        QVERIFY(calibrated > predicted);
        for (const int row : train_)
            QVERIFY(items.isCalibrated(row));
        for (const int row : test_) {
            QVERIFY(!items.isCalibrated(row));
            QCOMPARE(items.difficulty(row), model.difficulty(sampleFeatures_.col(row)));
            QVERIFY(
                items.discrimination(row).isApprox(model.discrimination(sampleFeatures_.col(row))));
        }
        QVERIFY_THROWS_EXCEPTION(std::out_of_range,
                                 ItemBank(model, sampleFeatures_, {{0, d.modelCount(), 1.0f}}));
    }

    // Routing by the IRT fit's predicted reward beats random and the best single model.
    void irtGreedyRoutesBetterThanBaselines() {
        const SimulationSetup setup(sample_.dataset, sample_.pool,
                                    testing::sampleTrainTestOptions());
        const Preference preference{0.7, 0.3, 0.0};
        auto meanReward = [&](const char* router) {
            return meanRewardOf(setup, router, preference);
        };
        // The learner itself: the guard would defer to the training-best model where held-out
        // training prompts do not show a gain.
        const double irt = meanReward("irt-greedy:guard=off");
        const double random = meanReward("random");
        const double best = meanReward("best-single");
        const double oracle = meanReward("oracle");
        qInfo("irt-greedy %.4f, best single %.4f, random %.4f, oracle %.4f", irt, best, random,
              oracle);
        QVERIFY(irt > random);
        QVERIFY(irt > best);
        QVERIFY(irt < oracle);
    }

    // The policy's hand-written gradients against finite differences of its logits, at a few
    // seeded draws of the inputs (Eigen's Random draws from std::rand).
    void setPolicyGradientsMatchFiniteDifferences_data() {
        QTest::addColumn<unsigned>("seed");
        for (const unsigned seed : {3u, 17u, 2026u})
            QTest::addRow("seed %u", seed) << seed;
    }
    void setPolicyGradientsMatchFiniteDifferences() {
        QFETCH(unsigned, seed);
        std::srand(seed);
        SetPolicy policy({4, 5}, seed);
        // Predicted rewards differ by hundredths, as in use: the logits stay within float's
        // reach of a finite difference.
        const Eigen::MatrixXf predictions =
            0.1f * Eigen::MatrixXf::Random(SetPolicy::kPredictionRows, 3);
        const Eigen::VectorXf features = Eigen::VectorXf::Random(4);
        const Preference preference{0.6, 0.3, 0.1};
        const Eigen::VectorXf weights = Eigen::VectorXf::Random(3); // loss = weights . logits
        SetPolicy::Trace trace;
        ParameterList parameters = policy.parameters();
        zeroGradients(parameters);
        policy.forward(features, preference, predictions, trace);
        policy.backward(trace, weights);
        double worst = 0;
        for (Parameter* p : parameters)
            for (Eigen::Index i = 0; i < p->value.size(); i += 3) {
                const float saved = p->value.data()[i];
                const float step = 1e-3f;
                p->value.data()[i] = saved + step;
                policy.forward(features, preference, predictions, trace);
                const double up = weights.dot(trace.logits);
                p->value.data()[i] = saved - step;
                policy.forward(features, preference, predictions, trace);
                const double down = weights.dot(trace.logits);
                p->value.data()[i] = saved;
                const double numeric = (up - down) / (2 * step);
                worst = std::max(worst, std::abs(numeric - p->gradient.data()[i]));
            }
        qInfo("largest gradient error %.2e", worst);
        QVERIFY(worst < 2e-3);
    }

    // The order of the set changes nothing but the order of the logits.
    void setPolicyIgnoresTheOrderOfTheSet() {
        std::srand(5);
        SetPolicy policy({4, 6}, 5);
        const Eigen::VectorXf features = Eigen::VectorXf::Random(4);
        const Eigen::MatrixXf predictions = Eigen::MatrixXf::Random(SetPolicy::kPredictionRows, 4);
        SetPolicy::Trace a, b;
        policy.forward(features, {0.5, 0.5, 0}, predictions, a);
        policy.forward(features, {0.5, 0.5, 0}, predictions.rowwise().reverse(), b);
        for (int m = 0; m < 4; ++m)
            QVERIFY(std::abs(a.logits[m] - b.logits[3 - m]) < 1e-5f);
        // A smaller set is just as valid: no retraining, no fixed size.
        policy.forward(features, {0.5, 0.5, 0}, predictions.leftCols(3), a);
        QCOMPARE(a.probability.size(), Eigen::Index(3));
        QVERIFY(std::abs(a.probability.sum() - 1.0f) < 1e-5f);
    }

    // Sets of several sizes through the policy as one batch (how training runs it) give each
    // set's probabilities, and the sum of the sets' gradients, as one set at a time does.
    void setPolicyBatchMatchesOneSetAtATime() {
        std::srand(11);
        SetPolicy batched({4, 6}, 11), single({4, 6}, 11);
        SetPolicy::BatchTrace batch;
        batch.resize({2, 5, 3}, 4);
        batch.tokens = 0.1f * Eigen::MatrixXf::Random(SetPolicy::kPredictionRows, 10);
        batch.promptFeatures = Eigen::MatrixXf::Random(4, 3);
        const std::vector<Preference> preferences{{0.6, 0.4, 0}, {1, 0, 0}, {0.2, 0.3, 0.5}};
        for (int b = 0; b < 3; ++b) {
            batch.preference(0, b) = float(preferences[std::size_t(b)].quality);
            batch.preference(1, b) = float(preferences[std::size_t(b)].cost);
            batch.preference(2, b) = float(preferences[std::size_t(b)].latency);
        }
        const Eigen::VectorXf weights = Eigen::VectorXf::Random(10); // loss = weights . logits
        ParameterList fromBatch = batched.parameters(), fromSets = single.parameters();
        zeroGradients(fromBatch);
        zeroGradients(fromSets);
        batched.forwardBatch(batch);
        batched.backwardBatch(batch, weights);
        SetPolicy::Trace trace;
        for (int b = 0; b < 3; ++b) {
            const Eigen::Index first = batch.start[std::size_t(b)], n = batch.size(b);
            single.forward(batch.promptFeatures.col(b), preferences[std::size_t(b)],
                           batch.tokens.middleCols(first, n), trace);
            QVERIFY(
                (trace.probability - batch.probability.segment(first, n)).cwiseAbs().maxCoeff() <
                1e-5f);
            QVERIFY(std::abs(batch.probability.segment(first, n).sum() - 1.0f) < 1e-5f);
            single.backward(trace, weights.segment(first, n));
        }
        for (std::size_t i = 0; i < fromBatch.size(); ++i) {
            const float gap =
                (fromBatch[i]->gradient - fromSets[i]->gradient).cwiseAbs().maxCoeff();
            QVERIFY2(gap < 1e-5f, qPrintable(fromBatch[i]->name));
            QVERIFY(fromSets[i]->gradient.cwiseAbs().maxCoeff() > 0);
        }
    }

    // Trained once, the policy serves every preference: better than random and the best
    // single model at each.
    void irtBanditLearnsAcrossPreferences_data() {
        QTest::addColumn<double>("cost");
        QTest::newRow("quality 0.6") << 0.4;
        QTest::newRow("quality 0.7") << 0.3;
        QTest::newRow("quality 0.5") << 0.5;
    }
    void irtBanditLearnsAcrossPreferences() {
        QFETCH(double, cost);
        static const SimulationSetup setup(sample_.dataset, sample_.pool,
                                           testing::sampleTrainTestOptions());
        const Preference preference{1 - cost, cost, 0.0};
        auto meanReward = [&](const char* router) {
            return meanRewardOf(setup, router, preference);
        };
        const double policy = meanReward("irt-bandit:guard=off"); // the learner, unguarded
        const double random = meanReward("random");
        const double best = meanReward("best-single");
        const double oracle = meanReward("oracle");
        qInfo("cost weight %.1f: irt-bandit %.4f, best single %.4f, random %.4f, oracle %.4f", cost,
              policy, best, random, oracle);
        QVERIFY(policy > random);
        QVERIFY(policy > best);
    }

    // Hide one model, place it with a quiz of k prompts, compare with its full-data fit.
    void quizPlacesAHiddenModel_data() {
        QTest::addColumn<int>("budget");
        for (int k : {5, 10, 20, 30, 50, 100})
            QTest::newRow(qPrintable(QStringLiteral("k=%1").arg(k))) << k;
    }
    void quizPlacesAHiddenModel() {
        QFETCH(int, budget);
        const Dataset& d = sample_.dataset;
        const int hidden = d.modelCount() - 1;
        IrtModel model(int(sampleFeatures_.rows()), d.modelCount() - 1, IrtSettings{});
        model.fit(sampleFeatures_, observationsOf(d, train_, hidden));
        const std::vector<IrtObservation> heldOut = observationsOf(d, test_, -1, hidden);
        auto heldOutLl = [&](const Identity& id) {
            double sum = 0;
            for (const IrtObservation& o : heldOut) {
                const double p =
                    std::clamp(model.probability(sampleFeatures_.col(o.row), id), 1e-9, 1 - 1e-9);
                sum += o.score * std::log(p) + (1 - o.score) * std::log1p(-p);
            }
            return sum / double(heldOut.size());
        };
        const IdentityPrior prior = populationPrior(model);
        const double priorLl = heldOutLl({prior.mean, prior.covariance.diagonal()});
        std::vector<std::pair<int, float>> all;
        for (const int i : train_)
            if (!d.isMissing(i, hidden))
                all.emplace_back(i, float(d.quality(i, hidden)));
        const IdentityPosterior full = fitIdentity(model, sampleFeatures_, all, prior);
        const ItemBank items(model, sampleFeatures_, observationsOf(d, train_, hidden));
        const double fullLl = heldOutLl(full.diagonal());

        // Five quizzes (seeds 1 to 5): one quiz's placement depends on the prompts drawn.
        constexpr int kSeeds = 5;
        double quizLl = 0;
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            IdentityPosterior quizzed;
            const std::vector<QuizStep> asked = runQuiz(
                items, prior, train_, d.promptCategory, budget,
                [&](int row) { return float(d.quality(row, hidden)); }, quizzed, seed);
            QCOMPARE(int(asked.size()), budget);
            quizLl += heldOutLl(quizzed.diagonal()) / kSeeds;
            // The quiz spreads over the categories.
            QSet<int> categories;
            for (const QuizStep& step : asked) {
                QCOMPARE(step.category, d.promptCategory[step.row]);
                QVERIFY(step.varianceReduction > 0);
                categories.insert(step.category);
            }
            QCOMPARE(categories.size(), std::min<qsizetype>(budget, d.categoryNames.size()));
        }
        const double recovery = (quizLl - priorLl) / (fullLl - priorLl);
        // For comparison, the first k training prompts (a random sample).
        std::vector<std::pair<int, float>> sampled;
        for (int j = 0; j < budget; ++j)
            sampled.emplace_back(train_[j], float(d.quality(train_[j], hidden)));
        const double sampledLl = heldOutLl(fitIdentity(items, sampled, prior).diagonal());
        qInfo("k=%d: held-out log-likelihood prior %.4f, quiz %.4f (mean of %d), full %.4f: "
              "%.0f%% recovered (k random prompts: %.0f%%)",
              budget, priorLl, quizLl, kSeeds, fullLl, 100 * recovery,
              100 * (sampledLl - priorLl) / (fullLl - priorLl));
        QVERIFY(fullLl > priorLl);
        // Calibrated items read this model, the pool's outlier, less well than predicted ones
        // (87% at k = 30); over the sample's eight models they read them better (69% pooled
        // against 61%).
        if (budget >= 30)
            QVERIFY2(recovery > 0.5, qPrintable(QString::number(recovery)));
    }

    // A hidden model added back with its full-data identity, and with quizzed ones, to a
    // policy trained without it. The four models are those whose full-data identity raises the
    // sample's reward (by 0.01 or more over the sweep); for the others there is no gain to
    // recover. A 30-prompt quiz recovers 32% of it here (48% from the population prior's
    // spread, before a new model's prior was widened for RouterBench's best models):
    // claude-3-5-sonnet's gain comes from being best for quality alone, 1.4 points of accuracy
    // above gpt-4o, which thirty answers cannot tell, and gemini-1.5-pro is not placed.
    void quizzedModelHelpsRoutingOnSampleData() {
        SimulationOptions options;
        options.split = SplitRule::parse(QStringLiteral("random:0.7"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, options);
        std::vector<int> hidden;
        for (const char* name :
             {"gpt-4o-mini", "claude-3-5-sonnet", "gemini-1.5-pro", "gemini-1.5-flash"})
            hidden.push_back(int(sample_.dataset.modelNames.indexOf(QLatin1String(name))));
        QVERIFY(std::find(hidden.begin(), hidden.end(), -1) == hidden.end());
        const std::vector<QuizGain> gains =
            quizGains(setup, hidden, kQuizBudgets, testing::costSweep(5));
        reportQuizGains("sample, four models hidden in turn", gains);
        const QuizGain& k30 = atBudget(gains, 30);
        QVERIFY(k30.full > 0);
        QVERIFY2(k30.share() > 0.3, qPrintable(QString::number(k30.share())));
    }

    void routerBenchFitBeatsBaseRates() {
        const SimulationSetup* setup = routerBench();
        if (!setup)
            QSKIP("shared/data/routerbench is absent");
        const RoutingProblem& problem = setup->problem();
        const Eigen::MatrixXf& features = problem.features->matrix();
        IrtModel model(int(features.rows()), problem.modelCount(), IrtSettings{});
        const std::vector<IrtObservation> train = trainingObservations(problem);
        model.fit(features, train);
        const std::vector<IrtObservation> test = scoredObservations(problem);
        const double irt = model.logLikelihood(features, test);
        const double base = baseRateLogLikelihood(train, test, problem.modelCount());
        const double calibration = calibrationError(model, features, test);
        qInfo("RouterBench test files: held-out log-likelihood %.4f vs base rates %.4f; "
              "calibration error %.3f",
              irt, base, calibration);
        if (kRouterBenchSubset) {
            QVERIFY(irt > -std::log(2.0)); // better than a coin
            QVERIFY(calibration < 0.15);
        } else {
            QVERIFY(irt > base);
            QVERIFY(calibration < 0.1);
        }
    }

    void routerBenchPolicyBeatsBaselinesAcrossSweep() {
        const SimulationSetup* setup = routerBench();
        if (!setup)
            QSKIP("shared/data/routerbench is absent");
        const std::vector<Preference> preferences = testing::costSweep(kRouterBenchSweep);
        const auto policy = testing::runSweep(*setup, QStringLiteral("irt-bandit"), preferences);
        const auto best = testing::runSweep(*setup, QStringLiteral("best-single"), preferences);
        const auto random = testing::runSweep(*setup, QStringLiteral("random"), preferences);
        qInfo("  w_c   irt-bandit  best single  random");
        for (std::size_t i = 0; i < preferences.size(); ++i) {
            qInfo("  %.1f   %.4f      %.4f       %.4f", preferences[i].cost, policy.rewards[i],
                  best.rewards[i], random.rewards[i]);
            QVERIFY(policy.rewards[i] > random.rewards[i]);
        }
        qInfo("  mean  %.4f      %.4f       %.4f", policy.meanReward, best.meanReward,
              random.meanReward);
        if (!kRouterBenchSubset)
            QVERIFY(policy.meanReward > best.meanReward);
    }

    // On real records, where the two models' full-data identities bring most of the gain, a
    // 30-prompt quiz recovers at least 80% of it (100% over ten quizzes; 59% over five before
    // the quiz aimed at the model's level) and a 10-prompt one at least half (82%; 33% before
    // a new model's prior was widened).
    void routerBenchQuizzedModelHelpsRouting() {
        const SimulationSetup* setup = routerBench();
        if (!setup)
            QSKIP("shared/data/routerbench is absent");
        const QStringList& names = setup->problem().modelNames;
        std::vector<int> hidden;
        for (const char* name : {"gpt-4-1106-preview", "zero-one-ai/Yi-34B-Chat"})
            hidden.push_back(int(names.indexOf(QLatin1String(name))));
        QVERIFY(std::find(hidden.begin(), hidden.end(), -1) == hidden.end());
        const std::vector<QuizGain> gains =
            quizGains(*setup, hidden, kQuizBudgets, testing::costSweep(kRouterBenchSubset ? 3 : 5));
        reportQuizGains("RouterBench, two models hidden in turn", gains);
        const QuizGain& k30 = atBudget(gains, 30);
        QVERIFY(k30.full > 0);
        QVERIFY2(k30.share() > (kRouterBenchSubset ? 0.15 : 0.8),
                 qPrintable(QString::number(k30.share())));
        if (!kRouterBenchSubset &&
            std::find(kQuizBudgets.begin(), kQuizBudgets.end(), 10) != kQuizBudgets.end()) {
            const QuizGain& k10 = atBudget(gains, 10);
            QVERIFY2(k10.share() > 0.5, qPrintable(QString::number(k10.share())));
        }
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestIrt)
#include "test_irt.moc"
