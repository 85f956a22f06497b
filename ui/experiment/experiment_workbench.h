#pragma once

#include "ui/experiment/compare_runs_dialog.h"
#include "ui/experiment/deploy_dialog.h"
#include "ui/experiment/experiment_results.h"
#include "ui/experiment/prepared_experiment.h"
#include "ui/shell/workspace_navigator.h"
#include "ui/tradeoff/operating_point_evaluator.h"

#include <QObject>
#include <memory>
#include <vector>

class QTabWidget;

namespace routerlab {

class ChartPanel;
class ComparisonPanel;
class ConvergencePanel;
class CostPanel;
class ExperimentDesigner;
class LatencyPanel;
class ParetoPanel;
class PreferencePanel;
class TradeoffPage;
class RunController;
class RunPanel;
class RunsPanel;

// Everything about experiments, owned by the main window: the designer, the run and its
// panel, the result pages, the preference slider, and results from elsewhere (this
// session's runs, result files, a workspace's stored experiments) in the navigator.
class ExperimentWorkbench : public QObject {
    Q_OBJECT

public:
    ExperimentWorkbench(WorkspaceNavigator* navigator, QWidget* parentWidget);
    ~ExperimentWorkbench() override;

    ExperimentDesigner* designer() const { return designer_; }
    RunController* runs() const { return runs_; }
    RunPanel* runPanel() const { return runPanel_; }
    PreferencePanel* preferences() const { return preferences_; }
    OperatingPointEvaluator* evaluator() const { return evaluator_; }
    TradeoffPage* tradeoff() const { return tradeoff_; }
    const std::vector<ChartPanel*>& panels() const { return panels_; }
    ConvergencePanel* convergence() const { return convergence_; }
    CostPanel* cost() const { return cost_; }
    LatencyPanel* latency() const { return latency_; }
    ParetoPanel* pareto() const { return pareto_; }
    ComparisonPanel* comparison() const { return comparison_; }
    RunsPanel* runsPanel() const { return runsPanel_; }
    std::shared_ptr<const ExperimentResults> shownResults() const { return shown_; }

    // The data the window shows, reused by a run over the same files (with the pool as
    // edited). `paths`/`poolPath` are what it was opened from.
    void setWindowData(const LoadedData& data, const QStringList& paths, const QString& poolPath);
    // The pool was edited: runs reuse it; the frontier's single models are re-priced.
    void setEditedPool(std::shared_ptr<const ModelPool> pool);

    // The workspace file opened last; empty when none.
    const QString& workspacePath() const { return workspacePath_; }

    void run();
    // Opens "Run on a Cluster…" for the designer's experiment (modal).
    void runOnCluster();
    // Experiment ▸ Evaluate on Unseen Tasks… for the designer's experiment.
    void evaluateUnseen();
    bool openResultFile(const QString& path, QString& error);
    bool openWorkspace(const QString& path, QString& error);
    void showEntry(WorkspaceNavigator::Kind kind, int id);
    // Opens the workspace's stored evaluation `id` (`evaluate --workspace`) in a dialog of its
    // own; a message says why when it cannot be read.
    void showStoredEvaluation(qint64 id);

    // What Compare Runs offers: this window's results (not overlays) and the open workspace's
    // stored experiments.
    std::vector<RunChoice> runChoices() const;
    // Experiment ▸ Compare Runs… (modal), with the workspace tree's entry `kind`/`id` ticked
    // when it is a result or a stored experiment; shows the overlay when accepted.
    void chooseRunsToCompare(WorkspaceNavigator::Kind kind, int id);
    // Reads the chosen results, overlays them, lists the overlay under Results and shows it
    // on the Runs page. False with `error` (naming the file or experiment) when one cannot be
    // read; then nothing changes.
    bool compareRuns(const std::vector<RunChoice>& chosen, QString& error);

    // Experiment ▸ Deploy… (modal) for the run shown; a message says why not when the results
    // shown are not a run of this window.
    void deploy();
    // What Deploy starts from: the run shown, its result, the Trade-off dock's preference and
    // the open workspace. False with `why` when the results shown hold no trained routers.
    bool deployInput(DeployDialog::Input& input, QString& why) const;

signals:
    void message(const QString& text, bool error);
    void runFinished(bool cancelled, const QString& error);
    void resultsShown();
    // A page worth looking at now (the Convergence page when a run starts).
    void pageRequested(QWidget* page);

private:
    // `streamed`: a running experiment's update, drawn when the event loop is idle.
    void showResults(std::shared_ptr<const ExperimentResults> results, bool streamed = false);
    void onRunPrepared();
    void onRunUpdated();
    void onRunFinished(bool cancelled, const QString& error);
    void repriceSingleModels();
    // The preference the shown run was made at: the slider starts there and says so.
    void setRunPreference(const Preference& preference);
    // Shows results that hold no trained routers (stored, a file, an overlay): the slider
    // says why it is off.
    void showUntrained(std::shared_ptr<const ExperimentResults> results, const QString& why);
    std::shared_ptr<const ExperimentResults> readChoice(const RunChoice& choice, QString& error);

    WorkspaceNavigator* navigator_;
    ExperimentDesigner* designer_;
    RunController* runs_;
    RunPanel* runPanel_;
    PreferencePanel* preferences_;
    OperatingPointEvaluator* evaluator_;
    TradeoffPage* tradeoff_;
    ConvergencePanel* convergence_;
    CostPanel* cost_;
    LatencyPanel* latency_;
    ParetoPanel* pareto_;
    ComparisonPanel* comparison_;
    RunsPanel* runsPanel_;
    std::vector<ChartPanel*> panels_;

    LoadedData windowData_;
    QStringList windowPaths_;
    QString windowPoolPath_;
    std::shared_ptr<const ModelPool> editedPool_;
    std::shared_ptr<const ExperimentResults> shown_;
    std::shared_ptr<const PreparedExperiment> shownExperiment_; // for the slider and re-pricing
    std::vector<std::shared_ptr<const ExperimentResults>> sessionResults_; // navigator "Results"
    std::vector<std::shared_ptr<const PreparedExperiment>> sessionExperiments_;
    QString workspacePath_;
};

} // namespace routerlab
