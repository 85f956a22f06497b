#include "ui/shell/screenshot_renderer.h"

#include "experiment/experiment_file.h"
#include "formats/dataset_loader.h"
#include "replay/replay_server.h"
#include "ui/charts/comparison_panel.h"
#include "ui/charts/convergence_panel.h"
#include "ui/charts/pareto_panel.h"
#include "ui/cluster/cluster_script_dialog.h"
#include "ui/experiment/deploy_dialog.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/run_controller.h"
#include "ui/experiment/runs_panel.h"
#include "ui/live/live_console.h"
#include "ui/quiz/quiz_wizard.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/preference_panel.h"
#include "ui/tradeoff/tradeoff_page.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QThread>
#include <functional>

namespace routerlab {

namespace {

bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(5);
    }
    return true;
}

void settle() {
    waitUntil([] { return false; }, 300); // let charts lay out and animations finish
}

// One rendering pass: the steps below share the window, the output folder and the sample's
// paths; each returns false with `error` set when it fails.
class ScreenshotSession {
public:
    ScreenshotSession(MainWindow& window, const QString& dir, const QSize& size, QString& error)
        : window_(window), dir_(dir), size_(size), error_(error) {}

    QStringList written() const { return written_; }

    bool prepare(const QString& datasetPath, const QString& poolPath) {
        if (!QDir().mkpath(QFileInfo(dir_).absoluteFilePath()))
            return fail(QStringLiteral("%1: cannot create the folder").arg(dir_));
        // Paths relative to the sample's parent folder: the images show "sample_data/...",
        // never the machine they were rendered on.
        const QDir base = QFileInfo(datasetPath).absoluteDir().filePath(QStringLiteral(".."));
        dataset_ = QDir::cleanPath(base.relativeFilePath(datasetPath));
        pool_ = QDir::cleanPath(base.relativeFilePath(poolPath));
        QDir::setCurrent(base.absolutePath());
        window_.setKeptOnScreen(false); // the images' size, whatever the screen
        window_.resize(size_);
        window_.arrangeDocks();
        return true;
    }

    // Loads the sample, runs its ready-made experiment and sets the slider, so that every chart
    // has something to show.
    bool runSampleExperiment() {
        bool loaded = false;
        QObject::connect(&window_, &MainWindow::datasetLoaded, &window_, [&] { loaded = true; });
        window_.openDataset({dataset_}, pool_);
        if (!waitUntil([&] { return loaded; }, 60000))
            return fail(QStringLiteral("the sample data did not load"));
        ExperimentWorkbench* bench = window_.workbench();
        bench->designer()->setExperiment(sampleExperiment(dataset_, pool_));
        bool finished = false;
        QObject::connect(bench, &ExperimentWorkbench::runFinished, &window_,
                         [&] { finished = true; });
        bench->run();
        if (!waitUntil([&] { return finished; }, 300000))
            return fail(QStringLiteral("the sample experiment did not finish"));
        // A middle trade-off, so the slider's operating points sit inside the frontier.
        const int before = bench->evaluator()->completed();
        bench->preferences()->costSlider()->setValue(40);
        waitUntil(
            [&] {
                return bench->evaluator()->completed() > before && !bench->evaluator()->isBusy();
            },
            30000);
        return true;
    }

    // Every page but Runs, which shows two runs side by side in saveOverlay.
    bool savePages() {
        QTabWidget* pages = window_.pages();
        for (int i = 0; i < pages->count(); ++i) {
            if (pages->widget(i) == window_.workbench()->runsPanel())
                continue;
            pages->setCurrentIndex(i);
            window_.arrangeDocks(); // a page's minimum width must not squeeze the docks
            if (pages->widget(i) == window_.workbench()->tradeoff() && !askForBudget())
                return false;
            settle();
            const QString name = pages->tabText(i)
                                     .toLower()
                                     .remove(QLatin1Char('&'))
                                     .replace(QLatin1Char(' '), QLatin1Char('-'));
            if (!save(window_, ++pagesSaved_, name))
                return false;
        }
        return true;
    }

    // The product owner's question on the Trade-off page: the best quality for $1 per 1,000
    // queries.
    bool askForBudget() {
        ExperimentWorkbench* bench = window_.workbench();
        TradeoffPage* page = bench->tradeoff();
        if (!waitUntil([&] { return page->candidatesReady(); }, 60000))
            return fail(QStringLiteral("the Trade-off page's candidates did not come"));
        page->setMode(TradeoffPage::Mode::UnderBudget);
        page->setLimit(1.0);
        waitUntil([&] { return !bench->evaluator()->isBusy(); }, 30000);
        return true;
    }

    // The cluster dialog, filled in as an analyst would before writing the scripts.
    bool saveClusterDialog() {
        GuiExperiment experiment;
        if (!window_.workbench()->designer()->experiment(experiment, error_))
            return true; // no dialog without a valid experiment; `error` says why
        ClusterScriptDialog dialog(experiment, QString(), &window_);
        dialog.folderEdit()->setText(QStringLiteral("/shared/sweeps/sample"));
        dialog.shardsBox()->setValue(16);
        dialog.cliEdit()->setText(QStringLiteral("/opt/routerlab/bin/routerlab-cli"));
        dialog.show();
        settle();
        return save(dialog, pageCount() + 1, QStringLiteral("run-on-a-cluster"));
    }

    // The Live Console, answered by a replay server in this process (the event loop serves it
    // while we wait): no network, no keys.
    bool saveLiveConsole() {
        try {
            const PricedDataset data = loadPricedDataset({dataset_}, pool_);
            ReplayOptions replay;
            replay.latencyScale = 0;
            ReplayServer server(data.dataset, data.pool, replay);
            if (!server.listen(0))
                return fail(QStringLiteral("the replay server did not start: %1")
                                .arg(server.errorString()));
            LiveConsole* console = window_.openLiveConsole();
            console->setSource(LiveConsole::Source::Dataset);
            console->baseUrlEdit()->setText(
                QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port()));
            console->scorerBox()->setCurrentText(QStringLiteral("replay"));
            console->limitBox()->setValue(40);
            bool live = false;
            QObject::connect(console, &LiveConsole::finished, &window_, [&] { live = true; });
            console->start();
            if (!waitUntil([&] { return live; }, 60000))
                return fail(QStringLiteral("the live console's run did not finish"));
            console->callTable()->selectRow(5);
            console->rateSelected({HumanRating::Scale::Stars, 4, {}, {}});
            settle();
            bool saved = save(*console, pageCount() + 2, QStringLiteral("live-console"));
            // The same run on the Traffic tab (numbered after the pages added later).
            console->callTabs()->setCurrentWidget(console->trafficPanel());
            settle();
            saved = saved && save(*console, pageCount() + 9, QStringLiteral("live-traffic"));
            console->callTabs()->setCurrentIndex(0);
            console->close();
            return saved;
        } catch (const std::exception& e) {
            return fail(QStringLiteral("the live console: %1").arg(QString::fromUtf8(e.what())));
        }
    }

    // The Cold-start Quiz, a held-out model of the sample quizzed from its records, on the
    // page that shows where it lands.
    bool saveQuizWizard() {
        QuizWizard* quiz = window_.openQuizWizard();
        // A model whose full-data identity changes routing at this trade-off, so the curve has
        // something to approach.
        quiz->modelBox()->setCurrentText(QStringLiteral("gpt-4o-mini"));
        quiz->costWeightBox()->setValue(0.5);
        quiz->budgetSlider()->setValue(30);
        bool quizzed = false;
        bool placed = false;
        QObject::connect(quiz, &QuizWizard::finished, &window_, [&](bool ok) {
            quizzed = true;
            placed = ok;
        });
        quiz->showPage(QuizWizard::QuizPage);
        quiz->start();
        if (!waitUntil([&] { return quizzed; }, 120000) || !placed)
            return fail(QStringLiteral("the cold-start quiz did not finish: %1")
                            .arg(quiz->statusLabel()->text()));
        quiz->showPage(QuizWizard::PlacementPage);
        settle();
        const bool saved = save(*quiz, pageCount() + 3, QStringLiteral("quiz-wizard"));
        quiz->close();
        return saved;
    }

    // Experiment ▸ Deploy… with the run's BaRP router trained into a file: its command names
    // made-up folders (the cluster dialog's way), never the machine it was rendered on.
    bool saveDeployDialog() {
        DeployDialog::Input input;
        if (!window_.workbench()->deployInput(input, error_))
            return fail(QStringLiteral("the deploy dialog: %1").arg(error_));
        input.folder = QStringLiteral("/home/analyst/routerlab");
        input.cli = QStringLiteral("routerlab-cli");
        input.datasets = QStringList{dataset_};
        input.pool = pool_;
        DeployDialog dialog(input, &window_);
        QComboBox* routers = dialog.routerBox();
        for (int i = 0; i < routers->count(); ++i)
            if (deploysAsTrainedFile(RouterSpec::parse(routers->itemData(i).toString())))
                routers->setCurrentIndex(i);
        dialog.workspaceEdit()->setText(QStringLiteral("traffic.routerlab"));
        // The file goes to a scratch folder, under the name the made-up folder shows.
        QTemporaryDir scratch;
        const QString home = QDir::currentPath();
        bool ended = false;
        bool written = false;
        QObject::connect(&dialog, &DeployDialog::trainingFinished, &window_, [&](bool ok) {
            ended = true;
            written = ok;
        });
        if (!scratch.isValid() || !QDir(scratch.path()).mkpath(QStringLiteral("sample_data")))
            return fail(QStringLiteral("the deploy dialog: no scratch folder"));
        QDir::setCurrent(scratch.path());
        dialog.trainAndSave(
            QFileInfo(dataset_).dir().filePath(QFileInfo(dialog.defaultRouterFile()).fileName()));
        waitUntil([&] { return ended; }, 120000);
        QDir::setCurrent(home);
        if (!written)
            return fail(QStringLiteral("the deploy dialog: %1").arg(dialog.statusLabel()->text()));
        dialog.show();
        settle();
        return save(dialog, pageCount() + 8, QStringLiteral("deploy"));
    }

    // Two runs of the sample side by side: the ready-made experiment against a variant with
    // more seeds and a last router (BaRP) that explores more.
    bool saveOverlay() {
        ExperimentWorkbench* bench = window_.workbench();
        GuiExperiment variant = sampleExperiment(dataset_, pool_);
        variant.simulate.seeds = 5;
        variant.simulate.routers.back().parameters[QStringLiteral("entropy")] =
            QStringLiteral("0.3");
        bench->designer()->setExperiment(variant);
        bool finished = false;
        QObject::connect(bench, &ExperimentWorkbench::runFinished, &window_,
                         [&] { finished = true; });
        bench->run();
        if (!waitUntil([&] { return finished; }, 300000))
            return fail(QStringLiteral("the sample's variant did not finish"));
        std::vector<RunChoice> runs = bench->runChoices();
        std::erase_if(runs,
                      [](const RunChoice& c) { return c.source != RunChoice::Source::Session; });
        if (runs.size() < 2 || !bench->compareRuns({runs[0], runs[1]}, error_))
            return fail(QStringLiteral("the two sample runs did not overlay: %1").arg(error_));
        const std::vector<std::pair<QWidget*, QString>> pages{
            {bench->runsPanel(), QStringLiteral("overlay-runs")},
            {bench->comparison(), QStringLiteral("overlay-comparison")},
            {bench->convergence(), QStringLiteral("overlay-convergence")},
            {bench->pareto(), QStringLiteral("overlay-pareto")}};
        // Without the Run dock and the Trade-off dock (its slider is off for stored runs):
        // the pages get the room for both runs' legends and columns.
        const QList<QDockWidget*> docks{
            window_.findChild<QDockWidget*>(QStringLiteral("runDock")),
            window_.findChild<QDockWidget*>(QStringLiteral("tradeOffDock"))};
        for (QDockWidget* dock : docks)
            dock->hide();
        int number = pageCount() + 4;
        bool saved = true;
        for (const auto& [page, name] : pages) {
            window_.showPage(page);
            window_.arrangeDocks();
            settle();
            saved = saved && save(window_, number++, name);
        }
        for (QDockWidget* dock : docks)
            dock->show();
        return saved;
    }

private:
    int pageCount() const { return pagesSaved_; }

    // DIR/NN-name.png
    bool save(QWidget& widget, int number, const QString& name) {
        const QString file = QDir(dir_).filePath(
            QStringLiteral("%1-%2.png").arg(number, 2, 10, QLatin1Char('0')).arg(name));
        if (!widget.grab().save(file, "PNG"))
            return fail(QStringLiteral("%1: cannot write").arg(file));
        written_ << file;
        return true;
    }

    bool fail(const QString& message) {
        error_ = message;
        return false;
    }

    MainWindow& window_;
    QString dir_;
    QSize size_;
    QString& error_;
    QString dataset_; // relative to the current folder, as the images show them
    QString pool_;
    QStringList written_;
    int pagesSaved_ = 0;
};

} // namespace

QStringList renderScreenshots(MainWindow& window, const QString& dir, const QString& datasetPath,
                              const QString& poolPath, const QSize& size, QString& error) {
    ScreenshotSession session(window, dir, size, error);
    // Each step runs only if the ones before it succeeded.
    if (session.prepare(datasetPath, poolPath) && session.runSampleExperiment() &&
        session.savePages() && session.saveClusterDialog() && session.saveLiveConsole() &&
        session.saveQuizWizard() && session.saveDeployDialog())
        session.saveOverlay();
    return session.written();
}

} // namespace routerlab
