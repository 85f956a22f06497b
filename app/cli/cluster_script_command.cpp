#include "cli/cli_command.h"

#include "common/input_error.h"
#include "experiment/cluster_scripts.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace routerlab {

namespace {

std::vector<NumberOption> clusterScriptNumbers() {
    return {
        NumberOption::whole(QStringLiteral("shards"), QStringLiteral("Array tasks (default 4)."),
                            QStringLiteral("N"), QStringLiteral("4"), 1, 100000),
        NumberOption::whole(QStringLiteral("cpus-per-task"),
                            QStringLiteral("Cores per task; the shard uses them all (default 1)."),
                            QStringLiteral("C"), QStringLiteral("1"), 1, 1024)};
}

// The options that go into the scripts as text; clusterJobProblems checks them all.
void readTextOptions(const QCommandLineParser& p, ClusterJob& job) {
    job.cli = p.isSet(QStringLiteral("cli")) ? p.value(QStringLiteral("cli"))
                                             : QCoreApplication::applicationFilePath();
    job.name = p.value(QStringLiteral("name"));
    job.partition = p.value(QStringLiteral("partition"));
    job.account = p.value(QStringLiteral("account"));
    job.qos = p.value(QStringLiteral("qos"));
    job.timeLimit = p.value(QStringLiteral("time"));
    job.memory = p.value(QStringLiteral("mem"));
    job.image = p.value(QStringLiteral("image"));
    job.volumeClaim = p.value(QStringLiteral("volume-claim"));
    job.kubernetesNamespace = p.value(QStringLiteral("namespace"));
    if (p.isSet(QStringLiteral("workspace")))
        job.workspace = QFileInfo(p.value(QStringLiteral("workspace"))).absoluteFilePath();
}

// Names every option Slurm or Kubernetes would refuse; false when there is any.
bool acceptable(const ClusterJob& job, QTextStream& err) {
    const std::vector<ClusterValueProblem> problems = clusterJobProblems(job);
    for (const ClusterValueProblem& problem : problems)
        err << "routerlab-cli cluster-script: --" << problem.field << ": " << problem.message
            << "\n";
    return problems.empty();
}

void describeOptions(QCommandLineParser& p) {
    p.addOption({QStringLiteral("experiment"),
                 QStringLiteral("The experiment file (see --save-experiment)."),
                 QStringLiteral("file")});
    p.addOption(
        findNumberOption(clusterScriptNumbers(), QStringLiteral("shards"))->commandLineOption());
    p.addOption({QStringLiteral("out"),
                 QStringLiteral("Folder for the scripts (default: beside the experiment)."),
                 QStringLiteral("dir")});
    p.addOption({QStringLiteral("results"),
                 QStringLiteral("Folder on shared storage for shards, logs and result.json "
                                "(default: <out>/results)."),
                 QStringLiteral("dir")});
    p.addOption({QStringLiteral("name"),
                 QStringLiteral("Jobs are <name>-shards and <name>-merge (default routerlab; "
                                "a-z 0-9 -, at most 56)."),
                 QStringLiteral("name"), QStringLiteral("routerlab")});
    p.addOption({QStringLiteral("partition"),
                 QStringLiteral("Slurm partition (or a comma-separated list)."),
                 QStringLiteral("P")});
    p.addOption({QStringLiteral("account"), QStringLiteral("Slurm account to charge."),
                 QStringLiteral("A")});
    p.addOption(
        {QStringLiteral("qos"), QStringLiteral("Slurm quality of service."), QStringLiteral("Q")});
    p.addOption({QStringLiteral("time"), QStringLiteral("Slurm time limit, e.g. 00:30:00."),
                 QStringLiteral("T")});
    p.addOption(findNumberOption(clusterScriptNumbers(), QStringLiteral("cpus-per-task"))
                    ->commandLineOption());
    p.addOption(
        {QStringLiteral("mem"), QStringLiteral("Memory per task, e.g. 4G."), QStringLiteral("M")});
    p.addOption({QStringLiteral("workspace"),
                 QStringLiteral("The merge also records the result in this workspace."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("cli"),
                 QStringLiteral("routerlab-cli as the compute nodes see it (default: this "
                                "one)."),
                 QStringLiteral("path")});
    p.addOption({QStringLiteral("kubernetes"),
                 QStringLiteral("Also write an Indexed Job and a merge Job manifest.")});
    p.addOption({QStringLiteral("image"), QStringLiteral("Container image (Kubernetes)."),
                 QStringLiteral("name")});
    p.addOption({QStringLiteral("namespace"),
                 QStringLiteral("Namespace of the Jobs (Kubernetes; default: kubectl's)."),
                 QStringLiteral("name")});
    p.addOption({QStringLiteral("volume-claim"),
                 QStringLiteral("PersistentVolumeClaim with the results folder (Kubernetes)."),
                 QStringLiteral("name")});
}

} // namespace

CliCommand clusterScriptCommand() {
    CliCommand c;
    c.name = QStringLiteral("cluster-script");
    c.summary = QStringLiteral("Write the scripts that run an experiment file as a Slurm array "
                               "of shards plus a dependent merge (or Kubernetes Jobs).");
    c.numbers = clusterScriptNumbers();
    c.describe = describeOptions;
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        const QString experiment = p.value(QStringLiteral("experiment"));
        if (experiment.isEmpty()) {
            err << "routerlab-cli cluster-script: give --experiment FILE (write one with "
                   "`routerlab-cli sweep ... --save-experiment FILE`)\n";
            return kExitUsage;
        }
        QFile file(experiment);
        if (!file.open(QIODevice::ReadOnly))
            throw InputError(experiment, 0, {},
                             QStringLiteral("cannot read: %1").arg(file.errorString()));
        const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        ClusterJob job;
        job.command = json.value(QStringLiteral("command")).toString(QStringLiteral("sweep"));
        if (job.command != QLatin1String("sweep") && job.command != QLatin1String("simulate"))
            throw InputError(experiment, 1, QStringLiteral("command"),
                             QStringLiteral("expected sweep or simulate"));
        job.shards =
            static_cast<int>(wholeValue(clusterScriptNumbers(), p, QStringLiteral("shards")));
        job.cpusPerTask = static_cast<int>(
            wholeValue(clusterScriptNumbers(), p, QStringLiteral("cpus-per-task")));
        const QString folder = p.isSet(QStringLiteral("out"))
                                   ? p.value(QStringLiteral("out"))
                                   : QFileInfo(experiment).absolutePath();
        job.experiment = QFileInfo(experiment).absoluteFilePath();
        job.resultFolder = QFileInfo(p.isSet(QStringLiteral("results"))
                                         ? p.value(QStringLiteral("results"))
                                         : QDir(folder).filePath(QStringLiteral("results")))
                               .absoluteFilePath();
        readTextOptions(p, job);
        if (!acceptable(job, err))
            return kExitUsage;

        for (const QString& path :
             writeClusterFiles(job, folder, p.isSet(QStringLiteral("kubernetes"))))
            out << path << "\n";
        err << "routerlab-cli cluster-script: submit with `"
            << QDir(folder).filePath(QStringLiteral("submit.sh"))
            << "`; the merged result appears as "
            << QDir(job.resultFolder).filePath(QStringLiteral("result.json")) << "\n";
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
