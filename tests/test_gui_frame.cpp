// The window's frame on a 1280x800 screen: the first start and a restored geometry larger than
// the screen both fit it, the Run dock folds to one line when a run ends, and Edit ▸ Undo
// undoes an edit of the Pool page.
#include "experiment/experiment_file.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/experiment/run_panel.h"
#include "ui/pool/pool_table_model.h"
#include "ui/pool/pool_view.h"
#include "ui/shell/main_window.h"
#include "ui/shell/window_geometry.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 120000;
const QSize kScreen(1280, 800);

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QString::fromLatin1(name));
}

QRect availableArea() {
    return QGuiApplication::primaryScreen()->availableGeometry();
}

QString describe(const QRect& r) {
    return QStringLiteral("%1,%2 %3x%4").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

} // namespace

class TestGuiFrame : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope,
                           dir_.filePath(QStringLiteral("settings")));
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

private:
    QTemporaryDir dir_;
};

int main(int argc, char* argv[]) {
    // A 1280x800 screen on the offscreen platform, through its JSON configuration.
    QTemporaryDir screenDir;
    if (qgetenv("QT_QPA_PLATFORM") == "offscreen" && screenDir.isValid()) {
        const QString config = screenDir.filePath(QStringLiteral("screen.json"));
        QFile file(config);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write the screen configuration");
        file.write(QStringLiteral("{\"screens\": [{\"name\": \"laptop\", \"x\": 0, \"y\": 0, "
                                  "\"width\": %1, \"height\": %2}]}")
                       .arg(kScreen.width())
                       .arg(kScreen.height())
                       .toUtf8());
        file.close();
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
    }
    QApplication app(argc, argv);
    TestGuiFrame test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_gui_frame.moc"
