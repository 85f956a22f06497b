#include "ui/shell/last_session.h"

#include "experiment/experiment_file.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/app_settings.h"
#include "ui/shell/main_window.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStatusBar>
#include <memory>

namespace routerlab {

namespace {

const QString kWorkspaceKey = QStringLiteral("session/workspace");
const QString kDatasetsKey = QStringLiteral("session/datasets");
const QString kPoolKey = QStringLiteral("session/pool");

QString sessionTr(const char* text) {
    return QCoreApplication::translate("LastSession", text);
}

} // namespace

QStringList LastSession::missingFiles() const {
    QStringList files = datasets;
    if (!workspace.isEmpty())
        files << workspace;
    if (!pool.isEmpty())
        files << pool;
    QStringList missing;
    for (const QString& f : files)
        if (!QFileInfo::exists(f))
            missing << f;
    return missing;
}

LastSession readLastSession() {
    const QSettings s = appSettings();
    LastSession session;
    session.workspace = s.value(kWorkspaceKey).toString();
    session.datasets = s.value(kDatasetsKey).toStringList();
    session.pool = s.value(kPoolKey).toString();
    return session;
}

void rememberLastWorkspace(const QString& path) {
    appSettings().setValue(kWorkspaceKey, QFileInfo(path).absoluteFilePath());
}

void rememberLastDataset(const QStringList& paths, const QString& pool) {
    QStringList absolute;
    for (const QString& p : paths)
        absolute << QFileInfo(p).absoluteFilePath();
    QSettings s = appSettings();
    s.setValue(kDatasetsKey, absolute);
    s.setValue(kPoolKey, pool.isEmpty() ? QString() : QFileInfo(pool).absoluteFilePath());
}

bool reopenLastSession(MainWindow& window) {
    const LastSession session = readLastSession();
    if (session.isEmpty())
        return false;
    const QStringList missing = session.missingFiles();
    if (!missing.isEmpty()) {
        // No timeout: the user should see why the window is empty.
        window.statusBar()->showMessage(
            sessionTr("Could not reopen the last session: %1 no longer exists. Open a dataset with "
                      "File ▸ Open Dataset File…, or the sample with Help ▸ Open the Demo.")
                .arg(missing.join(QStringLiteral(", "))));
        return true;
    }
    if (!session.workspace.isEmpty())
        window.openWorkspace(session.workspace);
    if (!session.datasets.isEmpty())
        window.openDataset(session.datasets, session.pool);
    return true;
}

void openDemo(MainWindow& window, const DemoFiles& demo) {
    if (demo.dataset.isEmpty() || !QFileInfo::exists(demo.dataset)) {
        window.statusBar()->showMessage(sessionTr(
            "No sample data found. Open a dataset with File ▸ Open Dataset File… or drop one "
            "onto the window."));
        return;
    }
    // Without its pool file the sample still opens if it records its own costs.
    const QString pool = QFileInfo::exists(demo.pool) ? demo.pool : QString();
    window.workbench()->designer()->setExperiment(sampleExperiment(demo.dataset, pool));
    // Runs once the sample is in; a failed or cancelled load drops the run, so that it does not
    // start when some later dataset loads.
    auto loaded = std::make_shared<QMetaObject::Connection>();
    auto failed = std::make_shared<QMetaObject::Connection>();
    *loaded =
        QObject::connect(&window, &MainWindow::datasetLoaded, &window, [&window, loaded, failed] {
            QObject::disconnect(*loaded);
            QObject::disconnect(*failed);
            window.workbench()->run();
        });
    *failed = QObject::connect(&window, &MainWindow::loadFailed, &window, [loaded, failed] {
        QObject::disconnect(*loaded);
        QObject::disconnect(*failed);
    });
    window.openDataset({demo.dataset}, pool);
}

} // namespace routerlab
