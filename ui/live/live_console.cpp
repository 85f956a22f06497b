#include "ui/live/live_console.h"

#include "live/scorer.h"
#include "ui/experiment/router_parameter_form.h"
#include "ui/shell/background_job.h"
#include "ui/shell/dialog_button.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>
#include <cmath>

namespace routerlab {

namespace {

QDoubleSpinBox* weightBox(QWidget* parent, double value) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0, 100);
    box->setDecimals(2);
    box->setSingleStep(0.1);
    box->setValue(value);
    return box;
}

} // namespace

LiveConsole::LiveConsole(QWidget* parent)
    : QDialog(parent), job_(new BackgroundJob(BackgroundJob::kDefaultPollMs, this)) {
    setWindowTitle(tr("Live Console"));
    setObjectName(QStringLiteral("liveConsole"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    connect(job_, &BackgroundJob::poll, this, &LiveConsole::poll);
    connect(job_, &BackgroundJob::finished, this, &LiveConsole::onSessionFinished);

    auto* top = new QHBoxLayout;
    top->addWidget(createPromptBox(), 1);
    top->addWidget(createSetupBox(), 1);

    run_ = dialogButton(tr("Run"), this);
    run_->setObjectName(QStringLiteral("liveRunButton"));
    cancel_ = dialogButton(tr("Cancel"), this);
    cancel_->setObjectName(QStringLiteral("liveCancelButton"));
    cancel_->setEnabled(false);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(tr("%v of %m calls"));
    connect(run_, &QPushButton::clicked, this, &LiveConsole::start);
    connect(cancel_, &QPushButton::clicked, this, &LiveConsole::cancel);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(run_);
    runRow->addWidget(cancel_);
    runRow->addWidget(progress_, 1);
    status_ = new QLabel(tr("Choose the prompts and a router, then Run."), this);
    status_->setObjectName(QStringLiteral("liveStatus"));
    status_->setWordWrap(true);
    status_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(createCallsBox());
    answerPane_ = new LiveAnswerPane(this);
    connect(answerPane_, &LiveAnswerPane::rated, this, &LiveConsole::rateSelected);
    splitter->addWidget(answerPane_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({780, 470});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(runRow);
    layout->addWidget(status_);
    layout->addWidget(splitter, 1);
    resize(1250, 820);
    setSource(Source::Prompt);
}

LiveConsole::~LiveConsole() {
    job_->cancel();
    job_->waitForFinished();
}

QWidget* LiveConsole::createPromptBox() {
    auto* box = new QGroupBox(tr("Prompts"), this);
    fromPrompt_ = new QRadioButton(tr("This prompt:"), box);
    prompt_ = new QPlainTextEdit(box);
    prompt_->setObjectName(QStringLiteral("livePrompt"));
    prompt_->setAccessibleName(tr("Prompt"));
    prompt_->setPlaceholderText(tr("Type a prompt to route…"));
    prompt_->setMaximumHeight(140);
    fromFile_ = new QRadioButton(tr("Prompts file:"), box);
    promptsFile_ = new QLineEdit(box);
    promptsFile_->setPlaceholderText(tr("JSONL (prompt, id, reference, category) or one per line"));
    auto* open = dialogButton(tr("Open prompts file…"), box);
    connect(open, &QPushButton::clicked, this, &LiveConsole::choosePromptsFile);
    fromDataset_ = new QRadioButton(tr("The window's dataset:"), box);
    datasetName_ = new QLabel(tr("none open"), box);
    auto* group = new QButtonGroup(box);
    group->addButton(fromPrompt_);
    group->addButton(fromFile_);
    group->addButton(fromDataset_);

    auto* fileRow = new QHBoxLayout;
    fileRow->addWidget(fromFile_);
    fileRow->addWidget(promptsFile_, 1);
    fileRow->addWidget(open);
    auto* datasetRow = new QHBoxLayout;
    datasetRow->addWidget(fromDataset_);
    datasetRow->addWidget(datasetName_, 1);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(fromPrompt_);
    layout->addWidget(prompt_);
    layout->addLayout(fileRow);
    layout->addLayout(datasetRow);
    layout->addStretch(1);
    connect(promptsFile_, &QLineEdit::textEdited, this, [this] { fromFile_->setChecked(true); });
    connect(prompt_, &QPlainTextEdit::textChanged, this, [this] {
        if (prompt_->hasFocus())
            fromPrompt_->setChecked(true);
    });
    return box;
}

QWidget* LiveConsole::createSetupBox() {
    auto* box = new QGroupBox(tr("Routing"), this);
    auto* form = new QFormLayout(box);

    pool_ = new QLineEdit(box);
    pool_->setPlaceholderText(tr("the window's pool"));
    pool_->setToolTip(tr("Prices and endpoints (base_url, model, api_key_env). Keys stay in the "
                         "environment: the pool names only the variable."));
    auto* poolButton = dialogButton(tr("…"), box);
    connect(poolButton, &QPushButton::clicked, this, &LiveConsole::choosePool);
    auto* poolRow = new QHBoxLayout;
    poolRow->addWidget(pool_, 1);
    poolRow->addWidget(poolButton);
    form->addRow(tr("Pool"), poolRow);

    addRouterRows(box, form);

    quality_ = weightBox(box, 1);
    cost_ = weightBox(box, 0);
    latency_ = weightBox(box, 0);
    auto* weights = new QHBoxLayout;
    weights->addWidget(quality_);
    weights->addWidget(cost_);
    weights->addWidget(latency_);
    form->addRow(tr("Preference (quality, cost, latency)"), weights);

    scorer_ = new QComboBox(box);
    scorer_->setObjectName(QStringLiteral("liveScorer"));
    scorer_->setEditable(true);
    for (QString form : scorerForms())
        scorer_->addItem(form.remove(QStringLiteral("[:PATTERN]")));
    scorer_->setCurrentText(QStringLiteral("replay"));
    scorer_->setToolTip(tr("How answers are scored. regex:PATTERN and judge:model=ID take an "
                           "argument; human leaves answers unscored until you rate them here."));
    form->addRow(tr("Scorer"), scorer_);

    addCallRows(box, form);
    return box;
}

// Where the calls go, where they are recorded and how many are made.
void LiveConsole::addCallRows(QWidget* box, QFormLayout* form) {
    baseUrl_ = new QLineEdit(box);
    baseUrl_->setObjectName(QStringLiteral("liveBaseUrl"));
    baseUrl_->setPlaceholderText(tr("each model's own endpoint"));
    baseUrl_->setToolTip(tr("Send every model here, e.g. the replay server's "
                            "http://127.0.0.1:PORT/v1 (routerlab-cli serve)."));
    form->addRow(tr("Base URL"), baseUrl_);

    workspace_ = new QLineEdit(box);
    workspace_->setObjectName(QStringLiteral("liveWorkspace"));
    workspace_->setPlaceholderText(tr("none: a temporary one, gone with the console"));
    auto* workspaceButton = dialogButton(tr("…"), box);
    connect(workspaceButton, &QPushButton::clicked, this, &LiveConsole::chooseWorkspace);
    auto* workspaceRow = new QHBoxLayout;
    workspaceRow->addWidget(workspace_, 1);
    workspaceRow->addWidget(workspaceButton);
    form->addRow(tr("Workspace"), workspaceRow);

    limit_ = new QSpinBox(box);
    limit_->setRange(0, 100000000);
    limit_->setSpecialValueText(tr("all"));
    limit_->setToolTip(tr("Route at most this many prompts."));
    retries_ = new QSpinBox(box);
    retries_->setRange(0, 10);
    retries_->setValue(ClientOptions{}.maxRetries);
    retries_->setToolTip(tr("Retries after a 429, 5xx or network error, with backoff."));
    auto* limits = new QHBoxLayout;
    limits->addWidget(limit_, 1);
    limits->addWidget(new QLabel(tr("Retries"), box));
    limits->addWidget(retries_);
    form->addRow(tr("Prompts at most"), limits);
}

void LiveConsole::addRouterRows(QWidget* box, QFormLayout* form) {
    router_ = new QComboBox(box);
    router_->setObjectName(QStringLiteral("liveRouter"));
    for (const RouterType& t : RouterRegistry::instance().types()) {
        router_->addItem(t.name);
        router_->setItemData(router_->count() - 1, t.summary, Qt::ToolTipRole);
    }
    routerForm_ = new RouterParameterForm(box);
    auto* scroll = new QScrollArea(box);
    scroll->setWidget(routerForm_);
    scroll->setWidgetResizable(true);
    scroll->setMaximumHeight(110);
    connect(router_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
        routerForm_->setSpec(RouterSpec{name, {}});
    });
    const int preset = router_->findText(defaultLiveRouter());
    router_->setCurrentIndex(preset >= 0 ? preset : 0);
    routerForm_->setSpec(RouterSpec{router_->currentText(), {}});
    form->addRow(tr("Router"), router_);
    form->addRow(QString(), scroll);
}

QWidget* LiveConsole::createCallsBox() {
    callTabs_ = new QTabWidget(this);
    callTabs_->setObjectName(QStringLiteral("liveCallTabs"));
    table_ = new LiveCallTable(callTabs_);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &LiveConsole::showSelected);
    callTabs_->addTab(table_, tr("Calls"));
    traffic_ = new TrafficPanel(callTabs_);
    callTabs_->addTab(traffic_, tr("Traffic"));
    // A workspace typed in (a proxy's) lists its sessions on the Traffic tab.
    connect(workspace_, &QLineEdit::editingFinished, this, [this] {
        if (!workspace_->text().trimmed().isEmpty())
            traffic_->setWorkspace(workspace_->text().trimmed());
    });
    return callTabs_;
}

void LiveConsole::setWindowData(const LoadedData& data, const QString& datasetName,
                                const QString& poolPath, const QString& workspacePath) {
    const bool firstData = !windowData_.dataset && data.dataset;
    if (pool_->text() == windowPoolPath_)
        pool_->setText(poolPath);
    if (workspace_->text() == windowWorkspace_)
        workspace_->setText(workspacePath);
    windowData_ = data;
    windowPoolPath_ = poolPath;
    windowWorkspace_ = workspacePath;
    if (!workspacePath.isEmpty())
        traffic_->setWorkspace(workspacePath);
    fromDataset_->setEnabled(data.dataset != nullptr);
    datasetName_->setText(
        data.dataset
            ? tr("%1 (%n prompt(s))", nullptr, data.dataset->promptCount()).arg(datasetName)
            : tr("none open"));
    if (firstData && !running_)
        setSource(Source::Dataset);
    else if (!data.dataset && fromDataset_->isChecked())
        setSource(Source::Prompt);
}

void LiveConsole::setSource(Source source) {
    switch (source) {
    case Source::Prompt:
        fromPrompt_->setChecked(true);
        break;
    case Source::File:
        fromFile_->setChecked(true);
        break;
    case Source::Dataset:
        fromDataset_->setChecked(true);
        break;
    }
}

void LiveConsole::setPromptsFile(const QString& path) {
    promptsFile_->setText(path);
    setSource(Source::File);
}

void LiveConsole::choosePromptsFile() {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Open Prompts File"), QFileInfo(promptsFile_->text()).absolutePath(),
        tr("Prompts (*.jsonl *.ndjson *.txt);;All files (*)"));
    if (!file.isEmpty())
        setPromptsFile(file);
}

void LiveConsole::choosePool() {
    const QString file =
        QFileDialog::getOpenFileName(this, tr("Open Pool"), QFileInfo(pool_->text()).absolutePath(),
                                     tr("Model pools (*.pool.json *.json);;All files (*)"));
    if (!file.isEmpty())
        pool_->setText(file);
}

void LiveConsole::chooseWorkspace() {
    // Not a confirmed overwrite: an existing workspace gains a session, it is not replaced.
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Record in Workspace"), workspace_->text(),
        tr("Workspaces (*.routerlab);;All files (*)"), nullptr, QFileDialog::DontConfirmOverwrite);
    if (!file.isEmpty())
        workspace_->setText(file);
}

bool LiveConsole::readRouting(LiveOptions& o) {
    try {
        o.router = routerForm_->spec();
        RouterRegistry::instance().resolve(o.router);
        o.preference = Preference{quality_->value(), cost_->value(), latency_->value()};
        o.scorer = scorer_->currentText().trimmed();
        // The judge is checked against the pool on the worker, once the pool is read.
        if (!o.scorer.startsWith(QLatin1String("judge")))
            makeScorer(o.scorer);
    } catch (const std::invalid_argument& e) {
        setStatus(tr("Cannot run: %1").arg(QString::fromUtf8(e.what())), true);
        return false;
    }
    o.baseUrl = baseUrl_->text().trimmed();
    o.limit = limit_->value();
    o.storeResponses = true; // the console shows them, and a person rates what they read
    return true;
}

LiveSessionInput LiveConsole::sessionInput(const LiveOptions& options) {
    LiveSessionInput in;
    in.options = options;
    in.client.maxRetries = retries_->value();
    in.source = fromDataset_->isChecked() ? Source::Dataset
                : fromFile_->isChecked()  ? Source::File
                                          : Source::Prompt;
    in.promptText = prompt_->toPlainText();
    in.promptsFile = promptsFile_->text().trimmed();
    in.dataset = windowData_.dataset;
    // The window's pool as loaded (and edited) when the field still names it.
    const QString pool = pool_->text().trimmed();
    if (pool.isEmpty() || pool == windowPoolPath_)
        in.pool = windowData_.pool;
    if (!pool.isEmpty() && !(pool == windowPoolPath_ && windowData_.pool))
        in.poolPath = pool;
    in.workspacePath = workspace_->text().trimmed();
    if (in.workspacePath.isEmpty()) {
        if (!scratch_ || !scratch_->isValid())
            scratch_ = std::make_unique<QTemporaryDir>();
        in.workspacePath = scratch_->filePath(QStringLiteral("live-console.routerlab"));
    }
    in.options.configJson = in.configJson(QStringLiteral("live-console"), pool);
    return in;
}

void LiveConsole::start() {
    if (running_)
        return;
    LiveOptions options;
    if (!readRouting(options))
        return;
    LiveSessionInput input = sessionInput(options);
    table_->clearCalls();
    shownDataset_.reset();
    rowOfPrompt_.clear();
    sessionId_ = 0;
    sessionWorkspace_ = input.workspacePath;
    answerPane_->setWorkspace(sessionWorkspace_);
    session_ = std::make_shared<LiveSession>(std::move(input));
    progress_->setRange(0, 0); // busy until the first call tells the total
    setRunningState(true);
    setStatus(tr("Running %1 with the %2 scorer…").arg(options.router.toString(), options.scorer),
              false);
    job_->start([session = session_] { session->run(); },
                [session = session_] { session->cancel(); });
}

void LiveConsole::cancel() {
    if (!running_)
        return;
    job_->cancel();
    cancel_->setEnabled(false);
    setStatus(tr("Cancelling…"), false);
}

void LiveConsole::reject() {
    cancel();
    QDialog::reject();
}

void LiveConsole::poll() {
    if (!session_)
        return;
    const LiveSessionProgress progress = session_->takeProgress();
    sessionId_ = progress.sessionId;
    showPrompts(progress.dataset);
    if (progress.total > 0 && running_) {
        progress_->setRange(0, progress.total);
        progress_->setValue(progress.done);
    }
    table_->appendCalls(progress.arrived);
    // The Traffic tab turns to each new run once; a session chosen there afterwards stays.
    if (sessionId_ > 0 && sessionId_ != trafficFollows_) {
        trafficFollows_ = sessionId_;
        traffic_->showSession(sessionWorkspace_, sessionId_);
    }
}

// The prompts' texts by id, for the selected call's prompt view.
void LiveConsole::showPrompts(const std::shared_ptr<const Dataset>& dataset) {
    if (!dataset || dataset == shownDataset_)
        return;
    shownDataset_ = dataset;
    rowOfPrompt_.clear();
    rowOfPrompt_.reserve(dataset->promptCount());
    for (int r = 0; r < dataset->promptCount(); ++r)
        rowOfPrompt_.insert(dataset->promptIds[r], r);
}

void LiveConsole::showSelected() {
    const int row = table_->selectedCall();
    if (row < 0)
        return answerPane_->showNoCall();
    const LiveCallRecord& c = table_->calls()[row];
    const auto text = rowOfPrompt_.constFind(c.promptId);
    answerPane_->showCall(c, text != rowOfPrompt_.cend() && shownDataset_
                                 ? shownDataset_->promptTexts[*text]
                                 : QString());
}

bool LiveConsole::rateSelected(const HumanRating& rating) {
    const int row = table_->selectedCall();
    if (row < 0) {
        setStatus(tr("Select an answer to rate."), true);
        return false;
    }
    QString error;
    if (!answerPane_->rate(table_->calls()[row].id, rating, error)) {
        setStatus(tr("Could not store the rating: %1").arg(error), true);
        showSelected();
        return false;
    }
    table_->setQuality(row, rating.quality());
    traffic_->reload();
    showSelected();
    return true;
}

void LiveConsole::onSessionFinished() {
    const LiveSessionOutcome outcome = session_->outcome();
    sessionId_ = outcome.sessionId;
    bool error = false;
    const QString message = finalMessage(outcome, error);
    const QString stopReason =
        outcome.result ? outcome.result->stopReason : QStringLiteral("error");
    const int done = static_cast<int>(table_->calls().size());
    progress_->setRange(0, std::max(1, progress_->maximum()));
    progress_->setValue(std::min(done, progress_->maximum()));
    setRunningState(false);
    setStatus(message, error);
    if (sessionId_ > 0) // the session's status in the Traffic tab's list, and its last calls
        traffic_->setWorkspace(sessionWorkspace_);
    emit finished(stopReason, message);
}

QString LiveConsole::finalMessage(const LiveSessionOutcome& outcome, bool& error) const {
    error = true;
    if (!outcome.error.isEmpty())
        return tr("Could not run: %1").arg(outcome.error);
    if (!outcome.result)
        return tr("Could not run");
    if (!outcome.gaveUp.isEmpty())
        return tr("Stopped: the first %1 calls all failed, so the endpoint looks unreachable. "
                  "Last error: %2")
            .arg(LiveSession::kGiveUpAfterFailures)
            .arg(outcome.gaveUp);
    const LiveResult& r = *outcome.result;
    double quality = 0;
    int scored = 0;
    QString lastError;
    for (const LiveCallRecord& c : table_->calls()) {
        if (c.status == QLatin1String("ok") && !std::isnan(c.quality)) {
            quality += c.quality;
            ++scored;
        }
        if (c.status == QLatin1String("failed"))
            lastError = c.error;
    }
    const QString stop = r.stopReason == QLatin1String("complete")    ? tr("Done")
                         : r.stopReason == QLatin1String("cancelled") ? tr("Cancelled")
                                                                      : tr("Stopped at the budget");
    QString text = tr("%1: %n call(s), %2 answered, %3 failed; $%4 spent", nullptr,
                      static_cast<int>(table_->calls().size()))
                       .arg(stop)
                       .arg(r.answered)
                       .arg(r.failed)
                       .arg(r.spentUsd, 0, 'f', 6);
    if (r.judgeCostUsd > 0)
        text += tr(" (judge $%1)").arg(r.judgeCostUsd, 0, 'f', 6);
    if (scored > 0)
        text += tr("; mean quality %1").arg(quality / scored, 0, 'f', 3);
    if (r.answered > scored)
        text += tr("; %n answer(s) to rate", nullptr, r.answered - scored);
    text += QLatin1Char('.');
    text += r.sessionId > 0 ? tr(" Recorded as session %1 in %2.")
                                  .arg(r.sessionId)
                                  .arg(QFileInfo(sessionWorkspace_).fileName())
                            : QString();
    if (!lastError.isEmpty())
        text += tr(" Last error: %1").arg(lastError);
    error = r.failed > 0 && r.answered == 0;
    return text;
}

void LiveConsole::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #b02020;") : QString());
}

void LiveConsole::setRunningState(bool running) {
    running_ = running;
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    emit runningChanged(running);
}

} // namespace routerlab
