// The workbench window: opens, loads a dataset on the worker, shows its summary, survives a
// bad file without losing what it showed, and draws something worth a screenshot.

#include "ui/dataset/dataset_summary_model.h"
#include "ui/dataset/summary_sort_proxy.h"
#include "ui/shell/main_window.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFont>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace routerlab;

namespace {

constexpr int kLoadTimeoutMs = 20000;

// Two models over four prompts; b has no outcome for p4. Prices in USD per 1M tokens:
// a 1 in / 2 out; b 10 in / 20 out plus 0.0005 per call.
const char* const kDatasetCsv =
    "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s\n"
    "p1,What is 2+2?,math,a,1,100,50,0.5\n"
    "p1,What is 2+2?,math,b,1,100,60,1.5\n"
    "p2,Name a colour,chat,a,0.5,200,100,1.0\n"
    "p2,Name a colour,chat,b,1,200,100,2.0\n"
    "p3,Say hi,chat,a,0,50,10,0.25\n"
    "p3,Say hi,chat,b,0.5,50,20,0.75\n"
    "p4,\"Prove it, \"\"carefully\"\"\",math,a,0.5,100,40,0.5\n";

// Plain literals, not a raw string: moc's tokenizer misreads the "//" of a URL inside one.
const char* const kPoolJson =
    "{\"name\": \"t\", \"models\": [\n"
    "  {\"id\": \"a\", \"input_price_per_mtok\": 1, \"output_price_per_mtok\": 2},\n"
    "  {\"id\": \"b\", \"name\": \"Model B\", \"input_price_per_mtok\": 10,\n"
    "   \"output_price_per_mtok\": 20, \"fee_per_call\": 0.0005, \"context_window\": 128000,\n"
    "   \"tags\": [\"large\", \"slow\"], \"endpoint\": {\"base_url\": "
    "\"http://localhost:8080/v1\",\n"
    "   \"api_key_env\": \"B_API_KEY\"}}\n"
    "]}\n";

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(bytes), bytes.size());
}

} // namespace

class TestGuiShell : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void opensLoadsAndSurvivesBadInput();
    void sortingKeepsReferenceRowsLast();
    void unknownValuesShowAsDashAndSortLast();
    void missingFileFailsCleanly();
    void mostlyEmptyMatrixFailsCleanly();
    void cancelKeepsPreviousDataset();
    void derivedPoolWhenCostsRecorded();
    void dropOpensDatasetWithPool();
    void closeSavesSettings();

private:
    QVariant cell(int row, int column, int role = DatasetSummaryModel::ValueRole) const {
        QAbstractItemModel* model = window_->summaryModel();
        return model->data(model->index(row, column), role);
    }
    void closeErrorBoxes();

    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
    QString csvPath_;
    QString poolPath_;
};

void TestGuiShell::initTestCase() {
    QVERIFY(dir_.isValid());
    // Keep the user's real settings (geometry, recent files) out of the test and vice versa.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
    csvPath_ = dir_.filePath("tiny.csv");
    poolPath_ = dir_.filePath("tiny.pool.json");
    writeFile(csvPath_, kDatasetCsv);
    writeFile(poolPath_, kPoolJson);

    QElapsedTimer timer;
    timer.start();
    window_ = std::make_unique<MainWindow>();
    window_->show();
    const qint64 shownMs = timer.elapsed();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    qInfo("main window constructed and shown in %lld ms (exposed after %lld ms)", shownMs,
          timer.elapsed());
    QCOMPARE(window_->windowTitle(), QStringLiteral("RouterLab"));
    // The icon comes from the library's resources through the SVG icon engine.
    QVERIFY(QFile::exists(QStringLiteral(":/icons/routerlab.svg")));
    QVERIFY(!window_->windowIcon().pixmap(32, 32).isNull());
    QVERIFY(window_->currentSummary() == nullptr);
}

void TestGuiShell::opensLoadsAndSurvivesBadInput() {
    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    QSignalSpy failed(window_.get(), &MainWindow::loadFailed);
    window_->openDataset({csvPath_}, poolPath_);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count() + failed.count(), 1, kLoadTimeoutMs);
    QVERIFY2(failed.isEmpty(),
             failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));

    const DatasetSummary* summary = window_->currentSummary();
    QVERIFY(summary);
    QCOMPARE(summary->prompts, 4);
    QCOMPARE(summary->missingCells, qint64(1));

    // Two models, then the oracle and best-single rows.
    QCOMPARE(window_->summaryModel()->rowCount(), 4);
    QCOMPARE(window_->summaryModel()->columnCount(), int(DatasetSummaryModel::ColumnCount));
    QCOMPARE(cell(0, DatasetSummaryModel::NameColumn).toString(), QStringLiteral("a"));
    QCOMPARE(cell(1, DatasetSummaryModel::NameColumn).toString(), QStringLiteral("b"));
    QCOMPARE(cell(0, DatasetSummaryModel::QualityColumn).toDouble(), 0.5);
    QCOMPARE(cell(0, DatasetSummaryModel::QualityColumn, Qt::DisplayRole).toString(),
             QStringLiteral("0.500"));
    // a: (200 + 400 + 70 + 180) micro-USD over 4 calls.
    QVERIFY(qAbs(cell(0, DatasetSummaryModel::CostColumn).toDouble() - 212.5e-6) < 1e-12);
    QCOMPARE(cell(0, DatasetSummaryModel::LatencyColumn).toDouble(), 0.5625);
    QCOMPARE(cell(0, DatasetSummaryModel::MissingColumn).toLongLong(), qint64(0));
    QVERIFY(qAbs(cell(1, DatasetSummaryModel::QualityColumn).toDouble() - 2.5 / 3) < 1e-12);
    QCOMPARE(cell(1, DatasetSummaryModel::MissingColumn).toLongLong(), qint64(1));

    QCOMPARE(cell(2, DatasetSummaryModel::NameColumn).toString(), QStringLiteral("Oracle"));
    QCOMPARE(cell(2, DatasetSummaryModel::QualityColumn).toDouble(), 0.75);
    // Oracle picks a, b (+ fee), b (+ fee), a: (200 + 4500 + 1400 + 180) micro-USD over 4.
    QVERIFY(qAbs(cell(2, DatasetSummaryModel::CostColumn).toDouble() - 1570e-6) < 1e-12);
    QVERIFY(cell(3, DatasetSummaryModel::NameColumn).toString().contains(QLatin1Char('b')));
    for (int row = 0; row < 4; ++row)
        QCOMPARE(cell(row, 0, Qt::FontRole).value<QFont>().bold(), row >= 2);

    // A malformed file: the load fails, the dataset shown before stays.
    const QString badPath = dir_.filePath("bad.csv");
    writeFile(badPath, "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,"
                       "latency_s\np1,hi,chat,a,not-a-number,10,10,0.1\n");
    window_->openDataset({badPath}, poolPath_);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count() + failed.count(), 2, kLoadTimeoutMs);
    QCOMPARE(failed.count(), 1);
    QVERIFY(!failed.first().first().toString().isEmpty());
    qInfo("malformed file reported as: %s", qPrintable(failed.first().first().toString()));
    QCOMPARE(window_->currentSummary(), summary);
    QCOMPARE(window_->currentSummary()->prompts, 4);
    QCOMPARE(window_->summaryModel()->rowCount(), 4);
    closeErrorBoxes();

    // The screenshot: the window as a user sees it after loading.
    QTest::qWait(50);
    const QImage image = window_->grab().toImage();
    const QString shot = QDir::current().filePath(QStringLiteral("gui_shell.png"));
    QVERIFY(image.save(shot));
    qInfo("screenshot: %s", qPrintable(shot));
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 100 && image.height() > 100);
    const QRgb first = image.pixel(0, 0);
    bool varied = false;
    for (int y = 0; y < image.height() && !varied; y += 3)
        for (int x = 0; x < image.width() && !varied; x += 3)
            varied = image.pixel(x, y) != first;
    QVERIFY2(varied, "the window rendered as a single colour");

    // The pool page too, for a look at its columns.
    auto* tabs = window_->findChild<QTabWidget*>();
    QVERIFY(tabs);
    tabs->setCurrentIndex(1);
    const QImage poolImage = window_->grab().toImage();
    QVERIFY(!poolImage.isNull());
    QVERIFY(poolImage.save(QDir::current().filePath(QStringLiteral("gui_shell_pool.png"))));
    tabs->setCurrentIndex(0);
}

void TestGuiShell::sortingKeepsReferenceRowsLast() {
    auto* table = window_->findChild<QTableView*>(QStringLiteral("summaryTable"));
    QVERIFY(table);
    QAbstractItemModel* shown = table->model();
    for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        table->sortByColumn(DatasetSummaryModel::QualityColumn, order);
        QCOMPARE(shown->rowCount(), 4);
        const QString top = shown->index(0, 0).data().toString();
        QCOMPARE(top, order == Qt::AscendingOrder ? QStringLiteral("a") : QStringLiteral("b"));
        QCOMPARE(shown->index(2, 0).data().toString(), QStringLiteral("Oracle"));
        QVERIFY(shown->index(3, 0).data().toString().startsWith(QStringLiteral("Best single")));
    }
}

void TestGuiShell::unknownValuesShowAsDashAndSortLast() {
    DatasetSummary summary;
    summary.prompts = 2;
    summary.models = {{QStringLiteral("x"), 0.25, 0.001, 1.0, 0},
                      {QStringLiteral("none"), 0, 0, 0, 2},
                      {QStringLiteral("y"), 0.75, 0.002, 2.0, 0}};
    summary.bestSingleName = QStringLiteral("y");
    DatasetSummaryModel model;
    model.setSummary(summary);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.index(1, DatasetSummaryModel::QualityColumn).data().toString(),
             QStringLiteral("—"));
    QCOMPARE(model.index(1, DatasetSummaryModel::MissingColumn).data().toString(),
             QStringLiteral("2"));

    SummarySortProxy proxy;
    proxy.setSourceModel(&model);
    for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        proxy.sort(DatasetSummaryModel::QualityColumn, order);
        QStringList names;
        for (int row = 0; row < proxy.rowCount(); ++row)
            names << proxy.index(row, 0).data().toString();
        const QStringList models = order == Qt::AscendingOrder ? QStringList{"x", "y", "none"}
                                                               : QStringList{"y", "x", "none"};
        const QStringList expected = models + QStringList{"Oracle", "Best single: y"};
        QCOMPARE(names, expected);
    }
}

void TestGuiShell::missingFileFailsCleanly() {
    QSignalSpy failed(window_.get(), &MainWindow::loadFailed);
    window_->openDataset({dir_.filePath("does-not-exist.csv")}, poolPath_);
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kLoadTimeoutMs);
    QVERIFY(window_->currentSummary());
    QCOMPARE(window_->currentSummary()->prompts, 4);
    closeErrorBoxes();
}

void TestGuiShell::mostlyEmptyMatrixFailsCleanly() {
    // Each row a new prompt and a new model: 20,000 x 20,000 cells, once gigabytes and a crash.
    QByteArray rows = "prompt_id,model,quality,cost_usd\n";
    for (int i = 0; i < 20000; ++i)
        rows += "p" + QByteArray::number(i) + ",m" + QByteArray::number(i) + ",0.5,0.001\n";
    const QString path = dir_.filePath("diagonal.csv");
    writeFile(path, rows);
    QSignalSpy failed(window_.get(), &MainWindow::loadFailed);
    window_->openDataset({path}, QString());
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, kLoadTimeoutMs);
    const QString message = failed.first().first().toString();
    qInfo("mostly empty matrix reported as: %s", qPrintable(message));
    QVERIFY2(message.contains(path + QStringLiteral(":1002:")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("ROUTERLAB_MAX_MATRIX_CELLS")), qPrintable(message));
    bool shown = false;
    for (auto* box : window_->findChildren<QMessageBox*>(QStringLiteral("loadErrorBox")))
        shown = shown || (box->isVisible() && box->informativeText() == message);
    QVERIFY2(shown, "no error box shows the message");
    QCOMPARE(window_->currentSummary()->prompts, 4);
    closeErrorBoxes();
}

void TestGuiShell::cancelKeepsPreviousDataset() {
    // Large enough that reading it outlasts the cancel below by far.
    QByteArray big = "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,"
                     "latency_s\n";
    for (int i = 0; i < 150000; ++i)
        for (const char* model : {"a", "b"})
            big += QByteArray("q") + QByteArray::number(i) + ",prompt number " +
                   QByteArray::number(i) + ",bulk," + model + ",0.5,100,50,0.5\n";
    const QString bigPath = dir_.filePath("big.csv");
    writeFile(bigPath, big);

    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    QSignalSpy failed(window_.get(), &MainWindow::loadFailed);
    window_->openDataset({bigPath}, poolPath_);
    QVERIFY(window_->isLoading());
    window_->cancelLoading();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count() + failed.count(), 1, kLoadTimeoutMs);
    QCOMPARE(failed.count(), 1);
    QVERIFY(
        failed.first().first().toString().contains(QStringLiteral("cancel"), Qt::CaseInsensitive));
    QVERIFY(!window_->isLoading());
    QCOMPARE(window_->currentSummary()->prompts, 4);
    QCOMPARE(window_->summaryModel()->rowCount(), 4);
}

void TestGuiShell::derivedPoolWhenCostsRecorded() {
    const QString path = dir_.filePath("costed.csv");
    writeFile(path, "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s,"
                    "cost_usd\n"
                    "p1,hi,chat,x,1,10,10,0.1,0.002\n"
                    "p1,hi,chat,y,0,10,10,0.2,0.001\n");
    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    QSignalSpy failed(window_.get(), &MainWindow::loadFailed);
    window_->openDataset({path}, QString());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count() + failed.count(), 1, kLoadTimeoutMs);
    QVERIFY2(failed.isEmpty(),
             failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
    QVERIFY(window_->currentSummary()->costRecorded);
    QCOMPARE(cell(0, DatasetSummaryModel::CostColumn).toDouble(), 0.002);
    auto* poolTable = window_->findChild<QTableView*>(QStringLiteral("poolTable"));
    QVERIFY(poolTable);
    QCOMPARE(poolTable->model()->rowCount(), 2);
}

void TestGuiShell::dropOpensDatasetWithPool() {
    // A copy under another name, so it shows as a second dataset in the navigator.
    const QString copy = dir_.filePath("dropped.csv");
    QVERIFY(QFile::copy(csvPath_, copy));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(copy), QUrl::fromLocalFile(poolPath_)});
    const QPointF centre(window_->width() / 2.0, window_->height() / 2.0);
    QDragEnterEvent enter(centre.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &enter);
    QVERIFY(enter.isAccepted());

    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window_.get(), &drop);
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kLoadTimeoutMs);
    QCOMPARE(window_->currentSummary()->name, QStringLiteral("dropped"));
    QCOMPARE(window_->summaryModel()->rowCount(), 4);
}

void TestGuiShell::closeSavesSettings() {
    window_->close();
    QSettings settings(QStringLiteral("RouterLab"), QStringLiteral("RouterLab"));
    QVERIFY(!settings.value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
    QVERIFY(!settings.value(QStringLiteral("window/state")).toByteArray().isEmpty());
    const QVariantList recent = settings.value(QStringLiteral("recent")).toList();
    QVERIFY(!recent.isEmpty());
    QCOMPARE(recent.first().toMap().value(QStringLiteral("paths")).toStringList().value(0),
             dir_.filePath("dropped.csv"));
    window_.reset();
}

void TestGuiShell::closeErrorBoxes() {
    for (QWidget* w : QApplication::topLevelWidgets())
        if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible())
            box->close();
}

QTEST_MAIN(TestGuiShell)
#include "test_gui_shell.moc"
