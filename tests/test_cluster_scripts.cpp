// Cluster scripts under hostile input: every value passes its scheduler's grammar or is
// refused with the option named; every path reaches the command the scripts run literally,
// however it is spelled; nothing in a value is substituted twice or runs.
#include "common/input_error.h"
#include "experiment/cluster_scripts.h"
#include "test_support.h"

#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <functional>

using namespace routerlab;

namespace {

// Text that has broken generated scripts before or would: a line break followed by a command,
// QString::arg markers, quotes, spaces, command substitutions, a backslash, a comment sign and
// our own placeholder syntax.
const QStringList kHostile = {QStringLiteral("debug\ntouch pwned"),
                              QStringLiteral("a%1b%9"),
                              QStringLiteral("it's \"quoted\""),
                              QStringLiteral("two words"),
                              QStringLiteral("$(touch pwned)"),
                              QStringLiteral("`touch pwned`"),
                              QStringLiteral("back\\slash"),
                              QStringLiteral("x#y"),
                              QStringLiteral("{{shards}}"),
                              QStringLiteral("Upper"),
                              QStringLiteral("")};

ClusterJob validJob(const QString& root) {
    ClusterJob job;
    job.cli = root + QStringLiteral("/bin/routerlab-cli");
    job.experiment = root + QStringLiteral("/experiment.json");
    job.resultFolder = root + QStringLiteral("/results");
    job.partition = QStringLiteral("debug");
    job.account = QStringLiteral("lab");
    job.qos = QStringLiteral("normal");
    job.timeLimit = QStringLiteral("00:30:00");
    job.memory = QStringLiteral("4G");
    job.image = QStringLiteral("ghcr.io/example/routerlab:1.0");
    job.kubernetesNamespace = QStringLiteral("research");
    job.volumeClaim = QStringLiteral("routerlab-results");
    return job;
}

QString& fieldOf(ClusterJob& job, const QString& field) {
    if (field == QLatin1String("name"))
        return job.name;
    if (field == QLatin1String("partition"))
        return job.partition;
    if (field == QLatin1String("account"))
        return job.account;
    if (field == QLatin1String("qos"))
        return job.qos;
    if (field == QLatin1String("time"))
        return job.timeLimit;
    if (field == QLatin1String("mem"))
        return job.memory;
    if (field == QLatin1String("image"))
        return job.image;
    if (field == QLatin1String("namespace"))
        return job.kubernetesNamespace;
    return job.volumeClaim;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run runBash(const QStringList& args, const QString& folder, const QProcessEnvironment& env) {
    QProcess p;
    p.setWorkingDirectory(folder);
    p.setProcessEnvironment(env);
    p.start(QStringLiteral("bash"), args);
    p.waitForFinished(30000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

// The arguments a fake routerlab-cli received, one per NUL-terminated record.
QStringList recordedArguments(const QString& file) {
    QStringList args;
    for (const QByteArray& a : testing::readFile(file).split('\0'))
        args << QString::fromUtf8(a);
    args.removeLast(); // after the last terminator
    return args;
}

QString scriptLine(const QString& text, const QString& prefix) {
    for (const QString& line : text.split(QLatin1Char('\n')))
        if (line.startsWith(prefix))
            return line;
    return {};
}

// A YAML double-quoted scalar as a YAML reader decodes it (the escapes yamlQuoted writes).
QString yamlUnquoted(const QString& scalar) {
    QString out;
    for (qsizetype i = 1; i + 1 < scalar.size(); ++i) {
        if (scalar[i] != QLatin1Char('\\')) {
            out += scalar[i];
            continue;
        }
        const QChar e = scalar[++i];
        if (e == QLatin1Char('n'))
            out += QLatin1Char('\n');
        else if (e == QLatin1Char('t'))
            out += QLatin1Char('\t');
        else if (e == QLatin1Char('u')) {
            out += QChar(scalar.mid(i + 1, 4).toUShort(nullptr, 16));
            i += 4;
        } else
            out += e;
    }
    return out;
}

bool anyFileNamed(const QString& folder, const QString& name) {
    QDirIterator it(folder, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        if (it.next().endsWith(QLatin1Char('/') + name))
            return true;
    return false;
}

} // namespace

class TestClusterScripts : public QObject {
    Q_OBJECT

private slots:
    void grammars_data();
    void grammars();
    void everyValueRefusesHostileText_data();
    void everyValueRefusesHostileText();
    void hostilePathsReachTheCommandLiterally();
    void manifestsKeepEachValueInItsScalar();
    void substitutionHappensOnce();
    void resultFolderSlurmCannotCarryIsRefused();
    void cliNamesTheRefusedOption();
};

void TestClusterScripts::grammars_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("accepted");
    // Slurm names may hold capitals; nothing else here may.
    const auto rows = [](const char* kind, const QStringList& good, QStringList bad) {
        bad += kHostile;
        if (QByteArray(kind) == "partition" || QByteArray(kind) == "slurm-name")
            bad.removeAll(QStringLiteral("Upper"));
        for (const QString& v : good)
            QTest::addRow("%s ok: %s", kind, qPrintable(yamlQuoted(v)))
                << QString::fromLatin1(kind) << v << true;
        for (const QString& v : bad)
            QTest::addRow("%s refused: %s", kind, qPrintable(yamlQuoted(v)))
                << QString::fromLatin1(kind) << v << false;
    };
    rows("partition", {"debug", "gpu_a100", "batch.long", "debug,gpu"},
         {"debug,", ",gpu", "a b", "a;b", "a'b", "-", "debug\n"});
    rows("slurm-name", {"lab", "lab_2", "Lab.x-y"}, {"a,b", "a b", "-x"});
    rows("time", {"30", "30:00", "1:00:00", "2-12", "2-12:30", "2-12:30:15", "0", "UNLIMITED"},
         {"1:2:3:4", "2-", "-2", "1h", "1-2-3", "unlimited", "30 "});
    rows("mem", {"4096", "4G", "512M", "1T", "0"}, {"4GB", "4g", "4 G", "-1", "G", "4G\n"});
    rows("dns-label", {"research", "a", "team-7", QString(63, QLatin1Char('a'))},
         {"Research", "-a", "a-", "a.b", "a_b", QString(64, QLatin1Char('a'))});
    rows("dns-subdomain", {"results", "results.team-7", "a.b.c"},
         {"a..b", ".a", "a.", "A", QString(254, QLatin1Char('a'))});
    rows("image",
         {"routerlab", "routerlab:latest", "ghcr.io/example/routerlab:1.0",
          "localhost:5000/a/b_c__d",
          "registry.example.com/team/router-lab@sha256:" + QString(64, QLatin1Char('a')),
          "[::1]:5000/routerlab:v2"},
         {"Routerlab", "routerlab:", ":tag", "routerlab:-tag", "a//b", "a/", "routerlab@sha256:ab",
          "routerlab:" + QString(129, QLatin1Char('t')), "a\nhostNetwork: true",
          "routerlab:latest\n    hostNetwork: true", QString(300, QLatin1Char('a')),
          QString(500, QLatin1Char('a')) + "-" + QString(500, QLatin1Char('-')) + "!"});
}

void TestClusterScripts::grammars() {
    QFETCH(QString, kind);
    QFETCH(QString, value);
    QFETCH(bool, accepted);
    const std::map<QString, std::function<bool(const QString&)>> check{
        {QStringLiteral("partition"), isSlurmPartitionList},
        {QStringLiteral("slurm-name"), isSlurmName},
        {QStringLiteral("time"), isSlurmTimeLimit},
        {QStringLiteral("mem"), isSlurmMemory},
        {QStringLiteral("dns-label"), isDnsLabel},
        {QStringLiteral("dns-subdomain"), isDnsSubdomain},
        {QStringLiteral("image"), isImageReference}};
    QCOMPARE(check.at(kind)(value), accepted);
}

void TestClusterScripts::everyValueRefusesHostileText_data() {
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    for (const char* field : {"name", "partition", "account", "qos", "time", "mem", "image",
                              "namespace", "volume-claim"})
        for (const QString& value : kHostile)
            if ((!value.isEmpty() || QByteArray(field) == "name") &&
                (value != QLatin1String("Upper") ||
                 !QByteArrayList{"partition", "account", "qos"}.contains(field)))
                QTest::addRow("%s: %s", field, qPrintable(yamlQuoted(value)))
                    << QString::fromLatin1(field) << value;
}

void TestClusterScripts::everyValueRefusesHostileText() {
    QFETCH(QString, field);
    QFETCH(QString, value);
    QTemporaryDir dir;
    ClusterJob job = validJob(dir.path());
    QVERIFY(clusterJobProblems(job).empty());
    fieldOf(job, field) = value;
    const std::vector<ClusterValueProblem> problems = clusterJobProblems(job);
    QCOMPARE(problems.size(), std::size_t(1));
    QCOMPARE(problems.front().field, field);
    QVERIFY2(!problems.front().message.contains(QLatin1Char('\n')),
             qPrintable(problems.front().message));
    const QString scripts = dir.filePath(QStringLiteral("scripts"));
    try {
        writeClusterFiles(job, scripts, true);
        QFAIL("written although a value was refused");
    } catch (const InputError& e) {
        QCOMPARE(e.field(), field);
    }
    QVERIFY2(!QFileInfo::exists(scripts), "a refused job wrote its scripts");
    QVERIFY2(!QFileInfo::exists(job.resultFolder), "a refused job made its result folder");
}

void TestClusterScripts::hostilePathsReachTheCommandLiterally() {
    QTemporaryDir dir;
    // Everything a path may legally hold and a shell acts on, in every path; the cli and the
    // workspace also hold a line break and a backslash (the result folder may not: Slurm's
    // --output pattern cannot carry them).
    const QString odd = QStringLiteral(" 'q' \"dq\" %1 %9 %a %% $(touch pwned) `touch pwned` "
                                       "#x {{shards}} ${HOME}");
    const QString root = dir.filePath(QStringLiteral("root") + odd);
    ClusterJob job = validJob(root);
    job.cli = root + QStringLiteral("/bin\nline\\") + odd + QStringLiteral("/routerlab-cli");
    job.experiment = root + QStringLiteral("/experiment") + odd + QStringLiteral(".json");
    job.workspace = root + QStringLiteral("/work\nspace\\") + odd + QStringLiteral(".sqlite");
    const QString scripts = root + QStringLiteral("/scripts");
    writeClusterFiles(job, scripts, false);

    // The fake routerlab-cli records its arguments, one NUL-terminated record each.
    const QString record = dir.filePath(QStringLiteral("args"));
    testing::writeFile(
        QDir(), job.cli,
        "#!/bin/bash\nfor a in \"$@\"; do printf '%s\\0' \"$a\"; done > \"$ARGS\"\n");
    QFile::setPermissions(job.cli, QFile::permissions(job.cli) | QFile::ExeOwner);
    const QString fakeBin = dir.filePath(QStringLiteral("fakebin"));
    testing::writeFile(QDir(fakeBin), QStringLiteral("sbatch"),
                       "#!/bin/bash\necho \"$*\" >> \"$SUBMITTED\"\necho '42;cluster'\n");
    QFile::setPermissions(QDir(fakeBin).filePath(QStringLiteral("sbatch")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ARGS"), record);
    env.insert(QStringLiteral("SUBMITTED"), dir.filePath(QStringLiteral("submitted")));
    env.insert(QStringLiteral("SLURM_CPUS_PER_TASK"), QStringLiteral("3"));
    env.insert(QStringLiteral("PATH"), fakeBin + QLatin1Char(':') + env.value("PATH"));

    for (const char* name : {"sweep-array.sbatch", "merge.sbatch", "submit.sh"}) {
        const Run check = runBash({QStringLiteral("-n"), QLatin1String(name)}, scripts, env);
        QVERIFY2(check.exitCode == 0, name + QByteArray(": ") + check.err);
    }
    const QString shards = job.resultFolder + QStringLiteral("/shards");
    Run run = runBash({QStringLiteral("sweep-array.sbatch")}, scripts, env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(recordedArguments(record),
             QStringList({QStringLiteral("sweep"), QStringLiteral("--experiment"), job.experiment,
                          QStringLiteral("--shard"), QStringLiteral("auto/4"),
                          QStringLiteral("--threads"), QStringLiteral("3"), QStringLiteral("--out"),
                          shards}));
    run = runBash({QStringLiteral("merge.sbatch")}, scripts, env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(recordedArguments(record),
             QStringList({QStringLiteral("merge"), shards, QStringLiteral("--out"),
                          job.resultFolder + QStringLiteral("/result.json"),
                          QStringLiteral("--workspace"), job.workspace}));

    QVERIFY(QDir(job.resultFolder).removeRecursively());
    // From elsewhere: submit.sh finds its folder from $0, which holds the odd path too.
    run = runBash({QDir(scripts).filePath(QStringLiteral("submit.sh"))}, dir.path(), env);
    QVERIFY2(run.exitCode == 0, run.err.constData());
    QCOMPARE(run.out, QByteArray("shards: job 42 (4 tasks), merge: job 42\n"));
    QCOMPARE(testing::readFile(dir.filePath(QStringLiteral("submitted"))),
             QByteArray("--parsable sweep-array.sbatch\n"
                        "--parsable --dependency=afterok:42 merge.sbatch\n"));
    QVERIFY(QFileInfo(shards).isDir());
    QVERIFY(QFileInfo(job.resultFolder + QStringLiteral("/logs")).isDir());
    QVERIFY2(!anyFileNamed(dir.path(), QStringLiteral("pwned")), "a command in a path ran");

    // The log pattern: one directive line, the folder's '%' doubled, quoted as sbatch reads.
    const QString text =
        QString::fromUtf8(testing::readFile(QDir(scripts).filePath("sweep-array.sbatch")));
    QString expected = job.resultFolder + QStringLiteral("/logs");
    expected.replace(QStringLiteral("%"), QStringLiteral("%%"))
        .replace(QStringLiteral("'"), QStringLiteral("'\\''"));
    QCOMPARE(scriptLine(text, QStringLiteral("#SBATCH --output=")),
             QStringLiteral("#SBATCH --output='") + expected + QStringLiteral("/shard-%a.log'"));
}

void TestClusterScripts::manifestsKeepEachValueInItsScalar() {
    QTemporaryDir dir;
    const ClusterJob plain = validJob(QStringLiteral("/plain"));
    ClusterJob odd = plain;
    odd.cli = QStringLiteral("/bin/x\nhostNetwork: true\n\"a\\b\" $(HOME) $$ \u2028 \t end");
    odd.experiment = QStringLiteral("/e/\"quoted\": {{shards}} %1 #c");
    odd.resultFolder = QStringLiteral("/r/a: b - c 'q' $(touch pwned) %9");
    const std::vector<ScriptFile> plainFiles = kubernetesManifests(plain);
    const std::vector<ScriptFile> oddFiles = kubernetesManifests(odd);
    const QStringList oddShardArgs{odd.cli,
                                   QStringLiteral("sweep"),
                                   QStringLiteral("--experiment"),
                                   odd.experiment,
                                   QStringLiteral("--shard"),
                                   QStringLiteral("auto/4"),
                                   QStringLiteral("--threads"),
                                   QStringLiteral("1"),
                                   QStringLiteral("--out"),
                                   odd.resultFolder + QStringLiteral("/shards")};
    for (std::size_t f = 0; f < plainFiles.size(); ++f) {
        const QStringList plainLines = plainFiles[f].text.split(QLatin1Char('\n'));
        const QStringList oddLines = oddFiles[f].text.split(QLatin1Char('\n'));
        // Same lines, same keys and indentation: a value can add no line and no key.
        QCOMPARE(oddLines.size(), plainLines.size());
        QStringList args;
        for (qsizetype i = 0; i < oddLines.size(); ++i) {
            const qsizetype quote = plainLines[i].indexOf(QLatin1Char('"'));
            QCOMPARE(oddLines[i].left(quote), plainLines[i].left(quote));
            if (oddLines[i].startsWith(QLatin1String("            - \"")))
                args << yamlUnquoted(oddLines[i].mid(14))
                            .replace(QStringLiteral("$$"), QStringLiteral("$"));
        }
        if (f == 0)
            QCOMPARE(args, oddShardArgs);
        else
            QCOMPARE(args, QStringList({odd.cli, QStringLiteral("merge"), oddShardArgs.last(),
                                        QStringLiteral("--out"),
                                        odd.resultFolder + QStringLiteral("/result.json")}));
    }
    QVERIFY(oddFiles[0].text.contains(QLatin1String("  namespace: research\n")));
    QVERIFY(oddFiles[0].text.contains(QLatin1String("  name: routerlab-shards\n")));
}

void TestClusterScripts::substitutionHappensOnce() {
    QCOMPARE(substituteOnce(QStringLiteral("{{a}}-{{b}}-{{a}}"),
                            {{QStringLiteral("a"), QStringLiteral("{{b}} %1")},
                             {QStringLiteral("b"), QStringLiteral("%2 {{a}}")}}),
             QStringLiteral("{{b}} %1-%2 {{a}}-{{b}} %1"));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, substituteOnce(QStringLiteral("{{c}}"), {}));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, substituteOnce(QStringLiteral("{{c"), {}));

    // A path with arg markers and placeholders: the experiment stays itself and nothing else
    // moves (--shard auto/N, --out the shard folder).
    ClusterJob job = validJob(QStringLiteral("/r %1 %2 %9 {{shards}}"));
    const QString text = slurmScripts(job).front().text;
    QVERIFY2(text.contains(QLatin1String(
                 "--experiment '/r %1 %2 %9 {{shards}}/experiment.json' --shard auto/4 "
                 "--threads \"${SLURM_CPUS_PER_TASK:-1}\" --out '/r %1 %2 %9 "
                 "{{shards}}/results/shards'\n")),
             qPrintable(text));
}

void TestClusterScripts::resultFolderSlurmCannotCarryIsRefused() {
    for (const QString& folder : {QStringLiteral("/r/a\nb"), QStringLiteral("/r/a\\b"),
                                  QStringLiteral("/r/a\tb"), QStringLiteral("/r/a\u0085b")}) {
        ClusterJob job = validJob(QStringLiteral("/r"));
        job.resultFolder = folder;
        const std::vector<ClusterValueProblem> problems = clusterJobProblems(job);
        QCOMPARE(problems.size(), std::size_t(1));
        QCOMPARE(problems.front().field, QStringLiteral("results"));
    }
}

void TestClusterScripts::cliNamesTheRefusedOption() {
    QTemporaryDir dir;
    const QString experiment =
        testing::writeFile(QDir(dir.path()), QStringLiteral("e.json"), "{\"command\":\"sweep\"}");
    const QString scripts = dir.filePath(QStringLiteral("scripts"));
    const std::vector<QStringList> cases{
        {QStringLiteral("--partition"), QStringLiteral("debug\ntouch pwned")},
        {QStringLiteral("--image"), QStringLiteral("routerlab\nhostNetwork: true")},
        {QStringLiteral("--time"), QStringLiteral("$(touch pwned)")},
        {QStringLiteral("--namespace"), QStringLiteral("Research")}};
    for (const QStringList& option : cases) {
        QProcess p;
        p.start(QStringLiteral(ROUTERLAB_CLI_PATH),
                QStringList{QStringLiteral("cluster-script"), QStringLiteral("--experiment"),
                            experiment, QStringLiteral("--out"), scripts,
                            QStringLiteral("--kubernetes")} +
                    option);
        QVERIFY(p.waitForFinished(30000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 2);
        QVERIFY2(err.startsWith(QStringLiteral("routerlab-cli cluster-script: ") + option[0] +
                                QStringLiteral(": ")),
                 qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
        QVERIFY2(!QFileInfo::exists(scripts), "a refused option wrote scripts");
    }
}

QTEST_GUILESS_MAIN(TestClusterScripts)
#include "test_cluster_scripts.moc"
