// The Trade-off page after a run of the sample: each goal's answer is the best qualifying
// operating point, the slider moves to where the answer's router is set and the table shows
// every router there; limits nothing meets (worked out from the sample: no model or router
// reaches quality 0.99, and the cheapest model costs $0.022 per 1,000 queries) say so; the
// dock says when its preference is not the run's.
#include "experiment/experiment_file.h"
#include "gui_harness.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/experiment_workbench.h"
#include "ui/shell/main_window.h"
#include "ui/tradeoff/preference_panel.h"
#include "ui/tradeoff/tradeoff_page.h"

#include <QChart>
#include <QDir>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

using namespace routerlab;

Q_DECLARE_METATYPE(routerlab::TradeoffPage::Mode)

namespace {

constexpr int kTimeoutMs = 240000;

} // namespace

class TestGuiTradeoff : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void answersEachGoal_data();
    void answersEachGoal();
    void dockNamesTheRunsPreference();

private:
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> window_;
    ExperimentWorkbench* bench_ = nullptr;
    TradeoffPage* page_ = nullptr;
};

void TestGuiTradeoff::initTestCase() {
    QVERIFY(dir_.isValid());
    gui_harness::isolateSettings(dir_);
    window_ = gui_harness::showSampleWindow(QSize(1280, 800), kTimeoutMs);
    QVERIFY(window_);
    bench_ = window_->workbench();
    page_ = bench_->tradeoff();
    GuiExperiment sample = gui_harness::sampleExperiment();
    sample.simulate.seeds = 1;
    sample.points = 5;
    QCOMPARE(gui_harness::runInWindow(bench_, sample, kTimeoutMs), QString());
    window_->showPage(page_);
    QTRY_VERIFY_WITH_TIMEOUT(page_->candidatesReady(), kTimeoutMs);
    // Five sweep points per learner, 21 cost weights per router serving any preference and
    // eight single models.
    QVERIFY(page_->candidates().size() > 8);
}

void TestGuiTradeoff::answersEachGoal_data() {
    QTest::addColumn<TradeoffPage::Mode>("mode");
    QTest::addColumn<double>("limit");
    QTest::addColumn<bool>("answered");
    QTest::newRow("budget $1") << TradeoffPage::Mode::UnderBudget << 1.0 << true;
    QTest::newRow("budget $0.20") << TradeoffPage::Mode::UnderBudget << 0.2 << true;
    QTest::newRow("budget $0.01: none") << TradeoffPage::Mode::UnderBudget << 0.01 << false;
    QTest::newRow("quality 0.75") << TradeoffPage::Mode::AtQuality << 0.75 << true;
    QTest::newRow("quality 0.99: none") << TradeoffPage::Mode::AtQuality << 0.99 << false;
    QTest::newRow("p95 8 s") << TradeoffPage::Mode::UnderLatency << 8.0 << true;
}

void TestGuiTradeoff::answersEachGoal() {
    QFETCH(TradeoffPage::Mode, mode);
    QFETCH(double, limit);
    QFETCH(bool, answered);
    page_->setMode(mode);
    page_->setLimit(limit);
    const std::vector<OperatingCandidate>& all = page_->candidates();
    const TradeoffChoice& choice = page_->choice();
    QCOMPARE(choice.chosen.has_value(), answered);
    if (!answered) {
        QVERIFY2(page_->answer().startsWith("Nothing meets"), qPrintable(page_->answer()));
        return;
    }
    // The best qualifying point, checked against every candidate.
    const OperatingCandidate& best = all[*choice.chosen];
    for (const OperatingCandidate& c : all) {
        switch (mode) {
        case TradeoffPage::Mode::UnderBudget:
            QVERIFY(best.costPer1kUsd <= limit);
            QVERIFY(c.costPer1kUsd > limit || c.quality <= best.quality);
            break;
        case TradeoffPage::Mode::AtQuality:
            QVERIFY(best.quality >= limit);
            QVERIFY(c.quality < limit || c.costPer1kUsd >= best.costPer1kUsd);
            break;
        default:
            QVERIFY(best.p95LatencyS <= limit);
            QVERIFY(!(c.p95LatencyS <= limit) || c.quality <= best.quality);
        }
    }
    QVERIFY2(page_->answer().startsWith(best.name) && page_->answer().contains("per 1,000 queries"),
             qPrintable(page_->answer()));
    if (best.kind == OperatingCandidate::Kind::SingleModel)
        return;
    // The slider went where the answer's router is set; the table follows it.
    QCOMPARE(page_->preference().normalised().cost, best.preference.normalised().cost);
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(bench_->preferences()->points().preference.normalised().cost -
                                      best.preference.normalised().cost) < 1e-9,
                             kTimeoutMs);
    QCOMPARE(page_->table()->rowCount(),
             static_cast<int>(bench_->preferences()->points().routers.size()));
}

void TestGuiTradeoff::dockNamesTheRunsPreference() {
    // The sample experiment runs at quality 0.7 / cost 0.3; the last goal moved the slider.
    page_->setMode(TradeoffPage::Mode::Weights);
    page_->costSlider()->setValue(60);
    const QList<QLabel*> labels = bench_->preferences()->findChildren<QLabel*>();
    bool named = false;
    for (const QLabel* label : labels)
        named = named || label->text().contains("The run (other pages): quality 0.70 · cost 0.30");
    QVERIFY(named);
    page_->costSlider()->setValue(30);
    named = false;
    for (const QLabel* label : labels)
        named = named || label->text().contains("The run (other pages)");
    QVERIFY(!named);
}

QTEST_MAIN(TestGuiTradeoff)
#include "test_gui_tradeoff.moc"
