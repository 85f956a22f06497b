// The engine and the routers that need no features: they learn, they beat random, they are
// reproducible whatever the thread count, and they stop when told to.
#include "formats/dataset_loader.h"
#include "routers/router_registry.h"
#include "sim/simulation.h"
#include "test_main.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;

namespace {

const Preference kQualityOnly{1.0, 0.0, 0.0};
const Preference kCostHeavy{0.5, 0.5, 0.0};

double meanOverSeeds(const SimulationSetup& setup, const QString& router,
                     const Preference& preference, double CellSummary::*field, int seeds = 5) {
    std::vector<Cell> cells;
    for (int s = 1; s <= seeds; ++s)
        cells.push_back({RouterSpec::parse(router), preference, static_cast<std::uint64_t>(s)});
    double sum = 0;
    for (const CellResult& r : runCells(setup, cells, 2))
        sum += r.summary.*field;
    return sum / seeds;
}

} // namespace

class TestSimulation : public QObject {
    Q_OBJECT

private:
    PricedDataset sample_;

private slots:
    void initTestCase() {
        const QDir dir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        sample_ = loadPricedDataset({dir.filePath(QStringLiteral("sample.csv"))},
                                    dir.filePath(QStringLiteral("sample.pool.json")));
    }

    void rewardFamilies() {
        RewardScales scales;
        scales.costReference = 0.01;
        scales.latencyReference = 4.0;
        scales.logLatencyMin = -1.0; // 0.1 s
        scales.logLatencyMax = 1.0;  // 10 s
        const RewardFunction pick(RewardKind::PickLlm, scales, {0.5, 0.25, 0.25});
        // 0.5*1 - 0.25*(0.005/0.01) - 0.25*((log10(1) + 1) / 2) = 0.5 - 0.125 - 0.125
        QCOMPARE(pick(1.0, 0.005, 1.0), 0.25);
        QCOMPARE(pick.minimum(), -0.5);
        QCOMPARE(pick.maximum(), 0.5);
        QCOMPARE(pick.normalise(0.25), 0.75);
        const RewardFunction linear(RewardKind::Linear, scales, {1.0, 1.0, 0.0});
        // 0.5*0.8 - 0.5*min(0.02/0.01, 1) = 0.4 - 0.5
        QCOMPARE(linear(0.8, 0.02, 3.0), 0.4 - 0.5);
        QCOMPARE(Preference::parse(QStringLiteral("cost=3,quality=1")), (Preference{1, 3, 0}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 Preference::parse(QStringLiteral("speed=1")));
    }

    void registryValidates_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown router") << "nonsense"
                                        << "unknown router";
        QTest::newRow("unknown parameter") << "pickllm-ga:rate=0.1"
                                           << "no parameter 'rate'";
        QTest::newRow("out of range") << "pickllm-ga:eta=5"
                                      << "within";
        QTest::newRow("not a number") << "ucb1:c=abc"
                                      << "a number";
        QTest::newRow("not whole") << "pickllm-q:patience=2.5"
                                   << "whole number";
        QTest::newRow("bad model") << "fixed:model=nope"
                                   << "not in the dataset";
    }
    void registryValidates() {
        QFETCH(QString, spec);
        QFETCH(QString, message);
        const SimulationSetup setup(sample_.dataset, sample_.pool, {});
        try {
            RouterRegistry::instance().create(RouterSpec::parse(spec), setup.problem());
            QFAIL("no error");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(message), e.what());
        }
    }

    void pickLlmLearnsWithinSessions_data() {
        QTest::addColumn<QString>("router");
        QTest::newRow("gradient ascent") << "pickllm-ga";
        QTest::newRow("q-learning") << "pickllm-q";
    }
    void pickLlmLearnsWithinSessions() {
        QFETCH(QString, router);
        SimulationOptions options;
        options.sessions = SessionRule::parse(QStringLiteral("length:200"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, options);
        for (const Preference& preference : {kQualityOnly, kCostHeavy}) {
            const double learned =
                meanOverSeeds(setup, router, preference, &CellSummary::meanReward);
            const double random = meanOverSeeds(setup, QStringLiteral("random"), preference,
                                                &CellSummary::meanReward);
            const double oracle = meanOverSeeds(setup, QStringLiteral("oracle"), preference,
                                                &CellSummary::meanReward);
            qInfo("%s %s: reward %.4f, random %.4f, oracle %.4f", qPrintable(router),
                  qPrintable(preference.toString()), learned, random, oracle);
            QVERIFY(learned > random + 0.1 * (oracle - random));
            QVERIFY(learned <= oracle);
            const double convergence =
                meanOverSeeds(setup, router, preference, &CellSummary::meanConvergenceStep);
            QVERIFY2(convergence < 150, qPrintable(QString::number(convergence)));
        }
    }

    void costHeavyPreferenceCutsCost() {
        SimulationOptions options;
        options.sessions = SessionRule::parse(QStringLiteral("length:200"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, options);
        const Preference preference{0.3, 0.7, 0.0};
        const double randomCost =
            meanOverSeeds(setup, QStringLiteral("random"), preference, &CellSummary::totalCostUsd);
        const double bestQuality = meanOverSeeds(setup, QStringLiteral("best-single"), kQualityOnly,
                                                 &CellSummary::meanQuality);
        for (const QString& router : {QStringLiteral("pickllm-ga"), QStringLiteral("pickllm-q")}) {
            const double cost =
                meanOverSeeds(setup, router, preference, &CellSummary::totalCostUsd);
            const double quality =
                meanOverSeeds(setup, router, preference, &CellSummary::meanQuality);
            qInfo("%s cost-heavy: cost %.4f vs random %.4f (%.0f%% less), quality %.3f vs best "
                  "single %.3f",
                  qPrintable(router), cost, randomCost, 100 * (1 - cost / randomCost), quality,
                  bestQuality);
            QVERIFY(cost < 0.6 * randomCost); // the paper reports 60% less than random
            QVERIFY(quality > bestQuality - 0.25);
        }
    }

    // The paper's second figure: with latency weighted, mean latency falls against random
    // (it reports 52% less).
    void latencyHeavyPreferenceCutsLatency() {
        SimulationOptions options;
        options.sessions = SessionRule::parse(QStringLiteral("length:200"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, options);
        const Preference preference{0.4, 0.0, 0.6};
        const double randomLatency =
            meanOverSeeds(setup, QStringLiteral("random"), preference, &CellSummary::meanLatencyS);
        for (const QString& router : {QStringLiteral("pickllm-ga"), QStringLiteral("pickllm-q")}) {
            const double latency =
                meanOverSeeds(setup, router, preference, &CellSummary::meanLatencyS);
            qInfo("%s latency-heavy: mean latency %.2f s vs random %.2f s (%.0f%% less)",
                  qPrintable(router), latency, randomLatency, 100 * (1 - latency / randomLatency));
            QVERIFY(latency < 0.85 * randomLatency);
        }
    }

    void classicBanditsBeatRandom_data() {
        QTest::addColumn<QString>("router");
        QTest::newRow("epsilon-greedy") << "epsilon-greedy";
        QTest::newRow("ucb1") << "ucb1";
        QTest::newRow("thompson") << "thompson";
        QTest::newRow("linucb") << "linucb";
    }
    void classicBanditsBeatRandom() {
        QFETCH(QString, router);
        SimulationOptions options;
        options.sessions = SessionRule::parse(QStringLiteral("single"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, options);
        const double learned = meanOverSeeds(setup, router, kCostHeavy, &CellSummary::meanReward);
        const double random =
            meanOverSeeds(setup, QStringLiteral("random"), kCostHeavy, &CellSummary::meanReward);
        const double best = meanOverSeeds(setup, QStringLiteral("best-single"), kCostHeavy,
                                          &CellSummary::meanReward);
        qInfo("%s: reward %.4f, random %.4f, best single %.4f", qPrintable(router), learned, random,
              best);
        QVERIFY(learned > random);
        // Over 1,600 prompts a bandit should get at least half way to the best single model.
        QVERIFY(learned > random + 0.5 * (best - random));
    }

    void promptFeaturesHelpLinUcb() {
        // The sample's categories favour different models, and the prompt text reveals the
        // category: a contextual bandit should beat the context-free ones.
        SimulationOptions options;
        options.sessions = SessionRule::parse(QStringLiteral("single"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, options);
        const double linucb =
            meanOverSeeds(setup, QStringLiteral("linucb"), kCostHeavy, &CellSummary::meanReward);
        for (const char* other : {"epsilon-greedy", "thompson", "ucb1"}) {
            const double reward = meanOverSeeds(setup, QString::fromLatin1(other), kCostHeavy,
                                                &CellSummary::meanReward);
            qInfo("linucb %.4f vs %s %.4f", linucb, other, reward);
            QVERIFY(linucb > reward);
        }
    }

    void identicalForAnyThreadCount() {
        const SimulationSetup setup(sample_.dataset, sample_.pool, {});
        std::vector<Cell> cells;
        for (const char* r : {"pickllm-ga", "pickllm-q", "thompson", "random"})
            for (int s = 1; s <= 3; ++s)
                cells.push_back({RouterSpec::parse(QString::fromLatin1(r)), kCostHeavy,
                                 static_cast<std::uint64_t>(s)});
        const auto one = runCells(setup, cells, 1);
        const auto two = runCells(setup, cells, 2);
        const auto four = runCells(setup, cells, 4);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            QCOMPARE(one[i].log.model, two[i].log.model);
            QCOMPARE(one[i].log.model, four[i].log.model);
            QCOMPARE(one[i].summary.meanReward, four[i].summary.meanReward);
        }
        // Different seeds give different runs.
        QVERIFY(one[0].log.model != one[1].log.model);
    }

    void cancelStopsAndKeepsPartialResults() {
        const SimulationSetup setup(sample_.dataset, sample_.pool, {});
        std::atomic_bool cancel{true};
        const auto results = runCells(
            setup, {{RouterSpec::parse(QStringLiteral("random")), kQualityOnly, 1}}, 1, &cancel);
        QCOMPARE(results.size(), std::size_t(1));
        QVERIFY(!results[0].summary.complete);
    }

    void pickLlmOnRealData_data() {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("router");
        QTest::newRow("routerbench ga") << "routerbench"
                                        << "pickllm-ga";
        QTest::newRow("routerbench q") << "routerbench"
                                       << "pickllm-q";
        QTest::newRow("routellm ga") << "routellm"
                                     << "pickllm-ga";
        QTest::newRow("routellm q") << "routellm"
                                    << "pickllm-q";
    }
    void pickLlmOnRealData() {
        QFETCH(QString, folder);
        QFETCH(QString, router);
        const QString root = testing::sharedDataDir();
        if (root.isEmpty() || !QFileInfo(QDir(root).filePath(folder)).isDir())
            QSKIP("shared/data is absent: the real-data check needs it");
        QTemporaryDir tmp;
        // RouteLLM records no costs: price its pair at list prices of the time.
        const QString pool = folder == QLatin1String("routellm")
                                 ? testing::writeFile(QDir(tmp.path()),
                                                      QStringLiteral("p.pool.json"), R"({"models": [
            {"id": "mistralai/Mixtral-8x7B-Instruct-v0.1", "input_price_per_mtok": 0.6, "output_price_per_mtok": 0.6},
            {"id": "gpt-4-1106-preview", "input_price_per_mtok": 10, "output_price_per_mtok": 30}]})")
                                 : QString();
        const PricedDataset data = loadPricedDataset({QDir(root).filePath(folder)}, pool);
        SimulationOptions options;
        options.sessions = SessionRule::parse(QStringLiteral("length:200"));
        const SimulationSetup setup(data.dataset, data.pool, options);
        const Preference preference{0.5, 0.5, 0.0};
        const double learned =
            meanOverSeeds(setup, router, preference, &CellSummary::meanReward, 3);
        const double random =
            meanOverSeeds(setup, QStringLiteral("random"), preference, &CellSummary::meanReward, 3);
        const double learnedCost =
            meanOverSeeds(setup, router, preference, &CellSummary::totalCostUsd, 3);
        const double randomCost = meanOverSeeds(setup, QStringLiteral("random"), preference,
                                                &CellSummary::totalCostUsd, 3);
        const double quality =
            meanOverSeeds(setup, router, preference, &CellSummary::meanQuality, 3);
        const double bestQuality = meanOverSeeds(setup, QStringLiteral("best-single"), kQualityOnly,
                                                 &CellSummary::meanQuality, 1);
        const double convergence =
            meanOverSeeds(setup, router, preference, &CellSummary::meanConvergenceStep, 3);
        qInfo("%s %s: reward %.4f vs random %.4f; cost %.3f vs random %.3f (%.0f%% less); quality "
              "%.3f vs best single %.3f; converges after %.0f of 200 steps",
              qPrintable(folder), qPrintable(router), learned, random, learnedCost, randomCost,
              100 * (1 - learnedCost / randomCost), quality, bestQuality, convergence);
        QVERIFY(learned > random);
        QVERIFY(learnedCost < 0.8 * randomCost);
        QVERIFY(quality > bestQuality - 0.25); // the margin the sample test states too
        // Eleven models on RouterBench: settling takes longer than on the sample, but well
        // within the 200-prompt session.
        QVERIFY2(convergence < 175, qPrintable(QString::number(convergence)));
    }

    void splitsAndSessions() {
        SimulationOptions options;
        options.split = SplitRule::parse(QStringLiteral("category:math"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, options);
        QCOMPARE(setup.scoredRows().size(), std::size_t(400));
        QCOMPARE(setup.problem().trainingRows.size(), std::size_t(1200));
        QCOMPARE(setup.sessionStarts().size(), std::size_t(1));
        options.split = SplitRule::parse(QStringLiteral("random:0.7"));
        options.sessions = SessionRule::parse(QStringLiteral("length:100"));
        const SimulationSetup random(sample_.dataset, sample_.pool, options);
        const auto scored = random.scoredRows().size();
        QVERIFY(scored > 400 && scored < 560);
        QCOMPARE(random.sessionStarts().size(), (scored + 99) / 100);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 SplitRule::parse(QStringLiteral("random:1.5")));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 SessionRule::parse(QStringLiteral("length:0")));
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestSimulation)
#include "test_simulation.moc"
