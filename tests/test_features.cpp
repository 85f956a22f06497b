#include "features/featurizer.h"
#include "features/prompt_features.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
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
