#include "ui/quiz/quiz_wizard.h"

#include "ui/charts/chart_panel.h"
#include "http/chat_protocol.h"
#include "live/scorer.h"
#include "sim/simulation.h"

#include <QButtonGroup>
#include <QChart>
#include <QChartView>
#include <QColor>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
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
#include <QSaveFile>
#include <QScatterSeries>
#include <QSlider>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QtConcurrent>
#include <cmath>

namespace routerlab {

namespace {

constexpr int kPollMs = 100;
constexpr int kMaxBudget = 200;
constexpr int kDefaultBudget = 30;
constexpr int kExcerptChars = 90;

enum StepColumn {
    StepNumberColumn,
    StepPromptColumn,
    StepCategoryColumn,
    StepTextColumn,
    StepReductionColumn,
    StepPredictedColumn,
    StepAnswerColumn,
    StepColumnCount
};

QPushButton* button(const QString& text, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setAutoDefault(false); // Return in a text field must not start a live quiz
    return b;
}

QLabel* note(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QTableWidgetItem* item(const QString& text, Qt::Alignment alignment = Qt::AlignLeft) {
    auto* cell = new QTableWidgetItem(text);
    cell->setTextAlignment(alignment | Qt::AlignVCenter);
    cell->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return cell;
}

QTableWidgetItem* number(double value, int decimals) {
    return item(std::isnan(value) ? QStringLiteral("—") : QString::number(value, 'f', decimals),
                Qt::AlignRight);
}

// Green for likely, red for unlikely: a column of probabilities reads at a glance.
QTableWidgetItem* probability(double value) {
    QTableWidgetItem* cell = number(value, 2);
    if (!std::isnan(value))
        cell->setBackground(QColor::fromHsvF(0.33 * std::clamp(value, 0.0, 1.0), 0.28, 1.0));
    return cell;
}

QString meanAndSd(float mean, float variance) {
    return QStringLiteral("%1 ± %2").arg(mean, 0, 'f', 2).arg(std::sqrt(variance), 0, 'f', 2);
}

QString percent(double fraction) {
    return std::isnan(fraction) ? QStringLiteral("n/a")
                                : QStringLiteral("%1%").arg(100 * fraction, 0, 'f', 0);
}

QString prompts(int n) {
    return n == 1 ? QuizWizard::tr("1 prompt") : QuizWizard::tr("%1 prompts").arg(n);
}

QTableWidget* table(const QString& objectName, QWidget* parent) {
    auto* t = new QTableWidget(parent);
    t->setObjectName(objectName);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->setWordWrap(false);
    t->verticalHeader()->hide();
    return t;
}

QValueAxis* axis(const QString& title, QChart* chart, Qt::Alignment alignment) {
    auto* a = new QValueAxis(chart);
    a->setTitleText(title);
    a->setLabelFormat(QStringLiteral("%.4g")); // rewards a few thousandths apart stay distinct
    chart->addAxis(a, alignment);
    return a;
}

QJsonArray toJson(const Eigen::VectorXf& v) {
    QJsonArray a;
    for (const float x : v)
        a.append(double(x));
    return a;
}

QJsonValue orNull(double value) {
    return std::isnan(value) ? QJsonValue() : QJsonValue(value);
}

} // namespace

QuizWizard::QuizWizard(QWidget* parent) : QDialog(parent), pollTimer_(new QTimer(this)) {
    setWindowTitle(tr("Cold-start Quiz"));
    setObjectName(QStringLiteral("quizWizard"));
    setWindowFlag(Qt::WindowMaximizeButtonHint);
    worker_.setMaxThreadCount(1);
    pollTimer_->setInterval(kPollMs);
    connect(pollTimer_, &QTimer::timeout, this, &QuizWizard::poll);
    connect(&watcher_, &QFutureWatcher<void>::finished, this, &QuizWizard::onWorkerFinished);

    stepTitle_ = new QLabel(this);
    QFont titleFont = stepTitle_->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    stepTitle_->setFont(titleFont);

    pages_ = new QStackedWidget(this);
    pages_->addWidget(createModelPage());
    pages_->addWidget(createQuizPage());
    pages_->addWidget(createPlacementPage());

    back_ = button(tr("< Back"), this);
    back_->setObjectName(QStringLiteral("quizBackButton"));
    next_ = button(tr("Next >"), this);
    next_->setObjectName(QStringLiteral("quizNextButton"));
    auto* close = button(tr("Close"), this);
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

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(stepTitle_);
    layout->addWidget(pages_, 1);
    layout->addLayout(navigation);
    resize(1240, 800);
    updateModelChoice();
    updateBudgetLabel();
    showPage(ModelPage);
}

QuizWizard::~QuizWizard() {
    if (job_)
        job_->cancelRequested = true;
    worker_.waitForDone();
}

QWidget* QuizWizard::createModelPage() {
    auto* page = new QWidget(this);
    auto* intro =
        note(tr("A model new to the pool is placed from a few prompts instead of a full benchmark: "
                "the quiz fits an identity for it beside the pool's models (item response theory) "
                "and the irt-bandit router, trained without it, routes to it from then on."),
             page);
    dataNote_ = note(tr("Open a dataset first: the quiz asks its prompts."), page);

    heldOut_ = new QRadioButton(tr("A model of the dataset, held out — simulated from its "
                                   "recorded answers, so the quiz can be judged"),
                                page);
    endpoint_ = new QRadioButton(tr("A new model at an endpoint — asked live and scored "
                                    "against the prompts' references"),
                                 page);
    modelKind_ = new QButtonGroup(page);
    modelKind_->addButton(heldOut_);
    modelKind_->addButton(endpoint_);
    heldOut_->setChecked(true);
    connect(heldOut_, &QRadioButton::toggled, this, &QuizWizard::updateModelChoice);

    model_ = new QComboBox(page);
    model_->setObjectName(QStringLiteral("quizModel"));
    model_->setMinimumContentsLength(24);
    auto* heldOutForm = new QFormLayout;
    heldOutForm->setContentsMargins(24, 0, 0, 0);
    heldOutForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    heldOutForm->addRow(tr("Model to hold out"), model_);

    endpointForm_ = new QWidget(page);
    endpointForm_->setMaximumWidth(760); // a URL fits; a full-width row reads as a wall
    auto* form = new QFormLayout(endpointForm_);
    form->setContentsMargins(24, 0, 0, 0);
    id_ = new QLineEdit(QStringLiteral("new-model"), endpointForm_);
    id_->setObjectName(QStringLiteral("quizModelId"));
    id_->setToolTip(tr("The id the pool will know it by"));
    baseUrl_ = new QLineEdit(endpointForm_);
    baseUrl_->setObjectName(QStringLiteral("quizBaseUrl"));
    baseUrl_->setPlaceholderText(tr("an OpenAI-compatible base URL ending in /v1"));
    remoteModel_ = new QLineEdit(endpointForm_);
    remoteModel_->setObjectName(QStringLiteral("quizRemoteModel"));
    remoteModel_->setPlaceholderText(tr("the model name the endpoint expects (default: the id)"));
    keyVariable_ = new QLineEdit(endpointForm_);
    keyVariable_->setObjectName(QStringLiteral("quizKeyVariable"));
    keyVariable_->setPlaceholderText(tr("name of the environment variable holding the API key"));
    inputPrice_ = new QDoubleSpinBox(endpointForm_);
    outputPrice_ = new QDoubleSpinBox(endpointForm_);
    for (QDoubleSpinBox* price : {inputPrice_, outputPrice_}) {
        price->setRange(0, 1000);
        price->setDecimals(3);
        price->setPrefix(QStringLiteral("$"));
        price->setSuffix(tr(" per 1M tokens"));
    }
    scorer_ = new QComboBox(endpointForm_);
    scorer_->setObjectName(QStringLiteral("quizScorer"));
    // The scorers that need no person and no second model: a quiz asks many prompts quickly.
    scorer_->addItems({QStringLiteral("normalised"), QStringLiteral("exact"),
                       QStringLiteral("numeric"), QStringLiteral("choice"),
                       QStringLiteral("replay")});
    scorer_->setToolTip(tr("How an answer is compared with the prompt's reference; replay reads "
                           "the quality the replay server recorded"));
    form->addRow(tr("Pool id"), id_);
    form->addRow(tr("Base URL"), baseUrl_);
    form->addRow(tr("Remote model"), remoteModel_);
    form->addRow(tr("Key variable"), keyVariable_);
    form->addRow(tr("Input price"), inputPrice_);
    form->addRow(tr("Output price"), outputPrice_);
    form->addRow(tr("Scorer"), scorer_);

    costWeight_ = new QDoubleSpinBox(page);
    costWeight_->setObjectName(QStringLiteral("quizCostWeight"));
    costWeight_->setRange(0, 1);
    costWeight_->setSingleStep(0.1);
    costWeight_->setDecimals(2);
    costWeight_->setToolTip(tr("The routing trade-off the quiz is judged at: quality weighs "
                               "1 - cost weight"));
    auto* preference = new QFormLayout;
    preference->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);
    preference->addRow(tr("Cost weight of the routing trade-off"), costWeight_);

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(intro);
    layout->addWidget(dataNote_);
    layout->addSpacing(8);
    layout->addWidget(heldOut_);
    layout->addLayout(heldOutForm);
    layout->addSpacing(8);
    layout->addWidget(endpoint_);
    layout->addWidget(endpointForm_);
    layout->addSpacing(8);
    layout->addLayout(preference);
    layout->addStretch(1);
    return page;
}

QWidget* QuizWizard::createQuizPage() {
    auto* page = new QWidget(this);
    budget_ = new QSlider(Qt::Horizontal, page);
    budget_->setObjectName(QStringLiteral("quizBudget"));
    budget_->setRange(1, kMaxBudget);
    budget_->setValue(kDefaultBudget);
    budget_->setPageStep(10);
    budget_->setTickPosition(QSlider::TicksBelow);
    budget_->setTickInterval(10);
    budgetLabel_ = new QLabel(page);
    budgetLabel_->setMinimumWidth(110);
    connect(budget_, &QSlider::valueChanged, this, &QuizWizard::updateBudgetLabel);
    auto* budgetRow = new QHBoxLayout;
    budgetRow->addWidget(new QLabel(tr("Budget k"), page));
    budgetRow->addWidget(budget_, 1);
    budgetRow->addWidget(budgetLabel_);
    modeNote_ = note({}, page);

    run_ = button(tr("Run Quiz"), page);
    run_->setObjectName(QStringLiteral("quizRunButton"));
    cancel_ = button(tr("Cancel"), page);
    cancel_->setObjectName(QStringLiteral("quizCancelButton"));
    cancel_->setEnabled(false);
    progress_ = new QProgressBar(page);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat({});
    connect(run_, &QPushButton::clicked, this, &QuizWizard::start);
    connect(cancel_, &QPushButton::clicked, this, &QuizWizard::cancel);
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(run_);
    runRow->addWidget(cancel_);
    runRow->addWidget(progress_, 1);
    status_ = note(tr("Choose the budget, then Run Quiz."), page);
    status_->setObjectName(QStringLiteral("quizStatus"));

    auto* why = note(tr("Why these prompts: each round takes the category asked least so far, "
                        "draws a few of its training prompts at random and asks the one whose "
                        "answer is expected to remove the most predictive variance about the "
                        "model (largest expected variance reduction). Predicted is P(answers "
                        "well) before asking."),
                     page);
    steps_ = table(QStringLiteral("quizSteps"), page);
    steps_->setColumnCount(StepColumnCount);
    steps_->setHorizontalHeaderLabels({tr("#"), tr("Prompt"), tr("Category"), tr("Text"),
                                       tr("Variance reduction"), tr("Predicted"), tr("Answer")});
    steps_->horizontalHeaderItem(StepReductionColumn)
        ->setToolTip(tr("Expected reduction of the predictive variance summed over the "
                        "candidate prompts"));
    steps_->horizontalHeaderItem(StepPredictedColumn)
        ->setToolTip(tr("P(answers well) under the identity fitted on the answers before"));
    QHeaderView* header = steps_->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(StepTextColumn, QHeaderView::Stretch);

    auto* layout = new QVBoxLayout(page);
    layout->addLayout(budgetRow);
    layout->addWidget(modeNote_);
    layout->addLayout(runRow);
    layout->addWidget(status_);
    layout->addWidget(why);
    layout->addWidget(steps_, 1);
    return page;
}

QWidget* QuizWizard::createPlacementPage() {
    auto* page = new QWidget(this);
    figures_ = note({}, page);
    figures_->setObjectName(QStringLiteral("quizFigures"));
    figures_->setTextFormat(Qt::RichText);

    identity_ = table(QStringLiteral("quizIdentity"), page);
    identity_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    categories_ = table(QStringLiteral("quizCategories"), page);
    categories_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    categories_->horizontalHeader()->setMinimumSectionSize(70);
    auto* identityBox = new QGroupBox(tr("Identity (mean ± sd per dimension)"), page);
    auto* identityLayout = new QVBoxLayout(identityBox);
    identityLayout->addWidget(identity_);
    categoryBox_ = new QGroupBox(tr("Predicted quality per category"), page);
    auto* categoryLayout = new QVBoxLayout(categoryBox_);
    categoryLayout->addWidget(categories_);

    curve_ = new QChart;
    curve_->legend()->setAlignment(Qt::AlignBottom);
    curve_->setMargins(QMargins(4, 4, 4, 4));
    auto* curveView = new QChartView(curve_, page);
    curveView->setObjectName(QStringLiteral("quizCurve"));
    curveView->setRenderHint(QPainter::Antialiasing);
    curveView->setMinimumHeight(240);

    // The category table is wide (a column per model) and short; the identity table is narrow.
    auto* bottom = new QSplitter(Qt::Horizontal, page);
    bottom->addWidget(identityBox);
    bottom->addWidget(curveView);
    bottom->setStretchFactor(0, 2);
    bottom->setStretchFactor(1, 3);
    bottom->setSizes({460, 690});
    auto* split = new QSplitter(Qt::Vertical, page);
    split->addWidget(categoryBox_);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setSizes({190, 470});

    addToPool_ = button(tr("Add to Pool"), page);
    addToPool_->setObjectName(QStringLiteral("quizAddToPool"));
    connect(addToPool_, &QPushButton::clicked, this, &QuizWizard::addModelToPool);
    addNote_ = note({}, page);
    save_ = button(tr("Save Result…"), page);
    connect(save_, &QPushButton::clicked, this, &QuizWizard::chooseAndSave);
    auto* actions = new QHBoxLayout;
    actions->addWidget(addToPool_);
    actions->addWidget(addNote_, 1);
    actions->addWidget(save_);

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(figures_);
    layout->addWidget(split, 1);
    layout->addLayout(actions);
    return page;
}

void QuizWizard::setWindowData(const LoadedData& data, const QString& datasetName) {
    windowData_ = data;
    const QString kept = model_->currentText();
    model_->clear();
    if (data.dataset) {
        model_->addItems(data.dataset->modelNames);
        const int index = model_->findText(kept);
        if (index >= 0)
            model_->setCurrentIndex(index);
        else if (model_->count())
            model_->setCurrentIndex(model_->count() - 1); // often the newest, smallest model
        dataNote_->setText(
            tr("Prompts from %1 (%2 prompts in %3 categories), priced by the pool %4.")
                .arg(datasetName.isEmpty() ? data.dataset->name : datasetName)
                .arg(data.dataset->promptCount())
                .arg(data.dataset->categoryNames.size())
                .arg(data.pool && !data.pool->name.isEmpty() ? data.pool->name
                                                             : tr("of the window")));
        budget_->setMaximum(std::clamp(int(0.7 * data.dataset->promptCount()), 1, kMaxBudget));
    } else {
        dataNote_->setText(tr("Open a dataset first: the quiz asks its prompts."));
    }
    updateModelChoice();
}

void QuizWizard::setAddToPool(std::function<bool(const PoolModel&, QString&)> addToPool) {
    addToPoolFn_ = std::move(addToPool);
}

void QuizWizard::updateModelChoice() {
    const bool live = endpoint_->isChecked();
    model_->setEnabled(!live);
    endpointForm_->setEnabled(live);
    modeNote_->setText(
        live ? tr("Live: each prompt is sent to the endpoint and its answer scored against the "
                  "prompt's reference; Cancel stops within a second.")
             : tr("Simulated: the answers are the dataset's recorded ones for the held-out "
                  "model, so the quiz is judged against its full-data identity."));
}

void QuizWizard::updateBudgetLabel() {
    budgetLabel_->setText(tr("k = %1").arg(prompts(budget_->value())));
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
    if (!windowData_.dataset || !windowData_.pool) {
        error = tr("open a dataset and its pool first: the quiz asks the dataset's prompts");
        return false;
    }
    request.dataset = windowData_.dataset;
    request.pool = windowData_.pool;
    request.budget = budget_->value();
    const double cost = costWeight_->value();
    request.preference = Preference{1 - cost, cost, 0};
    if (heldOut_->isChecked()) {
        request.heldOut = windowData_.dataset->modelIndex(model_->currentText());
        if (request.heldOut < 0) {
            error = tr("choose one of the dataset's models to hold out");
            return false;
        }
        if (windowData_.dataset->modelCount() < 3) {
            error = tr("the quiz needs at least two other models to place the new one among");
            return false;
        }
        return true;
    }
    PoolModel m;
    m.id = id_->text().trimmed();
    m.displayName = m.id;
    m.inputPricePerMTok = inputPrice_->value();
    m.outputPricePerMTok = outputPrice_->value();
    m.endpoint.baseUrl = baseUrl_->text().trimmed();
    m.endpoint.remoteModel = remoteModel_->text().trimmed();
    m.endpoint.apiKeyEnv = keyVariable_->text().trimmed();
    m.tags = QStringList{QStringLiteral("quizzed")};
    if (m.id.isEmpty()) {
        error = tr("give the new model an id");
        return false;
    }
    if (m.endpoint.baseUrl.isEmpty()) {
        error = tr("give the endpoint's base URL (e.g. the replay server's, ending in /v1)");
        return false;
    }
    const QUrl url(m.endpoint.baseUrl, QUrl::StrictMode);
    if (!url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty()) {
        error = tr("the base URL must be an http or https URL, got '%1'")
                    .arg(displayUrl(m.endpoint.baseUrl));
        return false;
    }
    try {
        makeScorer(scorer_->currentText());
    } catch (const std::exception& e) {
        error = QString::fromUtf8(e.what());
        return false;
    }
    request.scorer = scorer_->currentText();
    request.endpointModel = m;
    return true;
}

void QuizWizard::start() {
    if (running_)
        return;
    auto job = std::make_shared<QuizJob>();
    QString error;
    if (!buildRequest(job->request, error)) {
        setStatus(tr("Cannot run the quiz: %1").arg(error), true);
        emit finished(false, status_->text());
        return;
    }
    job->preparation = preparation_;
    job_ = job;
    const bool prepared = preparation_ && preparation_->serves(job->request);
    progress_->setRange(0, prepared ? job->request.budget : 1000);
    progress_->setValue(0);
    setRunningState(true);
    setStatus(prepared ? tr("Asking %1…").arg(prompts(job->request.budget))
                       : tr("Preparing: fitting the other models' identities and training the "
                            "router without the new model (a few seconds)…"),
              false);
    watcher_.setFuture(QtConcurrent::run(&worker_, [job] { job->run(); }));
    pollTimer_->start();
}

void QuizWizard::cancel() {
    if (!running_ || !job_)
        return;
    job_->cancelRequested = true;
    cancel_->setEnabled(false);
    setStatus(tr("Cancelling…"), false);
}

void QuizWizard::reject() {
    cancel();
    QDialog::reject();
}

void QuizWizard::poll() {
    if (!job_)
        return;
    if (job_->preparing) {
        progress_->setRange(0, 1000);
        progress_->setFormat(tr("Preparing %p%"));
        progress_->setValue(job_->preparedPermille);
        return;
    }
    if (job_->preparedPermille < 1000)
        return;
    progress_->setRange(0, job_->request.budget);
    progress_->setFormat(tr("%v of %m prompts asked"));
    progress_->setValue(std::min<int>(job_->answered, job_->request.budget));
    if (!job_->cancelRequested && job_->request.endpointModel) {
        const std::lock_guard lock(job_->mutex);
        if (!job_->lastAnswerNote.isEmpty())
            setStatus(job_->lastAnswerNote, false);
    }
}

void QuizWizard::onWorkerFinished() {
    pollTimer_->stop();
    poll();
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
    progress_->setFormat({});
    if (!report) {
        progress_->setRange(0, 1);
        progress_->setValue(0);
        const QString message = cancelled ? tr("Cancelled. Nothing was placed; Run Quiz again "
                                               "when ready.")
                                          : tr("The quiz failed: %1").arg(error);
        setStatus(message, !cancelled);
        emit finished(false, message);
        return;
    }
    progress_->setRange(0, request.budget);
    progress_->setValue(request.budget);
    shownRequest_ = request;
    shownPreparation_ = preparation_;
    report_ = std::move(report);
    addedToPool_ = false;
    showReport();
    const QString name = request.heldOut >= 0 ? request.dataset->modelNames[request.heldOut]
                                              : request.endpointModel->id;
    const QString message = tr("Placed %1 from %2. Next shows where it lands.")
                                .arg(name, prompts(int(report_->outcome.steps.size())));
    setStatus(message, false);
    updateNavigation();
    emit finished(true, message);
}

void QuizWizard::showReport() {
    showSteps();
    showIdentity();
    showCategories();
    showCurve();
    showFigures();
    updateAddToPool();
}

void QuizWizard::showSteps() {
    const Dataset& dataset = *shownRequest_.dataset;
    const std::vector<QuizStep>& steps = report_->outcome.steps;
    steps_->setRowCount(int(steps.size()));
    for (int i = 0; i < int(steps.size()); ++i) {
        const QuizStep& s = steps[std::size_t(i)];
        const QString text = dataset.promptTexts[std::size_t(s.row)].simplified();
        auto* excerpt =
            item(text.size() > kExcerptChars ? text.left(kExcerptChars - 1) + QStringLiteral("…")
                                             : text);
        excerpt->setToolTip(text);
        steps_->setItem(i, StepNumberColumn, item(QString::number(i + 1), Qt::AlignRight));
        steps_->setItem(i, StepPromptColumn, item(dataset.promptIds[std::size_t(s.row)]));
        steps_->setItem(i, StepCategoryColumn, item(dataset.categoryNames.value(s.category)));
        steps_->setItem(i, StepTextColumn, excerpt);
        auto* reduction = number(s.varianceReduction, 3);
        reduction->setToolTip(
            tr("The most among %1 of its category drawn this round").arg(prompts(s.contenders)));
        steps_->setItem(i, StepReductionColumn, reduction);
        steps_->setItem(i, StepPredictedColumn, probability(s.predicted));
        steps_->setItem(i, StepAnswerColumn,
                        item(s.answer >= 0.5f ? tr("✓ %1").arg(double(s.answer), 0, 'g', 2)
                                              : tr("✗ %1").arg(double(s.answer), 0, 'g', 2),
                             Qt::AlignCenter));
    }
    steps_->resizeRowsToContents();
}

void QuizWizard::showIdentity() {
    const QuizStudy& study = *shownPreparation_->study;
    const Identity& quizzed = report_->outcome.identity;
    const bool records = study.hasRecords();
    QStringList headers{tr("Dimension"), tr("Quizzed")};
    if (records)
        headers << tr("Full data");
    headers << tr("Population prior");
    identity_->clear();
    identity_->setColumnCount(int(headers.size()));
    identity_->setHorizontalHeaderLabels(headers);
    identity_->setRowCount(int(quizzed.mean.size()));
    const IdentityPrior& prior = study.prior();
    for (int d = 0; d < int(quizzed.mean.size()); ++d) {
        int column = 0;
        identity_->setItem(d, column++, item(QString::number(d + 1), Qt::AlignRight));
        identity_->setItem(d, column++,
                           item(meanAndSd(quizzed.mean(d), quizzed.variance(d)), Qt::AlignRight));
        if (records)
            identity_->setItem(
                d, column++,
                item(meanAndSd(study.fullIdentity().mean(d), study.fullIdentity().variance(d)),
                     Qt::AlignRight));
        identity_->setItem(d, column,
                           item(meanAndSd(prior.mean(d), prior.covariance(d, d)), Qt::AlignRight));
    }
    identity_->resizeRowsToContents();
}

void QuizWizard::showCategories() {
    const QuizStudy& study = *shownPreparation_->study;
    const Dataset& dataset = *shownRequest_.dataset;
    const bool records = study.hasRecords();
    const QString name =
        records ? dataset.modelNames[shownRequest_.heldOut] : shownRequest_.endpointModel->id;
    categoryBox_->setTitle(
        tr("P(good answer) per category: %1 as quizzed%2, beside the pool's models")
            .arg(name, records ? tr(" and as recorded") : QString()));
    QStringList headers{tr("Category"), tr("Quizzed")};
    if (records)
        headers << tr("Recorded");
    for (const int column : study.knownColumns())
        headers << dataset.modelNames[column];
    categories_->clear();
    categories_->setColumnCount(int(headers.size()));
    categories_->setHorizontalHeaderLabels(headers);
    categories_->horizontalHeaderItem(1)->setToolTip(
        tr("%1: mean predicted P(answers well) over the category's prompts, from the quizzed "
           "identity")
            .arg(name));
    if (records)
        categories_->horizontalHeaderItem(2)->setToolTip(
            tr("%1: its recorded mean quality, what the quiz should predict").arg(name));
    const int categoryCount = int(report_->categoryQuality.size());
    categories_->setRowCount(categoryCount);
    for (int c = 0; c < categoryCount; ++c) {
        int column = 0;
        categories_->setItem(c, column++, item(dataset.categoryNames.value(c)));
        auto* quizzed = probability(report_->categoryQuality[std::size_t(c)]);
        QFont bold = quizzed->font();
        bold.setBold(true);
        quizzed->setFont(bold);
        categories_->setItem(c, column++, quizzed);
        if (records)
            categories_->setItem(c, column++,
                                 probability(report_->recordedCategoryQuality[std::size_t(c)]));
        for (int j = 0; j < int(study.knownColumns().size()); ++j)
            categories_->setItem(c, column++,
                                 probability(shownPreparation_->knownCategoryQuality(c, j)));
    }
    categories_->resizeRowsToContents();
}

void QuizWizard::showCurve() {
    clearChart(curve_);
    const std::vector<BudgetPoint>& curve = report_->curve;
    const bool records = shownPreparation_->study->hasRecords();
    auto* x = axis(tr("quiz budget k (prompts)"), curve_, Qt::AlignBottom);
    x->setLabelFormat(QStringLiteral("%d"));
    QValueAxis* y = nullptr;
    auto attach = [&](QXYSeries* series) {
        curve_->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    };
    const double firstK = records ? curve.front().budget : 0;
    const double lastK = curve.back().budget;
    if (records) {
        curve_->setTitle(tr("Routing reward on the scored prompts vs quiz budget"));
        y = axis(tr("mean reward"), curve_, Qt::AlignLeft);
        auto* without = new QLineSeries;
        without->setName(tr("without the model"));
        auto* full = new QLineSeries;
        full->setName(tr("full-data identity"));
        const double withoutReward = shownPreparation_->study->withoutNewModel().reward;
        const double fullReward = shownPreparation_->study->withFullIdentity().reward;
        *without << QPointF(firstK, withoutReward) << QPointF(lastK, withoutReward);
        *full << QPointF(firstK, fullReward) << QPointF(lastK, fullReward);
        QPen dashed(QColor(120, 120, 120), 2, Qt::DashLine);
        without->setPen(dashed);
        dashed.setColor(QColor(46, 125, 50));
        full->setPen(dashed);
        auto* quizzed = new QLineSeries;
        quizzed->setName(tr("quizzed identity"));
        quizzed->setPointsVisible(true);
        quizzed->setPen(QPen(routerColor(0), 2.5));
        double low = std::min(withoutReward, fullReward),
               high = std::max(withoutReward, fullReward);
        for (const BudgetPoint& p : curve) {
            *quizzed << QPointF(p.budget, p.reward);
            low = std::min(low, p.reward);
            high = std::max(high, p.reward);
        }
        attach(without);
        attach(full);
        attach(quizzed);
        const double pad = std::max(1e-3, 0.15 * (high - low));
        y->setRange(low - pad, high + pad);
    } else {
        curve_->setTitle(tr("How sure the identity is vs quiz budget (no recorded answers to "
                            "score routing)"));
        y = axis(tr("posterior sd of the identity"), curve_, Qt::AlignLeft);
        auto* sd = new QLineSeries;
        sd->setName(tr("identity sd (root mean variance over dimensions)"));
        sd->setPointsVisible(true);
        sd->setPen(QPen(routerColor(0), 2.5));
        *sd << QPointF(0, report_->priorSd);
        double high = report_->priorSd;
        for (const BudgetPoint& p : curve) {
            *sd << QPointF(p.budget, p.identitySd);
            high = std::max(high, p.identitySd);
        }
        attach(sd);
        y->setRange(0, 1.1 * high);
    }
    // From 0 and a little past the last budget, so that no point sits on the chart's edge.
    x->setRange(0, std::max(1.0, 1.08 * lastK));
    x->applyNiceNumbers();
}

void QuizWizard::showFigures() {
    const QuizStudy& study = *shownPreparation_->study;
    const QuizOutcome& o = report_->outcome;
    const int k = int(o.steps.size());
    int well = 0;
    for (const QuizStep& s : o.steps)
        well += s.answer >= 0.5f;
    if (study.hasRecords()) {
        const QString name = shownRequest_.dataset->modelNames[shownRequest_.heldOut];
        figures_->setText(
            tr("<b>%1</b>, held out and quizzed on %2 prompts (answered %3 well). Routing "
               "reward on %4 scored prompts: <b>%5</b> without it, <b>%6</b> with the quizzed "
               "identity, <b>%7</b> with its full-data identity. The quiz recovers <b>%8</b> of "
               "the routing gain%14 and <b>%9</b> of the prediction gain (held-out "
               "log-likelihood %10; prior %11, full data %12); the router sends it %13 of the "
               "prompts.")
                .arg(name.toHtmlEscaped())
                .arg(k)
                .arg(well)
                .arg(shownPreparation_->setup->problem().scoredRows.size())
                .arg(study.withoutNewModel().reward, 0, 'f', 4)
                .arg(o.routing.reward, 0, 'f', 4)
                .arg(study.withFullIdentity().reward, 0, 'f', 4)
                .arg(percent(o.recovery), percent(o.predictionRecovery))
                .arg(o.logLikelihood, 0, 'f', 3)
                .arg(study.priorLogLikelihood(), 0, 'f', 3)
                .arg(study.fullLogLikelihood(), 0, 'f', 3)
                .arg(percent(o.routing.newModelShare))
                .arg(std::isnan(o.recovery)
                         ? tr(" (undefined here: its full-data identity does not improve "
                              "routing either)")
                         : QString()));
        return;
    }
    const PoolModel& m = *shownRequest_.endpointModel;
    figures_->setText(tr("<b>%1</b> at %2 answered %3 of %4 quiz prompts well (scored %5). With "
                         "no recorded answers, routing with it cannot be scored here: the table "
                         "predicts its quality per category from the quizzed identity, beside "
                         "the pool's models, and the chart shows the identity's uncertainty "
                         "shrinking with each answer.")
                          .arg(m.id.toHtmlEscaped(), displayUrl(m.endpoint.baseUrl).toHtmlEscaped())
                          .arg(well)
                          .arg(k)
                          .arg(shownRequest_.scorer.toHtmlEscaped()));
}

void QuizWizard::updateAddToPool() {
    if (!report_) {
        addToPool_->setEnabled(false);
        addNote_->clear();
        return;
    }
    if (shownRequest_.heldOut >= 0) {
        addToPool_->setEnabled(false);
        addNote_->setText(tr("%1 is already in the pool: it was only held out of the fit to "
                             "see how well a quiz places it.")
                              .arg(shownRequest_.dataset->modelNames[shownRequest_.heldOut]));
        return;
    }
    const PoolModel& m = *shownRequest_.endpointModel;
    if (addedToPool_) {
        addToPool_->setEnabled(false);
        addNote_->setText(tr("Added %1 to the pool; Undo on the Pool page removes it.").arg(m.id));
        return;
    }
    addToPool_->setEnabled(bool(addToPoolFn_));
    addNote_->setText(tr("Adds %1 to the window's pool with its prices, base URL and key "
                         "variable (never a key); Undo on the Pool page removes it.")
                          .arg(m.id));
}

void QuizWizard::addModelToPool() {
    if (!report_ || !shownRequest_.endpointModel || !addToPoolFn_)
        return;
    QString error;
    if (!addToPoolFn_(*shownRequest_.endpointModel, error)) {
        addNote_->setText(
            tr("Could not add %1 to the pool: %2").arg(shownRequest_.endpointModel->id, error));
        addNote_->setStyleSheet(QStringLiteral("color: #b00020;"));
        return;
    }
    addNote_->setStyleSheet({});
    addedToPool_ = true;
    updateAddToPool();
}

bool QuizWizard::saveResult(const QString& path, QString& error) const {
    if (!report_) {
        error = tr("no quiz has finished yet");
        return false;
    }
    const Dataset& dataset = *shownRequest_.dataset;
    const QuizStudy& study = *shownPreparation_->study;
    const QuizOutcome& o = report_->outcome;
    QJsonArray steps;
    for (const QuizStep& s : o.steps)
        steps.append(
            QJsonObject{{QStringLiteral("prompt_id"), dataset.promptIds[s.row]},
                        {QStringLiteral("category"), dataset.categoryNames.value(s.category)},
                        {QStringLiteral("contenders"), s.contenders},
                        {QStringLiteral("variance_reduction"), s.varianceReduction},
                        {QStringLiteral("predicted"), s.predicted},
                        {QStringLiteral("answer"), double(s.answer)}});
    QJsonArray curve;
    for (const BudgetPoint& p : report_->curve)
        curve.append(
            QJsonObject{{QStringLiteral("budget"), p.budget},
                        {QStringLiteral("mean_reward"), orNull(p.reward)},
                        {QStringLiteral("recovery"), orNull(p.recovery)},
                        {QStringLiteral("prediction_recovery"), orNull(p.predictionRecovery)},
                        {QStringLiteral("identity_sd"), p.identitySd}});
    QJsonObject categories;
    for (int c = 0; c < int(report_->categoryQuality.size()); ++c)
        categories.insert(dataset.categoryNames.value(c),
                          orNull(report_->categoryQuality[std::size_t(c)]));
    QJsonObject json{{QStringLiteral("new_model"), study.hasRecords()
                                                       ? dataset.modelNames[shownRequest_.heldOut]
                                                       : shownRequest_.endpointModel->id},
                     {QStringLiteral("simulated"), study.hasRecords()},
                     {QStringLiteral("budget"), int(o.steps.size())},
                     {QStringLiteral("preference"), shownRequest_.preference.toString()},
                     {QStringLiteral("steps"), steps},
                     {QStringLiteral("identity_quiz"),
                      QJsonObject{{QStringLiteral("mean"), toJson(o.identity.mean)},
                                  {QStringLiteral("variance"), toJson(o.identity.variance)}}},
                     {QStringLiteral("predicted_quality_per_category"), categories},
                     {QStringLiteral("budget_curve"), curve},
                     {QStringLiteral("mean_reward_quiz"), orNull(o.routing.reward)},
                     {QStringLiteral("recovery"), orNull(o.recovery)},
                     {QStringLiteral("prediction_recovery"), orNull(o.predictionRecovery)}};
    if (study.hasRecords()) {
        json.insert(QStringLiteral("mean_reward_without"), study.withoutNewModel().reward);
        json.insert(QStringLiteral("mean_reward_full"), study.withFullIdentity().reward);
    } else {
        json.insert(QStringLiteral("base_url"),
                    displayUrl(shownRequest_.endpointModel->endpoint.baseUrl));
        json.insert(QStringLiteral("scorer"), shownRequest_.scorer);
    }
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
    if (saveResult(path, error)) {
        addNote_->setStyleSheet({});
        addNote_->setText(tr("Saved %1").arg(path));
    } else {
        addNote_->setStyleSheet(QStringLiteral("color: #b00020;"));
        addNote_->setText(tr("Could not save: %1").arg(error));
    }
}

void QuizWizard::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void QuizWizard::setRunningState(bool running) {
    running_ = running;
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    pages_->widget(ModelPage)->setEnabled(!running);
    budget_->setEnabled(!running);
    updateNavigation();
    emit runningChanged(running);
}

} // namespace routerlab
