// The evaluation leaderboard: folds that hold out whole task families, the references every
// margin is read against, and the check for routers that pay more for less.
#include "common/random.h"
#include "experiment/evaluation.h"
#include "formats/dataset_loader.h"
#include "routers/router_registry.h"
#include "routing/familiarity_gate.h"
#include "sample_setup.h"
#include "sweep_support.h"
#include "test_main.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;

namespace {

// Three task families of 40 prompts and three models: `good` is right on 9 prompts in 10 at
// $0.001, `cheap` on 6 in 10 at $0.0001, `lavish` on 8 in 10 at $0.005.
QString writeFamilies(const QTemporaryDir& dir) {
    const QString path = dir.filePath(QStringLiteral("families.csv"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("prompt_id,prompt,category,model,quality,cost_usd,latency_s\n");
    const char* families[] = {"a", "b", "c"};
    for (int f = 0; f < 3; ++f)
        for (int i = 0; i < 40; ++i) {
            const QByteArray id = QByteArray(families[f]) + "-" + QByteArray::number(i);
            const QByteArray prefix =
                id + ",prompt " + id + " about " + families[f] + "," + families[f] + ",";
            file.write(prefix + "good," + (i % 10 != 0 ? "1" : "0") + ",0.001,1\n");
            file.write(prefix + "cheap," + (i % 10 < 6 ? "1" : "0") + ",0.0001,1\n");
            file.write(prefix + "lavish," + (i % 10 < 8 ? "1" : "0") + ",0.005,1\n");
        }
    return path;
}

// A random lower-case word: its character n-grams rarely meet another's.
QByteArray randomWord(Random& random) {
    QByteArray word;
    for (int i = 0; i < 9; ++i)
        word += char('a' + random.uniformInt(26));
    return word;
}

// Three models at one price over three families of `topics` topics of `perTopic` prompts. A
// prompt reads four of its family's eight words, two of its topic's three and a word of its
// own. The best model of family f's topic t is m<f>, or m<f+1> for the last `minority` topics;
// it is right with probability `bestRate`, the others with 0.5.
QString writeTopics(const QTemporaryDir& dir, int topics, int perTopic, int minority,
                    double bestRate) {
    const QString path = dir.filePath(QStringLiteral("topics.csv"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("prompt_id,prompt,category,model,quality,cost_usd,latency_s\n");
    Random random(5);
    auto words = [&](int count) {
        std::vector<QByteArray> out;
        for (int w = 0; w < count; ++w)
            out.push_back(randomWord(random));
        return out;
    };
    for (int f = 0; f < 3; ++f) {
        const std::vector<QByteArray> family = words(8);
        for (int t = 0; t < topics; ++t) {
            const std::vector<QByteArray> topic = words(3);
            const int best = (f + (t >= topics - minority ? 1 : 0)) % 3;
            for (int i = 0; i < perTopic; ++i) {
                const QByteArray id = QByteArray::number(f) + "-" + QByteArray::number(t) + "-" +
                                      QByteArray::number(i);
                QByteArray prompt = randomWord(random);
                for (int w = 0; w < 4; ++w)
                    prompt += " " + family[std::size_t(random.uniformInt(8))];
                for (int w = 0; w < 2; ++w)
                    prompt += " " + topic[std::size_t(random.uniformInt(3))];
                for (int m = 0; m < 3; ++m) {
                    const bool right = random.bernoulli(m == best ? bestRate : 0.5);
                    file.write(id + "," + prompt + ",family" + QByteArray::number(f) + ",m" +
                               QByteArray::number(m) + "," + (right ? "1" : "0") + ",0.001,1\n");
                }
            }
        }
    }
    return path;
}

// The mean quality of the scored prompts routed by the router `spec` at quality=1.
double routedQuality(const RoutingProblem& problem, const QString& spec) {
    const RewardFunction reward(problem.rewardKind, problem.scales, Preference{});
    const std::unique_ptr<Router> router =
        RouterRegistry::instance().create(RouterSpec::parse(spec), problem);
    double total = 0;
    for (const int row : problem.scoredRows) {
        const int model = router->route(Query{row, 0, nullptr, nullptr}, reward).model;
        const double q = (*problem.quality)(row, model);
        total += std::isnan(q) ? 0.0 : q;
    }
    return total / double(problem.scoredRows.size());
}

// 500 prompts, two models. `steady` is right on seven prompts in ten, but every 40th;
// `sometimes` is right where `steady` is, and on every 40th prompt (a gain), but wrong on every
// 100th from the 50th (a loss) and on every tenth from the first (odd prompts). `steady` is the
// better model overall; `sometimes` is the better on the even prompts, by a margin that a fifth
// of the prompts cannot tell from noise (13 gains and 5 losses in 250).
QString writeSmallEdge(const QTemporaryDir& dir) {
    const QString path = dir.filePath(QStringLiteral("edge.csv"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("prompt_id,prompt,category,model,quality,cost_usd,latency_s\n");
    for (int i = 0; i < 500; ++i) {
        const bool steady = i % 10 < 7;
        const QByteArray id = "p" + QByteArray::number(i);
        const QByteArray prefix = id + ",prompt " + id + ",one,";
        const bool gains = i % 40 == 0;
        const bool loses = i % 100 == 50 || i % 10 == 1;
        const bool sometimes = gains || (steady && !loses);
        file.write(prefix + "steady," + (steady && !gains ? "1" : "0") + ",0.001,1\n");
        file.write(prefix + "sometimes," + (sometimes ? "1" : "0") + ",0.001,1\n");
    }
    return path;
}

// Sends the even rows to `sometimes` (model 1) and the odd ones to `steady`.
class EvenRowsRouter : public Router {
public:
    void reset(std::uint64_t) override {}
    Decision route(const Query& query, const RewardFunction&) override {
        return {query.row % 2 == 0 ? 1 : 0, 1.0};
    }
    void observe(const Query&, int, const Feedback&) override {}
};

// Linear reward, TF-IDF features, 70% of the prompts trained and the rest scored.
SimulationOptions seventyPercentTrained() {
    SimulationOptions options;
    options.reward = RewardKind::Linear;
    options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    options.features = QStringLiteral("tfidf:256");
    return options;
}

} // namespace

class TestEvaluation : public QObject {
    Q_OBJECT

private slots:
    void spendingCheck_data() {
        QTest::addColumn<QString>("router");
        QTest::addColumn<bool>("runaway");
        QTest::addColumn<double>("margin"); // over the training-best model, points
        QTest::newRow("pays 5x for less") << QStringLiteral("fixed:model=lavish") << true << -10.0;
        QTest::newRow("pays less for less")
            << QStringLiteral("fixed:model=cheap") << false << -30.0;
        QTest::newRow("the fallback itself") << QStringLiteral("fixed:model=good") << false << 0.0;
    }
    void spendingCheck() {
        QFETCH(QString, router);
        QFETCH(bool, runaway);
        QFETCH(double, margin);
        QTemporaryDir dir;
        const PricedDataset data = loadPricedDataset({writeFamilies(dir)}, {});
        EvaluationOptions options;
        options.simulation.reward = RewardKind::Linear;
        options.bootstrap.resamples = 200;
        const Evaluation e =
            evaluate(data.dataset, data.pool, {RouterSpec::parse(router)}, options);
        QCOMPARE(e.parts.size(), std::size_t{4}); // in distribution, then a, b, c
        QVERIFY(e.hasUnseenTotal);
        const EvaluationPoint& point = e.points.front();
        for (std::size_t part = 0; part < point.scores.front().size(); ++part) {
            const EvaluationScore& s = point.scores.front()[part];
            QCOMPARE(e.models[point.references[part].trainingBest], QStringLiteral("good"));
            QCOMPARE(s.runawaySpending, runaway);
            // Every family has the same pattern, but the in-distribution part is a random 30%.
            if (part > 0)
                QVERIFY2(std::abs(s.marginOverTrainingBest.mean - margin) < 1e-9,
                         qPrintable(QString::number(s.marginOverTrainingBest.mean)));
            QVERIFY(s.marginOverTrainingBest.ci95.low <= s.marginOverTrainingBest.mean);
            QVERIFY(s.marginOverTrainingBest.ci95.high >= s.marginOverTrainingBest.mean);
        }
    }

    void referencesOnSample() {
        const PricedDataset data = testing::loadSampleWithPool();
        EvaluationOptions options;
        options.simulation.reward = RewardKind::Linear;
        options.unseenFamilies = {QStringLiteral("math+code"), QStringLiteral("chat")};
        options.preferences = {Preference{},
                               Preference::parse(QStringLiteral("quality=0.8,cost=0.2"))};
        options.bootstrap.resamples = 200;
        const Evaluation e =
            evaluate(data.dataset, data.pool,
                     {RouterSpec::parse(QStringLiteral("quality-regression"))}, options);
        QCOMPARE(e.parts.size(), std::size_t{3});
        int familyRows[2] = {0, 0};
        for (int i = 0; i < data.dataset.promptCount(); ++i) {
            const QString& c = data.dataset.categoryNames[data.dataset.promptCategory[i]];
            familyRows[0] += c == QLatin1String("math") || c == QLatin1String("code");
            familyRows[1] += c == QLatin1String("chat");
        }
        QCOMPARE(e.parts[1].scoredPrompts, familyRows[0]);
        QCOMPARE(e.parts[2].scoredPrompts, familyRows[1]);
        QCOMPARE(e.parts[0].trainingPrompts + e.parts[0].scoredPrompts, data.dataset.promptCount());
        // An unseen fold trains on the in-distribution training prompts of the other families.
        QVERIFY(e.parts[1].trainingPrompts < e.parts[0].trainingPrompts);
        for (const EvaluationPoint& point : e.points)
            for (const EvaluationReferences& r : point.references) {
                QCOMPARE(r.trainingBestScore.marginOverTrainingBest.mean, 0.0);
                QVERIFY(r.hindsightBestScore.marginOverTrainingBest.mean >= 0.0);
                QVERIFY(r.oracleScore.marginOverTrainingBest.mean >=
                        r.hindsightBestScore.marginOverTrainingBest.mean);
                QVERIFY(r.hindsightBestScore.marginOverHindsightBest.mean == 0.0);
            }
    }

    // On RouterBench (each family's train file trains, its test file is scored in distribution;
    // each family in turn unseen), no learned router falls more than half a point below the
    // training-best model on an unseen family, and none pays twice its cost for less quality.
    void routerBenchUnseenFloor() {
        QStringList train, test;
        if (!testing::sharedRouterBenchFiles(train, test))
            QSKIP("shared/data/routerbench is absent");
        const PricedDataset data = loadPricedDataset(train + test, {});
        EvaluationOptions options;
        options.simulation.reward = RewardKind::Linear;
        options.simulation.features = QStringLiteral("tfidf:512");
        options.inDistribution.kind = SplitRule::Kind::Sources;
        options.inDistribution.testSources = test;
        options.preferences = {Preference{},
                               Preference::parse(QStringLiteral("quality=0.8,cost=0.2"))};
        options.threads = 2;
        options.bootstrap.resamples = 0;
#if defined(ROUTERLAB_SANITIZED)
        // Five times slower under the sanitizers: the two routers that train fastest.
        const std::vector<RouterSpec> routers{
            RouterSpec::parse(QStringLiteral("knn")),
            RouterSpec::parse(QStringLiteral("quality-regression"))};
#else
        const std::vector<RouterSpec> routers = learnedRouters();
#endif
        const Evaluation e = evaluate(data.dataset, data.pool, routers, options);
        for (const EvaluationPoint& point : e.points)
            for (std::size_t r = 0; r < routers.size(); ++r)
                for (std::size_t part = 0; part < point.scores[r].size(); ++part) {
                    const EvaluationScore& s = point.scores[r][part];
                    const QString where =
                        QStringLiteral("%1 on %2 at %3: %4 points")
                            .arg(routers[r].toString(),
                                 part < e.parts.size() ? e.parts[part].name
                                                       : QStringLiteral("all unseen"),
                                 point.preference.toString())
                            .arg(s.marginOverTrainingBest.mean, 0, 'f', 2);
                    qInfo("%s", qPrintable(where));
                    QVERIFY2(!s.runawaySpending, qPrintable(where));
                    if (part > 0)
                        QVERIFY2(s.marginOverTrainingBest.mean >= -0.5, qPrintable(where));
                }
        // kNN over the prompts' terms learns where it can: in distribution, and on the unseen
        // families as a whole (winogrande), at quality 0.8 / cost 0.2.
        const auto knn = std::find_if(routers.begin(), routers.end(), [](const RouterSpec& s) {
            return s.name == QLatin1String("knn");
        });
        QVERIFY(knn != routers.end());
        const auto& knnScores = e.points[1].scores[std::size_t(knn - routers.begin())];
        QVERIFY2(knnScores.front().marginOverTrainingBest.mean >= 1.5,
                 qPrintable(QString::number(knnScores.front().marginOverTrainingBest.mean)));
        QVERIFY2(knnScores.back().marginOverTrainingBest.mean >= 1.0,
                 qPrintable(QString::number(knnScores.back().marginOverTrainingBest.mean)));
#if !defined(ROUTERLAB_SANITIZED)
        // The stack's blend learns in distribution too (its weights fitted on the training part).
        const auto stack = std::find_if(routers.begin(), routers.end(), [](const RouterSpec& s) {
            return s.name == QLatin1String("stack");
        });
        QVERIFY(stack != routers.end());
        const double stackGain = e.points[1]
                                     .scores[std::size_t(stack - routers.begin())]
                                     .front()
                                     .marginOverTrainingBest.mean;
        QVERIFY2(stackGain >= 1.5, qPrintable(QString::number(stackGain)));
        // The best router in distribution at 0.8 / 0.2, with the guard's share chosen from the
        // training families: 2.914 measured (mf; irt-greedy read 2.997 before its IRT fit's
        // falling rate, which gains on reshuffled splits and reads 2.18 here), 2.7 with the
        // fixed share of before.
        double bestGain = -1e9;
        for (const std::vector<EvaluationScore>& scores : e.points[1].scores)
            bestGain = std::max(bestGain, scores.front().marginOverTrainingBest.mean);
        QVERIFY2(bestGain >= 2.9, qPrintable(QString::number(bestGain)));
#endif
    }

    // The guard's share of unfamiliar prompts, chosen by leaving each training family out: as
    // small as allowed when the families' prompts lie apart, as large as allowed when they
    // look alike, and the fallback with one family.
    void familyCalibratedShareFollowsHowDistinctFamiliesAre_data() {
        QTest::addColumn<int>("families");
        QTest::addColumn<float>("separation"); // of the families' centres, against a spread of 1
        QTest::addColumn<double>("expected");
        const ShareCalibration c;
        QTest::newRow("families apart") << 3 << 8.0f << c.minimumShare;
        QTest::newRow("families alike") << 3 << 0.0f << c.maximumShare;
        QTest::newRow("one family") << 1 << 8.0f << c.fallbackShare;
    }

    void familyCalibratedShareFollowsHowDistinctFamiliesAre() {
        QFETCH(int, families);
        QFETCH(float, separation);
        QFETCH(double, expected);
        constexpr int kDimension = 24, kPerFamily = 150;
        Random random(7);
        Eigen::MatrixXf features(kDimension, families * kPerFamily);
        std::vector<int> rows, category;
        for (int f = 0; f < families; ++f)
            for (int i = 0; i < kPerFamily; ++i) {
                const int row = f * kPerFamily + i;
                for (int d = 0; d < kDimension; ++d)
                    features(d, row) = float(random.normal(0, 1)) + (d == f ? separation : 0.0f);
                rows.push_back(row);
                category.push_back(f);
            }
        const double share = familyCalibratedShare(features, rows, category, {}, 1);
        QCOMPARE(share, expected);
    }

    // Past 25,000 training prompts the clusters are fitted on a sample of 20,000: a family the
    // model never saw still looks unfamiliar, and the chosen share of the held-out training
    // prompts, computed over all of them, still does.
    void familiarityModelFittedOnASampleSeparatesFamilies() {
        constexpr int kDimension = 8, kPerFamily = 20000;
        constexpr double kShare = 0.05;
        Random random(11);
        Eigen::MatrixXf features(kDimension, 3 * kPerFamily);
        std::vector<int> seen;
        for (int row = 0; row < features.cols(); ++row) {
            const int family = row / kPerFamily;
            for (int d = 0; d < kDimension; ++d)
                features(d, row) = float(random.normal(0, 1)) + (d == family ? 8.0f : 0.0f);
            if (family < 2)
                seen.push_back(row);
        }
        const FamiliarityModel model(features, seen, kShare, 1);
        QCOMPARE(model.clusters(), 32);
        int unfamiliar = 0;
        for (int row = 2 * kPerFamily; row < features.cols(); ++row)
            unfamiliar += !model.familiar(features.col(row));
        QVERIFY2(unfamiliar >= 0.95 * kPerFamily, qPrintable(QString::number(unfamiliar)));
        int seenUnfamiliar = 0;
        for (const int row : seen)
            seenUnfamiliar += !model.familiar(features.col(row));
        const double seenShare = double(seenUnfamiliar) / double(seen.size());
        QVERIFY2(seenShare > 0.5 * kShare && seenShare < 2 * kShare,
                 qPrintable(QString::number(seenShare)));
    }

    // A prompt that shares no term with the training prompts has no neighbour to speak of:
    // knn predicts near the training mean for it and routes it as the training-best model. (Its
    // terms may share a hashed slot with a training term: a prior of 1 is outweighed by a
    // hundred such faint neighbours.) Training-like prompts do not all fall back.
    void knnShrinksTowardTheTrainingBest_data() {
        QTest::addColumn<QString>("router");
        QTest::newRow("prior 10") << QStringLiteral("knn:prior=10");
        QTest::newRow("prior 30") << QStringLiteral("knn:prior=30");
        QTest::newRow("prior chosen") << QStringLiteral("knn");
    }
    void knnShrinksTowardTheTrainingBest() {
        QFETCH(QString, router);
        const PricedDataset data = testing::loadSampleWithPool();
        const SimulationSetup setup(data.dataset, data.pool, seventyPercentTrained());
        const RoutingProblem& problem = setup.problem();
        const RewardFunction reward(problem.rewardKind, problem.scales, Preference{});
        const int trainingBest = bestModelOn(problem, problem.trainingRows, reward);
        const std::unique_ptr<Router> knn =
            RouterRegistry::instance().create(RouterSpec::parse(router), problem);
        auto routed = [&](const QString& prompt) {
            const Eigen::VectorXf x = problem.features->featurizer().transform(prompt);
            const SparseTerms terms = problem.features->featurizer().sparseTerms(prompt);
            Query query;
            query.features = &x;
            query.terms = &terms;
            return knn->route(query, reward).model;
        };
        // Every n-gram of these words holds bytes the English sample never has.
        QCOMPARE(routed(QStringLiteral("ꙮꙮꙮ ᚠᚢᚦ ᚨᚱᚲ")), trainingBest);
        int others = 0;
        for (const int row : setup.scoredRows())
            others += routed(data.dataset.promptTexts[std::size_t(row)]) != trainingBest;
        QVERIFY2(others > 0, "knn never leaves the training-best model on the sample");
    }

    // On the sample, each category in turn unseen, knn chosen by leave-one-out routing alone
    // read a prior too small for prompts of a family it never saw: at quality 0.8 / cost 0.2 it
    // lost 14 points on knowledge (their neighbours among the other families sent them to cheap
    // models). With each training family left out in turn, its choice keeps every unseen
    // family within half a point of the training-best model, and still gains in distribution.
    void knnChoiceChecksFamiliesLeftOut_data() {
        QTest::addColumn<QString>("preference");
        QTest::newRow("quality only") << QStringLiteral("quality=1");
        QTest::newRow("quality 0.8, cost 0.2") << QStringLiteral("quality=0.8,cost=0.2");
    }
    void knnChoiceChecksFamiliesLeftOut() {
        QFETCH(QString, preference);
        const PricedDataset data = testing::loadSampleWithPool();
        EvaluationOptions options;
        options.simulation.reward = RewardKind::Linear;
        options.simulation.features = QStringLiteral("tfidf:512");
        options.preferences = {Preference::parse(preference)};
        options.threads = 2;
        options.bootstrap.resamples = 0;
        const std::vector<RouterSpec> routers{
            RouterSpec::parse(QStringLiteral("knn")),
            // At the plain similarity: over the powers the choice on the sample happens to
            // avoid those losses without the check.
            RouterSpec::parse(QStringLiteral("knn:families=off,power=1"))};
        const Evaluation e = evaluate(data.dataset, data.pool, routers, options);
        QCOMPARE(e.parts.size(), std::size_t(5)); // in distribution and four categories
        const auto& checked = e.points.front().scores[0];
        const auto& unchecked = e.points.front().scores[1];
        double worstChecked = 0, worstUnchecked = 0;
        QString figures;
        for (std::size_t part = 0; part < e.parts.size(); ++part) {
            figures += QStringLiteral("%1: %2 (off %3); ")
                           .arg(e.parts[part].name)
                           .arg(checked[part].marginOverTrainingBest.mean, 0, 'f', 2)
                           .arg(unchecked[part].marginOverTrainingBest.mean, 0, 'f', 2);
            if (part == 0)
                continue;
            worstChecked = std::min(worstChecked, checked[part].marginOverTrainingBest.mean);
            worstUnchecked = std::min(worstUnchecked, unchecked[part].marginOverTrainingBest.mean);
        }
        qInfo("%s", qPrintable(figures));
        QVERIFY2(worstChecked >= -0.5, qPrintable(figures));
        QVERIFY2(checked.front().marginOverTrainingBest.mean >= 1.0, qPrintable(figures));
        // What the check is for: without it some family loses more than half a point.
        QVERIFY2(worstUnchecked < -0.5, qPrintable(figures));
    }

    // knn chooses how many neighbours it reads by routing the training prompts: few where each
    // small topic has its own best model, many where outcomes are noisy and a topic is large.
    // The choice routes the scored prompts about as well as the better of 25 and 400
    // neighbours, and the two data sets disagree on which that is.
    void knnChoosesHowManyNeighbours_data() {
        QTest::addColumn<int>("topics");
        QTest::addColumn<int>("perTopic");
        QTest::addColumn<int>("minority");
        QTest::addColumn<double>("bestRate");
        QTest::addColumn<bool>("fewBetter");
        QTest::newRow("small topics") << 10 << 20 << 3 << 1.0 << true;
        QTest::newRow("noisy families") << 1 << 500 << 0 << 0.65 << false;
    }
    void knnChoosesHowManyNeighbours() {
        QFETCH(int, topics);
        QFETCH(int, perTopic);
        QFETCH(int, minority);
        QFETCH(double, bestRate);
        QFETCH(bool, fewBetter);
        QTemporaryDir dir;
        const PricedDataset data =
            loadPricedDataset({writeTopics(dir, topics, perTopic, minority, bestRate)}, {});
        const SimulationSetup setup(data.dataset, data.pool, seventyPercentTrained());
        const RoutingProblem& problem = setup.problem();
        auto quality = [&](const QString& spec) { return routedQuality(problem, spec); };
        const double few = quality(QStringLiteral("knn:k=25,power=1"));
        const double many = quality(QStringLiteral("knn:k=400,power=1"));
        const double chosen = quality(QStringLiteral("knn"));
        const QString figures =
            QStringLiteral("25: %1, 400: %2, chosen: %3").arg(few).arg(many).arg(chosen);
        qInfo("%s", qPrintable(figures));
        QVERIFY2((few > many + 0.02) == fewBetter && (many > few + 0.02) == !fewBetter,
                 qPrintable(figures));
        QVERIFY2(chosen >= std::max(few, many) - 0.01, qPrintable(figures));
    }

    // A neighbour weighs its similarity to a power: above 1 the prompts of a prompt's own small
    // topic outweigh the many of its family that share fewer words, so 400 neighbours route
    // nearly as well as 25; the choice among the powers keeps that.
    void knnWeighsTheNearestNeighboursMore() {
        QTemporaryDir dir;
        const PricedDataset data = loadPricedDataset({writeTopics(dir, 10, 20, 3, 1.0)}, {});
        const SimulationSetup setup(data.dataset, data.pool, seventyPercentTrained());
        const RoutingProblem& problem = setup.problem();
        auto quality = [&](const QString& spec) { return routedQuality(problem, spec); };
        const double plain = quality(QStringLiteral("knn:k=400,prior=0,power=1"));
        const double sharp = quality(QStringLiteral("knn:k=400,prior=0,power=4"));
        const double few = quality(QStringLiteral("knn:k=25,prior=0,power=1"));
        const QString figures = QStringLiteral("400 at power 1: %1, at power 4: %2, 25: %3")
                                    .arg(plain)
                                    .arg(sharp)
                                    .arg(few);
        qInfo("%s", qPrintable(figures));
        QVERIFY2(sharp > plain + 0.03, qPrintable(figures));
        QVERIFY2(sharp >= few - 0.03, qPrintable(figures));
        QVERIFY2(quality(QStringLiteral("knn:k=400,prior=0")) >= sharp - 0.01, qPrintable(figures));
    }

    // The guard's no-gain rule with one held-out fifth misses a small gain that checking every
    // training prompt across folds finds (the router is fixed, so only the check differs).
    void evidenceFoldsCheckEveryTrainingPrompt_data() {
        QTest::addColumn<int>("folds");
        QTest::addColumn<bool>("helps");
        QTest::newRow("a fifth held out") << 1 << false;
        QTest::newRow("three folds") << 3 << true;
        QTest::newRow("five folds") << 5 << true;
    }
    void evidenceFoldsCheckEveryTrainingPrompt() {
        QFETCH(int, folds);
        QFETCH(bool, helps);
        QTemporaryDir dir;
        const PricedDataset data = loadPricedDataset({writeSmallEdge(dir)}, {});
        SimulationOptions options;
        options.reward = RewardKind::Linear;
        options.features = QStringLiteral("hashed-words:16");
        const SimulationSetup setup(data.dataset, data.pool, options);
        const RoutingProblem& problem = setup.problem();
        const RewardFunction reward(problem.rewardKind, problem.scales, Preference{});
        QCOMPARE(data.dataset.modelNames[bestModelOn(problem, problem.trainingRows, reward)],
                 QStringLiteral("steady"));
        const ValidationEvidence evidence(
            problem, [](const RoutingProblem&) { return std::make_unique<EvenRowsRouter>(); }, 1,
            folds);
        QCOMPARE(evidence.routerHelps(reward), helps);
    }

    void partHeadings_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("unseen");
        QTest::addColumn<QString>("heading");
        QTest::newRow("in distribution") << "in distribution" << false << "in distribution";
        QTest::newRow("one family") << "mbpp" << true << "unseen: mbpp";
        QTest::newRow("three") << "a+b+c" << true << "unseen: a+b+c";
        QTest::newRow("four") << "a+b+c+d" << true << "unseen: a+b+... (4 families)";
    }
    void partHeadings() {
        QFETCH(QString, name);
        QFETCH(bool, unseen);
        QFETCH(QString, heading);
        EvaluationPart part;
        part.name = name;
        part.unseen = unseen;
        QCOMPARE(partHeading(part), heading);
    }

    // With training seeds, a router that takes a seed is trained once per seed and its figures
    // are the mean of those trainings'; a router given a seed is trained with that one alone.
    void trainingSeedsAverageTheTrainings_data() {
        QTest::addColumn<QString>("router");
        QTest::newRow("mf") << QStringLiteral("mf:guard=off,epochs=4");
        QTest::newRow("irt-greedy") << QStringLiteral("irt-greedy:guard=off,epochs=4");
    }
    void trainingSeedsAverageTheTrainings() {
        QFETCH(QString, router);
        QTemporaryDir dir;
        const PricedDataset data = loadPricedDataset({writeTopics(dir, 6, 20, 2, 0.9)}, {});
        EvaluationOptions options;
        options.simulation.reward = RewardKind::Linear;
        options.simulation.features = QStringLiteral("tfidf:64");
        options.bootstrap.resamples = 0;
        options.unseenFamilies = {QStringLiteral("family0")};
        const auto margins = [&](const QString& spec, int trainingSeeds) {
            options.trainingSeeds = trainingSeeds;
            const Evaluation e =
                evaluate(data.dataset, data.pool, {RouterSpec::parse(spec)}, options);
            std::vector<double> out;
            for (const EvaluationScore& s : e.points.front().scores.front())
                out.push_back(s.marginOverTrainingBest.mean);
            return out;
        };
        const std::vector<double> averaged = margins(router, 2);
        const std::vector<double> first = margins(router + QStringLiteral(",seed=1"), 1);
        const std::vector<double> second = margins(router + QStringLiteral(",seed=2"), 1);
        QVERIFY2(first != second, "the two seeds route alike: the test shows nothing");
        for (std::size_t part = 0; part < averaged.size(); ++part)
            QVERIFY2(std::abs(averaged[part] - (first[part] + second[part]) / 2) < 1e-9,
                     qPrintable(QStringLiteral("part %1: %2 against %3 and %4")
                                    .arg(part)
                                    .arg(averaged[part])
                                    .arg(first[part])
                                    .arg(second[part])));
        QVERIFY(margins(router + QStringLiteral(",seed=2"), 3) == second);
        QVERIFY(margins(router, 1) == first);
    }

    void unknownFamilyIsNamed() {
        const PricedDataset data = testing::loadSampleWithPool();
        EvaluationOptions options;
        options.unseenFamilies = {QStringLiteral("math+poetry")};
        try {
            evaluate(data.dataset, data.pool, {RouterSpec::parse(QStringLiteral("random"))},
                     options);
            QFAIL("an unknown family was accepted");
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String("'poetry'")), e.what());
        }
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestEvaluation)
#include "test_evaluation.moc"
