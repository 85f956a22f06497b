// The Trade-off page's constraint modes: the choice on a table worked out by hand, on the
// sample data's single models against their means computed from the CSV here, and with a
// trained router among the candidates (its answer meets the constraint and nothing beats it).
#include "formats/dataset_loader.h"
#include "sim/simulation.h"
#include "tradeoff/tradeoff_choice.h"

#include <QDir>
#include <QtTest>
#include <cmath>

using namespace routerlab;

Q_DECLARE_METATYPE(routerlab::TradeoffGoal)

namespace {

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

OperatingCandidate point(const char* name, double quality, double cost, double p95) {
    OperatingCandidate c;
    c.kind = OperatingCandidate::Kind::SingleModel;
    c.name = QString::fromLatin1(name);
    c.quality = quality;
    c.costPer1kUsd = cost;
    c.p95LatencyS = p95;
    return c;
}

// Four points: cheap-weak, mid, strong-slow, and a tie on quality with mid at a higher cost.
std::vector<OperatingCandidate> handTable() {
    return {point("small", 0.50, 0.10, 1.0), point("mid", 0.70, 1.00, 3.0),
            point("large", 0.85, 4.00, 9.0), point("mid-dear", 0.70, 1.50, 2.0)};
}

} // namespace

class TestTradeoff : public QObject {
    Q_OBJECT

private slots:
    void choosesOnAHandTable_data();
    void choosesOnAHandTable();
    void unknownFiguresAreLeftOut();
    void sampleSingleModels_data();
    void sampleSingleModels();
    void routerAnswerMeetsItsConstraint();
};

void TestTradeoff::choosesOnAHandTable_data() {
    QTest::addColumn<TradeoffGoal>("goal");
    QTest::addColumn<double>("limit");
    QTest::addColumn<QString>("expected"); // empty: nothing qualifies
    QTest::addColumn<int>("qualifying");
    QTest::newRow("budget $1: mid") << TradeoffGoal::BestQualityUnderCost << 1.0 << "mid" << 2;
    QTest::newRow("budget $0.99: small")
        << TradeoffGoal::BestQualityUnderCost << 0.99 << "small" << 1;
    QTest::newRow("budget $2: tie goes cheaper")
        << TradeoffGoal::BestQualityUnderCost << 2.0 << "mid" << 3;
    QTest::newRow("budget $5: large") << TradeoffGoal::BestQualityUnderCost << 5.0 << "large" << 4;
    QTest::newRow("budget $0.05: none") << TradeoffGoal::BestQualityUnderCost << 0.05 << "" << 0;
    QTest::newRow("quality 0.6: mid") << TradeoffGoal::CheapestAtQuality << 0.6 << "mid" << 3;
    QTest::newRow("quality 0.5: small") << TradeoffGoal::CheapestAtQuality << 0.5 << "small" << 4;
    QTest::newRow("quality 0.9: none") << TradeoffGoal::CheapestAtQuality << 0.9 << "" << 0;
    QTest::newRow("p95 2.5 s: mid-dear")
        << TradeoffGoal::BestQualityUnderLatency << 2.5 << "mid-dear" << 2;
    QTest::newRow("p95 3 s: mid") << TradeoffGoal::BestQualityUnderLatency << 3.0 << "mid" << 3;
    QTest::newRow("p95 0.5 s: none") << TradeoffGoal::BestQualityUnderLatency << 0.5 << "" << 0;
}

void TestTradeoff::choosesOnAHandTable() {
    QFETCH(TradeoffGoal, goal);
    QFETCH(double, limit);
    QFETCH(QString, expected);
    QFETCH(int, qualifying);
    const std::vector<OperatingCandidate> table = handTable();
    const TradeoffChoice choice = chooseOperatingPoint(table, {goal, limit});
    QCOMPARE(choice.qualifying, qualifying);
    QCOMPARE(choice.chosen ? table[*choice.chosen].name : QString(), expected);
    const QString sentence = answerSentence(table, {goal, limit}, choice, {});
    if (expected.isEmpty())
        QVERIFY2(sentence.startsWith(QStringLiteral("Nothing meets")), qPrintable(sentence));
    else
        QVERIFY2(sentence.startsWith(expected + QStringLiteral(" alone: ")), qPrintable(sentence));
}

void TestTradeoff::unknownFiguresAreLeftOut() {
    std::vector<OperatingCandidate> table = handTable();
    table[2].p95LatencyS = NAN; // a sweep point without its p95
    const TradeoffChoice choice =
        chooseOperatingPoint(table, {TradeoffGoal::BestQualityUnderLatency, 100.0});
    QCOMPARE(choice.unknown, 1);
    QCOMPARE(table[*choice.chosen].name, QStringLiteral("mid"));
}

// Every prompt scored (no split): each model's figures are its means over sample.csv, worked
// out by hand from the CSV and the pool's prices (tokens x price per million):
//   model                 quality  $ / 1k   p95 s
//   gpt-4o                0.8179   3.0778   9.13
//   gpt-4o-mini           0.6529   0.1777   6.81
//   claude-3-5-sonnet     0.8322   5.0899   13.50
//   claude-3-5-haiku      0.6869   1.1253   11.37
//   gemini-1.5-pro        0.8007   1.6103   13.66
//   gemini-1.5-flash      0.6405   0.0826   4.17
//   mistral-large-2411    0.7114   1.9030   19.06
//   llama-3.1-8b-instant  0.4943   0.0220   1.09
void TestTradeoff::sampleSingleModels_data() {
    QTest::addColumn<TradeoffGoal>("goal");
    QTest::addColumn<double>("limit");
    QTest::addColumn<QString>("expected");
    QTest::newRow("under $1") << TradeoffGoal::BestQualityUnderCost << 1.0 << "gpt-4o-mini";
    QTest::newRow("under $2") << TradeoffGoal::BestQualityUnderCost << 2.0 << "gemini-1.5-pro";
    QTest::newRow("under $4") << TradeoffGoal::BestQualityUnderCost << 4.0 << "gpt-4o";
    QTest::newRow("quality >= 0.65") << TradeoffGoal::CheapestAtQuality << 0.65 << "gpt-4o-mini";
    QTest::newRow("quality >= 0.70") << TradeoffGoal::CheapestAtQuality << 0.70 << "gemini-1.5-pro";
    QTest::newRow("quality >= 0.82")
        << TradeoffGoal::CheapestAtQuality << 0.82 << "claude-3-5-sonnet";
    QTest::newRow("p95 <= 7 s") << TradeoffGoal::BestQualityUnderLatency << 7.0 << "gpt-4o-mini";
    QTest::newRow("p95 <= 10 s") << TradeoffGoal::BestQualityUnderLatency << 10.0 << "gpt-4o";
    QTest::newRow("p95 <= 1 s: none") << TradeoffGoal::BestQualityUnderLatency << 1.0 << "";
}

void TestTradeoff::sampleSingleModels() {
    QFETCH(TradeoffGoal, goal);
    QFETCH(double, limit);
    QFETCH(QString, expected);
    const PricedDataset data =
        loadPricedDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    const SimulationSetup setup(data.dataset, data.pool, SimulationOptions{});
    QCOMPARE(setup.scoredRows().size(), std::size_t{1600});
    const std::vector<OperatingCandidate> candidates =
        operatingCandidates(setup, {}, {}, CandidateOptions{});
    QCOMPARE(candidates.size(), std::size_t{8});
    // Two of the hand-worked rows, to the table's precision.
    QCOMPARE(candidates[1].name, QStringLiteral("gpt-4o-mini"));
    QVERIFY(std::abs(candidates[1].quality - 0.6529) < 5e-5);
    QVERIFY(std::abs(candidates[1].costPer1kUsd - 0.1777) < 5e-5);
    QVERIFY(std::abs(candidates[6].p95LatencyS - 19.06) < 0.01);
    QVERIFY(candidates[1].qualityCi.low < 0.6529 && 0.6529 < candidates[1].qualityCi.high);
    const TradeoffChoice choice = chooseOperatingPoint(candidates, {goal, limit});
    QCOMPARE(choice.chosen ? candidates[*choice.chosen].name : QString(), expected);
}

// With BaRP trained on 70% of the sample and evaluated at 21 cost weights on the rest: the
// answer is a qualifying candidate no qualifying candidate beats, and under $1 per 1,000
// queries the learned router does better than any single model within that budget.
void TestTradeoff::routerAnswerMeetsItsConstraint() {
    const PricedDataset data =
        loadPricedDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    const SimulationSetup setup(data.dataset, data.pool, options);
    const std::vector<OperatingCandidate> candidates = operatingCandidates(
        setup, {RouterSpec::parse(QStringLiteral("barp:epochs=5"))}, {}, CandidateOptions{});
    QCOMPARE(candidates.size(), std::size_t{21 + 8});
    const TradeoffConstraint budget{TradeoffGoal::BestQualityUnderCost, 1.0};
    const TradeoffChoice choice = chooseOperatingPoint(candidates, budget);
    QVERIFY(choice.chosen.has_value());
    const OperatingCandidate& chosen = candidates[*choice.chosen];
    QVERIFY(chosen.costPer1kUsd <= 1.0);
    for (const OperatingCandidate& c : candidates)
        QVERIFY(c.costPer1kUsd > 1.0 || c.quality <= chosen.quality);
    QCOMPARE(chosen.kind, OperatingCandidate::Kind::Router);
    QCOMPARE(chosen.name, QStringLiteral("barp:epochs=5"));
    double bestSingleUnderBudget = 0;
    for (const OperatingCandidate& c : candidates)
        if (c.kind == OperatingCandidate::Kind::SingleModel && c.costPer1kUsd <= 1.0)
            bestSingleUnderBudget = std::max(bestSingleUnderBudget, c.quality);
    QVERIFY2(chosen.quality > bestSingleUnderBudget,
             qPrintable(describeCandidate(chosen, setup.problem().modelNames)));
    const QString sentence = answerSentence(candidates, budget, choice, setup.problem().modelNames);
    QVERIFY2(sentence.contains(QStringLiteral("per 1,000 queries")) &&
                 sentence.contains(QStringLiteral("% ")),
             qPrintable(sentence));
    qInfo().noquote() << sentence;
}

QTEST_GUILESS_MAIN(TestTradeoff)
#include "test_tradeoff.moc"
