#include "ui/shell/background_job.h"

#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace routerlab {

BackgroundJob::BackgroundJob(int pollMs, QObject* parent)
    : QObject(parent), pollTimer_(new QTimer(this)) {
    thread_.setMaxThreadCount(1);
    pollTimer_->setInterval(pollMs);
    connect(pollTimer_, &QTimer::timeout, this, &BackgroundJob::poll);
    connect(&watcher_, &QFutureWatcher<void>::finished, this, &BackgroundJob::onFinished);
}

BackgroundJob::~BackgroundJob() {
    cancel();
    waitForFinished();
}

bool BackgroundJob::start(std::function<void()> work, std::function<void()> requestCancel) {
    if (isRunning())
        return false;
    requestCancel_ = std::move(requestCancel);
    cancelRequested_ = false;
    watcher_.setFuture(QtConcurrent::run(&thread_, std::move(work)));
    pollTimer_->start();
    return true;
}

void BackgroundJob::cancel() {
    if (!isRunning() || cancelRequested_)
        return;
    cancelRequested_ = true;
    if (requestCancel_)
        requestCancel_();
}

void BackgroundJob::waitForFinished() {
    watcher_.waitForFinished();
    thread_.waitForDone();
}

void BackgroundJob::onFinished() {
    pollTimer_->stop();
    emit poll();
    emit finished();
}

} // namespace routerlab
