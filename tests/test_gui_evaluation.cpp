// Experiment ▸ Evaluate on Unseen Tasks… on the sample: the table the CLI's evaluate prints,
// computed in the background with progress, cancel, and a message for a family that is not
// in the data; and a stored evaluation opened from the workspace tree.

#include "experiment/experiment_file.h"
#include "formats/dataset_loader.h"
#include "gui_harness.h"
#include "store/workspace_store.h"
#include "ui/experiment/evaluation_dialog.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/recorded_evaluation_dialog.h"
#include "ui/shell/main_window.h"
#include "ui/shell/workspace_navigator.h"

#include <QComboBox>
#include <QDir>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
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
    // The main window below saves its session and geometry: into these settings, not the user's.
    void initTestCase() { gui_harness::isolateSettings(settings_); }

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

    // Training seeds in the dialog: the table shows the mean of the router's trainings, the
    // figure the core's evaluation gives for those seeds (and not the first seed's alone).
    void trainingSeedsShowTheirMean() {
        const QString router = QStringLiteral("irt-greedy:epochs=3,guard=off");
        const GuiExperiment experiment = sampleWithRouters({router});
        EvaluationDialog dialog(experiment);
        dialog.familiesEdit()->setText(QStringLiteral("chat"));
        QCOMPARE(dialog.trainingSeedsBox()->value(), 1);
        dialog.trainingSeedsBox()->setValue(2);
        QSignalSpy finished(&dialog, &EvaluationDialog::finished);
        dialog.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kTimeoutMs);
        QVERIFY2(finished.first().first().toBool(), qPrintable(dialog.statusLabel()->text()));
        QVERIFY2(dialog.statusLabel()->text().contains(QLatin1String("mean of seeds 1 to 2")),
                 qPrintable(dialog.statusLabel()->text()));
        QCOMPARE(dialog.table()->verticalHeaderItem(2)->text(), router);

        const SimulationArguments& a = experiment.simulate;
        EvaluationOptions options;
        options.simulation = a.options;
        if (a.options.split.kind == SplitRule::Kind::Random)
            options.inDistribution = a.options.split;
        options.unseenFamilies = {QStringLiteral("chat")};
        options.preferences = {a.preference};
        const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
        const auto inDistribution = [&](int seeds) {
            options.trainingSeeds = seeds;
            const Evaluation e =
                evaluate(data.dataset, data.pool, {RouterSpec::parse(router)}, options);
            return marginText(e.points.front().scores.front().front().marginOverTrainingBest);
        };
        const QString mean = inDistribution(2);
        QVERIFY2(mean != inDistribution(1), "one seed and two read alike: the test shows nothing");
        QCOMPARE(dialog.table()->item(2, 0)->text(), mean);
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

    // A workspace's stored evaluation (`routerlab-cli evaluate --workspace`) is listed in the
    // workspace tree and opens in a dialog of its own, at each preference it scored; a damaged
    // one is a message.
    void storedEvaluationOpensFromTheWorkspace() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const PricedDataset data =
            loadPricedDataset({sample.filePath(QStringLiteral("sample.csv"))},
                              sample.filePath(QStringLiteral("sample.pool.json")));
        EvaluationOptions options;
        options.simulation.reward = RewardKind::Linear;
        options.unseenFamilies = {QStringLiteral("math")};
        options.preferences = {Preference{1, 0, 0}, Preference{0.5, 0.5, 0}};
        options.bootstrap.resamples = 100;
        const Evaluation evaluation =
            evaluate(data.dataset, data.pool, {RouterSpec::parse("quality-regression")}, options);
        QTemporaryDir dir;
        const QString workspace = dir.filePath(QStringLiteral("stored.routerlab"));
        {
            WorkspaceStore store(workspace);
            EvaluationRecord record;
            record.name = QStringLiteral("quality-regression on sample.csv");
            record.configJson = R"({"datasets":["sample.csv"],"features":"hashed-words:64",)"
                                R"("reward":"linear","in_distribution_split":"random:0.7"})";
            record.resultJson = QJsonDocument(evaluation.toJson()).toJson();
            store.recordEvaluation(record);
            record.name = QStringLiteral("damaged");
            record.resultJson = "{}";
            store.recordEvaluation(record);
        }
        MainWindow window;
        window.openWorkspace(workspace);
        auto* navigator = window.findChild<WorkspaceNavigator*>();
        QCOMPARE(navigator->entryCount(WorkspaceNavigator::Kind::Evaluation), 2);
        QSignalSpy messages(window.workbench(), &ExperimentWorkbench::message);
        window.workbench()->showEntry(WorkspaceNavigator::Kind::Evaluation, 1);
        auto* dialog = window.findChild<RecordedEvaluationDialog*>();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->preferenceBox()->count(), 2);
        QTableWidget* table = dialog->table();
        QCOMPARE(table->columnCount(), 2); // in distribution, math
        QCOMPARE(table->rowCount(), 5);    // two references, one router, two margins
        QCOMPARE(table->verticalHeaderItem(2)->text(), QStringLiteral("quality-regression"));
        const auto oracleMargins = [&] {
            return table->item(4, 0)->text() + QLatin1Char('|') + table->item(4, 1)->text();
        };
        const QString atQuality = oracleMargins();
        QCOMPARE(table->item(4, 0)->text(),
                 marginText(evaluation.points[0].references[0].oracleScore.marginOverTrainingBest));
        dialog->preferenceBox()->setCurrentIndex(1);
        QCOMPARE(table->item(4, 0)->text(),
                 marginText(evaluation.points[1].references[0].oracleScore.marginOverTrainingBest));
        QVERIFY(oracleMargins() != atQuality);
        QVERIFY(dialog->grab().save(
            QDir::current().filePath(QStringLiteral("gui_stored_evaluation.png"))));
        dialog->close();
        QCOMPARE(messages.count(), 0);
        window.workbench()->showEntry(WorkspaceNavigator::Kind::Evaluation, 2);
        QCOMPARE(messages.count(), 1);
        QVERIFY(messages.first().at(1).toBool());
        QVERIFY2(messages.first().at(0).toString().contains(QLatin1String("missing")),
                 qPrintable(messages.first().at(0).toString()));
    }

private:
    QTemporaryDir settings_;
};

QTEST_MAIN(TestGuiEvaluation)
#include "test_gui_evaluation.moc"
