#include "ui/shell/load_controller.h"

#include "ui/shell/recent_files_menu.h"

#include <QDateTime>
#include <QProgressBar>
#include <QPushButton>
#include <QStatusBar>
#include <utility>

namespace routerlab {

LoadController::LoadController(QStatusBar* statusBar, QObject* parent)
    : QObject(parent), statusBar_(statusBar), progressBar_(new QProgressBar(statusBar)),
      cancelButton_(new QPushButton(tr("Cancel"), statusBar)) {
    progressBar_->setMaximumWidth(200);
    progressBar_->setTextVisible(false);
    cancelButton_->setToolTip(tr("Stop loading; what is shown now stays"));
    connect(cancelButton_, &QPushButton::clicked, this, &LoadController::cancel);
    statusBar_->addPermanentWidget(progressBar_);
    statusBar_->addPermanentWidget(cancelButton_);
    progressBar_->hide();
    cancelButton_->hide();
    // Sample the worker's byte counter rather than queue a signal per chunk it reads.
    connect(&job_, &BackgroundJob::poll, this, &LoadController::updateProgress);
    connect(&job_, &BackgroundJob::finished, this, &LoadController::onWorkerFinished);
}

void LoadController::start(const LoadRequest& request) {
    if (isRunning()) {
        pending_ = request;
        job_.cancel();
        return;
    }
    progress_ = std::make_shared<LoadProgress>();
    outcome_ = std::make_shared<LoadOutcome>();
    startedMs_ = QDateTime::currentMSecsSinceEpoch();
    job_.start([request, progress = progress_,
                outcome = outcome_] { *outcome = runLoadJob(request, progress); },
               [progress = progress_] { progress->cancel = true; });
    statusBar_->showMessage(tr("Loading %1…").arg(RecentFilesMenu::describe(request)));
    progressBar_->setRange(0, 0);
    progressBar_->show();
    cancelButton_->show();
    emit runningChanged(true);
}

void LoadController::cancel() {
    if (!isRunning())
        return;
    pending_.reset();
    job_.cancel();
    statusBar_->showMessage(tr("Cancelling…"));
}

qint64 LoadController::elapsedMs() const {
    return QDateTime::currentMSecsSinceEpoch() - startedMs_;
}

void LoadController::updateProgress() {
    const qint64 total = progress_ ? progress_->total.load() : 0;
    if (total <= 0) {
        progressBar_->setRange(0, 0); // busy: the total is not known yet
        return;
    }
    progressBar_->setRange(0, 1000);
    progressBar_->setValue(static_cast<int>(progress_->done.load() * 1000 / total));
}

void LoadController::onWorkerFinished() {
    progressBar_->hide();
    cancelButton_->hide();
    const LoadOutcome outcome = *outcome_;
    if (pending_) {
        // Superseded: whatever it produced is dropped, the newer request runs instead.
        start(*std::exchange(pending_, std::nullopt));
        return;
    }
    emit runningChanged(false);
    emit finished(outcome);
}

} // namespace routerlab
