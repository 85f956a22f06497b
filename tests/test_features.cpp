#include "features/featurizer.h"

#include <QtTest>

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
};

QTEST_GUILESS_MAIN(TestFeatures)
#include "test_features.moc"
