// Experiment ▸ Evaluate on Unseen Tasks… on the sample: the table the CLI's evaluate prints,
// computed in the background with progress, cancel, and a message for a family that is not
// in the data.

#include "experiment/experiment_file.h"
#include "ui/experiment/evaluation_dialog.h"

#include <QDir>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 120000;

GuiExperiment sampleWithRouters(const QStringList& routers) {
    const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
    GuiExperiment experiment =
        sampleExperiment(sample.filePath(QStringLiteral("sample.csv")),
                         sample.filePath(QStringLiteral("sample.pool.json")));
    experiment.simulate.routers.clear();
    for (const QString& router : routers)
        experiment.simulate.routers.push_back(RouterSpec::parse(router));
    return experiment;
}

} // namespace

class TestGuiEvaluation : public QObject {
    Q_OBJECT

private slots:
    void tableOfTheHeldOutFamilies() {
        // The online learner is left out: only routers that train beforehand are evaluated.
        EvaluationDialog dialog(
            sampleWithRouters({QStringLiteral("pickllm-q"), QStringLiteral("quality-regression")}));
        dialog.show();
        dialog.familiesEdit()->setText(QStringLiteral("math, chat"));
        QSignalSpy finished(&dialog, &EvaluationDialog::finished);
        QTest::mouseClick(dialog.runButton(), Qt::LeftButton);
        QVERIFY(!dialog.runButton()->isEnabled());
        QVERIFY(dialog.cancelButton()->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QVERIFY2(finished.first().first().toBool(), qPrintable(dialog.statusLabel()->text()));
        QTableWidget* table = dialog.table();
        QCOMPARE(table->columnCount(), 4); // in distribution, math, chat, all unseen
        QVERIFY(table->horizontalHeaderItem(1)->text().startsWith(QLatin1String("unseen: math")));
        QCOMPARE(table->rowCount(), 5); // two references, one router, two margins
        QCOMPARE(table->verticalHeaderItem(2)->text(), QStringLiteral("quality-regression"));
        const QRegularExpression margin(QStringLiteral("^[+-]?\\d+\\.\\d( \\[-?\\d+\\.\\d, "
                                                       "-?\\d+\\.\\d\\])?$"));
        for (int column = 0; column < table->columnCount(); ++column)
            for (int row = 2; row < table->rowCount(); ++row)
                QVERIFY2(margin.match(table->item(row, column)->text()).hasMatch(),
                         qPrintable(table->item(row, column)->text()));
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
        QVERIFY(dialog.runButton()->isEnabled());
        // For a look by eye: ctest runs in the build's tests folder.
        QVERIFY(dialog.grab().save(QDir::current().filePath(QStringLiteral("gui_evaluation.png"))));
    }

    void unknownFamilyIsAMessage() {
        EvaluationDialog dialog(sampleWithRouters({QStringLiteral("knn")}));
        dialog.familiesEdit()->setText(QStringLiteral("poetry"));
        QSignalSpy finished(&dialog, &EvaluationDialog::finished);
        dialog.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QVERIFY(!finished.first().first().toBool());
        QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("'poetry'")),
                 qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(dialog.table()->rowCount(), 0);
    }

    void cancelKeepsNothing() {
        EvaluationDialog dialog(sampleWithRouters({QStringLiteral("barp")}));
        QSignalSpy finished(&dialog, &EvaluationDialog::finished);
        dialog.start();
        dialog.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QVERIFY(!finished.first().first().toBool());
        QVERIFY(dialog.statusLabel()->text().startsWith(QLatin1String("Cancelled")));
        QCOMPARE(dialog.table()->rowCount(), 0);
    }
};

QTEST_MAIN(TestGuiEvaluation)
#include "test_gui_evaluation.moc"
