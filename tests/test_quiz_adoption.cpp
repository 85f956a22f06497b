// The quiz's recommendation: where across a cost sweep a quizzed model would take traffic, how
// much, and what it would add or cost, in one sentence a team can act on.
#include "formats/dataset_loader.h"
#include "irt/quiz_adoption.h"
#include "irt/quiz_study.h"
#include "sample_setup.h"
#include "sim/simulation.h"
#include "test_main.h"

#include <QDir>
#include <QtTest>
#include <memory>

using namespace routerlab;

class TestQuizAdoption : public QObject {
    Q_OBJECT

private slots:
    void sentence_data() {
        QTest::addColumn<double>("shareAtQuality");
        QTest::addColumn<double>("shareAtCost");
        QTest::addColumn<QString>("expected");
        QTest::newRow("none anywhere")
            << 0.0 << 0.004
            << QStringLiteral("m would take no traffic at any of quality 1, cost 1: routing "
                              "stays as it is.");
        QTest::newRow("taken at one point")
            << 0.4 << 0.0
            << QStringLiteral("At quality 1 it takes 40% of the prompts and raises the reward by "
                              "0.030 (quality +0.050, $0.12 more per 1,000 queries); at cost 1 "
                              "it takes none.");
        QTest::newRow("taken at both")
            << 0.4 << 1.0
            << QStringLiteral("At quality 1 it takes 40% of the prompts and raises the reward by "
                              "0.030 (quality +0.050, $0.12 more per 1,000 queries); at cost 1 "
                              "it takes 100% of the prompts and raises the reward by 0.030 "
                              "(quality +0.050, $0.12 more per 1,000 queries).");
    }
    void sentence() {
        QFETCH(double, shareAtQuality);
        QFETCH(double, shareAtCost);
        QFETCH(QString, expected);
        const std::vector<AdoptionPoint> points{{{1, 0, 0}, shareAtQuality, 0.03, 0.05, 0.00012},
                                                {{0, 1, 0}, shareAtCost, 0.03, 0.05, 0.00012}};
        QCOMPARE(adoptionSentence(QStringLiteral("m"), points), expected);
    }

    void unchangedBelowTheLastDigit() {
        const std::vector<AdoptionPoint> points{{{0.25, 0.75, 0}, 0.16, -0.0004, 0.013, 0.00002}};
        QCOMPARE(adoptionSentence(QStringLiteral("m"), points),
                 QStringLiteral("At quality 0.25 / cost 0.75 it takes 16% of the prompts and "
                                "leaves the reward as it is (quality +0.013, $0.02 more per "
                                "1,000 queries)."));
    }

    void lowersAndSaves() {
        const std::vector<AdoptionPoint> points{{{0.5, 0.5, 0}, 0.25, -0.01, -0.02, -0.0004}};
        QCOMPARE(adoptionSentence(QStringLiteral("m"), points),
                 QStringLiteral("At quality 0.5 / cost 0.5 it takes 25% of the prompts and "
                                "lowers the reward by 0.010 (quality -0.020, $0.40 less per "
                                "1,000 queries)."));
    }

    // On the sample, gemini-1.5-pro's full-data identity raises the reward at quality 0.8 /
    // cost 0.2: across the sweep it takes traffic where quality weighs most and, a costly
    // model, none at cost only; each point's figures are routing with it against without it.
    void sweepOnTheSample() {
        const PricedDataset sample = testing::loadSampleWithPool();
        const auto setup = testing::quizSetup(sample);
        const int model = sample.dataset.modelIndex(QStringLiteral("gemini-1.5-pro"));
        QVERIFY(model >= 0);
        const QuizStudy study(setup->problem(), model, {0.8, 0.2, 0.0});
        const std::vector<Preference> sweep = adoptionPreferences();
        QCOMPARE(int(sweep.size()), 5);
        const std::vector<AdoptionPoint> points = adoptionSweep(study, study.fullIdentity(), sweep);
        const QString sentence = adoptionSentence(QStringLiteral("gemini-1.5-pro"), points);
        qInfo("  %s", qPrintable(sentence));
        double best = 0;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const QuizRouting with = study.route(&study.fullIdentity(), sweep[i]);
            const QuizRouting without = study.route(nullptr, sweep[i]);
            QCOMPARE(points[i].share, with.newModelShare);
            QCOMPARE(points[i].rewardChange, with.reward - without.reward);
            QCOMPARE(points[i].costChangeUsd, with.costUsd - without.costUsd);
            best = std::max(best, points[i].rewardChange);
        }
        QVERIFY(best > 0.005);
        QVERIFY(points.front().share > 0.05);
        QCOMPARE(points.back().share, 0.0);
        QVERIFY(sentence.endsWith(QStringLiteral("cost 1 it takes none.")));
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestQuizAdoption)
#include "test_quiz_adoption.moc"
