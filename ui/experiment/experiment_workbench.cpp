#include "ui/experiment/experiment_workbench.h"

#include "ui/experiment/evaluation_dialog.h"
#include "ui/experiment/recorded_evaluation_dialog.h"

#include "common/error_message.h"
#include "common/input_error.h"
#include "store/sqlite_database.h"
#include "ui/charts/comparison_panel.h"
#include "ui/charts/convergence_panel.h"
#include "ui/charts/cost_panel.h"
#include "ui/charts/latency_panel.h"
#include "ui/charts/pareto_panel.h"
#include "ui/cluster/cluster_script_dialog.h"
#include "ui/experiment/experiment_designer.h"
#include "ui/experiment/result_sources.h"
#include "ui/experiment/run_controller.h"
#include "ui/experiment/run_overlay.h"
#include "ui/experiment/run_panel.h"
#include "ui/experiment/runs_panel.h"
#include "ui/tradeoff/preference_panel.h"
#include "ui/tradeoff/tradeoff_page.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace routerlab {

namespace {

bool sameFiles(const QStringList& a, const QStringList& b) {
    if (a.size() != b.size())
        return false;
    for (int i = 0; i < a.size(); ++i)
        if (QFileInfo(a[i]).absoluteFilePath() != QFileInfo(b[i]).absoluteFilePath())
            return false;
    return true;
}

} // namespace

ExperimentWorkbench::ExperimentWorkbench(WorkspaceNavigator* navigator, QWidget* parentWidget)
    : QObject(parentWidget), navigator_(navigator), designer_(new ExperimentDesigner(parentWidget)),
      runs_(new RunController(this)), runPanel_(new RunPanel(runs_, parentWidget)),
      preferences_(new PreferencePanel(parentWidget)),
      evaluator_(new OperatingPointEvaluator(this)),
      tradeoff_(new TradeoffPage(evaluator_, parentWidget)),
      convergence_(new ConvergencePanel(parentWidget)), cost_(new CostPanel(parentWidget)),
      latency_(new LatencyPanel(parentWidget)), pareto_(new ParetoPanel(parentWidget)),
      comparison_(new ComparisonPanel(parentWidget)), runsPanel_(new RunsPanel(parentWidget)) {
    panels_ = {convergence_, cost_, latency_, pareto_, comparison_, runsPanel_};
    for (ChartPanel* panel : panels_) {
        connect(panel, &ChartPanel::exported, this,
                [this](const QString& path) { emit message(tr("Exported %1").arg(path), false); });
        connect(panel, &ChartPanel::exportFailed, this,
                [this](const QString& text) { emit message(text, true); });
    }
    connect(navigator_, &WorkspaceNavigator::compareRequested, this,
            &ExperimentWorkbench::chooseRunsToCompare);
    connect(designer_, &ExperimentDesigner::runRequested, this, &ExperimentWorkbench::run);
    connect(designer_, &ExperimentDesigner::clusterRequested, this,
            &ExperimentWorkbench::runOnCluster);
    connect(designer_, &ExperimentDesigner::message, this, &ExperimentWorkbench::message);
    connect(runs_, &RunController::runningChanged, designer_, &ExperimentDesigner::setRunning);
    connect(runs_, &RunController::cellsPlanned, this, &ExperimentWorkbench::onRunPrepared);
    connect(runs_, &RunController::resultsUpdated, this, &ExperimentWorkbench::onRunUpdated);
    connect(runs_, &RunController::finished, this, &ExperimentWorkbench::onRunFinished);
    connect(preferences_, &PreferencePanel::preferenceChanged, evaluator_,
            &OperatingPointEvaluator::request);
    // The page and the dock move one preference.
    connect(preferences_, &PreferencePanel::preferenceChanged, tradeoff_,
            &TradeoffPage::setPreference);
    connect(tradeoff_, &TradeoffPage::preferenceChanged, this, [this](const Preference& p) {
        preferences_->setPreference(p);
        evaluator_->request(p);
    });
    connect(
        evaluator_, &OperatingPointEvaluator::evaluated, this,
        [this](const OperatingPoints& points) {
            preferences_->showPoints(points);
            std::vector<ParetoPanel::OperatingPoint> marks;
            for (const RouterOperatingPoint& p : points.routers)
                marks.push_back({p.router, p.meanCostUsd, p.meanQuality, p.costCi, p.qualityCi});
            pareto_->setOperatingPoints(marks);
        });
}

ExperimentWorkbench::~ExperimentWorkbench() = default;

void ExperimentWorkbench::setWindowData(const LoadedData& data, const QStringList& paths,
                                        const QString& poolPath) {
    windowData_ = data;
    windowPaths_ = paths;
    windowPoolPath_ = poolPath;
    editedPool_.reset();
}

void ExperimentWorkbench::setEditedPool(std::shared_ptr<const ModelPool> pool) {
    editedPool_ = std::move(pool);
    repriceSingleModels();
}

void ExperimentWorkbench::run() {
    if (runs_->isRunning())
        return;
    GuiExperiment experiment;
    QString error;
    if (!designer_->experiment(experiment, error)) {
        emit message(tr("The experiment is not valid: %1").arg(error), true);
        return;
    }
    // Same files as the window shows: reuse them, priced by the pool as edited.
    LoadedData loaded;
    const SimulationArguments& a = experiment.simulate;
    if (windowData_.dataset && a.testDatasets.isEmpty() && sameFiles(a.datasets, windowPaths_) &&
        sameFiles(QStringList{a.pool}, QStringList{windowPoolPath_})) {
        loaded = windowData_;
        if (editedPool_)
            loaded.pool = editedPool_;
    }
    const QString title = tr("Run %1 · %2")
                              .arg(sessionResults_.size() + 1)
                              .arg(QFileInfo(a.datasets.value(0)).fileName());
    runs_->start(experiment, loaded, title);
    setRunPreference(a.preference);
    emit pageRequested(convergence_);
}

void ExperimentWorkbench::runOnCluster() {
    GuiExperiment experiment;
    QString error;
    if (!designer_->experiment(experiment, error)) {
        emit message(tr("The experiment is not valid: %1").arg(error), true);
        return;
    }
    if (editedPool_)
        emit message(tr("The cluster reads the pool file: save the edited pool first, or the "
                        "shards run at the old prices."),
                     true);
    ClusterScriptDialog dialog(experiment, workspacePath_, designer_);
    dialog.exec();
}

void ExperimentWorkbench::evaluateUnseen() {
    GuiExperiment experiment;
    QString error;
    if (!designer_->experiment(experiment, error)) {
        emit message(tr("The experiment is not valid: %1").arg(error), true);
        return;
    }
    EvaluationDialog dialog(experiment, designer_);
    dialog.exec();
}

void ExperimentWorkbench::onRunPrepared() {
    ResultsAccumulator* accumulator = runs_->accumulator();
    preferences_->setAvailable(false, tr("Running… the slider works once the run finishes."));
    evaluator_->setExperiment(nullptr, {});
    showResults(accumulator->results());
    shownExperiment_ = runs_->prepared();
    preferences_->setModels(shownExperiment_->modelNames());
}

void ExperimentWorkbench::onRunUpdated() {
    if (ResultsAccumulator* accumulator = runs_->accumulator())
        showResults(accumulator->results(), true);
}

void ExperimentWorkbench::onRunFinished(bool cancelled, const QString& error) {
    ResultsAccumulator* accumulator = runs_->accumulator();
    if (accumulator) {
        const auto results = accumulator->results();
        showResults(results);
        if (results->cellsDone > 0) {
            sessionResults_.push_back(results);
            sessionExperiments_.push_back(runs_->prepared());
            const int id = static_cast<int>(sessionResults_.size()) - 1;
            navigator_->setEntry(
                WorkspaceNavigator::Kind::Result, id,
                cancelled ? tr("%1 (cancelled)").arg(results->title) : results->title,
                tr("%1 of %2 cells").arg(results->cellsDone).arg(results->cellCount));
            navigator_->selectEntry(WorkspaceNavigator::Kind::Result, id);
        }
        if (error.isEmpty() && !cancelled) {
            evaluator_->setExperiment(runs_->prepared(), results->sweep);
            preferences_->setAvailable(true,
                                       tr("Drag to move each router's operating point; "
                                          "evaluated on the %1 scored prompts.")
                                           .arg(runs_->prepared()->setup->scoredRows().size()));
            evaluator_->request(preferences_->preference());
        } else {
            preferences_->setAvailable(false, tr("The run did not finish: re-run it to use the "
                                                 "slider."));
        }
    }
    if (!error.isEmpty())
        emit message(tr("The run failed: %1").arg(error), true);
    else
        emit message(cancelled ? tr("Run cancelled") : tr("Run finished"), false);
    emit runFinished(cancelled, error);
}

void ExperimentWorkbench::showResults(std::shared_ptr<const ExperimentResults> results,
                                      bool streamed) {
    shown_ = results;
    for (ChartPanel* panel : panels_)
        if (streamed)
            panel->streamResults(results);
        else
            panel->showResults(results);
    repriceSingleModels();
    emit resultsShown();
}

void ExperimentWorkbench::repriceSingleModels() {
    if (!editedPool_ || !shownExperiment_ || !shown_) {
        pareto_->setRepricedModels({});
        return;
    }
    // The single models' points under the edited prices, on the same scored prompts.
    const PreparedExperiment& e = *shownExperiment_;
    const Eigen::MatrixXd cost = e.dataset->costUsd(*editedPool_);
    const std::vector<int>& rows = e.setup->scoredRows();
    QJsonArray models;
    for (int k = 0; k < e.dataset->modelCount(); ++k) {
        double c = 0, q = 0;
        for (const int i : rows) {
            c += cost(i, k);
            q += std::isnan(e.dataset->quality(i, k)) ? 0 : e.dataset->quality(i, k);
        }
        models.append(QJsonObject{{QStringLiteral("name"), e.dataset->modelNames[k]},
                                  {QStringLiteral("cost_usd"), c / double(rows.size())},
                                  {QStringLiteral("quality"), q / double(rows.size())}});
    }
    pareto_->setRepricedModels(models);
}

void ExperimentWorkbench::setRunPreference(const Preference& preference) {
    preferences_->setRunPreference(preference);
    preferences_->setPreference(preference);
    tradeoff_->setRunPreference(preference);
    tradeoff_->setPreference(preference);
}

void ExperimentWorkbench::showUntrained(std::shared_ptr<const ExperimentResults> results,
                                        const QString& why) {
    shownExperiment_.reset();
    evaluator_->setExperiment(nullptr, {});
    preferences_->setAvailable(false, why);
    // The slider's points belong to the run shown before: not to these results.
    preferences_->showPoints({});
    pareto_->setOperatingPoints({});
    showResults(std::move(results));
}

bool ExperimentWorkbench::openResultFile(const QString& path, QString& error) {
    auto results = std::make_shared<ExperimentResults>();
    if (!readResultFile(path, *results, error))
        return false;
    sessionResults_.push_back(results);
    sessionExperiments_.push_back(nullptr);
    const int id = static_cast<int>(sessionResults_.size()) - 1;
    navigator_->setEntry(WorkspaceNavigator::Kind::Result, id, results->title, path);
    navigator_->selectEntry(WorkspaceNavigator::Kind::Result, id);
    showUntrained(results, tr("A result file holds no trained routers: run the experiment to "
                              "use the slider."));
    emit pageRequested(results->sweep.isEmpty() ? static_cast<QWidget*>(comparison_) : pareto_);
    return true;
}

bool ExperimentWorkbench::openWorkspace(const QString& path, QString& error) {
    try {
        WorkspaceStore store(path);
        const std::vector<ExperimentRecord> experiments = store.experiments();
        navigator_->clearExperiments();
        for (const ExperimentRecord& e : experiments) {
            const std::vector<RunRecord> runs = store.runs(e.id);
            navigator_->setEntry(
                WorkspaceNavigator::Kind::Experiment, static_cast<int>(e.id),
                tr("%1 (%n run(s))", nullptr, static_cast<int>(runs.size())).arg(e.name),
                e.createdAt.toString(Qt::ISODate));
            for (const RunRecord& r : runs)
                navigator_->setRunEntry(static_cast<int>(e.id), static_cast<int>(r.id),
                                        tr("%1 · seed %2").arg(r.router).arg(r.seed),
                                        QString::fromUtf8(r.preferenceJson));
        }
        const std::vector<EvaluationRecord> evaluations = store.evaluations();
        for (const EvaluationRecord& e : evaluations)
            navigator_->setEntry(WorkspaceNavigator::Kind::Evaluation, static_cast<int>(e.id),
                                 e.name, e.createdAt.toString(Qt::ISODate));
        workspacePath_ = path;
        emit message(tr("Opened workspace %1: %n experiment(s)", nullptr,
                        static_cast<int>(experiments.size()))
                             .arg(path) +
                         tr(", %n evaluation(s)", nullptr, static_cast<int>(evaluations.size())),
                     false);
        return true;
    } catch (...) {
        error = currentErrorMessage();
    }
    return false;
}

void ExperimentWorkbench::showEntry(WorkspaceNavigator::Kind kind, int id) {
    if (kind == WorkspaceNavigator::Kind::Result) {
        if (id < 0 || id >= static_cast<int>(sessionResults_.size()))
            return;
        shownExperiment_ = sessionExperiments_[static_cast<std::size_t>(id)];
        showResults(sessionResults_[static_cast<std::size_t>(id)]);
        if (shownExperiment_) {
            setRunPreference(shownExperiment_->experiment.simulate.preference);
            evaluator_->setExperiment(shownExperiment_, shown_->sweep);
            preferences_->setModels(shownExperiment_->modelNames());
            preferences_->setAvailable(true, tr("Drag to move each router's operating point."));
            evaluator_->request(preferences_->preference());
        }
        return;
    }
    if (workspacePath_.isEmpty())
        return;
    if (kind == WorkspaceNavigator::Kind::Evaluation) {
        showStoredEvaluation(id);
        return;
    }
    try {
        WorkspaceStore store(workspacePath_);
        qint64 experimentId = id;
        qint64 onlyRun = 0;
        if (kind == WorkspaceNavigator::Kind::Run) {
            onlyRun = id;
            experimentId = 0;
            for (const ExperimentRecord& e : store.experiments())
                for (const RunRecord& r : store.runs(e.id))
                    if (r.id == id)
                        experimentId = e.id;
        }
        for (const ExperimentRecord& e : store.experiments()) {
            if (e.id != experimentId)
                continue;
            auto results =
                std::make_shared<ExperimentResults>(readStoredExperiment(store, e, onlyRun));
            shownExperiment_.reset();
            evaluator_->setExperiment(nullptr, {});
            preferences_->setAvailable(false, tr("Stored runs hold no trained routers: run the "
                                                 "experiment again to use the slider."));
            showResults(results);
            emit pageRequested(results->sweep.isEmpty() ? static_cast<QWidget*>(convergence_)
                                                        : pareto_);
        }
    } catch (...) {
        emit message(tr("Could not read the workspace: %1").arg(currentErrorMessage()), true);
    }
}

void ExperimentWorkbench::showStoredEvaluation(qint64 id) {
    try {
        WorkspaceStore store(workspacePath_);
        for (const EvaluationRecord& e : store.evaluations()) {
            if (e.id != id)
                continue;
            auto* dialog = new RecordedEvaluationDialog(e, designer_);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->show();
            return;
        }
        emit message(tr("%1: no evaluation %2").arg(workspacePath_).arg(id), true);
    } catch (...) {
        emit message(tr("Could not show the evaluation: %1").arg(currentErrorMessage()), true);
    }
}

std::vector<RunChoice> ExperimentWorkbench::runChoices() const {
    std::vector<RunChoice> choices;
    for (std::size_t i = 0; i < sessionResults_.size(); ++i) {
        const ExperimentResults& r = *sessionResults_[i];
        if (!r.comparison) // an overlay is not a run
            choices.push_back({RunChoice::Source::Session,
                               static_cast<qint64>(i),
                               {},
                               r.title,
                               tr("%1 of %2 cells").arg(r.cellsDone).arg(r.cellCount)});
    }
    if (workspacePath_.isEmpty())
        return choices;
    try {
        WorkspaceStore store(workspacePath_);
        for (const ExperimentRecord& e : store.experiments())
            choices.push_back(
                {RunChoice::Source::Stored, e.id, workspacePath_,
                 tr("%1 (experiment %2)").arg(e.name).arg(e.id),
                 tr("%1, recorded %2").arg(workspacePath_, e.createdAt.toString(Qt::ISODate))});
    } catch (...) {
        // The workspace went away since it was opened: offer what this window holds.
    }
    return choices;
}

void ExperimentWorkbench::chooseRunsToCompare(WorkspaceNavigator::Kind kind, int id) {
    CompareRunsDialog dialog(runChoices(), designer_);
    if (kind == WorkspaceNavigator::Kind::Result)
        dialog.check(RunChoice::Source::Session, id);
    else if (kind == WorkspaceNavigator::Kind::Experiment)
        dialog.check(RunChoice::Source::Stored, id);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString error;
    if (!compareRuns(dialog.chosen(), error))
        emit message(tr("Could not compare the runs: %1").arg(error), true);
}

std::shared_ptr<const ExperimentResults> ExperimentWorkbench::readChoice(const RunChoice& choice,
                                                                         QString& error) {
    auto results = std::make_shared<ExperimentResults>();
    switch (choice.source) {
    case RunChoice::Source::Session:
        if (choice.id >= 0 && choice.id < static_cast<qint64>(sessionResults_.size()))
            return sessionResults_[static_cast<std::size_t>(choice.id)];
        error = tr("%1: no longer in this window").arg(choice.title);
        return nullptr;
    case RunChoice::Source::File:
        return readResultFile(choice.path, *results, error) ? results : nullptr;
    case RunChoice::Source::Stored:
        break;
    }
    try {
        WorkspaceStore store(choice.path);
        for (const ExperimentRecord& e : store.experiments())
            if (e.id == choice.id)
                return std::make_shared<ExperimentResults>(readStoredExperiment(store, e));
        error = tr("%1: no experiment %2").arg(choice.path).arg(choice.id);
    } catch (...) {
        error = currentErrorMessage();
    }
    return nullptr;
}

bool ExperimentWorkbench::compareRuns(const std::vector<RunChoice>& chosen, QString& error) {
    if (chosen.size() < 2) {
        error = tr("choose two or more results");
        return false;
    }
    std::vector<OverlayRun> runs;
    for (const RunChoice& choice : chosen) {
        auto results = readChoice(choice, error);
        if (!results)
            return false;
        runs.push_back({runLabel(static_cast<int>(runs.size())), choice.title, results});
    }
    auto overlay = std::make_shared<const ExperimentResults>(overlayRuns(runs));
    sessionResults_.push_back(overlay);
    sessionExperiments_.push_back(nullptr);
    const int id = static_cast<int>(sessionResults_.size()) - 1;
    QStringList labels;
    for (const OverlayRun& run : runs)
        labels << run.label;
    navigator_->setEntry(WorkspaceNavigator::Kind::Result, id,
                         tr("Runs %1 side by side").arg(labels.join(QStringLiteral(", "))),
                         overlay->title);
    navigator_->selectEntry(WorkspaceNavigator::Kind::Result, id);
    showUntrained(overlay, tr("Runs side by side hold no trained routers: run an experiment to "
                              "use the slider."));
    emit pageRequested(runsPanel_);
    return true;
}

bool ExperimentWorkbench::deployInput(DeployDialog::Input& input, QString& why) const {
    if (!shownExperiment_ || !shown_) {
        why = tr("Deploy needs a run of this window (stored runs and result files hold no "
                 "trained routers): run the experiment, or select one of this window's runs.");
        return false;
    }
    input.experiment = shownExperiment_;
    input.simulateResult = shown_->simulate;
    input.datasets = shownExperiment_->experiment.simulate.datasets;
    input.pool = shownExperiment_->experiment.simulate.pool;
    input.preference = preferences_->preference();
    input.workspace = workspacePath_;
    input.poolEdited = editedPool_ != nullptr;
    return true;
}

void ExperimentWorkbench::deploy() {
    DeployDialog::Input input;
    QString why;
    if (!deployInput(input, why)) {
        emit message(why, true);
        return;
    }
    DeployDialog dialog(input, designer_);
    dialog.exec();
}

} // namespace routerlab
