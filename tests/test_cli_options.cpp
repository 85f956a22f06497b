// Hostile numbers on the command line: every numeric option of every command, taken from the
// commands' own option tables, refuses NaN, infinity, negatives, huge values and (where it
// counts something) fractions with exit code 2, a message naming the option, the value and
// the range, and nothing written.
#include "cli/cli_command.h"
#include "cli_in_process.h"
#include "store/workspace_store.h"
#include "test_support.h"

#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;

namespace {

using routerlab::testing::CliResult;
using routerlab::testing::runCliInProcess;

// The options of a command that take a value, as its --help lists them.
QStringList valueOptions(const QString& commandName) {
    static QHash<QString, QStringList> known;
    if (known.contains(commandName))
        return known.value(commandName);
    const CliResult help = runCliInProcess({commandName, QStringLiteral("--help")});
    QStringList names;
    static const QRegularExpression option(QStringLiteral("^\\s+(?:-\\w, )?--([\\w-]+) <"),
                                           QRegularExpression::MultilineOption);
    for (auto it = option.globalMatch(help.out); it.hasNext();)
        names << it.next().captured(1);
    known.insert(commandName, names);
    return names;
}

// Options whose value is text (paths, specs, names), never a number. A new value option must
// be either here or in its command's number table, so none escapes the numeric checks.
const QSet<QString> kTextOptions = {
    QStringLiteral("experiment"),   QStringLiteral("save-experiment"),
    QStringLiteral("dataset"),      QStringLiteral("test-dataset"),
    QStringLiteral("pool"),         QStringLiteral("router"),
    QStringLiteral("preference"),   QStringLiteral("sessions"),
    QStringLiteral("split"),        QStringLiteral("features"),
    QStringLiteral("reward"),       QStringLiteral("missing"),
    QStringLiteral("compare"),      QStringLiteral("workspace"),
    QStringLiteral("shard"),        QStringLiteral("out"),
    QStringLiteral("results"),      QStringLiteral("partition"),
    QStringLiteral("account"),      QStringLiteral("qos"),
    QStringLiteral("name"),         QStringLiteral("namespace"),
    QStringLiteral("time"),         QStringLiteral("mem"),
    QStringLiteral("cli"),          QStringLiteral("image"),
    QStringLiteral("volume-claim"), QStringLiteral("require-key-env"),
    QStringLiteral("prompts"),      QStringLiteral("base-url"),
    QStringLiteral("ood-families"), QStringLiteral("scorer"),
    QStringLiteral("system"),       QStringLiteral("new-model"),
    QStringLiteral("listen"),       QStringLiteral("traffic")};

// One prompt answered by the tiny pool's two models.
QString writeOnePromptDataset(const QDir& folder) {
    return testing::writeFile(
        folder, QStringLiteral("d.csv"),
        "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s\n"
        "p1,hello,chat,small,0.5,3,4,0.2\np1,hello,chat,large,0.9,3,6,0.9\n");
}

// Values the option must refuse: not numbers, not finite, negative, beyond any range, and
// for counts a fraction; plus the values just outside its own range.
QStringList hostileValues(const NumberOption& o) {
    QStringList values{QStringLiteral("nan"),
                       QStringLiteral("NaN"),
                       QStringLiteral("inf"),
                       QStringLiteral("-inf"),
                       QStringLiteral("-1"),
                       QStringLiteral("abc"),
                       QString(),
                       QStringLiteral("1e999")};
    if (o.isWhole()) {
        values << QStringLiteral("1.5") << QStringLiteral("1e3")
               << QStringLiteral("18446744073709551616") << QStringLiteral("0x10");
    } else {
        values << QStringLiteral("1e300");
    }
    // The range's own edges: one step past each, read off the range the message states.
    static const QRegularExpression range(QStringLiteral("within (\\S+)\\.\\.(\\S+)$"));
    const QRegularExpressionMatch m = range.match(o.rangeText());
    if (o.isWhole()) {
        const quint64 low = m.captured(1).toULongLong();
        const quint64 high = m.captured(2).toULongLong();
        if (low > 0)
            values << QString::number(low - 1);
        if (high < NumberOption::kLargestWhole)
            values << QString::number(high + 1);
    } else {
        const double low = m.captured(1).toDouble();
        const double high = m.captured(2).toDouble();
        values << QString::number(low > 0 ? low / 2 : -1e-9, 'g', 17)
               << QString::number(high * 1.5 + 1, 'g', 17);
    }
    if (o.isList())
        values << QStringLiteral("5,nan") << QStringLiteral("5,,10") << QStringLiteral("5,-1");
    return values;
}

} // namespace

class TestCliOptions : public QObject {
    Q_OBJECT

private slots:
    // Every value option is classified: a number in the command's table, or text.
    void everyValueOptionIsCheckedOrText() {
        int numeric = 0;
        for (const CliCommand& c : cliCommands()) {
            const QStringList listed = valueOptions(c.name);
            for (const QString& name : listed) {
                const bool isNumber = findNumberOption(c.numbers, name) != nullptr;
                QVERIFY2(isNumber != kTextOptions.contains(name),
                         qPrintable(QStringLiteral("%1 --%2 is %3")
                                        .arg(c.name, name,
                                             isNumber ? QStringLiteral("both a number and text")
                                                      : QStringLiteral("neither in the number "
                                                                       "table nor known text"))));
                numeric += isNumber;
            }
            // The table and the parser agree: each number is an option of the command.
            for (const NumberOption& o : c.numbers)
                QVERIFY2(listed.contains(o.name()),
                         qPrintable(c.name + QStringLiteral(" does not offer --") + o.name()));
        }
        QVERIFY2(numeric >= 40, qPrintable(QString::number(numeric)));
    }

    void refusesHostileNumbers_data() {
        QTest::addColumn<QString>("commandName");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        for (const CliCommand& c : cliCommands())
            for (const NumberOption& o : c.numbers)
                for (const QString& v : hostileValues(o))
                    QTest::addRow("%s --%s '%s'", qPrintable(c.name), qPrintable(o.name()),
                                  qPrintable(v))
                        << c.name << o.name() << v;
    }

    void refusesHostileNumbers() {
        QFETCH(QString, commandName);
        QFETCH(QString, option);
        QFETCH(QString, value);
        // Run inside an empty folder with every output aimed into it: nothing may appear.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        QStringList args{commandName, QStringLiteral("--") + option + QLatin1Char('=') + value};
        const QStringList offered = valueOptions(commandName);
        for (const char* target : {"out", "workspace", "results"})
            if (offered.contains(QLatin1String(target)))
                args << QStringLiteral("--%1=%2").arg(QLatin1String(target),
                                                      dir.filePath(QLatin1String(target)));
        const CliResult r = runCliInProcess(args);
        QDir::setCurrent(previous);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        const QString named = QStringLiteral("--%1: '%2' is not a ").arg(option, value);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String(" within ")), qPrintable(r.err));
        QVERIFY2(QDir(dir.path()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 qPrintable(QDir(dir.path()).entryList(QDir::NoDotAndDotDot).join(' ')));
    }

    // The control: each option's default (else its smallest value) passes the check, so the
    // refusals above are about the values, not the option.
    void acceptsValuesInRange() {
        // generate has nothing else to ask and runs: keep what it writes in a folder of ours.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        const auto restore = qScopeGuard([&] { QDir::setCurrent(previous); });
        for (const CliCommand& c : cliCommands())
            for (const NumberOption& o : c.numbers) {
                QString good = o.defaultValue();
                if (good.isEmpty())
                    good = o.rangeText()
                               .section(QLatin1Char(' '), -1)
                               .section(QStringLiteral(".."), 0, 0);
                QVERIFY2(o.problem(good).isEmpty(), qPrintable(o.problem(good)));
                const CliResult r =
                    runCliInProcess({c.name, QStringLiteral("--%1=%2").arg(o.name(), good)});
                QVERIFY2(!r.err.contains(QStringLiteral("--%1:").arg(o.name())),
                         qPrintable(c.name + QLatin1Char(' ') + r.err));
            }
    }

    // Numbers read from an experiment file go through the same check, and the message names
    // the file and its field.
    void refusesHostileNumbersInAnExperimentFile_data() {
        QTest::addColumn<QByteArray>("field");
        QTest::addColumn<QByteArray>("value");
        QTest::addRow("seeds nan") << QByteArray("seeds") << QByteArray("\"nan\"");
        QTest::addRow("seeds huge") << QByteArray("seeds") << QByteArray("1e300");
        QTest::addRow("seeds fraction") << QByteArray("seeds") << QByteArray("2.5");
        QTest::addRow("points inf") << QByteArray("points") << QByteArray("\"inf\"");
        QTest::addRow("latency nan") << QByteArray("latency") << QByteArray("\"nan\"");
        QTest::addRow("latency negative") << QByteArray("latency") << QByteArray("-0.5");
        QTest::addRow("session length") << QByteArray("session_length") << QByteArray("0");
    }

    void refusesHostileNumbersInAnExperimentFile() {
        QFETCH(QByteArray, field);
        QFETCH(QByteArray, value);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QDir folder(dir.path());
        testing::writeFile(folder, QStringLiteral("tiny.pool.json"), testing::kTinyPool);
        const QString experiment = testing::writeFile(
            folder, QStringLiteral("e.json"),
            "{\"command\": \"sweep\", \"datasets\": [\"d.csv\"], \"pool\": \"tiny.pool.json\", \"" +
                field + "\": " + value + "}");
        const QString out = folder.filePath(QStringLiteral("result.json"));
        const CliResult r =
            runCliInProcess({QStringLiteral("sweep"), QStringLiteral("--experiment"), experiment,
                             QStringLiteral("--out"), out});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QStringLiteral("%1: field '%2': --").arg(experiment, field)),
                 qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(out));
    }

    // A pool whose base URL carries a key is refused when it is read, before anything is
    // stored, with its file and field named and the key not repeated.
    void refusesAPoolWithACredentialInItsBaseUrl() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QDir folder(dir.path());
        const QString dataset = writeOnePromptDataset(folder);
        const QString goodPool =
            testing::writeFile(folder, QStringLiteral("good.pool.json"), testing::kTinyPool);
        QByteArray keyed = testing::kTinyPool;
        keyed.replace("\"fee_per_call\": 0.001}",
                      "\"fee_per_call\": 0.001,\n \"endpoint\": {\"base_url\": "
                      "\"https://api.example.com/v1?api-key=sk-secret\"}}");
        QVERIFY(keyed.contains("api-key"));
        const QString badPool = testing::writeFile(folder, QStringLiteral("bad.pool.json"), keyed);
        const QString workspace = folder.filePath(QStringLiteral("ws.routerlab"));
        const CliResult r =
            runCliInProcess({QStringLiteral("import"), dataset, QStringLiteral("--workspace"),
                             workspace, QStringLiteral("--pool"), badPool});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(badPool + QStringLiteral(":6:")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("models[1].endpoint.base_url")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QStringLiteral("sk-secret")), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(workspace));
        // The control: the same import with the pool as it was succeeds.
        const CliResult good =
            runCliInProcess({QStringLiteral("import"), dataset, QStringLiteral("--workspace"),
                             workspace, QStringLiteral("--pool"), goodPool});
        QVERIFY2(good.code == 0, qPrintable(good.err));
    }

    // live --base-url is held to the same rule: it is recorded with the session.
    void refusesABaseUrlOptionWithACredential() {
        for (const char* url :
             {"http://user:sk-secret@127.0.0.1:9/v1", "http://127.0.0.1:9/v1?key=sk-secret"}) {
            const CliResult r = runCliInProcess(
                {QStringLiteral("live"), QStringLiteral("--dataset"), QStringLiteral("d.csv"),
                 QStringLiteral("--base-url"), QLatin1String(url)});
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.contains(QStringLiteral("--base-url must not")), qPrintable(r.err));
            QVERIFY2(!r.err.contains(QStringLiteral("sk-secret")), qPrintable(r.err));
        }
    }

    // live against an endpoint where nothing listens: every call fails, and the command says
    // so, with the first error, and exits 1 instead of 0.
    void liveFailsWhenEveryCallFailed() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QDir folder(dir.path());
        const QString dataset = testing::writeFile(
            folder, QStringLiteral("d.csv"),
            "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s\n"
            "p1,hello,chat,small,0.5,3,4,0.2\np1,hello,chat,large,0.9,3,6,0.9\n"
            "p2,bye,chat,small,0.4,3,4,0.2\np2,bye,chat,large,0.8,3,6,0.9\n");
        const QString pool =
            testing::writeFile(folder, QStringLiteral("tiny.pool.json"), testing::kTinyPool);
        // A port that was free a moment ago: connections to it are refused.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        const CliResult r = runCliInProcess(
            {QStringLiteral("live"), QStringLiteral("--dataset"), dataset, QStringLiteral("--pool"),
             pool, QStringLiteral("--base-url"), QStringLiteral("http://127.0.0.1:%1/v1").arg(port),
             QStringLiteral("--retries"), QStringLiteral("0"), QStringLiteral("--scorer"),
             QStringLiteral("exact")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QStringLiteral("every call failed (2); the first: ")),
                 qPrintable(r.err));
        QVERIFY2(r.out.contains(QStringLiteral("0 answered, 2 failed")), qPrintable(r.out));
    }

    // A live run killed mid-call leaves its session 'running'; once its process is gone, the
    // next listing of the workspace marks it 'interrupted'. While it runs it stays 'running'.
    void killedLiveSessionIsMarkedInterrupted() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QDir folder(dir.path());
        const QString dataset = writeOnePromptDataset(folder);
        const QString pool =
            testing::writeFile(folder, QStringLiteral("tiny.pool.json"), testing::kTinyPool);
        const QString workspace = folder.filePath(QStringLiteral("ws.routerlab"));
        // An endpoint that takes the connection and never answers: the call hangs.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QProcess live;
        live.start(QStringLiteral(ROUTERLAB_CLI_PATH),
                   {QStringLiteral("live"), QStringLiteral("--dataset"), dataset,
                    QStringLiteral("--pool"), pool, QStringLiteral("--base-url"),
                    QStringLiteral("http://127.0.0.1:%1/v1").arg(silent.serverPort()),
                    QStringLiteral("--retries"), QStringLiteral("0"), QStringLiteral("--scorer"),
                    QStringLiteral("exact"), QStringLiteral("--workspace"), workspace});
        QVERIFY(live.waitForStarted());
        // The session is recorded before its first call reaches the endpoint.
        QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), 30000);
        {
            WorkspaceStore store(workspace);
            const std::vector<LiveSessionRecord> sessions = store.liveSessions();
            QCOMPARE(sessions.size(), std::size_t(1));
            QCOMPARE(sessions.front().status, QStringLiteral("running"));
        }
        live.kill();
        QVERIFY(live.waitForFinished());
        WorkspaceStore store(workspace);
        const std::vector<LiveSessionRecord> sessions = store.liveSessions();
        QCOMPARE(sessions.size(), std::size_t(1));
        QCOMPARE(sessions.front().status, QStringLiteral("interrupted"));
        QVERIFY(sessions.front().finishedAt.isValid());
        QVERIFY(sessions.front().finishedAt >= sessions.front().startedAt);
    }
};

QTEST_GUILESS_MAIN(TestCliOptions)
#include "test_cli_options.moc"
