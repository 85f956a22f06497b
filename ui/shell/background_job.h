#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QThreadPool>
#include <functional>

class QTimer;

namespace routerlab {

// The shell every long task of the window runs in: one piece of work at a time on a thread of
// its own (a long run must not hold the global pool), a timer that asks the owner to sample the
// work's progress while it runs (cheaper than a queued signal per step), a cancel that reaches
// the work through the owner's flag, and `finished` on the GUI thread once the work has
// returned. The destructor cancels and waits: the work never outlives its owner.
class BackgroundJob : public QObject {
    Q_OBJECT

public:
    static constexpr int kDefaultPollMs = 100; // often enough for a progress bar to look live

    explicit BackgroundJob(int pollMs = kDefaultPollMs, QObject* parent = nullptr);
    ~BackgroundJob() override;

    // Runs `work` on the job's thread. `requestCancel` sets the flag the work polls; it is
    // called from the GUI thread by cancel() and by the destructor. False while a job runs.
    bool start(std::function<void()> work, std::function<void()> requestCancel);
    bool isRunning() const { return watcher_.isRunning(); }
    bool cancelRequested() const { return cancelRequested_; }
    void cancel();
    void waitForFinished();

signals:
    void poll();     // every pollMs while the work runs, and once more before `finished`
    void finished(); // the work has returned (or thrown: the work reports its own errors)

private:
    void onFinished();

    QThreadPool thread_;
    QFutureWatcher<void> watcher_;
    QTimer* pollTimer_;
    std::function<void()> requestCancel_;
    bool cancelRequested_ = false;
};

} // namespace routerlab
