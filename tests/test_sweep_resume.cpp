// Kills real `routerlab-cli sweep --workspace` processes part-way and resumes them: the result
// must be the bytes an uninterrupted run gives. Also: a workspace that cannot take the runs
// fails before anything is computed.
#include "cli_process.h"
#include "store/sqlite_database.h"
#include "store/workspace_store.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <random>
#include <sqlite3.h>
#include <sys/types.h>
#include <unistd.h>

namespace {

using Run = routerlab::testing::CliRun;
using routerlab::testing::cli;

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Linux reports a process stopped by a signal as state 'T' in /proc/PID/stat.
bool isStopped(qint64 pid) {
    const QByteArray stat = readAll(QStringLiteral("/proc/%1/stat").arg(pid));
    const qsizetype end = stat.lastIndexOf(')');
    return end > 0 && stat.size() > end + 2 && stat.at(end + 2) == 'T';
}

// What "the same stored rows" means: every column of the experiment tables except the row
// ids (and the ids that refer to them) and the wall-clock times, runs in cell order, series
// in name order, values as SQLite holds them (text verbatim, blobs in hex).
QByteArray canonicalDump(const QString& workspace) {
    routerlab::Database db(workspace);
    const QSet<QByteArray> skipped{"id",         "experiment_id", "run_id",
                                   "created_at", "started_at",    "finished_at"};
    QByteArray dump;
    auto rows = [&](const QString& sql, qint64 key, const QByteArray& label) {
        routerlab::Statement query(db, sql, QStringLiteral("dumping the workspace"));
        if (key > 0)
            query.bind(1, key);
        std::vector<qint64> ids;
        while (query.step()) {
            dump += label;
            for (int c = 0; c < query.columnCount(); ++c) {
                const QByteArray name = sqlite3_column_name(query.handle(), c);
                if (name == "id")
                    ids.push_back(query.columnInt64(c));
                if (skipped.contains(name))
                    continue;
                const int type = sqlite3_column_type(query.handle(), c);
                dump += ' ' + name + '=';
                dump += type == SQLITE_NULL   ? QByteArray("NULL")
                        : type == SQLITE_BLOB ? query.columnBlob(c).toHex()
                                              : query.columnBlob(c);
            }
            dump += '\n';
        }
        return ids;
    };
    for (const qint64 e :
         rows(QStringLiteral("SELECT * FROM experiments ORDER BY id"), 0, "experiment"))
        for (const qint64 r :
             rows(QStringLiteral("SELECT * FROM runs WHERE experiment_id = ? ORDER BY cell"), e,
                  "  run"))
            rows(QStringLiteral("SELECT * FROM run_series WHERE run_id = ? ORDER BY name"), r,
                 "    series");
    return dump;
}

// The cells a workspace holds; -1 when SQLite finds the file damaged.
qint64 storedCells(const QString& workspace) {
    routerlab::Database db(workspace);
    routerlab::Statement check(db, QStringLiteral("PRAGMA integrity_check"),
                               QStringLiteral("checking the workspace"));
    if (!check.step() || check.columnText(0) != QLatin1String("ok"))
        return -1;
    routerlab::Statement query(db, QStringLiteral("SELECT count(*) FROM runs"),
                               QStringLiteral("counting runs"));
    return query.step() ? query.columnInt64(0) : -1;
}

} // namespace

class TestSweepResume : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString csv_, pool_, workspace_, out_, emptyWorkspace_;
    // thompson and the oracle, 4 preferences, 2 seeds.
    static constexpr int kCells = 2 * 4 * 2;

    QStringList sweep(bool resume) const {
        QStringList args{QStringLiteral("sweep"),
                         QStringLiteral("--dataset"),
                         csv_,
                         QStringLiteral("--pool"),
                         pool_,
                         QStringLiteral("--router"),
                         QStringLiteral("thompson"),
                         QStringLiteral("--points"),
                         QStringLiteral("4"),
                         QStringLiteral("--seeds"),
                         QStringLiteral("2"),
                         QStringLiteral("--threads"),
                         QStringLiteral("2"),
                         QStringLiteral("--workspace"),
                         workspace_,
                         QStringLiteral("--out"),
                         out_,
                         QStringLiteral("--json")};
        if (resume)
            args << QStringLiteral("--resume");
        return args;
    }

    // Each run starts from the same empty workspace (creating one anew costs more than the
    // sweep: its schema steps each flush to disk).
    void resetOutputs() {
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(workspace_ + suffix);
        QFile::remove(out_);
        if (!QFile::copy(emptyWorkspace_, workspace_))
            qFatal("could not copy the empty workspace");
    }

    // Runs the sweep until it has stored `cells` cells, then SIGKILLs it. Returns the cells
    // the workspace holds afterwards.
    qint64 killAfter(int cells, const QStringList& args) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ROUTERLAB_TEST_STOP_AFTER_CELLS"), QString::number(cells));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(ROUTERLAB_CLI_PATH), args);
        if (!p.waitForStarted())
            qFatal("routerlab-cli did not start");
        const QDeadlineTimer deadline(60000);
        while (!isStopped(p.processId()) && p.state() == QProcess::Running &&
               !deadline.hasExpired())
            p.waitForFinished(2);
        if (!isStopped(p.processId()))
            qFatal("routerlab-cli did not reach %d stored cells: %s", cells,
                   p.readAllStandardError().constData());
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished(-1);
        if (p.exitStatus() != QProcess::CrashExit)
            qFatal("routerlab-cli outlived SIGKILL");
        return storedCells(workspace_);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString data = dir_.filePath(QStringLiteral("data"));
        const Run generated = cli({QStringLiteral("generate"), QStringLiteral("--seed"),
                                   QStringLiteral("3"), QStringLiteral("--prompts-per-category"),
                                   QStringLiteral("20"), QStringLiteral("--out"), data});
        QVERIFY2(generated.code == 0, generated.err.constData());
        csv_ = QDir(data).filePath(QStringLiteral("sample.csv"));
        pool_ = QDir(data).filePath(QStringLiteral("sample.pool.json"));
        workspace_ = dir_.filePath(QStringLiteral("runs.routerlab"));
        out_ = dir_.filePath(QStringLiteral("sweep.json"));
        emptyWorkspace_ = dir_.filePath(QStringLiteral("empty.routerlab"));
        routerlab::WorkspaceStore::open(emptyWorkspace_);
        QVERIFY(!QFile::exists(emptyWorkspace_ + QStringLiteral("-wal")));
    }

    // 20 seeded kill points, each resumed; every fourth is killed again while resuming.
    // Compared: the --out file, the --json output and the canonical dump of the workspace.
    void killedSweepsResumeToTheSameBytes() {
        resetOutputs();
        const Run reference = cli(sweep(false));
        QVERIFY2(reference.code == 0, reference.err.constData());
        const QByteArray referenceOut = readAll(out_);
        const QByteArray referenceDump = canonicalDump(workspace_);
        QVERIFY(!referenceOut.isEmpty());
        QCOMPARE(storedCells(workspace_), qint64(kCells));

        std::mt19937 random(20261204);
        for (int trial = 0; trial < 20; ++trial) {
            resetOutputs();
            const int first = std::uniform_int_distribution<int>(0, kCells)(random);
            qint64 stored = killAfter(first, sweep(false));
            // Other workers may commit cells before the stop takes hold: on a busy machine the
            // stopping thread can wait for a core while another finishes several.
            QVERIFY2(stored >= first && stored <= kCells, qPrintable(QString::number(stored)));
            QVERIFY(!QFile::exists(out_));
            if (stored < kCells && trial % 7 == 0) {
                const QByteArray before = canonicalDump(workspace_);
                const Run again = cli(sweep(false));
                QCOMPARE(again.code, 1);
                QVERIFY2(again.err.contains("--resume") && again.err.contains(workspace_.toUtf8()),
                         again.err.constData());
                QCOMPARE(canonicalDump(workspace_), before);
            }
            if (trial % 4 == 3 && stored < kCells) {
                const int more = std::uniform_int_distribution<int>(
                    0, kCells - static_cast<int>(stored))(random);
                const qint64 was = stored;
                stored = killAfter(more, sweep(true));
                QVERIFY(stored >= was + more && stored <= kCells);
            }
            const Run resumed = cli(sweep(true));
            QVERIFY2(resumed.code == 0, resumed.err.constData());
            if (stored > 0)
                QVERIFY2(resumed.err.contains("resuming"), resumed.err.constData());
            QCOMPARE(readAll(out_), referenceOut);
            QCOMPARE(resumed.out, reference.out);
            QCOMPARE(canonicalDump(workspace_), referenceDump);
        }
    }

    // simulate records the same way: thompson and the three reference routers, 2 seeds.
    void killedSimulationsResumeToTheSameBytes() {
        auto simulate = [&](bool resume) {
            QStringList args = sweep(resume);
            args[0] = QStringLiteral("simulate");
            args.remove(args.indexOf(QStringLiteral("--points")), 2);
            return args;
        };
        constexpr int cells = 4 * 2;
        resetOutputs();
        const Run reference = cli(simulate(false));
        QVERIFY2(reference.code == 0, reference.err.constData());
        const QByteArray referenceOut = readAll(out_);
        const QByteArray referenceDump = canonicalDump(workspace_);
        QCOMPARE(storedCells(workspace_), qint64(cells));
        std::mt19937 random(4);
        for (int trial = 0; trial < 3; ++trial) {
            resetOutputs();
            const int at = std::uniform_int_distribution<int>(0, cells - 1)(random);
            const qint64 stored = killAfter(at, simulate(false));
            QVERIFY(stored >= at && stored <= cells);
            const Run resumed = cli(simulate(true));
            QVERIFY2(resumed.code == 0, resumed.err.constData());
            QCOMPARE(readAll(out_), referenceOut);
            QCOMPARE(resumed.out, reference.out);
            QCOMPARE(canonicalDump(workspace_), referenceDump);
        }
    }

    // Another experiment (here: other seeds) in the same workspace is not a partial run of
    // this one: it neither blocks a run nor lends it cells.
    void otherExperimentsAreNotResumed() {
        resetOutputs();
        const qint64 killed = killAfter(3, sweep(false));
        QVERIFY(killed == 3 || killed == 4);
        QStringList oneSeed = sweep(false);
        oneSeed[oneSeed.indexOf(QStringLiteral("--seeds")) + 1] = QStringLiteral("1");
        const Run other = cli(oneSeed);
        QVERIFY2(other.code == 0, other.err.constData());
        QVERIFY2(!other.err.contains("resuming"), other.err.constData());
        QCOMPARE(storedCells(workspace_), killed + kCells / 2);
        const Run again = cli(oneSeed << QStringLiteral("--resume"));
        QVERIFY2(again.code == 0 && again.err.contains("8 of 8 cells already stored"),
                 again.err.constData());
        // The first experiment is still the one that is unfinished.
        const Run first = cli(sweep(false));
        QCOMPARE(first.code, 1);
        QVERIFY2(first.err.contains(
                     QStringLiteral("%1 of %2 cells stored").arg(killed).arg(kCells).toUtf8()),
                 first.err.constData());
    }

    void resumeNeedsAWorkspace() {
        QStringList args = sweep(true);
        const qsizetype at = args.indexOf(QStringLiteral("--workspace"));
        args.remove(at, 2);
        const Run r = cli(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--resume") && r.err.contains("--workspace"), r.err.constData());
    }

    // A workspace that cannot take the runs fails before the data is read: this experiment
    // would compute for many seconds.
    void unusableWorkspaceFailsBeforeComputing_data() {
        QTest::addColumn<QString>("workspace");
        QTest::addColumn<QString>("why");
        QTest::newRow("folder") << dir_.path() << "is a folder";
        QTest::newRow("missing folder")
            << dir_.filePath(QStringLiteral("absent/w.routerlab")) << "does not exist";
        QTest::newRow("file as folder")
            << csv_ + QStringLiteral("/w.routerlab") << "is a file, not a folder";
        QTest::newRow("text file") << csv_ << "not an SQLite database";
        const QString foreign = dir_.filePath(QStringLiteral("other.sqlite"));
        routerlab::Database(foreign).exec(QStringLiteral("CREATE TABLE notes (text TEXT)"),
                                          QStringLiteral("writing another program's database"));
        QTest::newRow("other program's database") << foreign << "not a RouterLab workspace";
        const QString newer = dir_.filePath(QStringLiteral("newer.routerlab"));
        QFile::copy(emptyWorkspace_, newer);
        routerlab::Database(newer).exec(QStringLiteral("PRAGMA user_version = 999"),
                                        QStringLiteral("pretending a newer build wrote it"));
        QTest::newRow("newer schema") << newer << "newer";
        if (geteuid() == 0) {
            // Permissions do not stop root; the kernel's own folders do.
            QTest::newRow("unwritable")
                << QStringLiteral("/sys/routerlab-test.routerlab") << "cannot be created";
        } else {
            const QString locked = dir_.filePath(QStringLiteral("locked"));
            QDir(dir_.path()).mkdir(QStringLiteral("locked"));
            QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner);
            QTest::newRow("unwritable")
                << QDir(locked).filePath(QStringLiteral("w.routerlab")) << "read-only";
        }
    }
    void unusableWorkspaceFailsBeforeComputing() {
        QFETCH(QString, workspace);
        QFETCH(QString, why);
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const QByteArray before = QFileInfo(workspace).isFile() ? readAll(workspace) : QByteArray();
        const QString out = dir_.filePath(QStringLiteral("never.json"));
        QElapsedTimer timer;
        timer.start();
        const Run r =
            cli({QStringLiteral("sweep"), QStringLiteral("--dataset"),
                 sample.filePath(QStringLiteral("sample.csv")), QStringLiteral("--pool"),
                 sample.filePath(QStringLiteral("sample.pool.json")), QStringLiteral("--router"),
                 QStringLiteral("thompson"), QStringLiteral("--points"), QStringLiteral("60"),
                 QStringLiteral("--seeds"), QStringLiteral("20"), QStringLiteral("--workspace"),
                 workspace, QStringLiteral("--out"), out});
        const qint64 elapsed = timer.elapsed();
        qInfo("failed after %lld ms: %s", elapsed, r.err.trimmed().constData());
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(workspace.toUtf8()) && r.err.contains(why.toUtf8()),
                 r.err.constData());
        QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
        QVERIFY(!QFile::exists(out));
        if (!before.isEmpty())
            QCOMPARE(readAll(workspace), before);
    }
};

QTEST_GUILESS_MAIN(TestSweepResume)
#include "test_sweep_resume.moc"
