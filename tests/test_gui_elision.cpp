// Every page of the window on a 1280x800 screen, after a run of the sample: its one-line
// labels, its tables' column headers and its chart legends show their whole text, and the
// page tabs all fit without scrolling (font metrics against the widths the layout gave).
#include "experiment/experiment_file.h"
#include "gui_harness.h"
#include "ui/charts/chart_legend.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/tradeoff_page.h"

#include <QApplication>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QtTest>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kTimeoutMs = 120000;
const QSize kScreen(1280, 800);

// The width of the widest line of `text` in `metrics`.
int textWidth(const QFontMetrics& metrics, const QString& text) {
    int widest = 0;
    for (const QString& line : text.split(QLatin1Char('\n')))
        widest = std::max(widest, metrics.horizontalAdvance(line));
    return widest;
}

// Whether `widget` is on screen: shown itself and inside its parents' visible area.
bool onScreen(const QWidget* widget) {
    return widget->isVisible() && !widget->visibleRegion().isEmpty();
}

QStringList elidedLabels(const QWidget* page) {
    QStringList out;
    for (const QLabel* label : page->findChildren<QLabel*>()) {
        if (!onScreen(label) || label->wordWrap() || label->text().isEmpty() ||
            !label->pixmap().isNull())
            continue;
        QString text = label->text();
        if (Qt::mightBeRichText(text)) {
            QTextDocument document;
            document.setHtml(text);
            text = document.toPlainText();
        }
        const int needed = textWidth(label->fontMetrics(), text);
        if (needed > label->contentsRect().width())
            out << QStringLiteral("label \"%1\": %2 px in %3")
                       .arg(text.left(60))
                       .arg(needed)
                       .arg(label->contentsRect().width());
    }
    return out;
}

QStringList elidedHeaders(const QWidget* page) {
    QStringList out;
    for (const QTableView* table : page->findChildren<QTableView*>()) {
        const QHeaderView* header = table->horizontalHeader();
        if (!onScreen(table) || !header->isVisible() || !table->model())
            continue;
        for (int c = 0; c < header->count(); ++c) {
            if (header->isSectionHidden(c))
                continue;
            const QString text =
                table->model()->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
            // The style's margins on both sides of a header's text.
            const int needed = textWidth(header->fontMetrics(), text) + 8;
            if (needed > header->sectionSize(c))
                out << QStringLiteral("%1 header \"%2\": %3 px in %4")
                           .arg(table->objectName(), text)
                           .arg(needed)
                           .arg(header->sectionSize(c));
        }
    }
    return out;
}

QStringList cutLegends(const QWidget* page) {
    QStringList out;
    for (const ChartLegend* legend : page->findChildren<ChartLegend*>())
        if (onScreen(legend) && legend->height() < legend->heightForWidth(legend->width()))
            out << QStringLiteral("legend %1 px high, needs %2")
                       .arg(legend->height())
                       .arg(legend->heightForWidth(legend->width()));
    return out;
}

} // namespace

class TestGuiElision : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pageShowsItsTextWhole_data();
    void pageShowsItsTextWhole();

private:
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
};

void TestGuiElision::initTestCase() {
    QVERIFY(dir_.isValid());
    gui_harness::isolateSettings(dir_);
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        QCOMPARE(QGuiApplication::primaryScreen()->availableGeometry().size(), kScreen);
    window_ = std::make_unique<MainWindow>(); // first start: sized for the screen
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QVERIFY(gui_harness::openSample(*window_, kTimeoutMs));
    ExperimentWorkbench* bench = window_->workbench();
    QCOMPARE(gui_harness::runInWindow(bench, gui_harness::sampleExperiment(), kTimeoutMs),
             QString());
    QTRY_VERIFY_WITH_TIMEOUT(bench->tradeoff()->candidatesReady(), kTimeoutMs);
}

void TestGuiElision::pageShowsItsTextWhole_data() {
    QTest::addColumn<int>("index");
    const QTabWidget* pages = window_->pages(); // initTestCase runs before the data
    for (int i = 0; i < pages->count(); ++i)
        QTest::newRow(qPrintable(pages->tabText(i).remove(QLatin1Char('&')))) << i;
}

void TestGuiElision::pageShowsItsTextWhole() {
    QFETCH(int, index);
    QTabWidget* pages = window_->pages();
    pages->setCurrentIndex(index);
    QWidget* page = pages->currentWidget();
    QTRY_VERIFY(page->isVisible());
    QTest::qWait(50); // streamed and deferred redraws, then the layout's second pass
    // Every tab readable without scrolling the tab bar.
    QVERIFY2(pages->tabBar()->sizeHint().width() <= pages->width(),
             qPrintable(QStringLiteral("tabs need %1 px of %2")
                            .arg(pages->tabBar()->sizeHint().width())
                            .arg(pages->width())));
    QStringList problems = elidedLabels(page) + elidedHeaders(page) + cutLegends(page);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

int main(int argc, char* argv[]) {
    return gui_harness::runOnScreen<TestGuiElision>(argc, argv, kScreen);
}

#include "test_gui_elision.moc"
