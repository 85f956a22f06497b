// The Cold-start Quiz wizard driven through the window's Tools menu: a held-out model of the
// sample quizzed from its records (the chosen prompts, the identity, the budget curve and the
// recovery figures), a cancel during the preparation, a live quiz of an endpoint model against
// the replay server (a separate routerlab-cli process) that joins the pool and leaves it on
// undo, and an unreachable endpoint or bad input that end in a message, not a crash.

#include "chart_checks.h"
#include "irt/quiz_study.h"
#include "replay_process.h"
#include "stall_meter.h"
#include "ui/pool/pool_table_model.h"
#include "ui/pool/pool_view.h"
#include "ui/quiz/quiz_wizard.h"
#include "ui/shell/main_window.h"

#include <QAbstractSeries>
#include <QAction>
#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <cmath>
#include <map>
#include <memory>
#include <set>

using namespace routerlab;
using routerlab::testing::ReplayProcess;
using routerlab::testing::stallLimitMs;
using routerlab::testing::StallMeter;

namespace {

constexpr int kTimeoutMs = 180000;
const QString kHeldOut = QStringLiteral("llama-3.1-8b-instant");
const QString kEndpointId = QStringLiteral("quizzed-llama");

QString sampleFile(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QLatin1String(name));
}

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QLineSeries* seriesNamed(QChart* chart, const QString& name) {
    for (QAbstractSeries* s : chart->series())
        if (s->name() == name)
            return qobject_cast<QLineSeries*>(s);
    return nullptr;
}

QAreaSeries* areaNamed(QChart* chart, const QString& name) {
    for (QAbstractSeries* s : chart->series())
        if (s->name() == name)
            return qobject_cast<QAreaSeries*>(s);
    return nullptr;
}

} // namespace

class TestGuiQuiz : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void menuOpensTheWizardOnTheWindowData();
    void cancelDuringThePreparationLeavesItUsable();
    void simulatedQuizOfAHeldOutModel();
    void anotherBudgetReusesThePreparation();
    void liveQuizJoinsThePoolAndUndoRemovesIt();
    void unreachableEndpointEndsInAMessage();
    void badInputEndsInAMessage();
    void cleanupTestCase();

private:
    // Clicks Run Quiz; the finished() arguments, or empty on time-out.
    QList<QVariant> runAndWait();
    void chooseEndpoint(const QString& baseUrl);

    QTemporaryDir dir_;
    std::unique_ptr<ReplayProcess> server_;
    std::unique_ptr<MainWindow> window_;
    QuizWizard* wizard_ = nullptr;
};

void TestGuiQuiz::initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir_.filePath("settings"));
    qputenv("ROUTERLAB_QUIZ_TEST_KEY", "not-a-real-key");
    server_ = routerlab::testing::startSampleReplay();
    QVERIFY(server_->port() > 0);
    window_ = std::make_unique<MainWindow>();
    window_->show();
    QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
    QSignalSpy loaded(window_.get(), &MainWindow::datasetLoaded);
    window_->openDataset({sampleFile("sample.csv")}, sampleFile("sample.pool.json"));
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeoutMs);
}

QList<QVariant> TestGuiQuiz::runAndWait() {
    QSignalSpy finished(wizard_, &QuizWizard::finished);
    QTest::mouseClick(wizard_->runButton(), Qt::LeftButton);
    if (finished.isEmpty() && !finished.wait(kTimeoutMs))
        return {};
    return finished.first();
}

void TestGuiQuiz::chooseEndpoint(const QString& baseUrl) {
    wizard_->showPage(QuizWizard::ModelPage);
    wizard_->endpointButton()->setChecked(true);
    wizard_->idEdit()->setText(kEndpointId);
    wizard_->baseUrlEdit()->setText(baseUrl);
    wizard_->remoteModelEdit()->setText(kHeldOut); // the replay server answers as this model
    wizard_->keyVariableEdit()->setText(QStringLiteral("ROUTERLAB_QUIZ_TEST_KEY"));
    wizard_->scorerBox()->setCurrentText(QStringLiteral("replay"));
    QTest::mouseClick(wizard_->nextButton(), Qt::LeftButton);
    QCOMPARE(wizard_->currentPage(), QuizWizard::QuizPage);
}

void TestGuiQuiz::menuOpensTheWizardOnTheWindowData() {
    auto* action = window_->findChild<QAction*>(QStringLiteral("quizWizardAction"));
    QVERIFY(action);
    QVERIFY(action->isEnabled());
    action->trigger();
    wizard_ = window_->quizWizard();
    QVERIFY(wizard_);
    QVERIFY(QTest::qWaitForWindowExposed(wizard_));
    QCOMPARE(wizard_->currentPage(), QuizWizard::ModelPage);
    QCOMPARE(wizard_->modelBox()->count(), 8);
    QVERIFY(wizard_->modelBox()->findText(kHeldOut) >= 0);
    QVERIFY(wizard_->heldOutButton()->isChecked());
    QVERIFY(!wizard_->backButton()->isEnabled());
}

void TestGuiQuiz::cancelDuringThePreparationLeavesItUsable() {
    wizard_->modelBox()->setCurrentText(kHeldOut);
    QTest::mouseClick(wizard_->nextButton(), Qt::LeftButton);
    QCOMPARE(wizard_->currentPage(), QuizWizard::QuizPage);
    QVERIFY(!wizard_->nextButton()->isEnabled()); // nothing placed yet
    QSignalSpy finished(wizard_, &QuizWizard::finished);
    QTest::mouseClick(wizard_->runButton(), Qt::LeftButton);
    QVERIFY(wizard_->isRunning());
    QVERIFY(!wizard_->runButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(wizard_->progressBar()->value() > 0, kTimeoutMs);
    QTest::mouseClick(wizard_->cancelButton(), Qt::LeftButton);
    QVERIFY(finished.wait(kTimeoutMs));
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY2(wizard_->statusLabel()->text().contains(QLatin1String("Cancelled")),
             qPrintable(wizard_->statusLabel()->text()));
    QVERIFY(!wizard_->isRunning());
    QVERIFY(wizard_->runButton()->isEnabled());
    QVERIFY(!wizard_->cancelButton()->isEnabled());
    QVERIFY(!wizard_->report());
}

void TestGuiQuiz::simulatedQuizOfAHeldOutModel() {
    wizard_->budgetSlider()->setValue(30);
    StallMeter meter;
    const QList<QVariant> end = runAndWait();
    QVERIFY(!end.isEmpty());
    QVERIFY2(end.at(0).toBool(), qPrintable(end.at(1).toString()));
    qInfo("longest stall %lld ms (limit %lld ms)", meter.longestMs(), stallLimitMs());
    QVERIFY(meter.longestMs() < stallLimitMs());
    QCOMPARE(wizard_->progressBar()->value(), 30);

    // The 30 prompts chosen, spread over the sample's four categories, each with its reasons.
    QTableWidget* steps = wizard_->stepTable();
    QCOMPARE(steps->rowCount(), 30);
    std::map<QString, int> perCategory;
    std::set<QString> prompts;
    for (int r = 0; r < steps->rowCount(); ++r) {
        ++perCategory[steps->item(r, 2)->text()];
        prompts.insert(steps->item(r, 1)->text());
        QVERIFY(!steps->item(r, 3)->text().isEmpty());
        QVERIFY(steps->item(r, 4)->text().toDouble() > 0);
        const double predicted = steps->item(r, 5)->text().toDouble();
        QVERIFY(predicted > 0 && predicted < 1);
    }
    QCOMPARE(prompts.size(), std::size_t(30));
    QCOMPARE(perCategory.size(), std::size_t(4));
    for (const auto& [category, count] : perCategory)
        QVERIFY2(count >= 7 && count <= 8, qPrintable(category));

    QVERIFY(wizard_->nextButton()->isEnabled());
    QTest::mouseClick(wizard_->nextButton(), Qt::LeftButton);
    QCOMPARE(wizard_->currentPage(), QuizWizard::PlacementPage);

    // The identity beside its full-data fit, and the quality per category beside the pool's.
    QTableWidget* identity = wizard_->identityTable();
    QCOMPARE(identity->rowCount(), 8);
    QCOMPARE(identity->columnCount(), 4);
    QVERIFY(identity->item(0, 1)->text().contains(QStringLiteral("±")));
    QTableWidget* categories = wizard_->categoryTable();
    QCOMPARE(categories->rowCount(), 4);
    QCOMPARE(categories->columnCount(), 1 + 2 + 7); // category, quiz, recorded, 7 others
    for (int r = 0; r < 4; ++r)
        for (int c = 1; c < categories->columnCount(); ++c) {
            const double q = categories->item(r, c)->text().toDouble();
            QVERIFY(q >= 0 && q <= 1);
        }
    // Every model's name whole in its column header, whatever the wizard's width (a pool too
    // wide scrolls): shared equally, the columns cut the longer names.
    const QHeaderView* header = categories->horizontalHeader();
    for (int c = 0; c < categories->columnCount(); ++c) {
        const QString name = categories->horizontalHeaderItem(c)->text();
        const int needed = header->fontMetrics().horizontalAdvance(name) + 8; // style margins
        QVERIFY2(header->sectionSize(c) >= needed, qPrintable(QStringLiteral("%1: %2 px of %3")
                                                                  .arg(name)
                                                                  .arg(header->sectionSize(c))
                                                                  .arg(needed)));
    }

    QLineSeries* quizzed = seriesNamed(wizard_->curveChart(), QStringLiteral("quizzed identity"));
    QVERIFY(quizzed);
    QList<double> budgets;
    for (const QPointF& p : quizzed->points())
        budgets << p.x();
    QCOMPARE(budgets, (QList<double>{5, 10, 20, 30}));
    QVERIFY(seriesNamed(wizard_->curveChart(), QStringLiteral("without the model")));
    QVERIFY(seriesNamed(wizard_->curveChart(), QStringLiteral("full-data identity")));
    // Each budget quizzed over ten draws: the curve is their mean, inside its 95% band.
    QAreaSeries* band =
        areaNamed(wizard_->curveChart(), QStringLiteral("95% interval over 10 draws"));
    QVERIFY(band);
    const QList<QPointF> upper = band->upperSeries()->points();
    const QList<QPointF> lower = band->lowerSeries()->points();
    QCOMPARE(upper.size(), quizzed->points().size());
    QCOMPARE(lower.size(), quizzed->points().size());
    for (int i = 0; i < upper.size(); ++i) {
        const QPointF mean = quizzed->points().at(i);
        QCOMPARE(upper.at(i).x(), mean.x());
        // (the bootstrap sums in single precision: equal draws give an interval of one value
        // that the mean meets up to that rounding)
        constexpr double kRounding = 1e-5;
        QVERIFY(lower.at(i).y() - kRounding <= mean.y() && mean.y() <= upper.at(i).y() + kRounding);
    }
    // Round ticks on both axes, and a legend with every curve's full name.
    for (QAbstractAxis* axis : wizard_->curveChart()->axes())
        chart_checks::checkAxis(wizard_->curveChart(), axis, QStringLiteral("budget curve"));
    // The budget axis ends a little past the largest budget, on a tick, with at most a fifth of
    // it empty (a generic nice range ran to 40 for budgets up to 30).
    const QList<QAbstractAxis*> budgetAxes = wizard_->curveChart()->axes(Qt::Horizontal);
    QCOMPARE(budgetAxes.size(), qsizetype(1));
    const auto* budgetAxis = qobject_cast<QValueAxis*>(budgetAxes.front());
    QVERIFY(budgetAxis);
    double largestBudget = 0;
    for (const QPointF& point : quizzed->points())
        largestBudget = std::max(largestBudget, point.x());
    QVERIFY2(budgetAxis->max() > largestBudget &&
                 budgetAxis->max() - largestBudget <= 0.2 * budgetAxis->max(),
             qPrintable(QStringLiteral("axis to %1, largest budget %2")
                            .arg(budgetAxis->max())
                            .arg(largestBudget)));
    const QList<ChartLegend*> legends = wizard_->findChildren<ChartLegend*>();
    QCOMPARE(legends.size(), qsizetype(1));
    QTRY_VERIFY(legends.front()->height() >=
                legends.front()->heightForWidth(legends.front()->width()));
    chart_checks::checkLegend(legends.front(), QStringLiteral("budget curve"));
    QVERIFY(!QTest::currentTestFailed());

    const QuizReport* report = wizard_->report();
    QVERIFY(report);
    QVERIFY(std::isfinite(report->outcome.predictionRecovery));
    QCOMPARE(report->curve.back().draws, 10);
    const Interval shown = report->curve.back().predictionRecoveryCi95;
    QVERIFY(shown.valid());
    const QString figures = wizard_->figuresLabel()->text();
    QVERIFY2(figures.contains(QLatin1String("recovers")) && figures.contains(QLatin1String("%")),
             qPrintable(figures));
    // The prediction gain with its interval, as "54% [41%, 66%]", over the ten draws.
    QVERIFY2(figures.contains(QLatin1String("Over 10 draws")), qPrintable(figures));
    QVERIFY2(figures.contains(QStringLiteral("[%1%, %2%]")
                                  .arg(std::round(100 * shown.low) + 0.0, 0, 'f', 0)
                                  .arg(std::round(100 * shown.high) + 0.0, 0, 'f', 0)),
             qPrintable(figures));
    QVERIFY(figures.contains(kHeldOut));
    // A warning where the full-data identity predicts barely better than the prior, none else.
    QVERIFY(wizard_->shownPreparation());
    const QuizStudy& study = *wizard_->shownPreparation()->study;
    const bool smallGain = study.fullLogLikelihood() - study.priorLogLikelihood() <
                           QuizPlacementPage::kSmallPredictionGain;
    QCOMPARE(figures.contains(QLatin1String("barely better than the prior")), smallGain);
    QVERIFY(!wizard_->addToPoolButton()->isEnabled());
    QVERIFY(wizard_->addToPoolNote()->text().contains(QLatin1String("already in the pool")));

    QString error;
    const QString saved = dir_.filePath(QStringLiteral("quiz.json"));
    QVERIFY2(wizard_->saveResult(saved, error), qPrintable(error));
    // The schema of `routerlab-cli quiz --json`, holding the quiz shown.
    const QJsonObject json = readJson(saved);
    for (const char* key : {"prompt_ids", "steps", "identity_quiz", "identity_full", "routing_quiz",
                            "routing_full", "routing_without", "recovery", "prediction_recovery",
                            "budget_curve", "predicted_quality_per_category", "setup"})
        QVERIFY2(json.contains(QLatin1String(key)), key);
    QCOMPARE(json.value("new_model").toString(), kHeldOut);
    QVERIFY(json.value("simulated").toBool());
    QCOMPARE(json.value("budget").toInt(), 30);
    QCOMPARE(json.value("prompt_ids").toArray().size(), 30);
    QCOMPARE(json.value("routing_quiz").toObject().value("mean_reward").toDouble(),
             report->outcome.routing.reward);
    QCOMPARE(json.value("budget_curve").toArray().size(), int(report->curve.size()));
    const QJsonObject chosen = json.value("budget_curve").toArray().last().toObject();
    QCOMPARE(chosen.value("draws").toInt(), 10);
    QCOMPARE(chosen.value("prediction_recovery_ci95").toArray().size(), 2);
    QCOMPARE(chosen.value("prediction_recovery_draws").toArray().size(), 10);
}

void TestGuiQuiz::anotherBudgetReusesThePreparation() {
    wizard_->showPage(QuizWizard::QuizPage);
    wizard_->budgetSlider()->setValue(12);
    QSignalSpy finished(wizard_, &QuizWizard::finished);
    QTest::mouseClick(wizard_->runButton(), Qt::LeftButton);
    QVERIFY(wizard_->statusLabel()->text().startsWith(QLatin1String("Asking")));
    QVERIFY(finished.wait(kTimeoutMs));
    QVERIFY(finished.first().at(0).toBool());
    QCOMPARE(wizard_->stepTable()->rowCount(), 12);
    QCOMPARE(wizard_->report()->curve.back().budget, 12);
    QCOMPARE(wizard_->report()->curve.size(), std::size_t(3)); // 5, 10, 12
}

void TestGuiQuiz::liveQuizJoinsThePoolAndUndoRemovesIt() {
    chooseEndpoint(server_->baseUrl());
    wizard_->budgetSlider()->setValue(20);
    const QList<QVariant> end = runAndWait();
    QVERIFY(!end.isEmpty());
    QVERIFY2(end.at(0).toBool(), qPrintable(end.at(1).toString()));
    QCOMPARE(wizard_->stepTable()->rowCount(), 20);
    const QuizReport* report = wizard_->report();
    QVERIFY(report);
    QVERIFY(std::isnan(report->outcome.routing.reward)); // no records to score routing with
    // The identity grows surer with every answer.
    QVERIFY(report->curve.back().identitySd < report->priorSd);

    QTest::mouseClick(wizard_->nextButton(), Qt::LeftButton);
    QCOMPARE(wizard_->currentPage(), QuizWizard::PlacementPage);
    QCOMPARE(wizard_->identityTable()->columnCount(), 3); // no full-data identity
    QCOMPARE(wizard_->categoryTable()->columnCount(), 1 + 1 + 8);
    QVERIFY(wizard_->figuresLabel()->text().contains(QLatin1String("cannot be scored")));
    QVERIFY(wizard_->curveChart()->series().size() == 1);
    QString error;
    const QString saved = dir_.filePath(QStringLiteral("live-quiz.json"));
    QVERIFY2(wizard_->saveResult(saved, error), qPrintable(error));
    const QJsonObject json = readJson(saved);
    QCOMPARE(json.value("new_model").toString(), kEndpointId);
    QCOMPARE(json.value("simulated").toBool(true), false);
    QCOMPARE(json.value("scorer").toString(), QStringLiteral("replay"));
    QVERIFY(json.value("routing_full").isNull()); // no records to judge it by
    QCOMPARE(json.value("prompt_ids").toArray().size(), 20);

    PoolTableModel* pool = window_->poolView()->model();
    const int before = pool->rowCount();
    QVERIFY(wizard_->addToPoolButton()->isEnabled());
    QTest::mouseClick(wizard_->addToPoolButton(), Qt::LeftButton);
    QCOMPARE(pool->rowCount(), before + 1);
    const PoolModel* added = pool->pool()->find(kEndpointId);
    QVERIFY(added);
    QCOMPARE(added->endpoint.baseUrl, server_->baseUrl());
    QCOMPARE(added->endpoint.remoteModel, kHeldOut);
    QCOMPARE(added->endpoint.apiKeyEnv, QStringLiteral("ROUTERLAB_QUIZ_TEST_KEY"));
    QVERIFY(!wizard_->addToPoolButton()->isEnabled());
    QVERIFY(!QString::fromUtf8(pool->pool()->toJson()).contains(QLatin1String("not-a-real-key")));

    window_->poolView()->undoStack()->undo();
    QCOMPARE(pool->rowCount(), before);
    QVERIFY(!pool->pool()->find(kEndpointId));
    window_->poolView()->undoStack()->redo();
    QVERIFY(pool->pool()->find(kEndpointId));
    window_->poolView()->undoStack()->undo();
}

void TestGuiQuiz::unreachableEndpointEndsInAMessage() {
    chooseEndpoint(QStringLiteral("http://127.0.0.1:9/v1")); // the discard port: refused
    const QList<QVariant> end = runAndWait();
    QVERIFY(!end.isEmpty());
    QCOMPARE(end.at(0).toBool(), false);
    const QString message = end.at(1).toString();
    qInfo("%s", qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("did not answer")), qPrintable(message));
    QVERIFY(wizard_->runButton()->isEnabled());
    QVERIFY(!wizard_->isRunning());
    // The last placement stays shown.
    QVERIFY(wizard_->report());
}

void TestGuiQuiz::badInputEndsInAMessage() {
    chooseEndpoint(QString());
    QList<QVariant> end = runAndWait();
    QCOMPARE(end.at(0).toBool(), false);
    QVERIFY2(end.at(1).toString().contains(QLatin1String("base URL")),
             qPrintable(end.at(1).toString()));
    chooseEndpoint(QStringLiteral("not a url"));
    end = runAndWait();
    QCOMPARE(end.at(0).toBool(), false);
    QVERIFY(!wizard_->isRunning());
    wizard_->heldOutButton()->setChecked(true);
}

void TestGuiQuiz::cleanupTestCase() {
    if (wizard_)
        wizard_->close();
    window_.reset();
    server_.reset();
}

QTEST_MAIN(TestGuiQuiz)
#include "test_gui_quiz.moc"
