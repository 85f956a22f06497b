#pragma once

#include "ui/dataset/dataset_load_job.h"
#include "ui/shell/background_job.h"

#include <QObject>
#include <memory>
#include <optional>

class QProgressBar;
class QPushButton;
class QStatusBar;

namespace routerlab {

// Runs one load at a time on a worker and shows it in the status bar: a progress bar over
// the bytes read and a Cancel button. A new request while one runs cancels it and starts
// once it has stopped; only the newest request's outcome is reported.
class LoadController : public QObject {
    Q_OBJECT

public:
    explicit LoadController(QStatusBar* statusBar, QObject* parent = nullptr);

    void start(const LoadRequest& request);
    void cancel();
    bool isRunning() const { return job_.isRunning(); }
    // Milliseconds since the reported request started.
    qint64 elapsedMs() const;

signals:
    void runningChanged(bool running);
    void finished(const routerlab::LoadOutcome& outcome);

private:
    void onWorkerFinished();
    void updateProgress();

    QStatusBar* statusBar_;
    QProgressBar* progressBar_;
    QPushButton* cancelButton_;
    // Its destructor cancels and waits: the worker never outlives us.
    BackgroundJob job_;
    std::shared_ptr<LoadProgress> progress_;
    std::shared_ptr<LoadOutcome> outcome_; // written by the worker before it returns
    std::optional<LoadRequest> pending_;
    qint64 startedMs_ = 0;
};

} // namespace routerlab
