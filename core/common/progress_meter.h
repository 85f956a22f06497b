#pragma once

#include <QString>
#include <functional>

namespace routerlab {

// The one-line progress of a long job, rewritten in place on a terminal:
// "sweep: 12 of 64 cells (19%), barp, 3.0 cells/s, 0:04 elapsed, time left 0:17".
// It only formats and throttles; who prints the line decides where it goes.
class ProgressMeter {
public:
    // Seconds since any fixed moment; the tests give their own.
    using Clock = std::function<double()>;
    // Lines closer together than this are skipped: at most five a second.
    static constexpr double kMinimumInterval = 0.2;

    ProgressMeter(QString task, QString unit, int total, Clock clock = {});

    // The line to show now that `done` units are finished and `current` is being worked on;
    // empty when one was shown less than kMinimumInterval ago. The first estimate (one unit
    // done) and the last line are never skipped; after the last line, nothing is shown.
    QString update(int done, const QString& current);
    // The line as it reads after `elapsed` seconds with `done` units finished.
    QString lineAt(int done, const QString& current, double elapsed) const;
    int total() const { return total_; }
    void setTotal(int total) { total_ = total > 0 ? total : 0; }

    // "0:07", "12:05", "1:02:03": minutes and seconds, hours when needed.
    static QString clockText(double seconds);

private:
    QString task_;
    QString unit_;
    int total_ = 0;
    Clock clock_;
    double start_ = 0;
    double lastShown_ = -1; // seconds since start; negative before the first line
    int lastDone_ = -1;
};

} // namespace routerlab
