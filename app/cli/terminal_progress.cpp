#include "cli/terminal_progress.h"

#include <algorithm>

#ifdef Q_OS_WIN
#include <io.h>
#define ROUTERLAB_ISATTY _isatty
#define ROUTERLAB_FILENO _fileno
#else
#include <unistd.h>
#define ROUTERLAB_ISATTY isatty
#define ROUTERLAB_FILENO fileno
#endif

namespace routerlab {

namespace {

const QString kQuiet = QStringLiteral("quiet");

} // namespace

void addQuietOption(QCommandLineParser& p) {
    p.addOption({kQuiet, QStringLiteral("Show no progress line on stderr (it shows only when "
                                        "stderr is a terminal).")});
}

TerminalProgress::TerminalProgress(const QCommandLineParser& p, const QString& task,
                                   const QString& unit, int total)
    : meter_(task, unit, total) {
    if (!p.isSet(kQuiet) && ROUTERLAB_ISATTY(ROUTERLAB_FILENO(stderr)))
        stream_ = stderr;
}

void TerminalProgress::setTotal(int total) {
    const std::lock_guard lock(mutex_);
    meter_.setTotal(total);
}

int TerminalProgress::total() {
    const std::lock_guard lock(mutex_);
    return meter_.total();
}

TerminalProgress::~TerminalProgress() {
    finish();
}

void TerminalProgress::advance(int done, const QString& current) {
    const std::lock_guard lock(mutex_);
    done_ = std::max(done_, done);
    if (stream_)
        show(meter_.update(done, current));
}

void TerminalProgress::finishOne(const QString& current) {
    const std::lock_guard lock(mutex_);
    ++done_;
    if (stream_)
        show(meter_.update(done_, current));
}

void TerminalProgress::finish() {
    const std::lock_guard lock(mutex_);
    if (!stream_)
        return;
    // A run that stopped early (an error) keeps its last count rather than claim done.
    if (done_ >= meter_.total())
        show(meter_.update(meter_.total(), {}));
    std::fputc('\n', stream_);
    std::fflush(stream_);
    stream_ = nullptr;
}

void TerminalProgress::show(const QString& line) {
    if (line.isEmpty())
        return;
    const QByteArray text = line.toUtf8();
    // Spaces over what is left of a longer previous line.
    const int pad = std::max(0, shownWidth_ - static_cast<int>(line.size()));
    std::fprintf(stream_, "\r%s%*s", text.constData(), pad, "");
    std::fflush(stream_);
    shownWidth_ = static_cast<int>(line.size());
}

} // namespace routerlab
