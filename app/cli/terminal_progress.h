#pragma once

#include "common/progress_meter.h"

#include <QCommandLineParser>
#include <cstdio>
#include <mutex>

namespace routerlab {

// Adds --quiet, which silences the progress line.
void addQuietOption(QCommandLineParser& p);

// A long command's progress on stderr: one line rewritten in place with \r, finished with a
// newline. Silent when stderr is not a terminal (piped, redirected, a test's capture) or with
// --quiet, so scripts and logs see only the command's own messages. Safe to call from the
// worker threads that finish cells.
class TerminalProgress {
public:
    TerminalProgress(const QCommandLineParser& p, const QString& task, const QString& unit,
                     int total);
    ~TerminalProgress();
    TerminalProgress(const TerminalProgress&) = delete;
    TerminalProgress& operator=(const TerminalProgress&) = delete;

    // Shows nothing until the first call.
    void advance(int done, const QString& current);
    // One more unit finished (the next `advance` count), `current` being the one that ended.
    void finishOne(const QString& current);
    void setTotal(int total);
    int total();
    // Ends the line with a newline; later calls print nothing.
    void finish();

private:
    void show(const QString& line);

    std::mutex mutex_;
    ProgressMeter meter_;
    std::FILE* stream_ = nullptr; // null when silent
    int done_ = 0;
    int shownWidth_ = 0;
};

} // namespace routerlab
