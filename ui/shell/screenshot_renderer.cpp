#include "ui/shell/screenshot_renderer.h"

#include "ui/cluster/cluster_script_dialog.h"

#include "ui/experiment/experiment_designer.h"
#include "experiment/experiment_file.h"
#include "ui/experiment/experiment_workbench.h"
#include "formats/dataset_loader.h"
#include "replay/replay_server.h"
#include "ui/live/live_console.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/preference_panel.h"
#include "ui/quiz/quiz_wizard.h"
#include "ui/experiment/run_controller.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
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

} // namespace

QStringList renderScreenshots(MainWindow& window, const QString& dir, const QString& datasetPath,
                              const QString& poolPath, QString& error) {
    QStringList written;
    if (!QDir().mkpath(QFileInfo(dir).absoluteFilePath())) {
        error = QStringLiteral("%1: cannot create the folder").arg(dir);
        return written;
    }
    // Paths relative to the sample's parent folder: the images show "sample_data/...", never
    // the machine they were rendered on.
    const QDir base = QFileInfo(datasetPath).absoluteDir().filePath(QStringLiteral(".."));
    const QString dataset = QDir::cleanPath(base.relativeFilePath(datasetPath));
    const QString pool = QDir::cleanPath(base.relativeFilePath(poolPath));
    const QString outDir = QFileInfo(dir).absoluteFilePath();
    QDir::setCurrent(base.absolutePath());
    window.resize(1500, 900);
    window.arrangeDocks();
    bool loaded = false;
    QObject::connect(&window, &MainWindow::datasetLoaded, &window, [&] { loaded = true; });
    window.openDataset({dataset}, pool);
    if (!waitUntil([&] { return loaded; }, 60000)) {
        error = QStringLiteral("the sample data did not load");
        return written;
    }
    ExperimentWorkbench* bench = window.workbench();
    bench->designer()->setExperiment(sampleExperiment(dataset, pool));
    bool finished = false;
    QObject::connect(bench, &ExperimentWorkbench::runFinished, &window, [&] { finished = true; });
    bench->run();
    if (!waitUntil([&] { return finished; }, 300000)) {
        error = QStringLiteral("the sample experiment did not finish");
        return written;
    }
    // A middle trade-off, so the slider's operating points sit inside the frontier.
    const int before = bench->evaluator()->completed();
    bench->preferences()->costSlider()->setValue(40);
    waitUntil(
        [&] { return bench->evaluator()->completed() > before && !bench->evaluator()->isBusy(); },
        30000);

    QTabWidget* pages = window.pages();
    for (int i = 0; i < pages->count(); ++i) {
        pages->setCurrentIndex(i);
        window.arrangeDocks(); // a page's minimum width must not squeeze the docks
        settle();
        const QString name = pages->tabText(i)
                                 .toLower()
                                 .remove(QLatin1Char('&'))
                                 .replace(QLatin1Char(' '), QLatin1Char('-'));
        const QString file = QDir(dir).filePath(
            QStringLiteral("%1-%2.png").arg(i + 1, 2, 10, QLatin1Char('0')).arg(name));
        if (!window.grab().save(file, "PNG")) {
            error = QStringLiteral("%1: cannot write").arg(file);
            return written;
        }
        written << file;
    }

    // The cluster dialog, filled in as an analyst would before writing the scripts.
    GuiExperiment experiment;
    if (bench->designer()->experiment(experiment, error)) {
        ClusterScriptDialog dialog(experiment, QString(), &window);
        dialog.folderEdit()->setText(QStringLiteral("/shared/sweeps/sample"));
        dialog.shardsBox()->setValue(16);
        dialog.cliEdit()->setText(QStringLiteral("/opt/routerlab/bin/routerlab-cli"));
        dialog.show();
        settle();
        const QString file =
            QDir(dir).filePath(QStringLiteral("%1-run-on-a-cluster.png")
                                   .arg(pages->count() + 1, 2, 10, QLatin1Char('0')));
        if (!dialog.grab().save(file, "PNG")) {
            error = QStringLiteral("%1: cannot write").arg(file);
            return written;
        }
        written << file;
    }

    // The Live Console, answered by a replay server in this process (the event loop serves it
    // while we wait): no network, no keys.
    try {
        const PricedDataset data = loadPricedDataset({dataset}, pool);
        ReplayOptions replay;
        replay.latencyScale = 0;
        ReplayServer server(data.dataset, data.pool, replay);
        if (!server.listen(0)) {
            error = QStringLiteral("the replay server did not start: %1").arg(server.errorString());
            return written;
        }
        LiveConsole* console = window.openLiveConsole();
        console->setSource(LiveConsole::Source::Dataset);
        console->baseUrlEdit()->setText(
            QStringLiteral("http://127.0.0.1:%1/v1").arg(server.port()));
        console->scorerBox()->setCurrentText(QStringLiteral("replay"));
        console->limitBox()->setValue(40);
        bool live = false;
        QObject::connect(console, &LiveConsole::finished, &window, [&] { live = true; });
        console->start();
        if (!waitUntil([&] { return live; }, 60000)) {
            error = QStringLiteral("the live console's run did not finish");
            return written;
        }
        console->callTable()->selectRow(5);
        console->rateSelected({HumanRating::Scale::Stars, 4, {}, {}});
        settle();
        const QString file = QDir(dir).filePath(
            QStringLiteral("%1-live-console.png").arg(pages->count() + 2, 2, 10, QLatin1Char('0')));
        const bool saved = console->grab().save(file, "PNG");
        console->close();
        if (!saved) {
            error = QStringLiteral("%1: cannot write").arg(file);
            return written;
        }
        written << file;
    } catch (const std::exception& e) {
        error = QStringLiteral("the live console: %1").arg(QString::fromUtf8(e.what()));
        return written;
    }

    // The Cold-start Quiz, a held-out model of the sample quizzed from its records, on the
    // page that shows where it lands.
    QuizWizard* quiz = window.openQuizWizard();
    // A model whose full-data identity changes routing at this trade-off, so the curve has
    // something to approach.
    quiz->modelBox()->setCurrentText(QStringLiteral("gemini-1.5-pro"));
    quiz->costWeightBox()->setValue(0.3);
    quiz->budgetSlider()->setValue(30);
    bool quizzed = false;
    bool placed = false;
    QObject::connect(quiz, &QuizWizard::finished, &window, [&](bool ok) {
        quizzed = true;
        placed = ok;
    });
    quiz->showPage(QuizWizard::QuizPage);
    quiz->start();
    if (!waitUntil([&] { return quizzed; }, 120000) || !placed) {
        error = QStringLiteral("the cold-start quiz did not finish: %1")
                    .arg(quiz->statusLabel()->text());
        return written;
    }
    quiz->showPage(QuizWizard::PlacementPage);
    settle();
    const QString file = QDir(dir).filePath(
        QStringLiteral("%1-quiz-wizard.png").arg(pages->count() + 3, 2, 10, QLatin1Char('0')));
    const bool saved = quiz->grab().save(file, "PNG");
    quiz->close();
    if (!saved) {
        error = QStringLiteral("%1: cannot write").arg(file);
        return written;
    }
    written << file;
    return written;
}

} // namespace routerlab
