// Prompt features, the small neural-network layers, BaRP and the offline baselines it is
// judged against: gradients are right, features are deterministic and fitted on training
// prompts only, BaRP learns from bandit feedback, follows the preference it is given at run
// time, survives a save/load round trip, and on RouterBench beats the best single model and
// the full-information offline routers over a preference sweep.
#include "common/input_error.h"
#include "features/embedding_file_featurizer.h"
#include "features/prompt_features.h"
#include "features/tfidf_featurizer.h"
#include "formats/dataset_loader.h"
#include "metrics/pareto.h"
#include "nn/adam_optimizer.h"
#include "nn/mlp.h"
#include "routers/barp_model.h"
#include "sim/simulation.h"
#include "sweep_support.h"
#include "test_main.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;
using routerlab::testing::costSweep;
using routerlab::testing::runSweep;
using routerlab::testing::SweepResult;

namespace {

Eigen::MatrixXf randomMatrix(int rows, int cols, Random& random) {
    Eigen::MatrixXf m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = static_cast<float>(random.uniform(-1.0, 1.0));
    return m;
}

double costRangeAiq(const SimulationSetup& setup, const std::vector<CostQualityPoint>& points) {
    const RoutingProblem& problem = setup.problem();
    double costMin = INFINITY, costMax = 0;
    for (int k = 0; k < problem.modelCount(); ++k) {
        double cost = 0;
        for (const int i : setup.scoredRows())
            cost += (*problem.cost)(i, k) / static_cast<double>(setup.scoredRows().size());
        costMin = std::min(costMin, cost);
        costMax = std::max(costMax, cost);
    }
    return aiq(points, costMin, costMax);
}

} // namespace

class TestBarp : public QObject {
    Q_OBJECT

private:
    PricedDataset sample_;

    SimulationOptions sampleOptions() const {
        SimulationOptions o;
        o.reward = RewardKind::Linear;
        o.sessions = SessionRule::parse(QStringLiteral("single"));
        o.split = SplitRule::parse(QStringLiteral("random:0.7"));
        o.features = QStringLiteral("tfidf:256");
        return o;
    }

private slots:
    void initTestCase() {
        const QDir dir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        sample_ = loadPricedDataset({dir.filePath(QStringLiteral("sample.csv"))},
                                    dir.filePath(QStringLiteral("sample.pool.json")));
    }

    // --- nn -------------------------------------------------------------------------------

    void mlpGradientsMatchFiniteDifferences_data() {
        QTest::addColumn<int>("activation");
        QTest::newRow("tanh") << static_cast<int>(Activation::Tanh);
        QTest::newRow("relu") << static_cast<int>(Activation::Relu);
        QTest::newRow("identity") << static_cast<int>(Activation::Identity);
    }
    void mlpGradientsMatchFiniteDifferences() {
        QFETCH(int, activation);
        Random random(11);
        Mlp mlp({4, 6, 5, 3}, static_cast<Activation>(activation), random, QStringLiteral("t"));
        const Eigen::MatrixXf input = randomMatrix(4, 3, random);
        const Eigen::MatrixXf direction = randomMatrix(3, 3, random);
        // loss = sum(output .* direction): its gradient with respect to the output is direction.
        auto loss = [&] { return (mlp.forward(input).array() * direction.array()).sum(); };
        loss();
        const ParameterList parameters = mlp.parameters();
        zeroGradients(parameters);
        mlp.backward(direction);
        const float step = 1e-3f;
        int checked = 0;
        for (Parameter* p : parameters) {
            for (Eigen::Index i = 0; i < p->value.size(); ++i) {
                const float original = p->value.data()[i];
                p->value.data()[i] = original + step;
                const double up = loss();
                p->value.data()[i] = original - step;
                const double down = loss();
                p->value.data()[i] = original;
                const double numeric = (up - down) / (2.0 * step);
                const double analytic = p->gradient.data()[i];
                QVERIFY2(std::abs(numeric - analytic) <=
                             2e-3 * std::max({1.0, std::abs(numeric), std::abs(analytic)}),
                         qPrintable(QStringLiteral("%1[%2]: analytic %3, numeric %4")
                                        .arg(p->name)
                                        .arg(i)
                                        .arg(analytic)
                                        .arg(numeric)));
                ++checked;
            }
        }
        QCOMPARE(checked, 4 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3);
    }

    void adamFitsALinearMap() {
        Random random(5);
        Mlp mlp({3, 16, 2}, Activation::Relu, random, QStringLiteral("fit"));
        const Eigen::MatrixXf truth = randomMatrix(2, 3, random);
        const Eigen::MatrixXf input = randomMatrix(3, 64, random);
        const Eigen::MatrixXf target = truth * input;
        const ParameterList parameters = mlp.parameters();
        AdamOptimizer adam(parameters, {1e-2f});
        double first = 0, last = 0;
        for (int step = 0; step < 400; ++step) {
            const Eigen::MatrixXf error = mlp.forward(input) - target;
            last = error.squaredNorm() / input.cols();
            if (step == 0)
                first = last;
            zeroGradients(parameters);
            mlp.backward(2.0f * error / static_cast<float>(input.cols()));
            clipGradientNorm(parameters, 10.0f);
            adam.step();
        }
        qInfo("adam: loss %.4f -> %.5f", first, last);
        QVERIFY(last < 0.02 * first);
    }

    void gradientClippingBoundsTheNorm() {
        Parameter a, b;
        a.resize(2, 1);
        b.resize(1, 1);
        a.gradient << 3, 0;
        b.gradient << 4;
        QCOMPARE(clipGradientNorm({&a, &b}, 1.0f), 5.0f);
        QVERIFY(std::abs(std::sqrt(a.gradient.squaredNorm() + b.gradient.squaredNorm()) - 1.0f) <
                1e-6f);
        QCOMPARE(clipGradientNorm({&a, &b}, 2.0f), 1.0f); // below the bound: untouched
    }

    // --- features -------------------------------------------------------------------------

    void tfidfIsDeterministicAndNormalised() {
        const std::vector<QString> texts = {
            QStringLiteral("Write a Python function that reverses a linked list."),
            QStringLiteral("Which planet is closest to the sun? A) Venus B) Mercury"),
            QStringLiteral("The trophy doesn't fit into the suitcase because the _ is too big.")};
        std::vector<const QString*> training;
        for (const QString& t : texts)
            training.push_back(&t);
        TfidfFeaturizer a(128), b(128);
        a.fit(training);
        b.fit(training);
        for (const QString& t : texts) {
            const Eigen::VectorXf v = a.transform(t);
            QCOMPARE(v, b.transform(t));
            QCOMPARE(v.size(), 128);
            QVERIFY(std::abs(v.head(126).norm() - 1.0f) < 1e-5f);
            QCOMPARE(v[127], 1.0f);
            QVERIFY(v[126] > 0.2f && v[126] < 0.8f); // log length of a short prompt
        }
        QCOMPARE(a.transform(QStringLiteral("WRITE a python")),
                 a.transform(QStringLiteral("write a Python")));
        // Pinned values: a change of hashing or weighting shows up here (and in saved models).
        const Eigen::VectorXf pinned = a.transform(texts[0]);
        int largest = 0;
        pinned.head(126).cwiseAbs().maxCoeff(&largest);
        QCOMPARE(largest, 56);
        QCOMPARE(QString::number(pinned[largest], 'f', 4), QStringLiteral("0.3086"));
        QCOMPARE(QString::number(pinned.head(126).sum(), 'f', 4), QStringLiteral("-0.1357"));
        const Eigen::VectorXf code =
            a.transform(QStringLiteral("Write a Python function that merges two sorted lists."));
        QVERIFY(code.head(126).dot(pinned.head(126)) >
                code.head(126).dot(a.transform(texts[2]).head(126)) + 0.2f);
    }

    void tfidfFitsOnTrainingRowsOnly() {
        const std::vector<QString> ids = {QStringLiteral("a"), QStringLiteral("b"),
                                          QStringLiteral("c"), QStringLiteral("d")};
        const std::vector<QString> texts = {
            QStringLiteral("common alpha"), QStringLiteral("common beta"),
            QStringLiteral("common gamma"), QStringLiteral("zebra common")};
        const PromptFeatures features(ids, texts, {0, 1, 2}, QStringLiteral("tfidf:64"));
        const auto* tfidf = dynamic_cast<const TfidfFeaturizer*>(&features.featurizer());
        QVERIFY(tfidf);
        QCOMPARE(tfidf->fittedDocuments(), 3);
        const float unseen = static_cast<float>(std::log(4.0) + 1.0); // ln((1+3)/(1+0)) + 1
        // "zebra" is only in the scored row: it must look unseen.
        QCOMPARE(tfidf->idfOfFirstTerm(QStringLiteral("zebra")), unseen);
        QCOMPARE(tfidf->idfOfFirstTerm(QStringLiteral("common")), 1.0f);
        QVERIFY(tfidf->idfOfFirstTerm(QStringLiteral("alpha")) < unseen);
        QCOMPARE(features.matrix().cols(), 4);
    }

    void embeddingsAreLookedUpById() {
        QTemporaryDir dir;
        const QString csv =
            testing::writeFile(QDir(dir.path()), QStringLiteral("e.csv"),
                               "prompt_id,v1,v2,v3\np1,0.5,-1,2\n\"p,2\",1e-3,0,0\n");
        const EmbeddingFileFeaturizer f(csv);
        QCOMPARE(f.dimension(), 4);
        QCOMPARE(f.embeddingCount(), 2);
        QCOMPARE(f.transformDatasetPrompt(QStringLiteral("p1"), QString()),
                 (Eigen::VectorXf(4) << 0.5f, -1.0f, 2.0f, 1.0f).finished());
        QCOMPARE(f.transformDatasetPrompt(QStringLiteral("p,2"), QString())[0], 1e-3f);
        QVERIFY_THROWS_EXCEPTION(InputError,
                                 f.transformDatasetPrompt(QStringLiteral("p3"), QString()));
        const QString jsonl = testing::writeFile(
            QDir(dir.path()), QStringLiteral("e.jsonl"),
            "{\"prompt_id\": \"p1\", \"embedding\": [1, 2]}\n\n{\"prompt_id\": \"p2\", "
            "\"embedding\": [3, 4]}\n");
        const auto fromSpec = makeFeaturizer(QStringLiteral("embeddings:") + jsonl);
        QCOMPARE(fromSpec->dimension(), 3);
        QCOMPARE(fromSpec->transformDatasetPrompt(QStringLiteral("p2"), QString())[1], 4.0f);
    }

    void badEmbeddingFilesNameFileLineAndField_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected"); // after the file name
        QTest::newRow("not a number")
            << "bad.csv" << QByteArray("prompt_id,v1,v2\np1,1,2\np2,1,x\n")
            << ":3: field 'v2': 'x' is not a finite number";
        QTest::newRow("no prompt_id header")
            << "bad.csv" << QByteArray("id,v1\np1,1\n") << ":1: field 'prompt_id'";
        QTest::newRow("duplicate id") << "bad.csv" << QByteArray("prompt_id,v1\np1,1\np1,2\n")
                                      << ":3: field 'prompt_id': 'p1' appears twice";
        QTest::newRow("jsonl width") << "bad.jsonl"
                                     << QByteArray("{\"prompt_id\":\"a\",\"embedding\":[1,2]}\n"
                                                   "{\"prompt_id\":\"b\",\"embedding\":[1]}\n")
                                     << ":2: field 'embedding': has 1 values, earlier rows have 2";
        QTest::newRow("jsonl element")
            << "bad.jsonl" << QByteArray("{\"prompt_id\":\"a\",\"embedding\":[1,\"x\"]}\n")
            << ":1: field 'embedding': element 2 is not a number";
    }
    void badEmbeddingFilesNameFileLineAndField() {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = testing::writeFile(QDir(dir.path()), name, content);
        try {
            EmbeddingFileFeaturizer f(path);
            QFAIL("no error");
        } catch (const InputError& e) {
            QVERIFY2(e.text().startsWith(path + expected), qPrintable(e.text()));
        }
    }

    // --- BaRP on the sample -----------------------------------------------------------------

    void barpLearnsOnTheSample() {
        const SimulationSetup setup(sample_.dataset, sample_.pool, sampleOptions());
        QElapsedTimer timer;
        timer.start();
        setup.problem().features->matrix();
        const double featureSeconds = timer.nsecsElapsed() * 1e-9;
        timer.restart();
        BarpSettings settings;
        const auto model = BarpModel::train(setup.problem(), settings);
        qInfo("sample: %zu training prompts featurized in %.3f s, BaRP trained in %.3f s; curve "
              "%.3f -> %.3f",
              setup.problem().trainingRows.size(), featureSeconds, timer.nsecsElapsed() * 1e-9,
              model->trainingCurve().front(), model->trainingCurve().back());
        QVERIFY(model->trainingCurve().back() > model->trainingCurve().front());
        // The oracle knows every prompt's outcome and is out of reach; BaRP should close most
        // of the gap from random to it over the sweep, and never trail the best single model
        // (chosen in hindsight on the scored prompts) by much at any point. BaRP is judged by
        // the mean of three trainings (seeds 1 to 3): one training's reward at a point moved by
        // 0.04 between two machines running the same binary (last-bit differences in the math
        // library grow over the training's updates).
        double barpMean = 0, randomMean = 0, oracleMean = 0;
        for (const Preference& p : costSweep(3)) {
            double barp = 0;
            for (int seed = 1; seed <= 3; ++seed)
                barp +=
                    runSweep(setup, QStringLiteral("barp:seed=%1").arg(seed), {p}).meanReward / 3;
            const double random = runSweep(setup, QStringLiteral("random"), {p}).meanReward;
            const double oracle = runSweep(setup, QStringLiteral("oracle"), {p}).meanReward;
            const double best = runSweep(setup, QStringLiteral("best-single"), {p}).meanReward;
            qInfo("sample %s: barp %.4f, random %.4f, best single %.4f, oracle %.4f",
                  qPrintable(p.toString()), barp, random, best, oracle);
            QVERIFY(barp > random);
            QVERIFY(barp > best - 0.05);
            QVERIFY(barp <= oracle);
            barpMean += barp / 3;
            randomMean += random / 3;
            oracleMean += oracle / 3;
        }
        const double gapClosed = (barpMean - randomMean) / (oracleMean - randomMean);
        qInfo("sample: BaRP closes %.0f%% of the gap from random to the oracle", 100 * gapClosed);
        QVERIFY(gapClosed > 0.6);
    }

    void preferenceAtRunTimeMovesCostAndQuality() {
        const SimulationSetup setup(sample_.dataset, sample_.pool, sampleOptions());
        const SweepResult sweep = runSweep(setup, QStringLiteral("barp"), costSweep(5));
        for (std::size_t i = 0; i < sweep.points.size(); ++i)
            qInfo("w_c %.2f: cost %.6f, quality %.3f", i / 4.0, sweep.points[i].cost,
                  sweep.points[i].quality);
        for (std::size_t i = 1; i < sweep.points.size(); ++i) {
            // Monotone up to a small slack: a cost-heavier preference never costs much more.
            QVERIFY(sweep.points[i].cost <= sweep.points[i - 1].cost * 1.05 + 1e-9);
            QVERIFY(sweep.points[i].quality <= sweep.points[i - 1].quality + 0.02);
        }
        QVERIFY(sweep.points.back().cost < 0.5 * sweep.points.front().cost);
        QVERIFY(sweep.points.back().quality < sweep.points.front().quality);
    }

    void savedModelDecidesIdentically() {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("sample.barp"));
        const SimulationSetup setup(sample_.dataset, sample_.pool, sampleOptions());
        BarpSettings settings;
        settings.epochs = 5;
        BarpModel::train(setup.problem(), settings)->save(file);
        const std::vector<Preference> preferences = costSweep(3);
        for (const Preference& p : preferences) {
            const CellResult trained =
                runCell(setup, {RouterSpec::parse(QStringLiteral("barp:epochs=5")), p, 1});
            const CellResult loaded =
                runCell(setup, {RouterSpec::parse(QStringLiteral("barp:model=") + file), p, 1});
            QCOMPARE(loaded.log.model, trained.log.model);
            QCOMPARE(loaded.log.topProbability, trained.log.topProbability);
        }
        const auto model = BarpModel::load(file);
        QCOMPARE(model->models(), sample_.dataset.modelNames);
        QCOMPARE(model->featureSpec(), QStringLiteral("tfidf:256"));
        QCOMPARE(model->trainingCurve().size(), std::size_t(5));
    }

    void loadingIntoAnotherSetupIsRefused_data() {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("message");
        QTest::newRow("other pool") << "pool"
                                    << "trained for the models";
        QTest::newRow("other features") << "features"
                                        << "pass --features tfidf:256";
        QTest::newRow("other reward") << "reward"
                                      << "pass --reward linear";
        QTest::newRow("other training prompts") << "split"
                                                << "fitted on other training prompts";
        QTest::newRow("not a model") << "garbage"
                                     << "not a RouterLab BaRP model file";
    }
    void loadingIntoAnotherSetupIsRefused() {
        QFETCH(QString, what);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("m.barp"));
        {
            const SimulationSetup setup(sample_.dataset, sample_.pool, sampleOptions());
            BarpSettings settings;
            settings.epochs = 1;
            BarpModel::train(setup.problem(), settings)->save(file);
        }
        PricedDataset other = sample_;
        SimulationOptions options = sampleOptions();
        if (what == QLatin1String("pool")) {
            // Same models, another order: the policy's outputs would point at the wrong ones.
            other.dataset.modelNames.swapItemsAt(0, 1);
            const Eigen::VectorXd first = other.dataset.quality.col(0);
            other.dataset.quality.col(0) = other.dataset.quality.col(1);
            other.dataset.quality.col(1) = first;
        } else if (what == QLatin1String("features")) {
            options.features = QStringLiteral("hashed-words:64");
        } else if (what == QLatin1String("reward")) {
            options.reward = RewardKind::PickLlm;
        } else if (what == QLatin1String("split")) {
            // Same features by name, but IDF fitted on other prompts: other vectors.
            options.split = SplitRule::parse(QStringLiteral("random:0.5"));
        } else {
            testing::writeFile(QDir(dir.path()), QStringLiteral("m.barp"), "{\"not\": 1}");
        }
        const SimulationSetup setup(other.dataset, other.pool, options);
        try {
            RouterRegistry::instance().create(
                RouterSpec::parse(QStringLiteral("barp:model=") + file), setup.problem());
            QFAIL("no error");
        } catch (const std::exception& e) {
            const QString text = QString::fromUtf8(e.what());
            QVERIFY2(text.contains(file) && text.contains(message), e.what());
        }
    }

    // --- RouterBench --------------------------------------------------------------------------

    void routerBenchSweepBeatsBaselines_data() {
        QTest::addColumn<QString>("split"); // empty: train files vs test files
        // BaRP's AIQ over the cost range as measured (training is seeded: 0.848, 0.540, 0.741,
        // 0.899), less 0.05 for another compiler's or library's rounding.
        QTest::addColumn<double>("minimumAiq");
        QTest::newRow("in distribution") << QString() << 0.80;
#if !defined(ROUTERLAB_SANITIZED) // fourteen times slower there; the release build runs them
        QTest::newRow("unseen task: mbpp") << "category:mbpp" << 0.49;
        QTest::newRow("unseen task: winogrande") << "category:winogrande" << 0.69;
        QTest::newRow("unseen task: arc-challenge") << "category:arc-challenge" << 0.85;
#endif
    }
    void routerBenchSweepBeatsBaselines() {
        QFETCH(QString, split);
        QFETCH(double, minimumAiq);
        QStringList train, test;
        if (!testing::sharedRouterBenchFiles(train, test))
            QSKIP("shared/data/routerbench is absent");
        const PricedDataset data = loadPricedDataset(train + test, {});
        SimulationOptions options;
        options.reward = RewardKind::Linear;
        options.sessions = SessionRule::parse(QStringLiteral("single"));
        options.features = QStringLiteral("tfidf:512");
        if (split.isEmpty()) {
            options.split.kind = SplitRule::Kind::Sources;
            options.split.testSources = test;
        } else {
            options.split = SplitRule::parse(split);
        }
        const SimulationSetup setup(data.dataset, data.pool, options);
        const std::vector<Preference> preferences = costSweep(11);
        QElapsedTimer timer;
        timer.start();
        const SweepResult barp = runSweep(setup, QStringLiteral("barp"), preferences);
        const double barpSeconds = timer.nsecsElapsed() * 1e-9;
        const SweepResult best = runSweep(setup, QStringLiteral("best-single"), preferences);
        const SweepResult regression =
            runSweep(setup, QStringLiteral("quality-regression"), preferences);
        const SweepResult knn = runSweep(setup, QStringLiteral("knn"), preferences);
        const SweepResult oracle = runSweep(setup, QStringLiteral("oracle"), preferences);
        const SweepResult random = runSweep(setup, QStringLiteral("random"), preferences);
        qInfo("RouterBench %s: %zu training, %zu scored prompts; BaRP featurize+train+sweep %.2f s",
              qPrintable(split.isEmpty() ? QStringLiteral("train/test files") : split),
              setup.problem().trainingRows.size(), setup.scoredRows().size(), barpSeconds);
        qInfo("  w_c   barp(cost,quality,reward)        best-single  q-regression  knn     oracle");
        for (std::size_t i = 0; i < preferences.size(); ++i)
            qInfo("  %.1f  %.6f %.3f %.4f   %.4f       %.4f        %.4f  %.4f", preferences[i].cost,
                  barp.points[i].cost, barp.points[i].quality, barp.rewards[i], best.rewards[i],
                  regression.rewards[i], knn.rewards[i], oracle.rewards[i]);
        qInfo("  mean reward over the sweep: barp %.4f, best single %.4f, quality-regression "
              "%.4f, knn %.4f, random %.4f, oracle %.4f",
              barp.meanReward, best.meanReward, regression.meanReward, knn.meanReward,
              random.meanReward, oracle.meanReward);
        const double barpAiq = costRangeAiq(setup, barp.points);
        const double regressionAiq = costRangeAiq(setup, regression.points);
        const double knnAiq = costRangeAiq(setup, knn.points);
        const double oracleAiq = costRangeAiq(setup, oracle.points);
        qInfo("  AIQ: barp %.4f, quality-regression %.4f, knn %.4f, oracle %.4f", barpAiq,
              regressionAiq, knnAiq, oracleAiq);
        QVERIFY(barp.meanReward > random.meanReward);
        QVERIFY2(barpAiq >= minimumAiq, qPrintable(QString::number(barpAiq)));
        QVERIFY(barpAiq < oracleAiq);
        if (split.isEmpty()) {
            QVERIFY(barp.meanReward > best.meanReward);
            QVERIFY(barp.meanReward > regression.meanReward);
            // In distribution its cost-quality curve also lies above the regression's. kNN
            // over the prompts' terms is level with it (0.3858 against 0.3814 over the sweep).
            QVERIFY(barpAiq > regressionAiq);
        }
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestBarp)
#include "test_barp.moc"
