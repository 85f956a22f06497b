#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <algorithm>

namespace routerlab::testing {

// How much slower the sanitizer build (ROUTERLAB_SANITIZED, set by tests/CMakeLists.txt) runs
// a test's own work: timing bounds are multiplied by it.
#if defined(ROUTERLAB_SANITIZED) || defined(__SANITIZE_ADDRESS__)
inline constexpr double kSanitizerSlowdown = 5;
#else
inline constexpr double kSanitizerSlowdown = 1;
#endif

// The longest gap between ticks of a 5 ms timer: how long the event loop was unavailable.
class StallMeter : public QObject {
public:
    StallMeter() {
        timer_.setInterval(5);
        connect(&timer_, &QTimer::timeout, this, [this] {
            const qint64 now = clock_.elapsed();
            longest_ = std::max(longest_, now - last_);
            last_ = now;
        });
        clock_.start();
        timer_.start();
    }
    qint64 longestMs() const { return longest_; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    qint64 longest_ = 0;
};

// `baseMs` on a quiet machine (by default a visible freeze, 250 ms), times `slowdown` (a
// sanitizer build's). On a loaded machine (a build beside us, the suite in parallel) the GUI
// thread waits for a core however little it does, so the limit grows with the load per core
// (twice the load: a run's own workers count), up to 1250 ms, a frozen window at any load.
inline qint64 stallLimitMs(double slowdown = 1, double baseMs = 250) {
    double load = 0;
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    if (loadavg.open(QIODevice::ReadOnly))
        load = loadavg.readAll().split(' ').value(0).toDouble();
    const double perCore = load / std::max(1, QThread::idealThreadCount());
    return static_cast<qint64>(std::min(std::max(1250.0, baseMs * slowdown),
                                        baseMs * slowdown * std::max(1.0, 2.0 * perCore)));
}

} // namespace routerlab::testing
