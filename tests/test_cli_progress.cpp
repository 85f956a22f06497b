// The command line's progress line: its text for given counts and times (a clock the test
// turns), and routerlab-cli sweep showing it on a terminal, silent when piped or --quiet.
#include "cli_process.h"
#include "common/progress_meter.h"

#include <QDir>
#include <QElapsedTimer>
#include <QtTest>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

using namespace routerlab;

namespace {

QStringList sweepArguments() {
    const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
    return {QStringLiteral("sweep"),
            QStringLiteral("--dataset"),
            sample.filePath(QStringLiteral("sample.csv")),
            QStringLiteral("--pool"),
            sample.filePath(QStringLiteral("sample.pool.json")),
            QStringLiteral("--router"),
            QStringLiteral("thompson"),
            QStringLiteral("--router"),
            QStringLiteral("random"),
            QStringLiteral("--points"),
            QStringLiteral("3"),
            QStringLiteral("--seeds"),
            QStringLiteral("2")};
}

struct TerminalRun {
    int code = -1;
    QByteArray terminal; // what the program wrote on its stderr, a terminal
};

#ifdef Q_OS_UNIX
// Runs routerlab-cli with stderr on a pseudo-terminal and stdout discarded.
TerminalRun runOnTerminal(const QStringList& args) {
    int master = -1;
    int slave = -1;
    if (openpty(&master, &slave, nullptr, nullptr, nullptr) != 0)
        qFatal("openpty failed");
    std::vector<QByteArray> argBytes{QByteArrayLiteral(ROUTERLAB_CLI_PATH)};
    for (const QString& a : args)
        argBytes.push_back(a.toLocal8Bit());
    std::vector<char*> argv;
    for (QByteArray& a : argBytes)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t child = fork();
    if (child == 0) {
        const int null = open("/dev/null", O_RDWR);
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(slave, STDERR_FILENO);
        close(master);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(slave);
    TerminalRun run;
    QElapsedTimer clock;
    clock.start();
    // Read until the program's end closes the terminal's last writer (EIO or end of file).
    while (clock.elapsed() < 120000) {
        pollfd fd{master, POLLIN, 0};
        if (poll(&fd, 1, 1000) <= 0)
            continue;
        char buffer[4096];
        const ssize_t n = read(master, buffer, sizeof buffer);
        if (n <= 0)
            break;
        run.terminal.append(buffer, static_cast<int>(n));
    }
    close(master);
    int status = 0;
    waitpid(child, &status, 0);
    run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return run;
}
#endif

} // namespace

class TestCliProgress : public QObject {
    Q_OBJECT

private slots:
    void lineReadsCountsRateAndTimeLeft() {
        const ProgressMeter meter(QStringLiteral("sweep"), QStringLiteral("cells"), 64,
                                  [] { return 0.0; });
        QCOMPARE(meter.lineAt(0, {}, 0),
                 QStringLiteral("sweep: 0 of 64 cells (0%), 0:00 elapsed, time left: estimating"));
        QCOMPARE(meter.lineAt(16, QStringLiteral("barp"), 4.0),
                 QStringLiteral("sweep: 16 of 64 cells (25%), barp, 4.0 cells/s, 0:04 elapsed, "
                                "time left 0:12"));
        QCOMPARE(meter.lineAt(48, QStringLiteral("thompson"), 150.0),
                 QStringLiteral("sweep: 48 of 64 cells (75%), thompson, 0.3 cells/s, 2:30 "
                                "elapsed, time left 0:50"));
        QCOMPARE(meter.lineAt(64, QStringLiteral("barp"), 20.0),
                 QStringLiteral("sweep: 64 of 64 cells (100%), 3.2 cells/s, 0:20 elapsed, done"));
    }

    void clockTextShowsHoursOnlyWhenNeeded() {
        QCOMPARE(ProgressMeter::clockText(0), QStringLiteral("0:00"));
        QCOMPARE(ProgressMeter::clockText(59.6), QStringLiteral("1:00"));
        QCOMPARE(ProgressMeter::clockText(725), QStringLiteral("12:05"));
        QCOMPARE(ProgressMeter::clockText(3723), QStringLiteral("1:02:03"));
        QCOMPARE(ProgressMeter::clockText(-3), QStringLiteral("0:00"));
        QCOMPARE(ProgressMeter::clockText(std::numeric_limits<double>::infinity()),
                 QStringLiteral("0:00"));
    }

    // At most five lines a second, but the first estimate and the end always show.
    void updatesAreThrottled() {
        double now = 100.0;
        ProgressMeter meter(QStringLiteral("train"), QStringLiteral("epochs"), 10,
                            [&now] { return now; });
        QVERIFY(meter.update(0, {}).contains(QStringLiteral("estimating")));
        now = 100.05;
        QCOMPARE(meter.update(1, QStringLiteral("barp")),
                 QStringLiteral("train: 1 of 10 epochs (10%), barp, 20.0 epochs/s, 0:00 elapsed, "
                                "time left 0:00"));
        now = 100.1;
        QVERIFY(meter.update(2, QStringLiteral("barp")).isEmpty());
        now = 100.2;
        QVERIFY(meter.update(3, QStringLiteral("barp")).isEmpty());
        now = 100.26;
        QVERIFY(meter.update(4, QStringLiteral("barp")).startsWith(QStringLiteral("train: 4 of")));
        now = 100.3;
        QVERIFY(meter.update(10, {}).endsWith(QStringLiteral("done")));
        now = 100.31;
        QVERIFY(meter.update(10, {}).isEmpty());
        now = 101.0;
        QVERIFY(meter.update(10, {}).isEmpty());
    }

    void sweepShowsProgressOnATerminal() {
#ifndef Q_OS_UNIX
        QSKIP("pseudo-terminals are a Unix test");
#else
        const TerminalRun run = runOnTerminal(sweepArguments());
        QCOMPARE(run.code, 0);
        const QString text = QString::fromUtf8(run.terminal);
        // Lines rewritten in place from the first (nothing done yet), one estimate at least,
        // the count of all cells at the end (the routers' and the oracle's).
        static const QRegularExpression first(
            QStringLiteral("^\\rsweep: 0 of (\\d+) cells \\(0%\\), 0:00 elapsed, time left: "
                           "estimating"));
        const QRegularExpressionMatch start = first.match(text);
        QVERIFY2(start.hasMatch(), qPrintable(text));
        const QString total = start.captured(1);
        QVERIFY(total.toInt() >= 12);
        static const QRegularExpression estimate(
            QStringLiteral("\\rsweep: \\d+ of \\d+ cells \\(\\d+%\\), (thompson|random|oracle), "
                           "[0-9.]+ cells/s, \\d+:\\d\\d elapsed, time left \\d+:\\d\\d"));
        QVERIFY2(estimate.match(text).hasMatch(), qPrintable(text));
        // The last line, padded over what is left of a longer one, then the newline (which the
        // terminal turns into CR LF).
        static const QRegularExpression last(
            QStringLiteral("\\rsweep: (\\d+) of \\1 cells \\(100%\\), [0-9.]+ cells/s, \\d+:\\d\\d "
                           "elapsed, done *\\r\\n$"));
        const QRegularExpressionMatch end = last.match(text);
        QVERIFY2(end.hasMatch(), qPrintable(text));
        QCOMPARE(end.captured(1), total);
        QCOMPARE(text.count(QLatin1Char('\n')), 1);
#endif
    }

    void sweepIsSilentWhenPipedOrQuiet() {
        const testing::CliRun piped = testing::cli(sweepArguments());
        QCOMPARE(piped.code, 0);
        QVERIFY(piped.out.contains("thompson"));
        QCOMPARE(piped.err, QByteArray());
#ifdef Q_OS_UNIX
        const TerminalRun quiet = runOnTerminal(sweepArguments() << QStringLiteral("--quiet"));
        QCOMPARE(quiet.code, 0);
        QCOMPARE(quiet.terminal, QByteArray());
#endif
    }
};

QTEST_GUILESS_MAIN(TestCliProgress)
#include "test_cli_progress.moc"
