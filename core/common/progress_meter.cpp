#include "common/progress_meter.h"

#include <QElapsedTimer>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <memory>

namespace routerlab {

namespace {

ProgressMeter::Clock steadyClock() {
    auto timer = std::make_shared<QElapsedTimer>();
    timer->start();
    return [timer] { return static_cast<double>(timer->nsecsElapsed()) / 1e9; };
}

} // namespace

ProgressMeter::ProgressMeter(QString task, QString unit, int total, Clock clock)
    : task_(std::move(task)), unit_(std::move(unit)), total_(std::max(total, 0)),
      clock_(clock ? std::move(clock) : steadyClock()), start_(clock_()) {}

QString ProgressMeter::update(int done, const QString& current) {
    if (lastDone_ >= total_)
        return {}; // the last line is shown once
    const double elapsed = clock_() - start_;
    const bool firstEstimate = done >= 1 && lastDone_ < 1;
    const bool last = done >= total_;
    const bool due = lastShown_ < 0 || elapsed - lastShown_ >= kMinimumInterval;
    if (!(due || firstEstimate || last))
        return {};
    lastShown_ = elapsed;
    lastDone_ = std::max(lastDone_, done);
    return lineAt(done, current, elapsed);
}

QString ProgressMeter::lineAt(int done, const QString& current, double elapsed) const {
    done = std::clamp(done, 0, total_);
    QStringList parts;
    const int percent = total_ > 0 ? static_cast<int>(100.0 * done / total_) : 100;
    parts << QStringLiteral("%1: %2 of %3 %4 (%5%)")
                 .arg(task_)
                 .arg(done)
                 .arg(total_)
                 .arg(unit_)
                 .arg(percent);
    if (!current.isEmpty() && done < total_)
        parts << current;
    if (done > 0 && elapsed > 0)
        parts << QStringLiteral("%1 %2/s").arg(done / elapsed, 0, 'f', 1).arg(unit_);
    parts << QStringLiteral("%1 elapsed").arg(clockText(elapsed));
    if (done >= total_)
        parts << QStringLiteral("done");
    else if (done == 0)
        parts << QStringLiteral("time left: estimating");
    else
        parts << QStringLiteral("time left %1").arg(clockText(elapsed * (total_ - done) / done));
    return parts.join(QStringLiteral(", "));
}

QString ProgressMeter::clockText(double seconds) {
    const qint64 whole = std::isfinite(seconds) ? std::llround(std::max(seconds, 0.0)) : 0;
    const qint64 hours = whole / 3600;
    const qint64 minutes = whole / 60 % 60;
    const qint64 secs = whole % 60;
    if (hours > 0)
        return QStringLiteral("%1:%2:%3")
            .arg(hours)
            .arg(minutes, 2, 10, QLatin1Char('0'))
            .arg(secs, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(minutes).arg(secs, 2, 10, QLatin1Char('0'));
}

} // namespace routerlab
