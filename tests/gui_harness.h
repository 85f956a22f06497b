#pragma once

// What the GUI tests share: settings kept out of the user's, the sample opened and run in a
// window, and a main() on a screen of a given size under the offscreen platform.
#include "experiment/experiment_file.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QSize>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace gui_harness {

inline QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QString::fromLatin1(name));
}

// The settings in `dir` and the standard paths in test mode: never the user's.
inline void isolateSettings(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                       dir.filePath(QStringLiteral("settings")));
}

// Opens the sample data in `window`; false when it did not load within `timeoutMs`.
inline bool openSample(routerlab::MainWindow& window, int timeoutMs) {
    QSignalSpy loaded(&window, &routerlab::MainWindow::datasetLoaded);
    window.openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    return loaded.wait(timeoutMs);
}

// A window of `size`, shown, with the sample data open; null when the window was not exposed
// or the data did not load within `timeoutMs`.
inline std::unique_ptr<routerlab::MainWindow> showSampleWindow(const QSize& size, int timeoutMs) {
    auto window = std::make_unique<routerlab::MainWindow>();
    window->resize(size);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get()) || !openSample(*window, timeoutMs))
        return nullptr;
    return window;
}

// The sample's ready-made experiment, on two threads.
inline routerlab::GuiExperiment sampleExperiment() {
    routerlab::GuiExperiment e =
        routerlab::sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
    e.simulate.threads = 2;
    return e;
}

// Runs `experiment` in the workbench; empty when it finished without an error, else the error
// (or that it did not finish within `timeoutMs`).
inline QString runInWindow(routerlab::ExperimentWorkbench* bench,
                           const routerlab::GuiExperiment& experiment, int timeoutMs) {
    bench->designer()->setExperiment(experiment);
    QSignalSpy finished(bench, &routerlab::ExperimentWorkbench::runFinished);
    bench->run();
    if (!finished.wait(timeoutMs))
        return QStringLiteral("the run did not finish in %1 ms").arg(timeoutMs);
    return finished.first().at(1).toString();
}

// main() of a test that needs a screen of `size`: the offscreen platform takes its screens
// from a JSON file; another platform keeps the display the test was started on.
template <class Test> int runOnScreen(int argc, char* argv[], const QSize& size) {
    QTemporaryDir screenDir;
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen" && screenDir.isValid()) {
        const QString config = screenDir.filePath(QStringLiteral("screen.json"));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write the screen configuration");
        file.write(QStringLiteral("{\"screens\": [{\"name\": \"laptop\", \"x\": 0, \"y\": 0, "
                                  "\"width\": %1, \"height\": %2}]}")
                       .arg(size.width())
                       .arg(size.height())
                       .toUtf8());
        file.close();
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
    }
    QApplication app(argc, argv);
    Test test;
    return QTest::qExec(&test, argc, argv);
}

} // namespace gui_harness
