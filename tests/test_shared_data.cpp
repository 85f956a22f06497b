// The real routing records under ../shared/data load as they are, and the figures match the
// ones their README computed independently. Skipped when the folder is absent.
#include "data/dataset_summary.h"
#include "formats/dataset_loader.h"
#include "test_main.h"
#include "test_support.h"

#include <QtTest>

using namespace routerlab;

class TestSharedData : public QObject {
    Q_OBJECT

private:
    QString root_;

    QString folder(const QString& name) {
        const QString path = QDir(root_).filePath(name);
        return QFileInfo(path).isDir() ? path : QString();
    }

private slots:
    void initTestCase() {
        root_ = testing::sharedDataDir();
        if (root_.isEmpty())
            QSKIP("../shared/data is absent: the real-data checks need it (set "
                  "ROUTERLAB_SHARED_DATA)");
    }

    void routerBenchMatchesItsReadme() {
        const QString dir = folder(QStringLiteral("routerbench"));
        if (dir.isEmpty())
            QSKIP("shared/data/routerbench is absent");
        const PricedDataset data = loadPricedDataset({dir}, {});
        QVERIFY(data.poolDerived);
        QCOMPARE(data.dataset.promptCount(), 3178);
        QCOMPARE(data.dataset.modelCount(), 11);
        QCOMPARE(data.dataset.sources.size(), 6);
        QCOMPARE(data.dataset.categoryNames.size(), 3);
        const DatasetSummary s = summarize(data.dataset, data.pool);
        // 14 prompts are split over two rows sharing a sample_id, one row holding one model's
        // score and the other the rest: each model misses 14 scores, no prompt misses all.
        QCOMPARE(s.missingCells, 14 * 11);
        QCOMPARE(s.promptsWithoutOutcome, 0);

        const QHash<QString, QPair<double, double>> readme = {
            {"gpt-4-1106-preview", {0.880, 0.005036}},
            {"zero-one-ai/Yi-34B-Chat", {0.774, 0.000331}},
            {"mistralai/mixtral-8x7b-chat", {0.742, 0.000249}},
            {"claude-v2", {0.551, 0.003814}},
            {"mistralai/mistral-7b-chat", {0.584, 0.000082}},
            {"WizardLM/WizardLM-13B-V1.2", {0.568, 0.000124}}};
        for (const ModelSummary& m : s.models) {
            if (!readme.contains(m.name))
                continue;
            QVERIFY2(qAbs(m.meanQuality - readme[m.name].first) < 0.0006, qPrintable(m.name));
            // The README averages cost over every row, scored or not; we average over the
            // scored calls, so the figures agree to within a percent, not exactly.
            QVERIFY2(qAbs(m.meanCostUsd / readme[m.name].second - 1) < 0.01, qPrintable(m.name));
        }
        QVERIFY(qAbs(s.oracleMeanQuality - 0.975) < 0.0006);
        QVERIFY(qAbs(s.oracleMeanCostUsd - 0.000213) < 0.0000006);
        QCOMPARE(s.bestSingleName, QStringLiteral("gpt-4-1106-preview"));
    }

    void routeLlmNeedsAPoolAndLoadsWithOne() {
        const QString dir = folder(QStringLiteral("routellm"));
        if (dir.isEmpty())
            QSKIP("shared/data/routellm is absent");
        QTemporaryDir tmp;
        const QString pool =
            testing::writeFile(QDir(tmp.path()), QStringLiteral("p.pool.json"), R"({"models": [
            {"id": "mistralai/Mixtral-8x7B-Instruct-v0.1", "input_price_per_mtok": 0.6, "output_price_per_mtok": 0.6},
            {"id": "gpt-4-1106-preview", "input_price_per_mtok": 10, "output_price_per_mtok": 30}]})");
        const PricedDataset data = loadPricedDataset({dir}, pool);
        QCOMPARE(data.dataset.promptCount(), 14042 + 1319);
        QCOMPARE(data.dataset.modelCount(), 2);
        QCOMPARE(data.dataset.categoryNames.size(), 58);
        QVERIFY(data.dataset.categoryNames.contains(QStringLiteral("gsm8k")));
        QVERIFY(data.dataset.categoryNames.contains(QStringLiteral("mmlu_anatomy")));
        const DatasetSummary s = summarize(data.dataset, data.pool);
        // GPT-4 is the strong model of the pair on both benchmarks.
        QCOMPARE(s.bestSingleName, QStringLiteral("gpt-4-1106-preview"));
        QVERIFY(s.oracleMeanQuality > s.bestSingleMeanQuality);
        QVERIFY(s.models[0].meanCostUsd > 0);
        QVERIFY(data.dataset.estimates.inputTokens == 2 * data.dataset.promptCount());
    }
};

ROUTERLAB_TEST_GUILESS_MAIN(TestSharedData)
#include "test_shared_data.moc"
