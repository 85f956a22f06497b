#include "common/paths.h"
#include "formats/dataset_loader.h"
#include "generator/sample_generator.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>

using namespace routerlab;

namespace {

// Bit-for-bit, so NaN cells compare equal to NaN cells and nothing else.
bool sameBits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(double) * a.size()) == 0;
}

bool sameDataset(const Dataset& a, const Dataset& b) {
    return a.promptIds == b.promptIds && a.promptTexts == b.promptTexts &&
           a.references == b.references && a.promptCategory == b.promptCategory &&
           a.categoryNames == b.categoryNames && a.modelNames == b.modelNames &&
           sameBits(a.quality, b.quality) && sameBits(a.inputTokens, b.inputTokens) &&
           sameBits(a.outputTokens, b.outputTokens) &&
           sameBits(a.recordedLatency, b.recordedLatency) &&
           sameBits(a.recordedCost, b.recordedCost);
}

// FNV-1a over everything the sample records, with latency in whole milliseconds.
std::uint64_t fingerprint(const Dataset& d) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    const auto add = [&h](const QByteArray& bytes) {
        for (const char c : bytes) {
            h ^= static_cast<unsigned char>(c);
            h *= 0x100000001b3ULL;
        }
        h ^= 0xff; // separator, so "ab"+"c" differs from "a"+"bc"
        h *= 0x100000001b3ULL;
    };
    for (int i = 0; i < d.promptCount(); ++i) {
        add(d.promptIds[i].toUtf8());
        add(d.promptTexts[i].toUtf8());
        add(d.references[i].toUtf8());
        add(d.categoryNames[d.promptCategory[i]].toUtf8());
        for (int k = 0; k < d.modelCount(); ++k)
            add(QByteArray::number(std::llround(d.quality(i, k) * 10)) + ' ' +
                QByteArray::number(d.inputTokens(i, k), 'f', 0) + ' ' +
                QByteArray::number(d.outputTokens(i, k), 'f', 0) + ' ' +
                QByteArray::number(std::llround(d.recordedLatency(i, k) * 1000)));
    }
    return h;
}

double correlation(const Eigen::VectorXd& x, const Eigen::VectorXd& y) {
    const Eigen::ArrayXd dx = x.array() - x.mean(), dy = y.array() - y.mean();
    return (dx * dy).sum() / std::sqrt(dx.square().sum() * dy.square().sum());
}

} // namespace

class TestGenerator : public QObject {
    Q_OBJECT

private:
    GeneratedSample sample_ = generateSample({});

private slots:
    void defaultShape() {
        const Dataset& d = sample_.dataset;
        QCOMPARE(d.modelCount(), 8);
        QCOMPARE(d.categoryNames, QStringList({"math", "code", "knowledge", "chat"}));
        QCOMPARE(d.promptCount(), 1600);
        QCOMPARE(d.missingCells(), 0);
        QCOMPARE(d.modelNames, sample_.pool.ids());
        QCOMPARE(d.promptIds.front(), QStringLiteral("math-0001"));
        QCOMPARE(d.promptIds.back(), QStringLiteral("chat-0400"));
        QCOMPARE(d.estimates.inputTokens + d.estimates.outputTokens + d.estimates.latency,
                 qint64(0));
    }

    void catalogueHasListPrices() {
        const ModelPool pool = defaultCatalogue();
        QCOMPARE(pool.size(), 8);
        const PoolModel* flash = pool.find(QStringLiteral("gemini-1.5-flash"));
        QVERIFY(flash);
        QCOMPARE(flash->inputPricePerMTok, 0.075);
        QCOMPARE(flash->outputPricePerMTok, 0.30);
        QCOMPARE(pool.find(QStringLiteral("claude-3-5-sonnet"))->outputPricePerMTok, 15.0);
        for (const PoolModel& m : pool.models) {
            QVERIFY(m.endpoint.isEmpty());
            QCOMPARE(m.tags.size(), 2);
            QVERIFY(m.contextWindow > 0 && m.firstTokenS > 0 && m.outputTokensPerS > 0);
        }
    }

    void sameSeedIsIdentical() {
        const GeneratedSample again = generateSample({});
        QVERIFY(sameDataset(sample_.dataset, again.dataset));
        QCOMPARE(again.pool, sample_.pool);
    }

    // The committed sample_data must come out the same from any compiler and machine. If the
    // generator changes on purpose, regenerate sample_data and update both values.
    void matchesPinnedSample() {
        const Dataset& d = sample_.dataset;
        QCOMPARE(d.promptTexts.front(),
                 QStringLiteral(
                     "A savings account pays 6% interest per year, compounded annually. If Chloe "
                     "deposits 12000 dollars and makes no withdrawals, what is the "
                     "balance after 7 years? Round to the nearest cent."));
        QCOMPARE(QString::number(fingerprint(d), 16), QStringLiteral("468f7c24efd1d278"));
    }

    void differentSeedDiffers() {
        GeneratorOptions options;
        options.seed = 8;
        const Dataset other = generateSample(options).dataset;
        QCOMPARE(other.promptCount(), sample_.dataset.promptCount());
        QVERIFY(other.promptTexts != sample_.dataset.promptTexts);
        QVERIFY(!sameBits(other.quality, sample_.dataset.quality));
        QVERIFY(!sameBits(other.recordedLatency, sample_.dataset.recordedLatency));
    }

    // Each prompt has its own stream: fewer or reordered categories leave a prompt unchanged.
    void promptsDoNotDependOnListOrder() {
        GeneratorOptions options;
        options.categories = {"chat", "math"};
        options.promptsPerCategory = 50;
        const Dataset small = generateSample(options).dataset;
        const Dataset& full = sample_.dataset;
        for (int i = 0; i < small.promptCount(); ++i) {
            const int row = static_cast<int>(
                std::find(full.promptIds.begin(), full.promptIds.end(), small.promptIds[i]) -
                full.promptIds.begin());
            QVERIFY(row < full.promptCount());
            QCOMPARE(small.promptTexts[i], full.promptTexts[row]);
            QVERIFY(small.quality.row(i) == full.quality.row(row));
            QVERIFY(small.recordedLatency.row(i) == full.recordedLatency.row(row));
        }
    }

    void rejectsBadOptions() {
        GeneratorOptions options;
        // By hand rather than QVERIFY_THROWS_EXCEPTION, which needs Qt 6.3.
        const auto refuses = [](const GeneratorOptions& o) {
            try {
                generateSample(o);
            } catch (const std::invalid_argument&) {
                return true;
            }
            return false;
        };
        options.categories = {"math", "poetry"};
        QVERIFY(refuses(options));
        options.categories = {"math", "math"};
        QVERIFY(refuses(options));
        options.categories = {"math"};
        options.promptsPerCategory = -1;
        QVERIFY(refuses(options));
    }

    void valuesAreInRange() {
        const Dataset& d = sample_.dataset;
        QVERIFY((d.quality.array() >= 0.0).all() && (d.quality.array() <= 1.0).all());
        QVERIFY((d.inputTokens.array() > 0.0).all());
        QVERIFY((d.outputTokens.array() > 0.0).all());
        QVERIFY((d.recordedLatency.array() > 0.0).all());
        const QRegularExpression number(QStringLiteral("^-?[0-9]+(\\.[0-9]+)?$"));
        const QRegularExpression letter(QStringLiteral("^[A-D]$"));
        for (int i = 0; i < d.promptCount(); ++i) {
            const QString& text = d.promptTexts[i];
            QVERIFY2(text.size() >= 100 && text.size() <= 400, qPrintable(text));
            const QString& category = d.categoryNames[d.promptCategory[i]];
            const QString& ref = d.references[i];
            if (category == QLatin1String("math"))
                QVERIFY2(number.match(ref).hasMatch(), qPrintable(ref));
            else if (category == QLatin1String("knowledge"))
                QVERIFY2(letter.match(ref).hasMatch(), qPrintable(ref));
            else
                QVERIFY(ref.isEmpty());
            for (int k = 0; k < d.modelCount(); ++k) {
                const double q = d.quality(i, k);
                if (category == QLatin1String("chat"))
                    QCOMPARE(q, std::round(q * 10.0) / 10.0); // tenths
                else
                    QVERIFY(q == 0.0 || q == 1.0);
            }
        }
    }

    void latencyGrowsWithOutputTokens() {
        const Dataset& d = sample_.dataset;
        for (int k = 0; k < d.modelCount(); ++k)
            QVERIFY2(correlation(d.outputTokens.col(k), d.recordedLatency.col(k)) > 0.3,
                     qPrintable(d.modelNames[k]));
    }

    // The oracle takes each prompt's best quality, ties broken by the lower cost.
    void routingMatters() {
        const Dataset& d = sample_.dataset;
        const Eigen::MatrixXd cost = d.costUsd(sample_.pool);
        std::vector<int> wins(d.modelCount(), 0);
        double oracle = 0;
        for (int i = 0; i < d.promptCount(); ++i) {
            int best = 0;
            for (int k = 1; k < d.modelCount(); ++k)
                if (d.quality(i, k) > d.quality(i, best) ||
                    (d.quality(i, k) == d.quality(i, best) && cost(i, k) < cost(i, best)))
                    best = k;
            ++wins[best];
            oracle += d.quality(i, best);
        }
        oracle /= d.promptCount();
        const Eigen::VectorXd means = d.quality.colwise().mean();
        int bestSingle = 0;
        means.maxCoeff(&bestSingle);
        for (int k = 0; k < d.modelCount(); ++k)
            QVERIFY2(wins[k] <= 0.6 * d.promptCount(), qPrintable(d.modelNames[k]));
        QVERIFY(oracle > means(bestSingle) + 0.05);

        const Eigen::VectorXd meanCost = cost.colwise().mean();
        int cheapest = 0;
        meanCost.minCoeff(&cheapest);
        QVERIFY(cheapest != bestSingle);

        // The priciest model does not lead every category.
        int priciest = 0;
        meanCost.maxCoeff(&priciest);
        bool priciestLosesSomewhere = false;
        for (int c = 0; c < d.categoryNames.size(); ++c) {
            Eigen::VectorXd sum = Eigen::VectorXd::Zero(d.modelCount());
            for (int i = 0; i < d.promptCount(); ++i)
                if (d.promptCategory[i] == c)
                    sum += d.quality.row(i).transpose();
            int leader = 0;
            sum.maxCoeff(&leader);
            priciestLosesSomewhere = priciestLosesSomewhere || leader != priciest;
        }
        QVERIFY(priciestLosesSomewhere);
    }

    void savedSampleReadsBack() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        GeneratorOptions options;
        options.promptsPerCategory = 25;
        const GeneratedSample sample = generateSample(options);
        saveSample(sample, dir.path());
        const QString pool = QDir(dir.path()).filePath(QLatin1String(kSamplePoolFile));
        QCOMPARE(ModelPool::load(pool), sample.pool);
        const Dataset back =
            loadDataset({QDir(dir.path()).filePath(QLatin1String(kSampleDatasetFile))});
        QCOMPARE(back.promptIds, sample.dataset.promptIds);
        QCOMPARE(back.promptTexts, sample.dataset.promptTexts);
        QCOMPARE(back.references, sample.dataset.references);
        QVERIFY(sameBits(back.quality, sample.dataset.quality));
        QVERIFY(sameBits(back.inputTokens, sample.dataset.inputTokens));
        QVERIFY(sameBits(back.outputTokens, sample.dataset.outputTokens));
        QVERIFY(sameBits(back.recordedLatency, sample.dataset.recordedLatency));
    }
};

QTEST_GUILESS_MAIN(TestGenerator)
#include "test_generator.moc"
