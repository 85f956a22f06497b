#include "features/featurizer.h"
#include "features/prompt_features.h"
#include "features/tfidf_featurizer.h"
#include "routing/neighbour_search.h"
#include "sample_setup.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <numeric>
#include <stdexcept>

using namespace routerlab;

class TestFeatures : public QObject {
    Q_OBJECT

private slots:
    void hashedWordsAreNormalisedWithBias() {
        const HashedWordFeaturizer f(32);
        const Eigen::VectorXf v =
            f.transform(QStringLiteral("Solve 2x + 3 = 7 for x, then check x."));
        QCOMPARE(v.size(), 32);
        QCOMPARE(v[31], 1.0f);
        QVERIFY(std::abs(v.head(31).norm() - 1.0f) < 1e-5f);
        QVERIFY((v.head(31).array() >= 0).all());
    }

    void deterministicAndCaseInsensitive() {
        const HashedWordFeaturizer f(64);
        const Eigen::VectorXf a =
            f.transform(QStringLiteral("Write a Python function that sorts a list"));
        QCOMPARE(a, f.transform(QStringLiteral("write a python FUNCTION that sorts a list")));
        QCOMPARE(a, HashedWordFeaturizer(64).transform(
                        QStringLiteral("Write a Python function that sorts a list")));
    }

    void similarPromptsAreCloserThanUnrelatedOnes() {
        const HashedWordFeaturizer f(256);
        const int n = 255;
        const Eigen::VectorXf code1 =
            f.transform(QStringLiteral("Write a Python function that reverses a linked list"))
                .head(n);
        const Eigen::VectorXf code2 =
            f.transform(QStringLiteral("Write a Python function that merges two sorted lists"))
                .head(n);
        const Eigen::VectorXf chat =
            f.transform(QStringLiteral("Tell me a story about a dragon who learns to bake"))
                .head(n);
        QVERIFY(code1.dot(code2) > code1.dot(chat) + 0.2f);
    }

    void emptyPromptHasOnlyTheBias() {
        const Eigen::VectorXf v = HashedWordFeaturizer(16).transform(QString());
        QCOMPARE(v.head(15).norm(), 0.0f);
        QCOMPARE(v[15], 1.0f);
    }

    void sparseTermsAreUnitSortedAndSublinear() {
        TfidfFeaturizer f(64);
        QCOMPARE(HashedWordFeaturizer(64).termSlots(), 0);
        QCOMPARE(f.termSlots(), TfidfFeaturizer::kIdfSlots);
        const SparseTerms once = f.sparseTerms(QStringLiteral("zebra crossing"));
        const SparseTerms thrice = f.sparseTerms(QStringLiteral("zebra zebra zebra crossing"));
        QVERIFY(std::is_sorted(once.indices.begin(), once.indices.end()));
        QVERIFY(std::adjacent_find(once.indices.begin(), once.indices.end()) == once.indices.end());
        QCOMPARE(once.indices.size(), once.weights.size());
        QVERIFY(std::abs(once.dot(once) - 1.0f) < 1e-5f);
        // "zebra" three times weighs 1 + ln 3 against "crossing", not 3 times as much.
        const SparseTerms zebra = f.sparseTerms(QStringLiteral("zebra"));
        const SparseTerms crossing = f.sparseTerms(QStringLiteral("crossing"));
        QVERIFY(std::abs(thrice.dot(zebra) / thrice.dot(crossing) -
                         (1.0f + std::log(3.0f)) * zebra.dot(once) / crossing.dot(once)) < 1e-3f);
        QVERIFY(f.sparseTerms(QString()).indices.empty());
    }

    // The inverted index finds what comparing every pair of term vectors finds, in the same
    // order, and leaves the prompt itself out; so does the dense search over feature vectors.
    void neighbourSearchMatchesBruteForce_data() {
        QTest::addColumn<bool>("useTerms");
        QTest::newRow("terms") << true;
        QTest::newRow("features") << false;
    }
    void neighbourSearchMatchesBruteForce() {
        QFETCH(bool, useTerms);
        const std::vector<QString> texts = {
            QStringLiteral("Write a Python function that reverses a linked list"),
            QStringLiteral("Write a Python function that merges two sorted lists"),
            QStringLiteral("Tell me a story about a dragon who learns to bake"),
            QStringLiteral("Solve 2x + 3 = 7 for x"),
            QStringLiteral("Solve 5x - 1 = 9 for x, then check the answer"),
            QStringLiteral("A story about a baker and a dragon"),
            QStringLiteral("Sort a list in Python"),
            QString()};
        const std::vector<QString> ids(texts.size());
        const std::vector<int> training = {0, 2, 3, 5, 6, 7};
        const PromptFeatures features(ids, texts, training, QStringLiteral("tfidf:64"));
        RoutingProblem problem;
        problem.features = &features;
        problem.trainingRows = training;
        const NeighbourSearch search(problem, useTerms);
        QCOMPARE(search.searchesTerms(), useTerms);
        const Eigen::MatrixXf& m = features.matrix();
        auto similarity = [&](int a, int b) {
            return useTerms ? features.sparseTerms()[std::size_t(a)].dot(
                                  features.sparseTerms()[std::size_t(b)])
                            : m.col(a).normalized().dot(m.col(b).normalized());
        };
        for (int row = 0; row < int(texts.size()); ++row) {
            const std::vector<Neighbour> found = search.nearestToRow(row, 4);
            std::vector<int> expected;
            for (const int t : training)
                if (t != row)
                    expected.push_back(t);
            std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) {
                return similarity(row, a) > similarity(row, b) + 1e-6f;
            });
            QCOMPARE(found.size(), std::size_t(4));
            for (std::size_t n = 0; n < found.size(); ++n) {
                QCOMPARE(found[n].row, expected[n]);
                QVERIFY(std::abs(found[n].similarity - similarity(row, expected[n])) < 1e-5f);
            }
            QCOMPARE(search.nearestToRows({row}, 4)[0].size(), found.size());
            QCOMPARE(search.nearestToRows({row}, 4)[0][0].row, found[0].row);
        }
        // A prompt outside the dataset: nothing is left out.
        const Eigen::VectorXf x = features.featurizer().transform(texts[0]);
        const SparseTerms terms = features.featurizer().sparseTerms(texts[0]);
        Query outside;
        outside.features = &x;
        outside.terms = &terms;
        QCOMPARE(search.nearestTo(outside, 1)[0].row, 0);
    }

    // Above its exact limit the search looks only in the blocks nearest the prompt: on the
    // sample (1,120 training prompts in 70 blocks of about 16, their centres in 8 clusters, here
    // blocked from the first and comparing at least 80 prompts, one in fourteen) it still finds
    // most of the ten nearest prompts the exact search finds. Blocks drawn at random would find
    // about one in ten. With 16 blocks compared the blocks come from the two or three nearest
    // clusters, as on large data.
    void blockedSearchFindsMostNearestPrompts_data() {
        QTest::addColumn<bool>("useTerms");
        QTest::addColumn<int>("blocksCompared");
        QTest::newRow("terms") << true << 128;
        QTest::newRow("features") << false << 128;
        QTest::newRow("terms, nearest clusters") << true << 16;
        QTest::newRow("features, nearest clusters") << false << 16;
    }
    void blockedSearchFindsMostNearestPrompts() {
        QFETCH(bool, useTerms);
        QFETCH(int, blocksCompared);
        const PricedDataset data = testing::loadSampleWithPool();
        SimulationOptions options;
        options.split = SplitRule::parse(QStringLiteral("random:0.7"));
        options.features = QStringLiteral("tfidf:256");
        const SimulationSetup setup(data.dataset, data.pool, options);
        const NeighbourSearch exact(setup.problem(), useTerms);
        const NeighbourSearch blocked(setup.problem(), useTerms, 0, 80, std::size_t(blocksCompared),
                                      16);
        QVERIFY(!exact.blocked());
        QVERIFY(blocked.blocked());
        int found = 0, asked = 0;
        const auto exactNeighbours = exact.nearestToRows(setup.scoredRows(), 10);
        const auto blockedNeighbours = blocked.nearestToRows(setup.scoredRows(), 10);
        for (std::size_t i = 0; i < exactNeighbours.size(); ++i) {
            QCOMPARE(blockedNeighbours[i].size(), std::size_t(10));
            for (const Neighbour& n : exactNeighbours[i]) {
                ++asked;
                found += std::any_of(blockedNeighbours[i].begin(), blockedNeighbours[i].end(),
                                     [&](const Neighbour& b) { return b.row == n.row; });
            }
            QVERIFY(std::is_sorted(blockedNeighbours[i].begin(), blockedNeighbours[i].end(),
                                   [](const Neighbour& a, const Neighbour& b) {
                                       return a.similarity > b.similarity;
                                   }));
        }
        const double recall = double(found) / asked;
        qInfo("recall of the ten nearest: %.3f", recall);
        QVERIFY2(recall >= 0.8, qPrintable(QString::number(recall)));
    }

    // The designer's check agrees with makeFeaturizer() on every form, and names the problem.
    void specProblemsMatchWhatMakeFeaturizerRefuses() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = dir.filePath(QStringLiteral("vectors.csv"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("prompt_id,v1,v2\np1,0.5,0.25\n");
        out.close();
        const QStringList good = {QStringLiteral("hashed-words"), QStringLiteral("hashed-words:2"),
                                  QStringLiteral("tfidf:65536"),
                                  QStringLiteral("embeddings:") + file,
                                  QStringLiteral("embeddings-api:m@http://127.0.0.1:9/v1")};
        for (const QString& spec : good) {
            QVERIFY2(featurizerSpecProblem(spec).isEmpty(),
                     qPrintable(featurizerSpecProblem(spec)));
            QVERIFY(makeFeaturizer(spec) != nullptr);
        }
        const QList<QPair<QString, QString>> bad = {
            {QStringLiteral("tfidf:1"), QStringLiteral("2..65536")},
            {QStringLiteral("hashed-words:"), QStringLiteral("2..65536")},
            {QStringLiteral("tfidf:70000"), QStringLiteral("2..65536")},
            {QStringLiteral("bag-of-words"), QStringLiteral("known: hashed-words[:D]")},
            {QStringLiteral("embeddings:"), QStringLiteral("name the embeddings file")},
            {QStringLiteral("embeddings-api:no-url"), QStringLiteral("MODEL@http")},
        };
        for (const auto& [spec, reason] : bad) {
            const QString problem = featurizerSpecProblem(spec);
            QVERIFY2(problem.contains(reason), qPrintable(spec + QStringLiteral(": ") + problem));
            QVERIFY_THROWS_EXCEPTION(std::invalid_argument, makeFeaturizer(spec));
        }
        const QString missing = dir.filePath(QStringLiteral("none.csv"));
        QVERIFY(featurizerSpecProblem(QStringLiteral("embeddings:") + missing).contains(missing));
    }
};

QTEST_GUILESS_MAIN(TestFeatures)
#include "test_features.moc"
