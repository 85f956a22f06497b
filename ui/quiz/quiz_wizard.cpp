#include "ui/quiz/quiz_wizard.h"

#include "http/chat_protocol.h"
#include "irt/quiz_report.h"
#include "sim/simulation.h"
#include "ui/quiz/quiz_widgets.h"
#include "ui/shell/background_job.h"
#include "ui/shell/dialog_button.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace routerlab {

using quiz_widgets::prompts;

QuizWizard::QuizWizard(QWidget* parent)
    : QDialog(parent), background_(new BackgroundJob(BackgroundJob::kDefaultPollMs, this)) {
    setWindowTitle(tr("Cold-start Quiz"));
    setObjectName(QStringLiteral("quizWizard"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    connect(background_, &BackgroundJob::poll, this, &QuizWizard::poll);
    connect(background_, &BackgroundJob::finished, this, &QuizWizard::onJobFinished);

    stepTitle_ = new QLabel(this);
    QFont titleFont = stepTitle_->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    stepTitle_->setFont(titleFont);

    modelPage_ = new QuizModelPage(this);
    runPage_ = new QuizRunPage(this);
    placementPage_ = new QuizPlacementPage(this);
    connect(modelPage_, &QuizModelPage::modelKindChanged, runPage_, &QuizRunPage::setLive);
    runPage_->setLive(modelPage_->isLive());
    connect(runPage_->runButton(), &QPushButton::clicked, this, &QuizWizard::start);
    connect(runPage_->cancelButton(), &QPushButton::clicked, this, &QuizWizard::cancel);
    connect(placementPage_, &QuizPlacementPage::saveRequested, this, &QuizWizard::chooseAndSave);
    pages_ = new QStackedWidget(this);
    pages_->addWidget(modelPage_);
    pages_->addWidget(runPage_);
    pages_->addWidget(placementPage_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(stepTitle_);
    layout->addWidget(pages_, 1);
    layout->addLayout(createNavigation());
    resize(1240, 800);
    showPage(ModelPage);
}

QuizWizard::~QuizWizard() {
    background_->cancel();
    background_->waitForFinished();
}

QLayout* QuizWizard::createNavigation() {
    back_ = dialogButton(tr("< Back"), this);
    back_->setObjectName(QStringLiteral("quizBackButton"));
    next_ = dialogButton(tr("Next >"), this);
    next_->setObjectName(QStringLiteral("quizNextButton"));
    auto* close = dialogButton(tr("Close"), this);
    connect(back_, &QPushButton::clicked, this,
            [this] { showPage(Page(std::max(0, pages_->currentIndex() - 1))); });
    connect(next_, &QPushButton::clicked, this,
            [this] { showPage(Page(std::min(2, pages_->currentIndex() + 1))); });
    connect(close, &QPushButton::clicked, this, &QuizWizard::reject);
    auto* navigation = new QHBoxLayout;
    navigation->addStretch(1);
    navigation->addWidget(back_);
    navigation->addWidget(next_);
    navigation->addSpacing(12);
    navigation->addWidget(close);
    return navigation;
}

void QuizWizard::setWindowData(const LoadedData& data, const QString& datasetName) {
    windowData_ = data;
    modelPage_->setWindowData(data, datasetName);
    if (data.dataset)
        runPage_->setMaximumBudget(int(0.7 * data.dataset->promptCount()));
}

void QuizWizard::setAddToPool(std::function<bool(const PoolModel&, QString&)> addToPool) {
    placementPage_->setAddToPool(std::move(addToPool));
}

void QuizWizard::showPage(Page page) {
    pages_->setCurrentIndex(page);
    static const char* const titles[] = {
        QT_TR_NOOP("Step 1 of 3 — Choose the new model"),
        QT_TR_NOOP("Step 2 of 3 — Quiz it: the budget and the prompts chosen"),
        QT_TR_NOOP("Step 3 of 3 — Where it lands: identity, quality per category, budget curve")};
    stepTitle_->setText(tr(titles[page]));
    updateNavigation();
}

QuizWizard::Page QuizWizard::currentPage() const {
    return Page(pages_->currentIndex());
}

void QuizWizard::updateNavigation() {
    const int page = pages_->currentIndex();
    back_->setEnabled(page > ModelPage);
    next_->setEnabled(page == ModelPage || (page == QuizPage && report_ && !running_));
}

bool QuizWizard::buildRequest(QuizRequest& request, QString& error) const {
    if (!modelPage_->fillRequest(windowData_, request, error))
        return false;
    request.budget = runPage_->budget();
    return true;
}

void QuizWizard::start() {
    if (running_)
        return;
    auto job = std::make_shared<QuizJob>();
    QString error;
    if (!buildRequest(job->request, error)) {
        setStatus(tr("Cannot run the quiz: %1").arg(error), true);
        emit finished(false, statusLabel()->text());
        return;
    }
    job->preparation = preparation_;
    job_ = job;
    const bool prepared = preparation_ && preparation_->serves(job->request);
    progressBar()->setRange(0, prepared ? job->request.budget : 1000);
    progressBar()->setValue(0);
    setRunningState(true);
    setStatus(prepared ? tr("Asking %1…").arg(prompts(job->request.budget))
                       : tr("Preparing: fitting the other models' identities and training the "
                            "router without the new model (a few seconds)…"),
              false);
    background_->start([job] { job->run(); }, [job] { job->cancelRequested = true; });
}

void QuizWizard::cancel() {
    if (!running_ || !job_)
        return;
    background_->cancel();
    cancelButton()->setEnabled(false);
    setStatus(tr("Cancelling…"), false);
}

void QuizWizard::reject() {
    cancel();
    QDialog::reject();
}

void QuizWizard::poll() {
    if (!job_)
        return;
    QProgressBar* progress = progressBar();
    if (job_->preparing) {
        progress->setRange(0, 1000);
        progress->setFormat(tr("Preparing %p%"));
        progress->setValue(job_->preparedPermille);
        return;
    }
    if (job_->preparedPermille < 1000)
        return;
    progress->setRange(0, job_->request.budget);
    progress->setFormat(tr("%v of %m prompts asked"));
    progress->setValue(std::min<int>(job_->answered, job_->request.budget));
    if (!job_->cancelRequested && job_->request.endpointModel) {
        const std::lock_guard lock(job_->mutex);
        if (!job_->lastAnswerNote.isEmpty())
            setStatus(job_->lastAnswerNote, false);
    }
}

void QuizWizard::onJobFinished() {
    std::optional<QuizReport> report;
    QString error;
    bool cancelled = false;
    {
        const std::lock_guard lock(job_->mutex);
        report = std::move(job_->report);
        error = job_->error;
        cancelled = job_->cancelled;
    }
    if (job_->preparation)
        preparation_ = job_->preparation;
    const QuizRequest request = job_->request;
    job_.reset();
    setRunningState(false);
    QProgressBar* progress = progressBar();
    progress->setFormat({});
    if (!report) {
        progress->setRange(0, 1);
        progress->setValue(0);
        const QString message = cancelled ? tr("Cancelled. Nothing was placed; Run Quiz again "
                                               "when ready.")
                                          : tr("The quiz failed: %1").arg(error);
        setStatus(message, !cancelled);
        emit finished(false, message);
        return;
    }
    progress->setRange(0, request.budget);
    progress->setValue(request.budget);
    showPlaced(request, std::move(*report));
}

void QuizWizard::showPlaced(const QuizRequest& request, QuizReport report) {
    shownRequest_ = request;
    shownPreparation_ = preparation_;
    report_ = std::move(report);
    runPage_->showSteps(*request.dataset, report_->outcome.steps);
    placementPage_->showPlacement(*report_, shownRequest_, *shownPreparation_);
    const QString name = request.heldOut >= 0 ? request.dataset->modelNames[request.heldOut]
                                              : request.endpointModel->id;
    const QString message = tr("Placed %1 from %2. Next shows where it lands.")
                                .arg(name, prompts(int(report_->outcome.steps.size())));
    setStatus(message, false);
    updateNavigation();
    emit finished(true, message);
}

bool QuizWizard::saveResult(const QString& path, QString& error) const {
    if (!report_) {
        error = tr("no quiz has finished yet");
        return false;
    }
    const QuizStudy& study = *shownPreparation_->study;
    QuizReportLabels labels;
    labels.preference = shownRequest_.preference;
    labels.setup = shownPreparation_->setup->describe();
    if (study.hasRecords()) {
        labels.newModel = shownRequest_.dataset->modelNames[shownRequest_.heldOut];
    } else {
        labels.newModel = shownRequest_.endpointModel->id;
        labels.baseUrl = displayUrl(shownRequest_.endpointModel->endpoint.baseUrl);
        labels.scorer = shownRequest_.scorer;
    }
    const QJsonObject json = quizReportJson(*report_, study, *shownRequest_.dataset, labels);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(json).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
        error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void QuizWizard::chooseAndSave() {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save Quiz Result"), QStringLiteral("quiz.json"), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveResult(path, error))
        placementPage_->showNote(tr("Saved %1").arg(path), false);
    else
        placementPage_->showNote(tr("Could not save: %1").arg(error), true);
}

void QuizWizard::setStatus(const QString& text, bool error) {
    runPage_->setStatus(text, error);
}

void QuizWizard::setRunningState(bool running) {
    running_ = running;
    runPage_->setRunning(running);
    modelPage_->setEnabled(!running);
    updateNavigation();
    emit runningChanged(running);
}

} // namespace routerlab
