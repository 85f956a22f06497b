#include "ui/live/live_console.h"

#include "common/error_message.h"
#include "common/input_error.h"
#include "common/version.h"
#include "live/live_runner.h"
#include "live/prompt_file.h"
#include "ui/experiment/router_parameter_form.h"

#include <QButtonGroup>
#include <QColor>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <cmath>
#include <mutex>

namespace routerlab {

namespace {

constexpr int kPollMs = 100;
// A run whose first calls all fail is talking to nothing (a wrong base URL, a missing key):
// stop it rather than pay the retries of every remaining prompt.
constexpr int kGiveUpAfterFailures = 3;

enum Column {
    StepColumn,
    PromptColumn,
    ModelColumn,
    StatusColumn,
    InColumn,
    OutColumn,
    CostColumn,
    LatencyColumn,
    FirstTokenColumn,
    QualityColumn,
    ColumnCount
};

QString tokens(qint64 n) {
    return n < 0 ? QStringLiteral("—") : QString::number(n);
}

QString seconds(double s) {
    return std::isnan(s) ? QStringLiteral("—") : QString::number(s, 'f', 3);
}

QString describeRating(const HumanRating& r) {
    if (r.scale == HumanRating::Scale::Thumbs)
        return r.rating > 0.5 ? LiveConsole::tr("Rated: thumbs up")
                              : LiveConsole::tr("Rated: thumbs down");
    return LiveConsole::tr("Rated: %1 of 5 stars").arg(r.rating);
}

QDoubleSpinBox* weightBox(QWidget* parent, double value) {
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(0, 100);
    box->setDecimals(2);
    box->setSingleStep(0.1);
    box->setValue(value);
    return box;
}

QPushButton* button(const QString& text, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setAutoDefault(false); // Return in a text field must not start a paid run
    return b;
}

} // namespace

// What one run needs and what it reports. Inputs are set before the worker starts; the rest
// is shared with the GUI thread under `mutex`.
struct LiveConsoleJob {
    LiveConsole::Source source = LiveConsole::Source::Prompt;
    QString promptText;
    QString promptsFile;
    std::shared_ptr<const Dataset> windowDataset;
    std::shared_ptr<const ModelPool> windowPool; // used when poolPath is empty
    QString poolPath;
    QString workspacePath;
    LiveOptions options;
    ClientOptions client;

    std::mutex mutex;
    LiveRunner* runner = nullptr; // set while run() may be cancelled through it
    bool cancelRequested = false;
    std::shared_ptr<const Dataset> dataset; // once built: the prompts' texts
    std::vector<LiveCallRecord> arrived;    // recorded, not yet taken by the GUI
    int done = 0;
    int total = 0;
    qint64 sessionId = 0;
    QString error;  // the run could not start or broke off
    QString gaveUp; // the first calls all failed; names the last error
    std::optional<LiveResult> result;
};

namespace {

std::shared_ptr<const Dataset> buildDataset(LiveConsoleJob& job, const ModelPool& pool,
                                            SimulationOptions& sim) {
    switch (job.source) {
    case LiveConsole::Source::Prompt: {
        // One prompt is a prompts file of one line: the same rules as the CLI's --prompts.
        if (job.promptText.trimmed().isEmpty())
            throw std::invalid_argument("type a prompt first");
        const QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("prompt.jsonl"));
        QFile file(path);
        if (!dir.isValid() || !file.open(QIODevice::WriteOnly))
            throw std::invalid_argument("cannot write a temporary file for the prompt");
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("id"), QStringLiteral("prompt")},
                                             {QStringLiteral("prompt"), job.promptText}})
                       .toJson(QJsonDocument::Compact) +
                   '\n');
        file.close();
        sim.missing = MissingPolicy::Failure; // nothing is recorded
        return std::make_shared<const Dataset>(loadPromptFile(path, pool));
    }
    case LiveConsole::Source::File:
        if (job.promptsFile.isEmpty())
            throw std::invalid_argument("choose a prompts file first");
        sim.missing = MissingPolicy::Failure;
        return std::make_shared<const Dataset>(loadPromptFile(job.promptsFile, pool));
    case LiveConsole::Source::Dataset:
        if (!job.windowDataset)
            throw std::invalid_argument("the window has no dataset open");
        return job.windowDataset;
    }
    return {};
}

// The session of the calls this connection recorded last (the runner's own).
qint64 sessionOfLastCall(Database& db) {
    Statement s(db, QStringLiteral("SELECT session_id FROM live_calls WHERE id = ?"),
                QStringLiteral("finding the live session"));
    s.bind(1, db.lastInsertId());
    return s.step() ? s.columnInt64(0) : 0;
}

void runJob(LiveConsoleJob& job) {
    try {
        std::shared_ptr<const ModelPool> pool = job.windowPool;
        if (!job.poolPath.isEmpty())
            pool = std::make_shared<const ModelPool>(ModelPool::load(job.poolPath));
        if (!pool)
            throw std::invalid_argument("choose a pool file: it prices the models and names "
                                        "their endpoints");
        SimulationOptions sim;
        const std::shared_ptr<const Dataset> dataset = buildDataset(job, *pool, sim);
        const SimulationSetup setup(*dataset, *pool, sim);
        {
            const std::lock_guard lock(job.mutex);
            job.dataset = dataset;
        }
        WorkspaceStore store(job.workspacePath);
        LiveCallLog log(store);
        ChatClient client(job.client);
        LiveRunner runner(setup, *pool, client, &log);
        struct Registration { // unregisters before the runner goes, exceptions included
            LiveConsoleJob& job;
            ~Registration() {
                const std::lock_guard lock(job.mutex);
                job.runner = nullptr;
            }
        } registration{job};
        {
            const std::lock_guard lock(job.mutex);
            job.runner = &runner;
            if (job.cancelRequested)
                runner.requestCancel();
        }

        qint64 sessionId = 0;
        qint64 lastCall = 0;
        int failures = 0;
        bool answered = false;
        QString lastError;
        auto collect = [&](qint64 knownSession) {
            if (sessionId == 0)
                sessionId = knownSession > 0 ? knownSession : sessionOfLastCall(store.database());
            if (sessionId == 0)
                return;
            std::vector<LiveCallRecord> fresh = log.calls(sessionId, lastCall);
            if (fresh.empty())
                return;
            lastCall = fresh.back().id;
            for (const LiveCallRecord& c : fresh) {
                if (c.role != QLatin1String("answer"))
                    continue;
                if (c.status == QLatin1String("ok")) {
                    answered = true;
                } else if (c.status == QLatin1String("failed")) {
                    ++failures;
                    lastError = c.error;
                }
            }
            const std::lock_guard lock(job.mutex);
            job.sessionId = sessionId;
            job.arrived.insert(job.arrived.end(), std::make_move_iterator(fresh.begin()),
                               std::make_move_iterator(fresh.end()));
        };
        const auto progress = [&](int done, int total) {
            collect(0);
            const std::lock_guard lock(job.mutex);
            job.done = done;
            job.total = total;
            if (!answered && failures >= kGiveUpAfterFailures && job.gaveUp.isEmpty()) {
                job.gaveUp = lastError;
                runner.requestCancel();
            }
        };
        // The human scorer asks nobody here: a worker must not wait for a person. The answer
        // is recorded unscored (quality NULL) and the router learns from it as from quality 0,
        // as the runner treats any missing verdict; the person rates it in the table later,
        // which sets the stored quality (the router has moved on by then).
        const LiveResult result =
            runner.run(job.options, progress, [](const ScoreInput&) { return std::nullopt; });
        collect(result.sessionId); // the cancelled call, and anything after the last progress
        const std::lock_guard lock(job.mutex);
        job.sessionId = result.sessionId;
        job.result = result;
    } catch (...) {
        const std::lock_guard lock(job.mutex);
        job.error = currentErrorMessage();
    }
}

} // namespace

LiveConsole::LiveConsole(QWidget* parent) : QDialog(parent), pollTimer_(new QTimer(this)) {
    setWindowTitle(tr("Live Console"));
    setObjectName(QStringLiteral("liveConsole"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    worker_.setMaxThreadCount(1);
    pollTimer_->setInterval(kPollMs);
    connect(pollTimer_, &QTimer::timeout, this, &LiveConsole::poll);
    connect(&watcher_, &QFutureWatcher<void>::finished, this, &LiveConsole::onWorkerFinished);

    auto* top = new QHBoxLayout;
    top->addWidget(createPromptBox(), 1);
    top->addWidget(createSetupBox(), 1);

    run_ = button(tr("Run"), this);
    run_->setObjectName(QStringLiteral("liveRunButton"));
    cancel_ = button(tr("Cancel"), this);
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
    splitter->addWidget(createAnswerBox());
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
    requestCancel();
    worker_.waitForDone();
}

QWidget* LiveConsole::createPromptBox() {
    auto* box = new QGroupBox(tr("Prompts"), this);
    fromPrompt_ = new QRadioButton(tr("This prompt:"), box);
    prompt_ = new QPlainTextEdit(box);
    prompt_->setObjectName(QStringLiteral("livePrompt"));
    prompt_->setPlaceholderText(tr("Type a prompt to route…"));
    prompt_->setMaximumHeight(140);
    fromFile_ = new QRadioButton(tr("Prompts file:"), box);
    promptsFile_ = new QLineEdit(box);
    promptsFile_->setPlaceholderText(tr("JSONL (prompt, id, reference, category) or one per line"));
    auto* open = button(tr("Open prompts file…"), box);
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
    auto* poolButton = button(tr("…"), box);
    connect(poolButton, &QPushButton::clicked, this, &LiveConsole::choosePool);
    auto* poolRow = new QHBoxLayout;
    poolRow->addWidget(pool_, 1);
    poolRow->addWidget(poolButton);
    form->addRow(tr("Pool"), poolRow);

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
    const int pickllm = router_->findText(QStringLiteral("pickllm-ga"));
    router_->setCurrentIndex(pickllm >= 0 ? pickllm : 0);
    routerForm_->setSpec(RouterSpec{router_->currentText(), {}});
    form->addRow(tr("Router"), router_);
    form->addRow(QString(), scroll);

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

    baseUrl_ = new QLineEdit(box);
    baseUrl_->setObjectName(QStringLiteral("liveBaseUrl"));
    baseUrl_->setPlaceholderText(tr("each model's own endpoint"));
    baseUrl_->setToolTip(tr("Send every model here, e.g. the replay server's "
                            "http://127.0.0.1:PORT/v1 (routerlab-cli serve)."));
    form->addRow(tr("Base URL"), baseUrl_);

    workspace_ = new QLineEdit(box);
    workspace_->setObjectName(QStringLiteral("liveWorkspace"));
    workspace_->setPlaceholderText(tr("none: a temporary one, gone with the console"));
    auto* workspaceButton = button(tr("…"), box);
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
    return box;
}

QWidget* LiveConsole::createCallsBox() {
    auto* box = new QGroupBox(tr("Calls"), this);
    table_ = new QTableWidget(0, ColumnCount, box);
    table_->setObjectName(QStringLiteral("liveCalls"));
    table_->setHorizontalHeaderLabels({tr("Step"), tr("Prompt"), tr("Model"), tr("Status"),
                                       tr("In"), tr("Out"), tr("Cost $"), tr("Latency s"),
                                       tr("TTFT s"), tr("Quality")});
    const QStringList tips = {tr("The router's step"),
                              tr("The prompt's id"),
                              tr("The model the router chose"),
                              tr("ok, failed (after its retries) or cancelled"),
                              tr("Prompt tokens, as the server reported them"),
                              tr("Completion tokens, as the server reported them"),
                              tr("Priced from the reported tokens and the pool's prices"),
                              tr("Seconds from request to last byte"),
                              tr("Time to first token, in seconds (streamed answers)"),
                              tr("The scorer's verdict, or a person's rating")};
    for (int c = 0; c < ColumnCount; ++c)
        table_->horizontalHeaderItem(c)->setToolTip(tips[c]);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    // Sized once from the first calls: resizing to contents on every row would slow a long run.
    table_->horizontalHeader()->setStretchLastSection(true);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &LiveConsole::showSelected);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(table_);
    return box;
}

QWidget* LiveConsole::createAnswerBox() {
    auto* box = new QGroupBox(tr("Answer"), this);
    promptView_ = new QPlainTextEdit(box);
    promptView_->setReadOnly(true);
    promptView_->setMaximumHeight(90);
    promptView_->setPlaceholderText(tr("The selected call's prompt"));
    // ChatClient reports a call once it has ended (it has no per-chunk callback), so an answer
    // appears whole when its call ends, streamed or not.
    answer_ = new QPlainTextEdit(box);
    answer_->setObjectName(QStringLiteral("liveAnswer"));
    answer_->setReadOnly(true);
    answer_->setPlaceholderText(tr("Select a call to read its answer"));

    thumbsUp_ = new QToolButton(box);
    thumbsUp_->setText(tr("Good"));
    thumbsUp_->setToolTip(tr("Thumbs up: quality 1"));
    thumbsDown_ = new QToolButton(box);
    thumbsDown_->setText(tr("Bad"));
    thumbsDown_->setToolTip(tr("Thumbs down: quality 0"));
    thumbsUp_->setArrowType(Qt::UpArrow);
    thumbsDown_->setArrowType(Qt::DownArrow);
    auto* group = new QButtonGroup(box);
    group->setExclusive(false); // a selection without a rating shows none checked
    auto* ratingRow = new QHBoxLayout;
    for (QToolButton* b : {thumbsUp_, thumbsDown_}) {
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        ratingRow->addWidget(b);
    }
    connect(thumbsUp_, &QToolButton::clicked, this, [this] {
        rateSelected({HumanRating::Scale::Thumbs, 1, {}, {}});
    });
    connect(thumbsDown_, &QToolButton::clicked, this, [this] {
        rateSelected({HumanRating::Scale::Thumbs, 0, {}, {}});
    });
    ratingRow->addSpacing(12);
    for (int n = 1; n <= 5; ++n) {
        auto* star = new QToolButton(box);
        star->setText(QString(n, QChar(0x2605)));
        star->setToolTip(tr("%n star(s): quality %1", nullptr, n).arg((n - 1) / 4.0));
        connect(star, &QToolButton::clicked, this, [this, n] {
            rateSelected({HumanRating::Scale::Stars, double(n), {}, {}});
        });
        stars_.push_back(star);
        ratingRow->addWidget(star);
    }
    for (QToolButton* b : stars_)
        group->addButton(b);
    group->addButton(thumbsUp_);
    group->addButton(thumbsDown_);
    for (QAbstractButton* b : group->buttons()) {
        b->setCheckable(true);
        b->setEnabled(false);
    }
    ratingRow->addStretch(1);
    rating_ = new QLabel(box);
    rating_->setObjectName(QStringLiteral("liveRating"));

    auto* layout = new QVBoxLayout(box);
    layout->addWidget(promptView_);
    layout->addWidget(answer_, 1);
    layout->addLayout(ratingRow);
    layout->addWidget(rating_);
    return box;
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

void LiveConsole::start() {
    if (running_)
        return;
    auto job = std::make_shared<LiveConsoleJob>();
    LiveOptions& o = job->options;
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
        return;
    }
    o.baseUrl = baseUrl_->text().trimmed();
    o.limit = limit_->value();
    o.storeResponses = true; // the console shows them, and a person rates what they read
    job->client.maxRetries = retries_->value();
    job->source = fromDataset_->isChecked() ? Source::Dataset
                  : fromFile_->isChecked()  ? Source::File
                                            : Source::Prompt;
    job->promptText = prompt_->toPlainText();
    job->promptsFile = promptsFile_->text().trimmed();
    job->windowDataset = windowData_.dataset;
    // The window's pool as loaded (and edited) when the field still names it.
    const QString pool = pool_->text().trimmed();
    if (pool.isEmpty() || pool == windowPoolPath_)
        job->windowPool = windowData_.pool;
    if (!pool.isEmpty() && !(pool == windowPoolPath_ && windowData_.pool))
        job->poolPath = pool;
    job->workspacePath = workspace_->text().trimmed();
    if (job->workspacePath.isEmpty()) {
        if (!scratch_ || !scratch_->isValid())
            scratch_ = std::make_unique<QTemporaryDir>();
        job->workspacePath = scratch_->filePath(QStringLiteral("live-console.routerlab"));
    }
    const char* sources[] = {"prompt", "file", "dataset"};
    const QJsonObject config{
        {QStringLiteral("command"), QStringLiteral("live-console")},
        {QStringLiteral("version"), versionString()},
        {QStringLiteral("prompts"), QString::fromLatin1(sources[int(job->source)])},
        {QStringLiteral("prompts_file"),
         job->source == Source::File ? job->promptsFile : QString()},
        {QStringLiteral("pool"), pool},
        {QStringLiteral("router"), o.router.toString()},
        {QStringLiteral("scorer"), o.scorer},
        {QStringLiteral("preference"), o.preference.toString()},
        {QStringLiteral("base_url"), displayUrl(o.baseUrl)},
        {QStringLiteral("limit"), o.limit},
        {QStringLiteral("retries"), job->client.maxRetries}};
    o.configJson = QJsonDocument(config).toJson(QJsonDocument::Compact);

    table_->setRowCount(0);
    calls_.clear();
    shownDataset_.reset();
    rowOfPrompt_.clear();
    sessionId_ = 0;
    sessionWorkspace_ = job->workspacePath;
    progress_->setRange(0, 0); // busy until the first call tells the total
    job_ = job;
    setRunningState(true);
    setStatus(tr("Running %1 with the %2 scorer…").arg(o.router.toString(), o.scorer), false);
    watcher_.setFuture(QtConcurrent::run(&worker_, [job] { runJob(*job); }));
    pollTimer_->start();
}

void LiveConsole::requestCancel() {
    if (!job_)
        return;
    const std::lock_guard lock(job_->mutex);
    job_->cancelRequested = true;
    if (job_->runner)
        job_->runner->cancel();
}

void LiveConsole::cancel() {
    if (!running_)
        return;
    requestCancel();
    cancel_->setEnabled(false);
    setStatus(tr("Cancelling…"), false);
}

void LiveConsole::reject() {
    cancel();
    QDialog::reject();
}

void LiveConsole::poll() {
    if (!job_)
        return;
    std::vector<LiveCallRecord> arrived;
    std::shared_ptr<const Dataset> dataset;
    int done = 0, total = 0;
    {
        const std::lock_guard lock(job_->mutex);
        arrived.swap(job_->arrived);
        dataset = job_->dataset;
        done = job_->done;
        total = job_->total;
        sessionId_ = job_->sessionId;
    }
    if (dataset && dataset != shownDataset_) {
        shownDataset_ = dataset;
        rowOfPrompt_.clear();
        rowOfPrompt_.reserve(dataset->promptCount());
        for (int r = 0; r < dataset->promptCount(); ++r)
            rowOfPrompt_.insert(dataset->promptIds[r], r);
    }
    if (total > 0 && running_) {
        progress_->setRange(0, total);
        progress_->setValue(done);
    }
    if (arrived.empty())
        return;
    const bool follow = table_->selectionModel()->selectedRows().isEmpty();
    const bool first = table_->rowCount() == 0;
    table_->setUpdatesEnabled(false);
    for (const LiveCallRecord& c : arrived)
        appendCall(c);
    if (first)
        table_->resizeColumnsToContents();
    table_->setUpdatesEnabled(true);
    if (follow)
        table_->scrollToBottom();
}

void LiveConsole::appendCall(const LiveCallRecord& c) {
    // The judge's own calls are paid and recorded, but there is nothing to rate in them.
    if (c.role != QLatin1String("answer"))
        return;
    const int row = table_->rowCount();
    table_->insertRow(row);
    calls_.push_back(c);
    const auto set = [&](int column, const QString& text, bool number) {
        auto* item = new QTableWidgetItem(text);
        if (number)
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        table_->setItem(row, column, item);
        return item;
    };
    set(StepColumn, QString::number(c.step + 1), true);
    set(PromptColumn, c.promptId, false);
    set(ModelColumn, c.model, false);
    QTableWidgetItem* status = set(StatusColumn, c.status, false);
    if (!c.error.isEmpty())
        status->setToolTip(c.error);
    if (c.status == QLatin1String("failed"))
        status->setForeground(QColor(0xb0, 0x20, 0x20));
    set(InColumn, tokens(c.promptTokens), true);
    set(OutColumn, tokens(c.completionTokens), true);
    set(CostColumn, QString::number(c.costUsd, 'f', 6), true);
    set(LatencyColumn, seconds(c.latencyS), true);
    set(FirstTokenColumn, seconds(c.firstTokenS), true);
    set(QualityColumn, QString(), true);
    setRowQuality(row, c.quality);
}

void LiveConsole::setRowQuality(int row, double quality) {
    QTableWidgetItem* item = table_->item(row, QualityColumn);
    if (!item)
        return;
    const bool ok = calls_[row].status == QLatin1String("ok");
    item->setText(!std::isnan(quality) ? QString::number(quality, 'f', 2)
                  : ok                 ? tr("rate it")
                                       : QStringLiteral("—"));
}

void LiveConsole::showSelected() {
    const QList<QTableWidgetItem*> items = table_->selectedItems();
    const int row = items.isEmpty() ? -1 : items.first()->row();
    auto* group = thumbsUp_->group();
    for (QAbstractButton* b : group->buttons())
        b->setChecked(false);
    if (row < 0 || row >= static_cast<int>(calls_.size())) {
        promptView_->clear();
        answer_->clear();
        rating_->clear();
        for (QAbstractButton* b : group->buttons())
            b->setEnabled(false);
        return;
    }
    const LiveCallRecord& c = calls_[row];
    const auto text = rowOfPrompt_.constFind(c.promptId);
    promptView_->setPlainText(text != rowOfPrompt_.cend() && shownDataset_
                                  ? shownDataset_->promptTexts[*text]
                                  : QString());
    if (c.status == QLatin1String("ok"))
        answer_->setPlainText(c.response);
    else
        answer_->setPlainText(tr("No answer: the call %1.\n\n%2")
                                  .arg(c.status == QLatin1String("cancelled")
                                           ? tr("was cancelled")
                                           : tr("failed after %n attempt(s)", nullptr, c.attempts),
                                       c.error));
    const bool rateable = c.status == QLatin1String("ok");
    for (QAbstractButton* b : group->buttons())
        b->setEnabled(rateable);
    if (!rateable) {
        rating_->setText(tr("Only answers can be rated."));
        return;
    }
    QString error;
    LiveCallLog* log = ratingLog(error);
    std::optional<HumanRating> stored;
    try {
        if (log)
            stored = log->rating(c.id);
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
    if (!error.isEmpty()) {
        rating_->setText(tr("Cannot read the rating: %1").arg(error));
    } else if (!stored) {
        rating_->setText(tr("Not rated yet"));
    } else {
        rating_->setText(describeRating(*stored));
        if (stored->scale == HumanRating::Scale::Thumbs)
            (stored->rating > 0.5 ? thumbsUp_ : thumbsDown_)->setChecked(true);
        else
            stars_.at(static_cast<int>(stored->rating) - 1)->setChecked(true);
    }
}

LiveCallLog* LiveConsole::ratingLog(QString& error) {
    if (sessionWorkspace_.isEmpty()) {
        error = tr("no workspace");
        return nullptr;
    }
    try {
        if (!ratingStore_ || ratingStore_->path() != sessionWorkspace_) {
            ratingLog_.reset();
            ratingStore_ = std::make_unique<WorkspaceStore>(sessionWorkspace_);
            ratingLog_ = std::make_unique<LiveCallLog>(*ratingStore_);
        }
        return ratingLog_.get();
    } catch (...) {
        error = currentErrorMessage();
    }
    ratingStore_.reset();
    return nullptr;
}

bool LiveConsole::rateSelected(const HumanRating& rating) {
    const QList<QTableWidgetItem*> items = table_->selectedItems();
    const int row = items.isEmpty() ? -1 : items.first()->row();
    if (row < 0 || row >= static_cast<int>(calls_.size())) {
        setStatus(tr("Select an answer to rate."), true);
        return false;
    }
    QString error;
    LiveCallLog* log = ratingLog(error);
    try {
        if (log)
            log->rate(calls_[row].id, rating);
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
    }
    if (!error.isEmpty() || !log) {
        setStatus(tr("Could not store the rating: %1").arg(error), true);
        showSelected();
        return false;
    }
    calls_[row].quality = rating.quality();
    setRowQuality(row, rating.quality());
    showSelected();
    return true;
}

void LiveConsole::onWorkerFinished() {
    pollTimer_->stop();
    poll();
    bool error = false;
    const QString message = finalMessage(error);
    QString stopReason = QStringLiteral("error");
    {
        const std::lock_guard lock(job_->mutex);
        sessionId_ = job_->sessionId;
        if (job_->result)
            stopReason = job_->result->stopReason;
    }
    const int done = static_cast<int>(calls_.size());
    progress_->setRange(0, std::max(1, progress_->maximum()));
    progress_->setValue(std::min(done, progress_->maximum()));
    setRunningState(false);
    setStatus(message, error);
    emit finished(stopReason, message);
}

QString LiveConsole::finalMessage(bool& error) const {
    const std::lock_guard lock(job_->mutex);
    error = true;
    if (!job_->error.isEmpty())
        return tr("Could not run: %1").arg(job_->error);
    if (!job_->result)
        return tr("Could not run");
    if (!job_->gaveUp.isEmpty())
        return tr("Stopped: the first %1 calls all failed, so the endpoint looks unreachable. "
                  "Last error: %2")
            .arg(kGiveUpAfterFailures)
            .arg(job_->gaveUp);
    const LiveResult& r = *job_->result;
    double quality = 0;
    int scored = 0;
    QString lastError;
    for (const LiveCallRecord& c : calls_) {
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
                      static_cast<int>(calls_.size()))
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
