// Quiz recovery over many draws: each budget of the curve is quizzed again with other seeds of
// its prompt draw (the study prepared once), and reported as the mean over the draws with a
// 95% bootstrap interval. On the sample data, with a small policy so the preparation is quick.
#include "formats/dataset_loader.h"
#include "irt/quiz_draws.h"
#include "irt/quiz_report.h"
#include "irt/quiz_study.h"
#include "sample_setup.h"
#include "sim/simulation.h"
#include "test_main.h"

#include <QDir>
#include <QJsonArray>
#include <QtTest>
#include <atomic>
#include <cmath>
#include <memory>
#include <set>
#include <stdexcept>

using namespace routerlab;

namespace {

// gemini-1.5-pro's full-data identity raises the reward at this preference: there is a routing
// gain for a quiz to recover, so recovery has draws and an interval.
const QString kNewModel = QStringLiteral("gemini-1.5-pro");
const Preference kPreference{0.8, 0.2, 0.0};

// A small policy: these checks are about the draws, not how well the policy routes.
QuizStudySettings smallStudy() {
    QuizStudySettings settings;
    settings.dimension = 4;
    settings.policy.pretrainSteps = 40;
    settings.policy.iterations = 20;
    settings.policy.episodes = 128;
    return settings;
}

double meanOf(const std::vector<double>& values) {
    double sum = 0;
    for (const double v : values)
        sum += v;
    return sum / double(values.size());
}

std::set<int> rowsAsked(const QuizOutcome& quiz) {
    std::set<int> rows;
    for (const QuizStep& step : quiz.steps)
        rows.insert(step.row);
    return rows;
}

// A figure's draws, as the report keeps them, and the interval of their mean.
struct DrawnFigure {
    const char* name;
    double mean;
    const std::vector<double>* draws;
    Interval ci95;
};

std::vector<DrawnFigure> figuresOf(const BudgetPoint& p) {
    return {{"reward", p.reward, &p.rewardDraws, p.rewardCi95},
            {"recovery", p.recovery, &p.recoveryDraws, p.recoveryCi95},
            {"prediction recovery", p.predictionRecovery, &p.predictionRecoveryDraws,
             p.predictionRecoveryCi95}};
}

} // namespace

class TestQuizDraws : public QObject {
    Q_OBJECT

    PricedDataset sample_;
    std::unique_ptr<SimulationSetup> setup_;
    std::unique_ptr<QuizStudy> study_;

    QuizReport report(const std::vector<int>& budgets, int draws, int threads = 2,
                      std::uint64_t seed = 1) const {
        QuizDrawOptions options;
        options.draws = draws;
        options.threads = threads;
        return buildQuizReport(
            *study_, sample_.dataset, budgets, [&](int row) { return study_->recordedAnswer(row); },
            seed, {}, options);
    }

private slots:
    void initTestCase() {
        sample_ = testing::loadSampleWithPool();
        setup_ = testing::quizSetup(sample_);
        const int model = sample_.dataset.modelIndex(kNewModel);
        QVERIFY(model >= 0);
        study_ = std::make_unique<QuizStudy>(setup_->problem(), model, kPreference, smallStudy());
        QVERIFY2(study_->withFullIdentity().reward > study_->withoutNewModel().reward + 1e-6,
                 "the full-data identity must bring a gain for recovery to be defined");
    }

    // Each point is the mean of its draws, and its 95% interval holds that mean.
    void intervalContainsTheMeanOfTheDraws_data() {
        QTest::addColumn<int>("budget");
        QTest::addColumn<int>("draws");
        QTest::addColumn<int>("threads");
        QTest::newRow("k=5, 10 draws") << 5 << 10 << 2;
        QTest::newRow("k=30, 10 draws") << 30 << 10 << 2;
        QTest::newRow("k=30, 2 draws, one thread") << 30 << 2 << 1;
        QTest::newRow("k=50, 12 draws, three threads") << 50 << 12 << 3;
    }
    void intervalContainsTheMeanOfTheDraws() {
        QFETCH(int, budget);
        QFETCH(int, draws);
        QFETCH(int, threads);
        const QuizReport r = report(curveBudgets(budget), draws, threads);
        QCOMPARE(r.drawSeeds.size(), std::size_t(draws));
        for (const BudgetPoint& p : r.curve) {
            QCOMPARE(p.draws, draws);
            for (const DrawnFigure& f : figuresOf(p)) {
                const QString where = QStringLiteral("k=%1 %2").arg(p.budget).arg(f.name);
                QCOMPARE(f.draws->size(), std::size_t(draws));
                QVERIFY2(std::abs(f.mean - meanOf(*f.draws)) < 1e-12, qPrintable(where));
                QVERIFY2(f.ci95.valid(), qPrintable(where));
                // (the bootstrap sums in single precision: equal draws give an interval of one
                // value that the mean meets up to that rounding)
                constexpr double kRounding = 1e-5;
                QVERIFY2(f.ci95.low - kRounding <= f.mean && f.mean <= f.ci95.high + kRounding,
                         qPrintable(QStringLiteral("%1: %2 outside [%3, %4]")
                                        .arg(where)
                                        .arg(f.mean)
                                        .arg(f.ci95.low)
                                        .arg(f.ci95.high)));
                // Within the draws' own range: a mean of resampled draws cannot leave it.
                const auto [lowest, highest] =
                    std::minmax_element(f.draws->begin(), f.draws->end());
                QVERIFY2(*lowest - kRounding <= f.ci95.low && f.ci95.high <= *highest + kRounding,
                         qPrintable(where));
            }
        }
        // The first draw of the chosen budget is the quiz the report shows in full.
        QCOMPARE(r.curve.back().recoveryDraws.front(), r.outcome.recovery);
        QCOMPARE(r.curve.back().predictionRecoveryDraws.front(), r.outcome.predictionRecovery);
    }

    // Draw d is the quiz of seed quizDrawSeed(seed, d), at every budget (a smaller budget is
    // judged on the first answers of the largest, which its own quiz would ask): other seeds ask
    // other prompts.
    void drawsAskDifferentPrompts() {
        constexpr int kDraws = 10, kBudget = 20;
        const std::vector<int> budgets{7, kBudget};
        const QuizReport r = report(budgets, kDraws);
        const BudgetPoint& point = r.curve.back();
        std::vector<std::set<int>> asked;
        for (int d = 0; d < kDraws; ++d) {
            QCOMPARE(r.drawSeeds[std::size_t(d)], quizDrawSeed(1, d));
            for (std::size_t b = 0; b < budgets.size(); ++b) {
                const QuizOutcome quiz = study_->quiz(
                    budgets[b], sample_.dataset.promptCategory,
                    [&](int row) { return study_->recordedAnswer(row); },
                    r.drawSeeds[std::size_t(d)]);
                QCOMPARE(r.curve[b].predictionRecoveryDraws[std::size_t(d)],
                         quiz.predictionRecovery);
                QCOMPARE(r.curve[b].rewardDraws[std::size_t(d)], quiz.routing.reward);
                if (budgets[b] == kBudget)
                    asked.push_back(rowsAsked(quiz));
            }
            QCOMPARE(asked.back().size(), std::size_t(kBudget));
        }
        for (int a = 0; a < kDraws; ++a)
            for (int b = a + 1; b < kDraws; ++b)
                QVERIFY2(
                    asked[std::size_t(a)] != asked[std::size_t(b)],
                    qPrintable(
                        QStringLiteral("draws %1 and %2 asked the same prompts").arg(a).arg(b)));
        // Different prompts place the model differently: the draws do not all agree.
        const auto [lowest, highest] = std::minmax_element(point.predictionRecoveryDraws.begin(),
                                                           point.predictionRecoveryDraws.end());
        QVERIFY(*highest - *lowest > 0.01);
    }

    // The same seed gives the same draws and intervals, however many threads ask them.
    void deterministicForASeed_data() {
        QTest::addColumn<int>("threadsA");
        QTest::addColumn<int>("threadsB");
        QTest::newRow("one thread twice") << 1 << 1;
        QTest::newRow("one thread and four") << 1 << 4;
    }
    void deterministicForASeed() {
        QFETCH(int, threadsA);
        QFETCH(int, threadsB);
        const std::vector<int> budgets{5, 20};
        const QuizReport a = report(budgets, 6, threadsA, 7);
        const QuizReport b = report(budgets, 6, threadsB, 7);
        QCOMPARE(a.drawSeeds, b.drawSeeds);
        for (std::size_t i = 0; i < budgets.size(); ++i) {
            QCOMPARE(a.curve[i].rewardDraws, b.curve[i].rewardDraws);
            QCOMPARE(a.curve[i].predictionRecoveryDraws, b.curve[i].predictionRecoveryDraws);
            QCOMPARE(a.curve[i].predictionRecoveryCi95.low, b.curve[i].predictionRecoveryCi95.low);
            QCOMPARE(a.curve[i].predictionRecoveryCi95.high,
                     b.curve[i].predictionRecoveryCi95.high);
        }
        // Another seed draws other quizzes.
        const QuizReport other = report(budgets, 6, threadsA, 8);
        QVERIFY(other.curve.back().predictionRecoveryDraws !=
                a.curve.back().predictionRecoveryDraws);
    }

    // The study's own seed prepares another IRT fit and policy (what
    // routerlab-bench-quiz-recovery --study-seeds averages over); seed 1 is the default.
    void studySeedIsAnotherPreparation() {
        QuizStudySettings settings = smallStudy();
        const int model = sample_.dataset.modelIndex(kNewModel);
        settings.seed = 2;
        const QuizStudy other(setup_->problem(), model, kPreference, settings);
        const Eigen::VectorXf first = study_->knownModels().identity(0).mean;
        QVERIFY(other.knownModels().identity(0).mean != first);
        QVERIFY(other.fullIdentity().mean != study_->fullIdentity().mean);
        settings.seed = 1;
        const QuizStudy again(setup_->problem(), model, kPreference, settings);
        QVERIFY(again.knownModels().identity(0).mean == first);
        QCOMPARE(again.withoutNewModel().reward, study_->withoutNewModel().reward);
    }

    // One draw: the quiz of the seed alone, and no interval in the report or its JSON.
    void oneDrawGivesNoInterval() {
        const QuizReport one = report({5, 30}, 1);
        const QuizReport many = report({5, 30}, 10);
        for (std::size_t i = 0; i < one.curve.size(); ++i) {
            const BudgetPoint& p = one.curve[i];
            QCOMPARE(p.draws, 1);
            for (const DrawnFigure& f : figuresOf(p)) {
                QVERIFY2(!f.ci95.valid(), f.name);
                QCOMPARE(f.mean, f.draws->front());
            }
            // The first of many draws is that same quiz.
            QCOMPARE(many.curve[i].predictionRecoveryDraws.front(), p.predictionRecovery);
        }
        const QuizReportLabels labels{kNewModel, kPreference, {}, {}, {}};
        const QJsonArray curve =
            quizReportJson(one, *study_, sample_.dataset, labels).value("budget_curve").toArray();
        for (const QJsonValue& point : curve) {
            const QJsonObject o = point.toObject();
            QCOMPARE(o.value("draws").toInt(), 1);
            for (const char* key :
                 {"recovery_ci95", "prediction_recovery_ci95", "mean_reward_ci95"})
                QVERIFY2(o.value(QLatin1String(key)).isNull(), key);
            QCOMPARE(o.value("recovery_draws").toArray().size(), 1);
        }
        const QJsonObject manyPoint = quizReportJson(many, *study_, sample_.dataset, labels)
                                          .value("budget_curve")
                                          .toArray()
                                          .last()
                                          .toObject();
        QCOMPARE(manyPoint.value("recovery_ci95").toArray().size(), 2);
        QCOMPARE(manyPoint.value("prediction_recovery_draws").toArray().size(), 10);
    }

    // A cancel thrown from a worker thread's draw stops the curve and reaches the caller.
    void aThrowingDrawStopsTheCurve() {
        std::atomic_int started{0};
        QuizDrawOptions options;
        options.draws = 10;
        options.threads = 2;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 buildQuizReport(
                                     *study_, sample_.dataset, {5, 10, 20},
                                     [&](int row) { return study_->recordedAnswer(row); }, 1,
                                     [&] {
                                         if (++started > 4)
                                             throw std::runtime_error("cancelled");
                                     },
                                     options));
        // Workers stop taking draws once one has thrown: far fewer than the 30 start.
        QVERIFY2(started < 10, qPrintable(QString::number(started.load())));
    }

    // The interval itself: a percentile bootstrap of the mean, deterministic in its seed.
    void drawIntervalIsABootstrapOfTheMean() {
        const std::vector<double> values{0.1, 0.4, 0.35, 0.8, 0.5, 0.45, 0.2, 0.6, 0.3, 0.55};
        const Interval a = drawInterval(values, {});
        QVERIFY(a.valid());
        QVERIFY(a.low < meanOf(values) && meanOf(values) < a.high);
        // Roughly mean ± 1.96 standard errors (0.065 here) for well-behaved values.
        QVERIFY2(a.high - a.low > 0.15 && a.high - a.low < 0.35,
                 qPrintable(QStringLiteral("[%1, %2]").arg(a.low).arg(a.high)));
        const Interval again = drawInterval(values, {});
        QCOMPARE(again.low, a.low);
        QCOMPARE(again.high, a.high);
        QVERIFY(!drawInterval({0.5}, {}).valid());
        QVERIFY(!drawInterval({0.5, std::nan("")}, {}).valid());
        QVERIFY(!drawInterval(values, {0, 1}).valid());
        const Interval same = drawInterval({0.25, 0.25, 0.25}, {});
        QCOMPARE(same.low, 0.25);
        QCOMPARE(same.high, 0.25);
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestQuizDraws)
#include "test_quiz_draws.moc"
