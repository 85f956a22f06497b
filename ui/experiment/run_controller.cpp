#include "ui/experiment/run_controller.h"

#include <QtConcurrent>

namespace routerlab {

RunController::RunController(QObject* parent) : QObject(parent) {
    connect(&job_, &BackgroundJob::poll, this, &RunController::poll);
    connect(&job_, &BackgroundJob::finished, this, &RunController::onWorkerFinished);
    connect(&jsonWatcher_, &QFutureWatcher<ResultsAccumulator::Jsons>::finished, this,
            &RunController::onJsonsBuilt);
}

RunController::~RunController() {
    job_.cancel();
    job_.waitForFinished();
    jsonWatcher_.waitForFinished();
}

void RunController::start(const GuiExperiment& experiment, const LoadedData& loaded,
                          const QString& title) {
    if (running_)
        return;
    running_ = true;
    workerDone_ = false;
    jsonBusy_ = false;
    outcome_ = std::make_shared<RunOutcome>();
    progress_ = std::make_shared<RunProgress>();
    accumulator_.reset();
    title_ = title;
    cellsStartedMs_ = -1;
    clock_.start();
    const int threads = std::max(1, experiment.simulate.threads);
    // The experiment runs its cells on threads of its own; the job's thread only waits for them.
    job_.start([experiment, loaded, progress = progress_, outcome = outcome_,
                threads] { *outcome = runExperimentJob(experiment, loaded, progress, threads); },
               [progress = progress_] { progress->cancel.store(true); });
    emit runningChanged(true);
}

void RunController::cancel() {
    job_.cancel();
}

qint64 RunController::remainingMs() const {
    const auto prepared = this->prepared();
    if (!prepared || cellsStartedMs_ < 0)
        return -1;
    const int done = progress_->doneCells();
    if (done == 0)
        return -1;
    const qint64 spent = clock_.elapsed() - cellsStartedMs_;
    return spent * (prepared->cellCount() - done) / done;
}

void RunController::poll() {
    if (!progress_)
        return;
    if (!accumulator_) {
        auto prepared = progress_->prepared();
        if (!prepared)
            return;
        accumulator_ = std::make_unique<ResultsAccumulator>(std::move(prepared), title_);
        cellsStartedMs_ = clock_.elapsed();
        emit cellsPlanned();
    }
    foldFinished(RunProgress::Wait::No);
    startJsonBuild();
}

void RunController::foldFinished(RunProgress::Wait wait) {
    std::vector<CellDigest> finished = progress_->takeFinished(wait);
    for (CellDigest& d : finished)
        accumulator_->add(d);
    if (!finished.empty())
        spentDigests_.push_back(std::move(finished));
    progress_->recycle(spentDigests_);
}

void RunController::startJsonBuild() {
    if (jsonBusy_ || !accumulator_ || !accumulator_->jsonsStale())
        return;
    jsonBusy_ = true;
    jsonWatcher_.setFuture(QtConcurrent::run([snapshot = accumulator_->takeSnapshot()] {
        return ResultsAccumulator::buildJsons(snapshot);
    }));
}

void RunController::onJsonsBuilt() {
    jsonBusy_ = false;
    if (!accumulator_)
        return;
    accumulator_->setJsons(jsonWatcher_.result());
    emit resultsUpdated();
    startJsonBuild();
    if (workerDone_ && !jsonBusy_)
        finish();
}

// The job has polled once more since the work returned, so every cell is folded in, unless
// that poll found the lock taken: with the workers gone, wait for it now.
void RunController::onWorkerFinished() {
    workerDone_ = true;
    if (accumulator_) {
        foldFinished(RunProgress::Wait::Yes);
        startJsonBuild();
    }
    // The last cells' JSONs are still being built: finish when they land.
    if (!jsonBusy_)
        finish();
}

void RunController::finish() {
    if (!running_)
        return;
    running_ = false;
    emit runningChanged(false);
    emit finished(outcome_->cancelled, outcome_->error);
}

} // namespace routerlab
