// The bootstrap behind every interval: that its 95% intervals hold 95% of the truth on
// outcomes with known means, that its paired test keeps its 5% level under a null and finds a
// real difference, and that block totals survive the trip through shard files.
#include "common/random.h"
#include "experiment/result_intervals.h"
#include "sim/simulation.h"
#include "stats/bootstrap.h"

#include <QJsonArray>
#include <QtTest>
#include <cmath>

using namespace routerlab;

namespace {

constexpr int kRepetitions = 400;

// A one-model run whose per-step quality is `quality(t)` and cost `cost(t)`.
template <typename Quality, typename Cost>
CellSummary runOf(int steps, Quality quality, Cost cost) {
    StepLog log;
    for (int t = 0; t < steps; ++t) {
        log.model.push_back(0);
        log.quality.push_back(static_cast<float>(quality(t)));
        log.cost.push_back(static_cast<float>(cost(t)));
        log.latency.push_back(1.0f);
        log.reward.push_back(log.quality.back());
        log.oracleReward.push_back(1.0f);
        log.topProbability.push_back(1.0f);
    }
    return summariseStepLog(log, {0}, 1);
}

Interval intervalOf(const std::vector<const CellSummary*>& runs, const QString& field,
                    std::uint64_t seed) {
    BootstrapOptions options;
    options.seed = seed;
    const ExperimentBootstrap bootstrap(runs, options);
    return percentileInterval(bootstrap.simulateRow(runs).at(field));
}

} // namespace

class TestBootstrap : public QObject {
    Q_OBJECT

private slots:
    void blocksAreFixedAndEven() {
        QCOMPARE(blockCount(50), 50);
        QCOMPARE(blockCount(100000), kBootstrapBlocks);
        for (std::size_t t = 0; t < 50; ++t)
            QCOMPARE(blockOfStep(t, 50), static_cast<int>(t));
        std::vector<int> sizes(kBootstrapBlocks, 0);
        for (std::size_t t = 0; t < 100000; ++t)
            ++sizes[static_cast<std::size_t>(blockOfStep(t, 100000))];
        const auto [fewest, most] = std::minmax_element(sizes.begin(), sizes.end());
        const double expected = 100000.0 / kBootstrapBlocks;
        QVERIFY2(*fewest > 0.85 * expected && *most < 1.15 * expected,
                 qPrintable(QStringLiteral("block sizes %1..%2").arg(*fewest).arg(*most)));
    }

    void intervalsCoverTheTruth_data() {
        QTest::addColumn<int>("steps");
        QTest::addColumn<QString>("field");
        QTest::newRow("400 prompts, quality 0/1, a prompt a block") << 400 << "mean_quality";
        QTest::newRow("6000 prompts, quality 0/1, 128 blocks") << 6000 << "mean_quality";
        QTest::newRow("2000 prompts, skewed cost, 128 blocks") << 2000 << "mean_cost_usd";
    }
    void intervalsCoverTheTruth() {
        QFETCH(int, steps);
        QFETCH(QString, field);
        // Quality: Bernoulli(0.7); cost: lognormal with median 1 (mean e^0.5), a long tail.
        const double truth = field == QLatin1String("mean_quality") ? 0.7 : std::exp(0.5);
        int covered = 0;
        for (int rep = 0; rep < kRepetitions; ++rep) {
            Random random(Random::mix(2026, static_cast<std::uint64_t>(rep)));
            const CellSummary run = runOf(
                steps, [&](int) { return random.bernoulli(0.7) ? 1.0 : 0.0; },
                [&](int) { return std::exp(random.normal()); });
            const Interval interval = intervalOf({&run}, field, static_cast<std::uint64_t>(rep));
            QVERIFY(interval.valid() && interval.low <= interval.high);
            covered += interval.low <= truth && truth <= interval.high ? 1 : 0;
        }
        const double coverage = static_cast<double>(covered) / kRepetitions;
        qInfo("%s: coverage %.3f", qPrintable(field), coverage);
        QVERIFY2(coverage >= 0.93 && coverage <= 0.97,
                 qPrintable(QStringLiteral("95% intervals held the truth in %1 of %2 runs")
                                .arg(covered)
                                .arg(kRepetitions)));
    }

    void pairedTestHoldsItsLevelAndFindsADifference_data() {
        QTest::addColumn<double>("gap");
        QTest::addColumn<double>("lowestRejection");
        QTest::addColumn<double>("highestRejection");
        QTest::newRow("identical routers") << 0.0 << 0.0 << 0.07;
        QTest::newRow("one router 6 points better") << 0.06 << 0.8 << 1.0;
    }
    void pairedTestHoldsItsLevelAndFindsADifference() {
        QFETCH(double, gap);
        QFETCH(double, lowestRejection);
        QFETCH(double, highestRejection);
        const int steps = 1000;
        int rejected = 0;
        for (int rep = 0; rep < kRepetitions; ++rep) {
            // Prompts differ in difficulty; both routers face the same prompts, so their
            // outcomes are correlated and only a paired test sees a small gap.
            Random random(Random::mix(7, static_cast<std::uint64_t>(rep)));
            std::vector<double> difficulty(steps);
            for (double& d : difficulty)
                d = random.uniform(0.2, 0.9);
            Random outcomes(Random::mix(8, static_cast<std::uint64_t>(rep)));
            const CellSummary a = runOf(
                steps, [&](int t) { return outcomes.bernoulli(difficulty[t]) ? 1.0 : 0.0; },
                [](int) { return 1.0; });
            const CellSummary b = runOf(
                steps, [&](int t) { return outcomes.bernoulli(difficulty[t] - gap) ? 1.0 : 0.0; },
                [](int) { return 1.0; });
            BootstrapOptions options;
            options.seed = static_cast<std::uint64_t>(rep) + 1;
            const ExperimentBootstrap bootstrap({&a, &b}, options);
            const QJsonObject rowA{{QStringLiteral("mean_quality"), a.meanQuality}};
            const QJsonObject rowB{{QStringLiteral("mean_quality"), b.meanQuality}};
            const QJsonObject difference =
                compareRows(rowA, bootstrap.simulateRow({&a}), rowB, bootstrap.simulateRow({&b}))
                    .value(QStringLiteral("mean_quality"))
                    .toObject();
            const double p = difference.value(QStringLiteral("p_value")).toDouble(NAN);
            QVERIFY(p > 0 && p <= 1);
            rejected += p < 0.05 ? 1 : 0;
        }
        const double rate = static_cast<double>(rejected) / kRepetitions;
        qInfo("gap %.2f: rejected at 5%% in %.3f of runs", gap, rate);
        QVERIFY2(
            rate >= lowestRejection && rate <= highestRejection,
            qPrintable(QStringLiteral("rejected in %1 of %2").arg(rejected).arg(kRepetitions)));
    }

    void seedsThatDisagreeWidenTheInterval() {
        // A router that learns differently per seed: its interval must carry that spread.
        std::vector<CellSummary> seeds;
        for (int s = 0; s < 5; ++s) {
            Random random(Random::mix(11, static_cast<std::uint64_t>(s)));
            const double level = 0.5 + 0.05 * s;
            seeds.push_back(runOf(
                3000, [&](int) { return random.bernoulli(level) ? 1.0 : 0.0; },
                [](int) { return 1.0; }));
        }
        std::vector<const CellSummary*> all;
        for (const CellSummary& s : seeds)
            all.push_back(&s);
        const Interval pooled = intervalOf(all, QStringLiteral("mean_quality"), 1);
        const Interval one = intervalOf({&seeds[2]}, QStringLiteral("mean_quality"), 1);
        QVERIFY2(pooled.high - pooled.low > 2 * (one.high - one.low),
                 qPrintable(QStringLiteral("five disagreeing seeds [%1, %2], one seed [%3, %4]")
                                .arg(pooled.low)
                                .arg(pooled.high)
                                .arg(one.low)
                                .arg(one.high)));
    }

    void sameSeedSameInterval() {
        Random random(3);
        const CellSummary run = runOf(
            500, [&](int) { return random.uniform(); }, [](int) { return 1.0; });
        const Interval a = intervalOf({&run}, QStringLiteral("mean_quality"), 5);
        const Interval b = intervalOf({&run}, QStringLiteral("mean_quality"), 5);
        const Interval c = intervalOf({&run}, QStringLiteral("mean_quality"), 6);
        QCOMPARE(a.low, b.low);
        QCOMPARE(a.high, b.high);
        QVERIFY(a.low != c.low || a.high != c.high);
    }

    void meanIntervalSkipsMissingValues() {
        std::vector<double> values;
        Random random(4);
        for (int i = 0; i < 300; ++i)
            values.push_back(i % 10 == 0 ? NAN : random.normal(2.0, 1.0));
        const Interval interval = meanInterval(values);
        QVERIFY(interval.valid());
        QVERIFY(interval.low < 2.0 && interval.high > 2.0);
        QVERIFY(interval.high - interval.low < 0.4);
        QVERIFY(!meanInterval({1.0}).valid());
        QVERIFY(!meanInterval({}).valid());
    }

    void blockTotalsRoundTripThroughJson() {
        Random random(5);
        const CellSummary run = runOf(
            1000, [&](int) { return random.uniform(); }, [&](int) { return random.uniform(); });
        const BlockTotals back = blockTotalsFromJson(blockTotalsToJson(run.blocks));
        QVERIFY(back.quality.sum == run.blocks.quality.sum);
        QVERIFY(back.regret.count == run.blocks.regret.count);
        QVERIFY(back.cost.sum == run.blocks.cost.sum);
        // Totals that do not line up are dropped rather than read past their end.
        QJsonObject broken = blockTotalsToJson(run.blocks);
        QJsonObject cost = broken.value(QStringLiteral("cost")).toObject();
        cost.insert(QStringLiteral("sum"), QStringLiteral("AAAA"));
        broken.insert(QStringLiteral("cost"), cost);
        QVERIFY(blockTotalsFromJson(broken).empty());
    }
};

QTEST_GUILESS_MAIN(TestBootstrap)
#include "test_bootstrap.moc"
