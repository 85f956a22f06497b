// The window's frame on a 1280x800 screen: the first start and a restored geometry larger than
// the screen both fit it, the Run dock folds to one line when a run ends, the Workspace dock's
// items read in full (in their row or their tooltip), Edit ▸ Undo undoes an edit of the Pool
// page, and later starts reopen the last session while Help ▸ Open the Demo opens the sample.
#include "experiment/experiment_file.h"
#include "gui_harness.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/run_controller.h"
#include "ui/experiment/run_panel.h"
#include "ui/pool/pool_table_model.h"
#include "ui/pool/pool_view.h"
#include "ui/shell/last_session.h"
#include "ui/shell/main_window.h"
#include "ui/shell/window_geometry.h"
#include "ui/shell/workspace_navigator.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <functional>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 120000;
const QSize kScreen(1280, 800);

using gui_harness::sampleFile;

QRect availableArea() {
    return QGuiApplication::primaryScreen()->availableGeometry();
}

QString describe(const QRect& r) {
    return QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// The Workspace dock's items that neither fit their row nor carry their full text as tooltip.
QStringList unreadableNavigatorItems(const QTreeView* tree) {
    QStringList out;
    const QAbstractItemModel* model = tree->model();
    const int margin = 2 * (tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) + 1);
    std::function<void(const QModelIndex&)> walk = [&](const QModelIndex& parent) {
        for (int row = 0; row < model->rowCount(parent); ++row) {
            const QModelIndex index = model->index(row, 0, parent);
            const QString text = index.data().toString();
            const QFont font = index.data(Qt::FontRole).value<QFont>();
            const QFontMetrics metrics(index.data(Qt::FontRole).isValid() ? font : tree->font());
            const int needed = metrics.horizontalAdvance(text) + margin;
            const QRect shown = tree->visualRect(index).intersected(tree->viewport()->rect());
            const bool fits = needed <= shown.width();
            if (!fits && !index.data(Qt::ToolTipRole).toString().contains(text))
                out << QStringLiteral("'%1' needs %2 px, has %3")
                           .arg(text)
                           .arg(needed)
                           .arg(shown.width());
            walk(index);
        }
    };
    walk(QModelIndex());
    return out;
}

} // namespace

class TestGuiFrame : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        gui_harness::isolateSettings(dir_);
        // The screen main() configured, or the display the test was started on.
        if (QGuiApplication::platformName() == QLatin1String("offscreen"))
            QCOMPARE(availableArea().size(), kScreen);
    }

    void fitWithinShrinksAndMoves() {
        const QRect screen(0, 0, 1280, 800);
        QCOMPARE(fitWithin(QRect(100, 50, 3000, 2000), screen), screen);
        QCOMPARE(fitWithin(QRect(900, 600, 800, 400), screen), QRect(480, 400, 800, 400));
        QCOMPARE(fitWithin(QRect(-50, -20, 600, 400), screen), QRect(0, 0, 600, 400));
        QCOMPARE(fitWithin(QRect(10, 10, 600, 400), screen), QRect(10, 10, 600, 400));
        // A second screen to the right: the window stays on it.
        QCOMPARE(fitWithin(QRect(1200, 0, 1000, 700), QRect(1280, 0, 1920, 1080)),
                 QRect(1280, 0, 1000, 700));
    }

    void firstStartFitsTheScreen() {
        QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab")).clear();
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QRect available = availableArea();
        QTRY_VERIFY2(available.contains(window.frameGeometry()),
                     qPrintable(describe(window.frameGeometry()) + " on " + describe(available)));
        // Nothing inside asks for more than the screen: the docks shrink rather than push.
        QVERIFY2(window.minimumSizeHint().width() <= available.width(),
                 qPrintable(QString::number(window.minimumSizeHint().width())));
        // And the window uses the room it has.
        QVERIFY(window.width() >= available.width() * 3 / 4);
        // The designer's columns stack rather than scroll sideways when the page is narrow.
        window.showPage(window.workbench()->designer());
        auto* page = window.findChild<QScrollArea*>(QStringLiteral("designerPage"));
        QVERIFY(page);
        QTRY_VERIFY2(window.workbench()->designer()->width() <= page->viewport()->width(),
                     qPrintable(QStringLiteral("%1 in %2")
                                    .arg(window.workbench()->designer()->width())
                                    .arg(page->viewport()->width())));
        QTRY_VERIFY(!page->horizontalScrollBar()->isVisible());
        for (QDockWidget* dock : window.findChildren<QDockWidget*>()) {
            const QRect placed(dock->mapTo(&window, QPoint(0, 0)), dock->size());
            QVERIFY2(window.rect().contains(placed),
                     qPrintable(dock->objectName() + QLatin1Char(' ') + describe(placed)));
        }
    }

    void savedGeometryLargerThanTheScreenIsClamped() {
        QByteArray saved;
        {
            QWidget large;
            large.setGeometry(200, 100, 3000, 2000);
            saved = large.saveGeometry();
        }
        {
            QSettings settings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab"));
            settings.clear();
            settings.setValue(QStringLiteral("window/geometry"), saved);
        }
        MainWindow window;
        const QRect available = availableArea();
        QVERIFY2(available.contains(window.frameGeometry()),
                 qPrintable(describe(window.frameGeometry())));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY2(available.contains(window.frameGeometry()),
                     qPrintable(describe(window.frameGeometry()) + " on " + describe(available)));
        // Clamped to the screen, not replaced by the first-start size.
        QVERIFY2(window.frameGeometry().width() >= available.width() - 4,
                 qPrintable(describe(window.frameGeometry())));
    }

    // A window state saved with the Trade-off dock open (by hand, or on a wider screen) opens
    // with the dock closed on a narrow one, so the pages keep their width.
    void restoredStateClosesTheTradeOffDockWhenNarrow() {
        QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab")).clear();
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            auto* dock = window.findChild<QDockWidget*>(QStringLiteral("tradeOffDock"));
            QVERIFY(dock);
            dock->show();
            QTRY_VERIFY(dock->isVisible());
            window.close(); // saves the state
        }
        const QByteArray state = QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab"))
                                     .value(QStringLiteral("window/state"))
                                     .toByteArray();
        QVERIFY(!state.isEmpty());
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.width() < 1600);
        QVERIFY(!window.findChild<QDockWidget*>(QStringLiteral("tradeOffDock"))->isVisible());
        // The Workspace dock gets back the width the Trade-off dock had taken.
        auto* workspace = window.findChild<QDockWidget*>(QStringLiteral("workspaceDock"));
        QVERIFY(workspace->isVisible());
        QTRY_VERIFY2(workspace->width() >= 200, qPrintable(QString::number(workspace->width())));
    }

    void runDockFoldsWhenTheRunEnds() {
        QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab")).clear();
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
        window.openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        ExperimentWorkbench* bench = window.workbench();
        GuiExperiment experiment =
            sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
        experiment.simulate.routers = {RouterSpec::parse(QStringLiteral("thompson")),
                                       RouterSpec::parse(QStringLiteral("random"))};
        experiment.simulate.seeds = 2;
        experiment.points = 3;
        bench->designer()->setExperiment(experiment);

        RunPanel* panel = bench->runPanel();
        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("runDock"));
        QVERIFY(dock);
        QVERIFY(!panel->isFolded());
        QSignalSpy finished(bench, &ExperimentWorkbench::runFinished);
        bench->run();
        QVERIFY(finished.wait(kTimeoutMs));
        QVERIFY2(finished.first().at(1).toString().isEmpty(),
                 qPrintable(finished.first().at(1).toString()));
        // One line: the summary and the button, the cells hidden, the dock no taller than that.
        QVERIFY(panel->isFolded());
        static const QRegularExpression summary(
            QStringLiteral("^Done: (\\d+) cells in \\d+\\.\\d s$"));
        const QRegularExpressionMatch m = summary.match(panel->statusText());
        QVERIFY2(m.hasMatch(), qPrintable(panel->statusText()));
        QVERIFY(m.captured(1).toInt() > 0);
        QVERIFY(!panel->cellTable()->isVisible());
        QVERIFY(!panel->overallBar()->isVisible());
        QVERIFY(panel->detailsButton()->isVisible());
        const int line = panel->fontMetrics().height();
        QTRY_VERIFY2(
            dock->height() <= 6 * line,
            qPrintable(QStringLiteral("%1 px, a line is %2").arg(dock->height()).arg(line)));
        // The details come back on request, and fold again.
        panel->detailsButton()->click();
        QVERIFY(panel->cellTable()->isVisible());
        QCOMPARE(panel->cellTable()->model()->rowCount(), m.captured(1).toInt());
        panel->detailsButton()->click();
        QVERIFY(!panel->cellTable()->isVisible());

        // At 1280x800 the Workspace dock's items (dataset, pool, run) read in full: in their
        // row, or in their tooltip when elided.
        auto* navigator = window.findChild<WorkspaceNavigator*>();
        QVERIFY(navigator);
        QVERIFY(navigator->entryCount(WorkspaceNavigator::Kind::Result) >= 1);
        // Not a sliver: room for a short name in full.
        const int chars =
            navigator->viewport()->width() / navigator->fontMetrics().averageCharWidth();
        QVERIFY2(chars >= 16, qPrintable(QStringLiteral("%1 characters wide").arg(chars)));
        qInfo("Workspace dock at 1280x800: %d px, %d characters", navigator->viewport()->width(),
              chars);
        const QStringList unreadable = unreadableNavigatorItems(navigator);
        QVERIFY2(unreadable.isEmpty(), qPrintable(unreadable.join(QStringLiteral("; "))));
    }

    void editMenuUndoesAPoolEdit() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy loaded(&window, &MainWindow::poolLoaded);
        window.openPool(sampleFile("sample.pool.json"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        QAction* undo = window.findChild<QAction*>(QStringLiteral("undoAction"));
        QAction* redo = window.findChild<QAction*>(QStringLiteral("redoAction"));
        QVERIFY(undo && redo);
        QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
        QCOMPARE(redo->shortcut(), QKeySequence(QKeySequence::Redo));
        // Listed in the menu bar's Edit menu.
        QMenu* edit = nullptr;
        for (QAction* a : window.menuBar()->actions())
            if (a->menu() && a->text().remove(QLatin1Char('&')) == QLatin1String("Edit"))
                edit = a->menu();
        QVERIFY(edit);
        QVERIFY(edit->actions().contains(undo) && edit->actions().contains(redo));
        QVERIFY(!undo->isEnabled());

        PoolTableModel* model = window.poolView()->model();
        const QModelIndex price = model->index(0, PoolTableModel::OutputPriceColumn);
        const QString before = model->editText(0, PoolTableModel::OutputPriceColumn);
        QVERIFY(model->setData(price, QString::number(before.toDouble() * 10 + 1)));
        const QString after = model->editText(0, PoolTableModel::OutputPriceColumn);
        QVERIFY(after != before);
        QVERIFY(undo->isEnabled());
        // The standard shortcut, pressed on the Pool page, goes through the menu's action.
        window.showPage(window.poolView());
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        window.poolView()->setFocus();
        QTest::keySequence(&window, QKeySequence::Undo);
        QCOMPARE(model->editText(0, PoolTableModel::OutputPriceColumn), before);
        redo->trigger();
        QCOMPARE(model->editText(0, PoolTableModel::OutputPriceColumn), after);
        undo->trigger();
        QCOMPARE(model->editText(0, PoolTableModel::OutputPriceColumn), before);
        QVERIFY(!undo->isEnabled());
    }

    // The first start records nothing (main() opens the demo then); a later start reopens the
    // workspace and dataset last opened, without running anything; with one of them gone it
    // names it in the status bar and opens nothing.
    void laterStartsReopenTheLastSession() {
        QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab")).clear();
        const QString dataset = dir_.filePath(QStringLiteral("mine.csv"));
        const QString workspace = dir_.filePath(QStringLiteral("mine.routerlab"));
        QFile::remove(dataset);
        QFile::remove(workspace);
        QVERIFY(QFile::copy(sampleFile("sample.csv"), dataset));
        {
            MainWindow window;
            QVERIFY(readLastSession().isEmpty());
            QVERIFY(!reopenLastSession(window));
            QVERIFY(!window.isLoading());
            window.openWorkspace(workspace);
            QCOMPARE(window.workbench()->workspacePath(), workspace);
            QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
            window.openDataset({dataset}, sampleFile("sample.pool.json"));
            QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        }
        {
            MainWindow window;
            QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
            QVERIFY(reopenLastSession(window));
            QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
            QCOMPARE(window.workbench()->workspacePath(), QFileInfo(workspace).absoluteFilePath());
            QCOMPARE(window.currentSummary()->name, QStringLiteral("mine"));
            QVERIFY(!window.workbench()->runs()->isRunning());
            auto* navigator = window.findChild<WorkspaceNavigator*>();
            QCOMPARE(navigator->entryCount(WorkspaceNavigator::Kind::Result), 0);
        }
        QVERIFY(QFile::remove(dataset));
        {
            MainWindow window;
            QVERIFY(reopenLastSession(window));
            const QString message = window.statusBar()->currentMessage();
            QVERIFY2(message.contains(QFileInfo(dataset).absoluteFilePath()), qPrintable(message));
            QVERIFY(!message.contains(workspace));
            QVERIFY(!window.isLoading());
            QVERIFY(!window.currentSummary());
            QVERIFY(window.workbench()->workspacePath().isEmpty());
        }
    }

    // Help ▸ Open the Demo opens the sample and runs its experiment (only once it has loaded);
    // a window that does not remember its session (screenshots) leaves the recorded one alone.
    void helpOpensTheDemo() {
        QSettings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab")).clear();
        MainWindow window;
        window.setSessionRemembered(false);
        auto* demo = window.findChild<QAction*>(QStringLiteral("openDemoAction"));
        QVERIFY(demo);
        QMenu* help = nullptr;
        for (QAction* a : window.menuBar()->actions())
            if (a->menu() && a->text().remove(QLatin1Char('&')) == QLatin1String("Help"))
                help = a->menu();
        QVERIFY(help && help->actions().contains(demo));
        QSignalSpy running(window.workbench()->runs(), &RunController::runningChanged);
        QSignalSpy loaded(&window, &MainWindow::datasetLoaded);
        QSignalSpy failed(&window, &MainWindow::loadFailed);

        // A demo that fails to load (its pool is not JSON) does not run when the next dataset
        // loads.
        const QString brokenPool = dir_.filePath(QStringLiteral("broken.pool.json"));
        QFile broken(brokenPool);
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("{ not json");
        broken.close();
        window.setDemo({sampleFile("sample.csv"), brokenPool});
        demo->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kTimeoutMs);
        window.openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
        QCoreApplication::processEvents();
        QVERIFY(running.isEmpty());

        window.setDemo({sampleFile("sample.csv"), sampleFile("sample.pool.json")});
        demo->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!running.isEmpty() && running.first().at(0).toBool(), kTimeoutMs);
        QCOMPARE(window.currentSummary()->name, QStringLiteral("sample"));
        const GuiExperiment expected =
            sampleExperiment(sampleFile("sample.csv"), sampleFile("sample.pool.json"));
        QCOMPARE(window.workbench()->designer()->routerList()->count(),
                 int(expected.simulate.routers.size()));
        window.workbench()->runs()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!window.workbench()->runs()->isRunning(), kTimeoutMs);
        QVERIFY(readLastSession().isEmpty());
    }

private:
    QTemporaryDir dir_;
};

int main(int argc, char* argv[]) {
    return gui_harness::runOnScreen<TestGuiFrame>(argc, argv, kScreen);
}

#include "test_gui_frame.moc"
