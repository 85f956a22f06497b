#pragma once

#include <QCoreApplication>
#include <QList>

class QAction;
class QDockWidget;
class QMenuBar;
class QUndoGroup;
class QWidget;

namespace routerlab {

class RecentFilesMenu;

// The window's commands in one place: each action's text, shortcut and tip, and the menu bar
// that lists them. The actions are children of the window, which connects them to what they do.
class WindowActions {
    Q_DECLARE_TR_FUNCTIONS(WindowActions)

public:
    explicit WindowActions(QWidget* window);

    // File (with its recent files), Edit, Experiment, Tools, View (a toggle per dock) and Help.
    // Returns the recent files menu, for the window to connect and fill.
    RecentFilesMenu* fillMenuBar(QMenuBar* bar, const QList<QDockWidget*>& docks) const;

    QAction* openFile;
    QAction* openFolder;
    QAction* openPool;
    QAction* openWorkspace;
    QAction* openResult;
    QAction* reload;
    QAction* quit;
    // Edit ▸ Undo and Redo act on the group's active stack (the Pool page's edits).
    QUndoGroup* undoGroup;
    QAction* undo;
    QAction* redo;
    QAction* run;
    QAction* cancelRun;
    QAction* runOnCluster;
    QAction* evaluateUnseen;
    QAction* compareRuns;
    QAction* deploy;
    QAction* liveConsole;
    QAction* quiz;
    QAction* openDemo;
    QAction* about;
};

} // namespace routerlab
