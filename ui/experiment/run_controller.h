#pragma once

#include "ui/experiment/experiment_run_job.h"
#include "ui/experiment/results_accumulator.h"
#include "ui/shell/background_job.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QObject>
#include <memory>

namespace routerlab {

// Runs one experiment at a time on worker threads and streams its results: a GUI timer takes
// the finished cells every 100 ms and folds their series in; the result JSONs are rebuilt on
// a worker (over tens of thousands of cells that takes longer than a frame), and each rebuild
// that lands says resultsUpdated, so the charts redraw at most ten times a second however
// fast cells finish.
class RunController : public QObject {
    Q_OBJECT

public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override; // cancels and waits: the workers never outlive us

    // `threads` 0: the experiment's own thread count.
    void start(const GuiExperiment& experiment, const LoadedData& loaded, const QString& title);
    void cancel();
    bool isRunning() const { return running_; }

    // Null until the experiment is prepared.
    const RunProgress* progress() const { return progress_.get(); }
    ResultsAccumulator* accumulator() const { return accumulator_.get(); }
    std::shared_ptr<const PreparedExperiment> prepared() const {
        return progress_ ? progress_->prepared() : nullptr;
    }
    qint64 elapsedMs() const { return clock_.isValid() ? clock_.elapsed() : 0; }
    // Estimated milliseconds left, from the pace of the cells so far; -1 when unknown.
    qint64 remainingMs() const;

signals:
    void runningChanged(bool running);
    void cellsPlanned(); // the experiment is prepared: prepared() and accumulator() are set
    void resultsUpdated();
    void finished(bool cancelled, const QString& error);

private:
    void poll();
    void foldFinished(RunProgress::Wait wait);
    void startJsonBuild();
    void onJsonsBuilt();
    void onWorkerFinished();
    void finish();

    BackgroundJob job_{BackgroundJob::kDefaultPollMs}; // how often finished cells are folded in
    QFutureWatcher<ResultsAccumulator::Jsons> jsonWatcher_;
    std::shared_ptr<RunOutcome> outcome_; // written by the job before it returns
    bool running_ = false;
    bool workerDone_ = false;
    // A JSON build is in flight. Not jsonWatcher_.isRunning(): that turns false before the
    // finished signal arrives, and a new setFuture then would swallow the last build.
    bool jsonBusy_ = false;
    std::shared_ptr<RunProgress> progress_;
    // Digests the workers allocated, waiting to go back to them to free (RunProgress).
    std::vector<std::vector<CellDigest>> spentDigests_;
    std::unique_ptr<ResultsAccumulator> accumulator_;
    QString title_;
    QElapsedTimer clock_;
    qint64 cellsStartedMs_ = -1;
};

} // namespace routerlab
