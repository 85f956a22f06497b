#include "ui/shell/window_actions.h"

#include "ui/shell/recent_files_menu.h"

#include <QAction>
#include <QDockWidget>
#include <QMenuBar>
#include <QUndoGroup>

namespace routerlab {

WindowActions::WindowActions(QWidget* window)
    : openFile(new QAction(tr("Open Dataset &File…"), window)),
      openFolder(new QAction(tr("Open Dataset F&older…"), window)),
      openPool(new QAction(tr("Open &Pool…"), window)),
      openWorkspace(new QAction(tr("Open &Workspace…"), window)),
      openResult(new QAction(tr("Open Res&ult…"), window)),
      reload(new QAction(tr("&Reload"), window)), quit(new QAction(tr("&Quit"), window)),
      undoGroup(new QUndoGroup(window)), undo(undoGroup->createUndoAction(window, tr("&Undo"))),
      redo(undoGroup->createRedoAction(window, tr("&Redo"))),
      run(new QAction(tr("&Run Experiment"), window)),
      cancelRun(new QAction(tr("&Cancel Run"), window)),
      runOnCluster(new QAction(tr("Run on a C&luster…"), window)),
      evaluateUnseen(new QAction(tr("&Evaluate on Unseen Tasks…"), window)),
      compareRuns(new QAction(tr("Compare R&uns…"), window)),
      deploy(new QAction(tr("&Deploy…"), window)),
      liveConsole(new QAction(tr("&Live Console…"), window)),
      quiz(new QAction(tr("Cold-start &Quiz…"), window)),
      openDemo(new QAction(tr("Open the &Demo"), window)),
      about(new QAction(tr("&About RouterLab"), window)) {
    openFile->setShortcut(QKeySequence::Open);
    openFolder->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openResult->setToolTip(tr("A result JSON from routerlab-cli simulate, sweep or merge"));
    reload->setShortcut(QKeySequence::Refresh);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);
    undo->setShortcut(QKeySequence::Undo);
    undo->setObjectName(QStringLiteral("undoAction"));
    redo->setShortcut(QKeySequence::Redo);
    redo->setObjectName(QStringLiteral("redoAction"));
    run->setShortcut(QKeySequence(Qt::Key_F5));
    cancelRun->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    cancelRun->setEnabled(false);
    compareRuns->setObjectName(QStringLiteral("compareRunsAction"));
    compareRuns->setToolTip(tr("Overlay two or more stored results in every chart, with their "
                               "configuration and metric differences"));
    deploy->setObjectName(QStringLiteral("deployAction"));
    deploy->setToolTip(tr("Write a router of the run shown as a file and the routerlab-cli "
                          "proxy command that serves it"));
    // Tests find the tool windows' actions by name.
    liveConsole->setObjectName(QStringLiteral("liveConsoleAction"));
    liveConsole->setToolTip(tr("Route prompts to real endpoints and rate the answers"));
    quiz->setObjectName(QStringLiteral("quizWizardAction"));
    quiz->setToolTip(tr("Place a model new to the pool from a few prompts"));
    openDemo->setObjectName(QStringLiteral("openDemoAction"));
    openDemo->setToolTip(tr("Open the sample dataset and pool and run their ready-made "
                            "experiment"));
    about->setMenuRole(QAction::AboutRole);
}

RecentFilesMenu* WindowActions::fillMenuBar(QMenuBar* bar, const QList<QDockWidget*>& docks) const {
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(openFile);
    file->addAction(openFolder);
    file->addAction(openPool);
    auto* recent = new RecentFilesMenu(file);
    file->addMenu(recent);
    file->addSeparator();
    file->addAction(openWorkspace);
    file->addAction(openResult);
    file->addSeparator();
    file->addAction(reload);
    file->addSeparator();
    file->addAction(quit);
    QMenu* edit = bar->addMenu(tr("&Edit"));
    edit->addAction(undo);
    edit->addAction(redo);
    QMenu* experiment = bar->addMenu(tr("&Experiment"));
    experiment->addAction(run);
    experiment->addAction(cancelRun);
    experiment->addAction(runOnCluster);
    experiment->addAction(evaluateUnseen);
    experiment->addSeparator();
    experiment->addAction(compareRuns);
    experiment->addAction(deploy);
    QMenu* tools = bar->addMenu(tr("&Tools"));
    tools->addAction(liveConsole);
    tools->addAction(quiz);
    QMenu* view = bar->addMenu(tr("&View"));
    for (QDockWidget* dock : docks)
        view->addAction(dock->toggleViewAction());
    QMenu* help = bar->addMenu(tr("&Help"));
    help->addAction(openDemo);
    help->addAction(about);
    return recent;
}

} // namespace routerlab
