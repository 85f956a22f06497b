// The stacked router: the non-negative least squares behind its blend weights, checked against
// their optimality conditions, and the router itself on the sample data (its RouterBench margins
// are in test_evaluation).
#include "common/non_negative_least_squares.h"
#include "common/random.h"
#include "formats/dataset_loader.h"
#include "sim/simulation.h"
#include "sweep_support.h"
#include "test_main.h"

#include <QDir>
#include <QtTest>
#include <vector>

using namespace routerlab;
using routerlab::testing::meanRewardOf;

namespace {

// Columns of positive values, as the stack's members predict qualities in [0, 1].
Eigen::MatrixXd positiveColumns(int rows, int columns, std::uint64_t seed) {
    Random random(seed);
    Eigen::MatrixXd a(rows, columns);
    for (int i = 0; i < rows; ++i)
        for (int j = 0; j < columns; ++j)
            a(i, j) = random.uniform(0.05, 1.0);
    return a;
}

} // namespace

class TestStack : public QObject {
    Q_OBJECT

private slots:
    // The target is A times `mix` plus noise of `noise`; weights that come out positive are
    // the least-squares ones over their columns, and a zero weight is one whose column would
    // only add to the loss (the Karush-Kuhn-Tucker conditions).
    void nonNegativeLeastSquaresIsOptimal_data() {
        QTest::addColumn<std::vector<double>>("mix");
        QTest::addColumn<double>("noise");
        QTest::addColumn<std::vector<double>>("expected"); // empty: only the conditions
        QTest::newRow("exact blend")
            << std::vector<double>{0.5, 0.2, 0.3} << 0.0 << std::vector<double>{0.5, 0.2, 0.3};
        QTest::newRow("one column absent") << std::vector<double>{0.7, 0.0, 0.3, 0.0} << 0.0
                                           << std::vector<double>{0.7, 0.0, 0.3, 0.0};
        QTest::newRow("a negative part clamps")
            << std::vector<double>{1.0, -0.6, 0.4} << 0.0 << std::vector<double>{};
        QTest::newRow("all negative: no weight")
            << std::vector<double>{-1.0, -0.5} << 0.0 << std::vector<double>{0.0, 0.0};
        QTest::newRow("noisy") << std::vector<double>{0.4, 0.1, 0.0, 0.5} << 0.2
                               << std::vector<double>{};
    }
    void nonNegativeLeastSquaresIsOptimal() {
        QFETCH(std::vector<double>, mix);
        QFETCH(double, noise);
        QFETCH(std::vector<double>, expected);
        const int n = static_cast<int>(mix.size());
        const Eigen::MatrixXd a = positiveColumns(200, n, 7);
        Eigen::VectorXd b = a * Eigen::Map<const Eigen::VectorXd>(mix.data(), n);
        Random random(11);
        for (Eigen::Index i = 0; i < b.size(); ++i)
            b[i] += noise * random.uniform(-1.0, 1.0);
        const Eigen::MatrixXd gram = a.transpose() * a;
        const Eigen::VectorXd target = a.transpose() * b;
        const Eigen::VectorXd w = nonNegativeLeastSquares(gram, target);
        QCOMPARE(w.size(), n);
        const Eigen::VectorXd gradient = gram * w - target; // half the loss's gradient
        const double scale = target.cwiseAbs().maxCoeff();
        for (int j = 0; j < n; ++j) {
            QVERIFY2(w[j] >= 0, qPrintable(QString::number(w[j])));
            if (w[j] > 0)
                QVERIFY2(std::abs(gradient[j]) < 1e-8 * scale,
                         qPrintable(QString::number(gradient[j])));
            else
                QVERIFY2(gradient[j] > -1e-8 * scale, qPrintable(QString::number(gradient[j])));
        }
        for (std::size_t j = 0; j < expected.size(); ++j)
            QVERIFY2(std::abs(w[static_cast<Eigen::Index>(j)] - expected[j]) < 1e-6,
                     qPrintable(QStringLiteral("weight %1: %2").arg(j).arg(w[Eigen::Index(j)])));
        // A clamped weight is really clamped: the unconstrained fit wants it negative.
        if (QByteArray(QTest::currentDataTag()) == "a negative part clamps")
            QCOMPARE(w[1], 0.0);
    }

    void refusesTooManyColumns() {
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument,
            nonNegativeLeastSquares(Eigen::MatrixXd::Identity(17, 17), Eigen::VectorXd::Ones(17)));
    }

    // On the sample the blend routes better than random and the best single model, and no
    // better than the oracle; it is deterministic, so one seed is the measurement.
    void stackRoutesBetterThanBaselines() {
        const QDir dir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const PricedDataset sample =
            loadPricedDataset({dir.filePath(QStringLiteral("sample.csv"))},
                              dir.filePath(QStringLiteral("sample.pool.json")));
        const SimulationSetup setup(sample.dataset, sample.pool, testing::sampleTrainTestOptions());
        const Preference preference{0.7, 0.3, 0.0};
        // The blend itself: the guard would defer to the training-best model where held-out
        // training prompts do not show a gain.
        const double stack = meanRewardOf(setup, "stack:guard=off", preference);
        const double random = meanRewardOf(setup, "random", preference);
        const double best = meanRewardOf(setup, "best-single", preference);
        const double oracle = meanRewardOf(setup, "oracle", preference);
        qInfo("stack %.4f, best single %.4f, random %.4f, oracle %.4f", stack, best, random,
              oracle);
        QVERIFY(stack > random);
        QVERIFY(stack > best);
        QVERIFY(stack < oracle);
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestStack)
#include "test_stack.moc"
