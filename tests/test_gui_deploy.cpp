// Experiment ▸ Deploy… on a run of the sample in the window: the dialog starts from the run's
// reward leader and the Trade-off dock's preference, trains the BaRP router in the background
// into a file the proxy loads (barp:model=FILE on the same data), and shows a command whose
// words reach a shell as the proxy must receive them.

#include "experiment/deployment.h"
#include "experiment/experiment_file.h"
#include "formats/dataset_loader.h"
#include "sim/simulation.h"
#include "ui/experiment/deploy_dialog.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/preference_panel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 120000;

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

// The words a POSIX shell passes to the program of `command` (its first word replaced).
QStringList shellWords(const QString& command) {
    QProcess sh;
    sh.start(QStringLiteral("sh"),
             {QStringLiteral("-c"), QStringLiteral("f() { printf '%s\\0' \"$@\"; }\nf ") +
                                        command.section(QLatin1Char(' '), 1)});
    if (!sh.waitForFinished(10000) || sh.exitCode() != 0)
        return {};
    QStringList words = QString::fromUtf8(sh.readAllStandardOutput()).split(QChar(0));
    words.removeLast();
    return words;
}

QString valueOf(const QStringList& words, const QString& option) {
    const qsizetype at = words.indexOf(option);
    return at >= 0 && at + 1 < words.size() ? words[at + 1] : QString();
}

} // namespace

class TestGuiDeploy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void menuOpensTheDialogOnTheRunShown();
    void trainsTheFileAndShowsTheCommand();
    void routersWithoutAFileTrainAtStart();
    void cleanupTestCase();

private:
    std::unique_ptr<DeployDialog> openDialog();

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
    ExperimentWorkbench* bench_ = nullptr;
    QString leader_; // the run's best mean reward among the routers that may be deployed
};

void TestGuiDeploy::initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
    window_ = std::make_unique<MainWindow>();
    bench_ = window_->workbench();
    // Before any run there is nothing to deploy.
    DeployDialog::Input input;
    QString why;
    QVERIFY(!bench_->deployInput(input, why));
    QVERIFY(why.contains(QLatin1String("run")));

    GuiExperiment e = sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    e.simulate.routers = {RouterSpec::parse("ucb1"), RouterSpec::parse("knn:k=5"),
                          RouterSpec::parse("barp:epochs=4")};
    e.simulate.seeds = 1;
    e.simulate.threads = 2;
    e.points = 3;
    bench_->designer()->setExperiment(e);
    QSignalSpy finished(bench_, &ExperimentWorkbench::runFinished);
    bench_->run();
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.first().at(1).toString(), QString());
    double best = -1e300;
    for (const QJsonValue& row : bench_->shownResults()->simulate.value("routers").toArray()) {
        if (row["mean_reward"].toDouble() > best) {
            best = row["mean_reward"].toDouble();
            leader_ = row["name"].toString();
        }
    }
    QVERIFY(!leader_.isEmpty());
    bench_->preferences()->setPreference(Preference{0.6, 0.4, 0});
}

std::unique_ptr<DeployDialog> TestGuiDeploy::openDialog() {
    DeployDialog::Input input;
    QString why;
    if (!bench_->deployInput(input, why))
        return nullptr;
    return std::make_unique<DeployDialog>(input);
}

void TestGuiDeploy::menuOpensTheDialogOnTheRunShown() {
    auto* action = window_->findChild<QAction*>(QStringLiteral("deployAction"));
    QVERIFY(action);
    QString shownRouter;
    // Polls until the modal dialog is up, then closes it (a missed dialog would block exec()).
    QTimer closer;
    closer.setInterval(10);
    connect(&closer, &QTimer::timeout, this, [&] {
        if (auto* dialog = qobject_cast<DeployDialog*>(QApplication::activeModalWidget())) {
            shownRouter = dialog->routerBox()->currentData().toString();
            closer.stop();
            dialog->reject();
        }
    });
    closer.start();
    action->trigger(); // modal: returns once the dialog is closed
    QCOMPARE(shownRouter, leader_);
}

void TestGuiDeploy::trainsTheFileAndShowsTheCommand() {
    const auto dialog = openDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->routerBox()->currentData().toString(), leader_);
    QCOMPARE(dialog->routerBox()->count(), 3);
    QCOMPARE(dialog->qualityBox()->value(), 0.6);
    QCOMPARE(dialog->costBox()->value(), 0.4);
    QCOMPARE(dialog->portBox()->value(), 8000);
    QCOMPARE(dialog->fallbacksBox()->value(), 2);

    dialog->routerBox()->setCurrentIndex(dialog->routerBox()->findData("barp:epochs=4"));
    QVERIFY(dialog->command().isEmpty()); // no file yet
    QVERIFY(!dialog->copyButton()->isEnabled());
    QVERIFY(!dialog->trainButton()->isHidden());
    QCOMPARE(dialog->defaultRouterFile(),
             QFileInfo(sampleFile("sample.csv")).absoluteDir().filePath("barp-epochs-4.barp"));

    const QString folder = dir_.filePath(QStringLiteral("my routers"));
    QVERIFY(QDir().mkpath(folder));
    const QString file = QDir(folder).filePath(QStringLiteral("it's barp.barp"));
    QSignalSpy trained(dialog.get(), &DeployDialog::trainingFinished);
    dialog->trainAndSave(file);
    QVERIFY(trained.count() == 1 || trained.wait(kTimeoutMs));
    QVERIFY2(trained.first().at(0).toBool(), qPrintable(trained.first().at(1).toString()));
    QVERIFY(QFile::exists(file));
    QVERIFY(dialog->routerFileLabel()->text().contains(QLatin1String("it's barp.barp")));

    const QString command = dialog->command();
    QCOMPARE(dialog->commandView()->toPlainText(), command);
    const QStringList words = shellWords(command);
    QCOMPARE(words.value(0), QStringLiteral("proxy"));
    QCOMPARE(valueOf(words, "--router"), "barp:model=" + file);
    QCOMPARE(valueOf(words, "--pool"),
             QFileInfo(sampleFile("sample.pool.json")).absoluteFilePath());
    QCOMPARE(valueOf(words, "--dataset"), QFileInfo(sampleFile("sample.csv")).absoluteFilePath());
    QCOMPARE(valueOf(words, "--features"), QStringLiteral("hashed-words:64"));
    QCOMPARE(valueOf(words, "--reward"), QStringLiteral("pickllm"));
    QCOMPARE(valueOf(words, "--preference"), QStringLiteral("quality=0.6,cost=0.4,latency=0"));
    QCOMPARE(valueOf(words, "--port"), QStringLiteral("8000"));
    QCOMPARE(valueOf(words, "--fallbacks"), QStringLiteral("2"));
    QVERIFY(!words.contains("--workspace")); // the window has no workspace open
    QVERIFY2(command.contains("--router 'barp:model=" + folder + "/it'\\''s barp.barp'"),
             qPrintable(command));

    // The file loads as the proxy loads barp:model=FILE: on the run's data and options.
    DeployDialog::Input input;
    QString why;
    QVERIFY(bench_->deployInput(input, why));
    const PricedDataset data =
        loadPricedDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    const SimulationSetup setup(data.dataset, data.pool,
                                input.experiment->experiment.simulate.options);
    const auto router = RouterRegistry::instance().create(
        RouterSpec::parse(valueOf(words, "--router")), setup.problem());
    QVERIFY(router);
    router->reset(1);
    const RewardFunction reward(setup.problem().rewardKind, setup.problem().scales,
                                Preference{0.6, 0.4, 0});
    const Decision d = router->route(Query{setup.scoredRows().front()}, reward);
    QVERIFY(d.model >= 0 && d.model < setup.problem().modelCount());

    // Every choice reaches the command at once.
    const QString workspace = dir_.filePath(QStringLiteral("prod traffic.routerlab"));
    dialog->workspaceEdit()->setText(workspace);
    dialog->portBox()->setValue(0);
    dialog->fallbacksBox()->setValue(3);
    dialog->latencyBox()->setValue(0.1);
    const QStringList changed = shellWords(dialog->command());
    QCOMPARE(valueOf(changed, "--workspace"), workspace);
    QCOMPARE(valueOf(changed, "--port"), QStringLiteral("0"));
    QCOMPARE(valueOf(changed, "--fallbacks"), QStringLiteral("3"));
    QCOMPARE(valueOf(changed, "--preference"), QStringLiteral("quality=0.6,cost=0.4,latency=0.1"));
    QTest::mouseClick(dialog->copyButton(), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), dialog->command());
}

void TestGuiDeploy::routersWithoutAFileTrainAtStart() {
    const auto dialog = openDialog();
    QVERIFY(dialog);
    dialog->routerBox()->setCurrentIndex(dialog->routerBox()->findData("knn:k=5"));
    QVERIFY(dialog->trainButton()->isHidden());
    QVERIFY(dialog->routerFileLabel()->text().contains(QLatin1String("none needed")));
    const QStringList words = shellWords(dialog->command());
    QCOMPARE(valueOf(words, "--router"), QStringLiteral("knn:k=5"));
    QCOMPARE(valueOf(words, "--dataset"), QFileInfo(sampleFile("sample.csv")).absoluteFilePath());
    QVERIFY(dialog->copyButton()->isEnabled());
}

void TestGuiDeploy::cleanupTestCase() {
    window_.reset();
}

QTEST_MAIN(TestGuiDeploy)
#include "test_gui_deploy.moc"
