#include "ui/experiment/evaluation_dialog.h"

#include "formats/dataset_loader.h"
#include "ui/experiment/evaluation_table.h"
#include "ui/shell/background_job.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>
#include <exception>

namespace routerlab {

namespace {

// The experiment's routers that train offline; all of them when it names none.
std::vector<RouterSpec> evaluatedRouters(const std::vector<RouterSpec>& chosen) {
    std::vector<RouterSpec> routers;
    const RouterRegistry& registry = RouterRegistry::instance();
    for (const RouterSpec& spec : chosen)
        if (registry.can(spec, Capability::TrainsOffline) &&
            !registry.can(spec, Capability::Hindsight))
            routers.push_back(spec);
    return routers.empty() ? learnedRouters() : routers;
}

} // namespace

EvaluationDialog::EvaluationDialog(const GuiExperiment& experiment, QWidget* parent)
    : QDialog(parent), experiment_(experiment),
      routers_(evaluatedRouters(experiment.simulate.routers)),
      job_(new BackgroundJob(BackgroundJob::kDefaultPollMs, this)) {
    setWindowTitle(tr("Evaluate on Unseen Tasks"));
    setObjectName(QStringLiteral("evaluationDialog"));
    QStringList names;
    for (const RouterSpec& spec : routers_)
        names << spec.toString();
    auto* intro = new QLabel(
        tr("Trains %1 on the training part and scores each in distribution and on every task "
           "family it never saw, at %2. Margins are reward points per prompt over the model "
           "best on the training part (what you would deploy without a router), with 95% "
           "intervals.")
            .arg(names.join(QStringLiteral(", ")), experiment.simulate.preference.toString()),
        this);
    intro->setWordWrap(true);
    families_ = new QLineEdit(this);
    families_->setObjectName(QStringLiteral("evaluationFamilies"));
    families_->setPlaceholderText(tr("every category in turn"));
    families_->setToolTip(tr("Task families to hold out, comma-separated; join categories with + "
                             "to hold them out together (math+code)."));
    auto* form = new QFormLayout;
    form->addRow(tr("Held-out families"), families_);
    trainingSeeds_ = new QSpinBox(this);
    trainingSeeds_->setObjectName(QStringLiteral("evaluationTrainingSeeds"));
    trainingSeeds_->setRange(1, 20);
    trainingSeeds_->setValue(1);
    trainingSeeds_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    trainingSeeds_->setToolTip(
        tr("Routers that take a training seed (barp, mf, routerdc, irt-greedy, irt-bandit) are "
           "trained with seeds 1 to N and their figures averaged: a margin that one seed "
           "reached by luck does not lead. Each seed is one more training."));
    form->addRow(tr("Training seeds"), trainingSeeds_);
    run_ = new QPushButton(tr("&Evaluate"), this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setEnabled(false);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    auto* controls = new QHBoxLayout;
    controls->addWidget(run_);
    controls->addWidget(cancel_);
    controls->addWidget(progress_, 1);
    table_ = new EvaluationTable(this);
    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("evaluationStatus"));
    status_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &EvaluationDialog::reject);
    connect(run_, &QPushButton::clicked, this, &EvaluationDialog::start);
    connect(cancel_, &QPushButton::clicked, this, &EvaluationDialog::cancel);
    connect(job_, &BackgroundJob::poll, this, [this] {
        const std::lock_guard lock(work_->mutex);
        progress_->setRange(0, std::max(1, work_->total));
        progress_->setValue(work_->done);
        if (!work_->step.isEmpty())
            status_->setText(tr("Training and scoring: %1…").arg(work_->step));
    });
    connect(job_, &BackgroundJob::finished, this, &EvaluationDialog::onFinished);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addLayout(controls);
    layout->addWidget(table_, 1);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    resize(1000, 520);
}

EvaluationDialog::~EvaluationDialog() {
    job_->cancel();
    job_->waitForFinished();
}

bool EvaluationDialog::isRunning() const {
    return job_->isRunning();
}

void EvaluationDialog::start() {
    if (job_->isRunning())
        return;
    work_ = std::make_shared<Work>();
    EvaluationOptions options;
    const SimulationArguments& a = experiment_.simulate;
    options.simulation = a.options;
    if (a.options.split.kind == SplitRule::Kind::Random ||
        a.options.split.kind == SplitRule::Kind::Sources)
        options.inDistribution = a.options.split;
    options.unseenFamilies = families_->text().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString& family : options.unseenFamilies)
        family = family.trimmed();
    options.preferences = {a.preference};
    options.threads = std::max(1, QThread::idealThreadCount());
    options.trainingSeeds = trainingSeeds_->value();
    trainingSeedsRun_ = options.trainingSeeds;
    const QStringList datasets = a.allDatasets();
    const QString pool = a.pool;
    const std::vector<RouterSpec> routers = routers_;
    const std::shared_ptr<Work> work = work_;
    run_->setEnabled(false);
    cancel_->setEnabled(true);
    table_->clear();
    table_->setRowCount(0);
    table_->setColumnCount(0);
    status_->setText(tr("Reading the data…"));
    job_->start(
        [work, options, datasets, pool, routers] {
            try {
                const PricedDataset data = loadPricedDataset(datasets, pool);
                Evaluation result = evaluate(
                    data.dataset, data.pool, routers, options,
                    [&work](int done, int total, const QString& step) {
                        const std::lock_guard lock(work->mutex);
                        work->done = done;
                        work->total = total;
                        work->step = step;
                    },
                    &work->cancel);
                const std::lock_guard lock(work->mutex);
                work->result = std::make_unique<Evaluation>(std::move(result));
            } catch (const std::exception& e) {
                const std::lock_guard lock(work->mutex);
                work->error = QString::fromUtf8(e.what());
            }
        },
        [work] { work->cancel = true; });
}

void EvaluationDialog::cancel() {
    job_->cancel();
}

void EvaluationDialog::reject() {
    if (job_->isRunning()) {
        cancel();
        return; // the first Escape stops the work, the next one closes
    }
    QDialog::reject();
}

void EvaluationDialog::onFinished() {
    run_->setEnabled(true);
    cancel_->setEnabled(false);
    const std::lock_guard lock(work_->mutex);
    if (work_->cancel) {
        status_->setText(tr("Cancelled: nothing was kept."));
        emit finished(false);
        return;
    }
    if (!work_->result) {
        status_->setText(tr("The evaluation failed: %1").arg(work_->error));
        emit finished(false);
        return;
    }
    progress_->setValue(progress_->maximum());
    showEvaluation(*work_->result);
    emit finished(true);
}

void EvaluationDialog::showEvaluation(const Evaluation& e) {
    const int runaway = table_->showPoint(e, 0);
    const QString seeds =
        trainingSeedsRun_ > 1
            ? tr(" Routers that take a training seed show the mean of seeds 1 to %1.")
                  .arg(trainingSeedsRun_)
            : QString();
    status_->setText((runaway == 0 ? tr("Done. Hover a margin for the margin over the "
                                        "hindsight-best model, quality and cost.")
                                   : tr("Done. %n margin(s) in red pay over twice the "
                                        "training-best model's cost for lower quality.",
                                        nullptr, runaway)) +
                     seeds);
}

} // namespace routerlab
