// The Live Console driven through the window's Tools menu against the replay server (a
// separate routerlab-cli process): a run streams its calls into the table without freezing the
// window, ratings are stored and replace each other, a cancel stops within a second or two and
// keeps what had finished, and a dead endpoint or a bad file ends in a message, not a crash.

#include "replay_process.h"
#include "stall_meter.h"
#include "ui/live/live_console.h"
#include "ui/shell/main_window.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QToolButton>
#include <cmath>
#include <map>
#include <memory>

using namespace routerlab;
using routerlab::testing::ReplayProcess;
using routerlab::testing::stallLimitMs;
using routerlab::testing::StallMeter;

namespace {

constexpr int kTimeoutMs = 120000;

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

} // namespace

class TestGuiLive : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void menuOpensTheConsoleOnTheWindowData();
    void runsToCompletionWithoutStalling();
    void ratingsAreStoredAndReplaceEachOther();
    void humanScorerLeavesAnswersToRate();
    void trafficSummarizesTheRunAndItsRatings();
    void trafficFollowsAProxySessionAsItRecords();
    void onePromptFromTheTextBox();
    void cancelStopsAndKeepsFinishedCalls();
    void unreachableEndpointEndsInAMessage();
    void badInputEndsInAMessage();
    void grabsTheConsole();
    void cleanupTestCase();

private:
    // Runs with the console's current settings; the finished() arguments, or empty on time-out.
    QList<QVariant> runAndWait();
    void configure(const QString& baseUrl, const QString& scorer, int limit);
    std::vector<LiveCallRecord> storedCalls();

    QTemporaryDir dir_;
    std::unique_ptr<ReplayProcess> server_;
    std::unique_ptr<MainWindow> window_;
    LiveConsole* console_ = nullptr;
    QString workspace_;
};

void TestGuiLive::initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
    server_ = routerlab::testing::startSampleReplay();
    QVERIFY(server_->port() > 0);
    window_ = std::make_unique<MainWindow>();
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    window_->openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
    workspace_ = dir_.filePath(QStringLiteral("live.routerlab"));
}

void TestGuiLive::configure(const QString& baseUrl, const QString& scorer, int limit) {
    console_->setSource(LiveConsole::Source::Dataset);
    console_->baseUrlEdit()->setText(baseUrl);
    console_->scorerBox()->setCurrentText(scorer);
    console_->routerBox()->setCurrentText(QStringLiteral("pickllm-ga"));
    console_->limitBox()->setValue(limit);
    console_->retriesBox()->setValue(0);
    console_->workspaceEdit()->setText(workspace_);
}

QList<QVariant> TestGuiLive::runAndWait() {
    QSignalSpy finished(console_, &LiveConsole::finished);
    QTest::mouseClick(console_->runButton(), Qt::LeftButton);
    if (!finished.wait(kTimeoutMs))
        return {};
    return finished.first();
}

std::vector<LiveCallRecord> TestGuiLive::storedCalls() {
    WorkspaceStore store(console_->sessionWorkspace());
    return store.liveCalls(console_->sessionId());
}

void TestGuiLive::menuOpensTheConsoleOnTheWindowData() {
    auto* action = window_->findChild<QAction*>(QStringLiteral("liveConsoleAction"));
    QVERIFY(action);
    QVERIFY(action->isEnabled());
    action->trigger();
    console_ = window_->liveConsole();
    QVERIFY(console_);
    QVERIFY(QTest::qWaitForWindowExposed(console_));
    QCOMPARE(console_->poolEdit()->text(), sampleFile("sample.pool.json"));
    QVERIFY(console_->routerBox()->findText(QStringLiteral("pickllm-ga")) >= 0);
    QVERIFY(console_->scorerBox()->findText(QStringLiteral("human")) >= 0);
    QVERIFY(console_->scorerBox()->findText(QStringLiteral("replay")) >= 0);
    QVERIFY(console_->workspaceEdit()->text().isEmpty()); // the window has no workspace open
}

void TestGuiLive::runsToCompletionWithoutStalling() {
    configure(server_->baseUrl(), QStringLiteral("replay"), 30);
    QSignalSpy finished(console_, &LiveConsole::finished);
    QTest::mouseClick(console_->runButton(), Qt::LeftButton);
    QVERIFY(console_->isRunning());
    QVERIFY(!console_->runButton()->isEnabled());
    QVERIFY(console_->cancelButton()->isEnabled());
    StallMeter meter;
    QVERIFY(finished.wait(kTimeoutMs));
    qInfo("longest stall %lld ms (limit %lld ms)", meter.longestMs(), stallLimitMs());
    QVERIFY(meter.longestMs() < stallLimitMs());
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("complete"));
    QVERIFY2(finished.first().at(1).toString().contains(QLatin1String("30 call(s)")),
             qPrintable(finished.first().at(1).toString()));
    QVERIFY(console_->runButton()->isEnabled());
    QCOMPARE(console_->progressBar()->value(), 30);

    QTableWidget* table = console_->callTable();
    QCOMPARE(table->rowCount(), 30);
    const std::vector<LiveCallRecord> stored = storedCalls();
    QCOMPARE(stored.size(), std::size_t(30));
    for (int r = 0; r < table->rowCount(); ++r) {
        QCOMPARE(table->item(r, 0)->text(), QString::number(r + 1)); // step
        QCOMPARE(table->item(r, 1)->text(), stored[r].promptId);
        QCOMPARE(table->item(r, 2)->text(), stored[r].model);
        QVERIFY(!stored[r].model.isEmpty());
        QCOMPARE(table->item(r, 3)->text(), QStringLiteral("ok"));
        QCOMPARE(table->item(r, 4)->text(), QString::number(stored[r].promptTokens));
        QVERIFY(stored[r].costUsd > 0);
        QCOMPARE(table->item(r, 6)->text(), QString::number(stored[r].costUsd, 'f', 6));
        QVERIFY(!table->item(r, 9)->text().isEmpty());
        QVERIFY(!stored[r].response.isEmpty()); // the console asks for the answers' text
    }
}

void TestGuiLive::ratingsAreStoredAndReplaceEachOther() {
    QTableWidget* table = console_->callTable();
    QVERIFY(table->rowCount() > 2);
    table->selectRow(2);
    const LiveCallRecord call = console_->shownCalls()[2];
    QCOMPARE(console_->answerView()->toPlainText(), call.response);
    QVERIFY(!console_->answerView()->toPlainText().isEmpty());
    QCOMPARE(console_->ratingLabel()->text(), QStringLiteral("Not rated yet"));
    QVERIFY(console_->thumbsDownButton()->isEnabled());

    QTest::mouseClick(console_->thumbsDownButton(), Qt::LeftButton);
    {
        WorkspaceStore store(workspace_);
        const std::optional<HumanRating> rating = store.liveCallRating(call.id);
        QVERIFY(rating);
        QCOMPARE(rating->scale, HumanRating::Scale::Thumbs);
        QCOMPARE(rating->rating, 0.0);
        QCOMPARE(store.liveCalls(console_->sessionId())[2].quality, 0.0);
    }
    QCOMPARE(table->item(2, 9)->text(), QStringLiteral("0.00"));
    QCOMPARE(console_->ratingLabel()->text(), QStringLiteral("Rated: thumbs down"));
    QVERIFY(console_->thumbsDownButton()->isChecked());

    QTest::mouseClick(console_->starButton(4), Qt::LeftButton);
    {
        WorkspaceStore store(workspace_);
        const std::optional<HumanRating> rating = store.liveCallRating(call.id);
        QVERIFY(rating);
        QCOMPARE(rating->scale, HumanRating::Scale::Stars);
        QCOMPARE(rating->rating, 4.0);
        QCOMPARE(store.liveCalls(console_->sessionId())[2].quality, 0.75);
    }
    QCOMPARE(table->item(2, 9)->text(), QStringLiteral("0.75"));
    QVERIFY(console_->starButton(4)->isChecked());
    QVERIFY(!console_->thumbsDownButton()->isChecked());

    // Another row shows its own (absent) rating; back again shows the stored one.
    table->selectRow(0);
    QCOMPARE(console_->ratingLabel()->text(), QStringLiteral("Not rated yet"));
    QVERIFY(!console_->starButton(4)->isChecked());
    table->selectRow(2);
    QCOMPARE(console_->ratingLabel()->text(), QStringLiteral("Rated: 4 of 5 stars"));
}

void TestGuiLive::humanScorerLeavesAnswersToRate() {
    configure(server_->baseUrl(), QStringLiteral("human"), 4);
    const QList<QVariant> end = runAndWait();
    QCOMPARE(end.value(0).toString(), QStringLiteral("complete"));
    QVERIFY2(end.value(1).toString().contains(QLatin1String("4 answer(s) to rate")),
             qPrintable(end.value(1).toString()));
    QTableWidget* table = console_->callTable();
    QCOMPARE(table->rowCount(), 4);
    for (const LiveCallRecord& c : storedCalls())
        QVERIFY(std::isnan(c.quality)); // unscored until a person rates it
    QCOMPARE(table->item(1, 9)->text(), QStringLiteral("rate it"));
    table->selectRow(1);
    QTest::mouseClick(console_->thumbsUpButton(), Qt::LeftButton);
    QCOMPARE(table->item(1, 9)->text(), QStringLiteral("1.00"));
    QCOMPARE(storedCalls()[1].quality, 1.0);
}

// Follows humanScorerLeavesAnswersToRate: 4 answers, one rated thumbs up.
void TestGuiLive::trafficSummarizesTheRunAndItsRatings() {
    TrafficPanel* traffic = console_->trafficPanel();
    QCOMPARE(traffic->sessionId(), console_->sessionId());
    QVERIFY2(traffic->sessionBox()->currentText().endsWith(QLatin1String("complete")),
             qPrintable(traffic->sessionBox()->currentText()));
    const std::vector<LiveCallRecord> stored = storedCalls();
    QCOMPARE(stored.size(), std::size_t(4));
    std::map<QString, int> perModel;
    double spent = 0;
    for (const LiveCallRecord& c : stored) {
        ++perModel[c.model];
        spent += c.costUsd;
    }
    const TrafficSummary& s = traffic->summary();
    QCOMPARE(s.requests, 4);
    QCOMPARE(s.answered, 4);
    QCOMPARE(s.failed, 0);
    QCOMPARE(s.rated, 1);
    QCOMPARE(s.meanRating, 1.0);
    QCOMPARE(s.spentUsd, spent);
    const QString figures = traffic->figuresLabel()->text();
    QVERIFY2(figures.contains(QLatin1String("4 request(s)")), qPrintable(figures));
    QVERIFY2(figures.contains(QLatin1String("rated 1 of 4 answers (25%), mean rating 1.00")),
             qPrintable(figures));
    QVERIFY2(figures.contains(QStringLiteral("spent $%1").arg(spent, 0, 'f', 6)),
             qPrintable(figures));
    QTableWidget* table = traffic->modelTable();
    QCOMPARE(table->rowCount(), static_cast<int>(perModel.size()));
    for (int r = 0; r < table->rowCount(); ++r) {
        const int calls = perModel.at(table->item(r, 0)->text());
        QCOMPARE(table->item(r, 1)->text(), QString::number(calls));
        QCOMPARE(table->item(r, 2)->text(), QStringLiteral("%1%").arg(calls * 25.0, 0, 'f', 1));
    }
}

// A proxy in another process records into the workspace; the Traffic tab lists its session
// and shows each call once it is recorded.
void TestGuiLive::trafficFollowsAProxySessionAsItRecords() {
    qint64 session = 0;
    auto record = [&](int step, const char* model, const char* status, double cost) {
        LiveCallRecord c;
        c.sessionId = session;
        c.step = step;
        c.model = QString::fromLatin1(model);
        c.status = QString::fromLatin1(status);
        c.costUsd = cost;
        c.latencyS = 0.5 * step;
        WorkspaceStore(workspace_).recordLiveCall(c);
    };
    {
        LiveSessionRecord proxy;
        proxy.router = QStringLiteral("barp:model=rb.barp");
        proxy.scorer = QStringLiteral("proxy");
        proxy.preferenceJson = "{\"quality\":0.7,\"cost\":0.3}";
        session = WorkspaceStore(workspace_).startLiveSession(proxy);
    }
    record(1, "gpt-small", "failed", 0);
    record(1, "gpt-large", "ok", 0.003);
    TrafficPanel* traffic = console_->trafficPanel();
    traffic->setWorkspace(workspace_);
    const int at = traffic->sessionBox()->findData(session);
    QVERIFY(at >= 0);
    QVERIFY(traffic->sessionBox()->itemText(at).contains(QLatin1String("proxy")));
    traffic->sessionBox()->setCurrentIndex(at);
    QCOMPARE(traffic->summary().requests, 1);
    QCOMPARE(traffic->summary().failed, 1);
    QCOMPARE(traffic->modelTable()->rowCount(), 2);

    record(2, "gpt-small", "ok", 0.001);
    QTRY_COMPARE_WITH_TIMEOUT(traffic->summary().requests, 2, 10 * TrafficPanel::kRefreshMs);
    const TrafficSummary& s = traffic->summary();
    QCOMPARE(s.calls, 3);
    QCOMPARE(s.spentUsd, 0.004);
    QCOMPARE(s.meanLatencyS, 0.75); // the answers took 0.5 s and 1 s
    QCOMPARE(s.models.front().model, QStringLiteral("gpt-small"));
    QCOMPARE(s.models.front().calls, 2);
    QCOMPARE(traffic->modelTable()->item(0, 2)->text(), QStringLiteral("66.7%"));
    QVERIFY(traffic->figuresLabel()->text().contains(QLatin1String("2 answered, 1 failed")));

    // A mistyped workspace is not created, a file that is no workspace is refused: either way
    // the session shown stays.
    const QString nowhere = dir_.filePath(QStringLiteral("nowhere.routerlab"));
    traffic->setWorkspace(nowhere);
    QVERIFY(!QFile::exists(nowhere));
    QVERIFY(traffic->figuresLabel()->text().contains(QLatin1String("No workspace at")));
    const QString notes = dir_.filePath(QStringLiteral("notes.txt"));
    {
        QFile f(notes);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a workspace\n");
    }
    traffic->setWorkspace(notes);
    QVERIFY2(traffic->figuresLabel()->text().contains(QLatin1String("Cannot read the workspace")),
             qPrintable(traffic->figuresLabel()->text()));
    QCOMPARE(traffic->sessionId(), session);
    QCOMPARE(traffic->summary().requests, 2);
}

void TestGuiLive::onePromptFromTheTextBox() {
    configure(server_->baseUrl(), QStringLiteral("replay"), 0);
    // The replay server knows prompts by their exact text: take one of the sample's.
    console_->callTable()->selectRow(0);
    const QString prompt = console_->promptView()->toPlainText();
    QVERIFY(!prompt.isEmpty());
    console_->promptEdit()->setPlainText(prompt);
    console_->setSource(LiveConsole::Source::Prompt);
    const QList<QVariant> end = runAndWait();
    QCOMPARE(end.value(0).toString(), QStringLiteral("complete"));
    QTableWidget* table = console_->callTable();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 3)->text(), QStringLiteral("ok"));
    table->selectRow(0);
    QCOMPARE(console_->promptView()->toPlainText(), prompt);
    QVERIFY(!console_->answerView()->toPlainText().isEmpty());
}

void TestGuiLive::cancelStopsAndKeepsFinishedCalls() {
    configure(server_->baseUrl(), QStringLiteral("replay"), 1000000);
    QSignalSpy finished(console_, &LiveConsole::finished);
    QTest::mouseClick(console_->runButton(), Qt::LeftButton);
    StallMeter meter;
    QTRY_VERIFY_WITH_TIMEOUT(console_->callTable()->rowCount() >= 40, kTimeoutMs);
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(console_->cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(kTimeoutMs));
    qInfo("cancelled in %lld ms after %d calls; longest stall %lld ms (limit %lld ms)",
          clock.elapsed(), console_->callTable()->rowCount(), meter.longestMs(), stallLimitMs());
    QVERIFY(clock.elapsed() < 2000);
    QVERIFY(meter.longestMs() < stallLimitMs());
    QCOMPARE(finished.first().at(0).toString(), QStringLiteral("cancelled"));
    QVERIFY(finished.first().at(1).toString().startsWith(QLatin1String("Cancelled")));
    const std::vector<LiveCallRecord> stored = storedCalls();
    QTableWidget* table = console_->callTable();
    QCOMPARE(static_cast<std::size_t>(table->rowCount()), stored.size());
    QVERIFY(table->rowCount() >= 40);
    QVERIFY(table->rowCount() < 3000);
    for (int r = 0; r < table->rowCount(); ++r)
        QCOMPARE(table->item(r, 2)->text(), stored[r].model);
    QVERIFY(console_->runButton()->isEnabled());
    QVERIFY(!console_->cancelButton()->isEnabled());
}

void TestGuiLive::unreachableEndpointEndsInAMessage() {
    configure(QStringLiteral("http://127.0.0.1:9/v1"), QStringLiteral("replay"), 20);
    QElapsedTimer clock;
    clock.start();
    const QList<QVariant> end = runAndWait();
    QVERIFY(!end.isEmpty());
    const QString message = end.value(1).toString();
    qInfo("%s (%lld ms)", qPrintable(message), clock.elapsed());
    QVERIFY(message.contains(QLatin1String("all failed")));
    QVERIFY(message.contains(QLatin1String("127.0.0.1:9")));
    QCOMPARE(console_->statusLabel()->text(), message);
    QTableWidget* table = console_->callTable();
    QCOMPARE(table->rowCount(), 3); // gave up after three failures, not twenty
    QCOMPARE(table->item(0, 3)->text(), QStringLiteral("failed"));
    table->selectRow(0);
    QVERIFY(console_->answerView()->toPlainText().contains(QLatin1String("127.0.0.1:9")));
    QVERIFY(!console_->thumbsUpButton()->isEnabled()); // nothing to rate
}

void TestGuiLive::badInputEndsInAMessage() {
    configure(server_->baseUrl(), QStringLiteral("replay"), 5);
    console_->setPromptsFile(dir_.filePath(QStringLiteral("no-such-prompts.jsonl")));
    QList<QVariant> end = runAndWait();
    QCOMPARE(end.value(0).toString(), QStringLiteral("error"));
    QVERIFY2(end.value(1).toString().startsWith(QLatin1String("Could not run:")) &&
                 end.value(1).toString().contains(QLatin1String("no-such-prompts.jsonl")),
             qPrintable(end.value(1).toString()));

    const QString bad = dir_.filePath(QStringLiteral("bad.jsonl"));
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"prompt\": \"fine\"}\n{\"prompt\": 12\n");
    file.close();
    console_->setPromptsFile(bad);
    end = runAndWait();
    QCOMPARE(end.value(0).toString(), QStringLiteral("error"));
    QVERIFY2(end.value(1).toString().contains(QLatin1String("bad.jsonl")),
             qPrintable(end.value(1).toString()));

    // No base URL: the sample pool names no endpoints.
    configure(QString(), QStringLiteral("replay"), 5);
    end = runAndWait();
    QVERIFY2(end.value(1).toString().contains(QLatin1String("base")),
             qPrintable(end.value(1).toString()));

    // Checked before anything starts.
    configure(server_->baseUrl(), QStringLiteral("no-such-scorer"), 5);
    QTest::mouseClick(console_->runButton(), Qt::LeftButton);
    QVERIFY(!console_->isRunning());
    QVERIFY(console_->statusLabel()->text().contains(QLatin1String("no-such-scorer")));
}

void TestGuiLive::grabsTheConsole() {
    configure(server_->baseUrl(), QStringLiteral("replay"), 25);
    QCOMPARE(runAndWait().value(0).toString(), QStringLiteral("complete"));
    console_->callTable()->selectRow(4);
    console_->rateSelected({HumanRating::Scale::Stars, 4, {}, {}});
    console_->resize(1250, 820);
    QTest::qWait(200);
    // ROUTERLAB_SCREENSHOT_DIR keeps the image for a person to look at.
    const QString kept = qEnvironmentVariable("ROUTERLAB_SCREENSHOT_DIR");
    const QString file =
        QDir(kept.isEmpty() ? dir_.path() : kept).filePath(QStringLiteral("live-console.png"));
    QVERIFY(console_->grab().save(file, "PNG"));
    qInfo("console grabbed to %s", qPrintable(file));
}

void TestGuiLive::cleanupTestCase() {
    window_.reset();
    server_.reset();
}

QTEST_MAIN(TestGuiLive)
#include "test_gui_live.moc"
