#include "experiment/cluster_scripts.h"

#include "common/input_error.h"
#include "experiment/shard_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

namespace routerlab {

namespace {

// Single-quoted for the shell: nothing inside is expanded.
QString shellQuoted(const QString& text) {
    QString out = text;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString yamlQuoted(const QString& text) {
    QString out = text;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

QString commonDirectives(const ClusterJob& job) {
    QString text;
    if (!job.partition.isEmpty())
        text += QStringLiteral("#SBATCH --partition=%1\n").arg(job.partition);
    if (!job.timeLimit.isEmpty())
        text += QStringLiteral("#SBATCH --time=%1\n").arg(job.timeLimit);
    if (!job.memory.isEmpty())
        text += QStringLiteral("#SBATCH --mem=%1\n").arg(job.memory);
    return text;
}

QString mergeCommandLine(const ClusterJob& job, const QString& folder) {
    QString line =
        QStringLiteral("%1 merge %2 --out %3")
            .arg(shellQuoted(job.cli), shellQuoted(folder),
                 shellQuoted(QDir(job.resultFolder).filePath(QStringLiteral("result.json"))));
    if (!job.workspace.isEmpty())
        line += QStringLiteral(" --workspace %1").arg(shellQuoted(job.workspace));
    return line;
}

} // namespace

std::vector<ScriptFile> slurmScripts(const ClusterJob& job) {
    const QString shards = QDir(job.resultFolder).filePath(QStringLiteral("shards"));
    const QString logs = QDir(job.resultFolder).filePath(QStringLiteral("logs"));
    std::vector<ScriptFile> files;
    files.push_back(
        {QStringLiteral("sweep-array.sbatch"),
         QStringLiteral("#!/bin/bash\n"
                        "# One RouterLab shard per array task. Resubmit a failed task alone with\n"
                        "#   sbatch --array=K sweep-array.sbatch\n"
                        "# then run merge.sbatch again.\n"
                        "#SBATCH --job-name=routerlab-shards\n"
                        "#SBATCH --array=0-%1\n"
                        "#SBATCH --cpus-per-task=%2\n"
                        "%3"
                        "#SBATCH --output=%4/shard-%a.log\n"
                        "set -euo pipefail\n"
                        "exec %5 %6 --experiment %7 --shard auto/%8 --threads "
                        "\"${SLURM_CPUS_PER_TASK:-1}\" --out %9\n")
             .arg(job.shards - 1)
             .arg(job.cpusPerTask)
             .arg(commonDirectives(job), logs, shellQuoted(job.cli), job.command,
                  shellQuoted(job.experiment))
             .arg(job.shards)
             .arg(shellQuoted(shards))});
    files.push_back({QStringLiteral("merge.sbatch"),
                     QStringLiteral("#!/bin/bash\n"
                                    "# Merges the shards into result.json; refuses while any is "
                                    "missing and names it.\n"
                                    "#SBATCH --job-name=routerlab-merge\n"
                                    "#SBATCH --cpus-per-task=1\n"
                                    "%1"
                                    "#SBATCH --output=%2/merge.log\n"
                                    "set -euo pipefail\n"
                                    "exec %3\n")
                         .arg(commonDirectives(job), logs, mergeCommandLine(job, shards))});
    files.push_back(
        {QStringLiteral("submit.sh"),
         QStringLiteral("#!/bin/bash\n"
                        "# Submits the shard array, then the merge, held until every shard "
                        "succeeded.\n"
                        "set -euo pipefail\n"
                        "cd \"$(dirname \"$0\")\"\n"
                        "mkdir -p %1 %2\n"
                        "array=$(sbatch --parsable sweep-array.sbatch)\n"
                        "array=${array%%;*}\n"
                        "merge=$(sbatch --parsable --dependency=afterok:\"$array\" merge.sbatch)\n"
                        "echo \"shards: job $array (%3 tasks), merge: job ${merge%%;*}\"\n")
             .arg(shellQuoted(shards), shellQuoted(logs))
             .arg(job.shards),
         true});
    return files;
}

std::vector<ScriptFile> kubernetesManifests(const ClusterJob& job) {
    const QString mount = QStringLiteral("/routerlab");
    const QString folder = job.resultFolder;
    auto volumes = [&] {
        return QStringLiteral("      volumes:\n"
                              "        - name: results\n"
                              "          persistentVolumeClaim:\n"
                              "            claimName: %1\n")
            .arg(job.volumeClaim.isEmpty() ? QStringLiteral("routerlab-results") : job.volumeClaim);
    };
    auto container = [&](const QString& name, const QStringList& args) {
        QString list;
        for (const QString& a : args)
            list += QStringLiteral("            - %1\n").arg(yamlQuoted(a));
        return QStringLiteral("      containers:\n"
                              "        - name: %1\n"
                              "          image: %2\n"
                              "          args:\n%3"
                              "          volumeMounts:\n"
                              "            - name: results\n"
                              "              mountPath: %4\n")
            .arg(name, job.image.isEmpty() ? QStringLiteral("routerlab:latest") : job.image, list,
                 mount);
    };
    const QString shards = folder + QStringLiteral("/shards");
    ScriptFile array{
        QStringLiteral("sweep-indexed-job.yaml"),
        QStringLiteral("# One RouterLab shard per completion index. The result folder "
                       "%1 must be on the\n# volume mounted at %2.\n"
                       "apiVersion: batch/v1\n"
                       "kind: Job\n"
                       "metadata:\n"
                       "  name: routerlab-shards\n"
                       "spec:\n"
                       "  completionMode: Indexed\n"
                       "  completions: %3\n"
                       "  parallelism: %3\n"
                       "  backoffLimitPerIndex: 2\n"
                       "  template:\n"
                       "    spec:\n"
                       "      restartPolicy: Never\n"
                       "%4%5")
            .arg(folder, mount)
            .arg(job.shards)
            .arg(container(QStringLiteral("shard"),
                           {job.cli, job.command, QStringLiteral("--experiment"), job.experiment,
                            QStringLiteral("--shard"), QStringLiteral("auto/%1").arg(job.shards),
                            QStringLiteral("--threads"), QString::number(job.cpusPerTask),
                            QStringLiteral("--out"), shards}),
                 volumes())};
    ScriptFile merge{
        QStringLiteral("merge-job.yaml"),
        QStringLiteral("# Apply once routerlab-shards has completed:\n"
                       "#   kubectl wait --for=condition=complete job/routerlab-shards "
                       "&& kubectl apply -f merge-job.yaml\n"
                       "apiVersion: batch/v1\n"
                       "kind: Job\n"
                       "metadata:\n"
                       "  name: routerlab-merge\n"
                       "spec:\n"
                       "  template:\n"
                       "    spec:\n"
                       "      restartPolicy: Never\n"
                       "%1%2")
            .arg(container(QStringLiteral("merge"),
                           {job.cli, QStringLiteral("merge"), shards, QStringLiteral("--out"),
                            folder + QStringLiteral("/result.json")}),
                 volumes())};
    return {array, merge};
}

QStringList writeClusterFiles(const ClusterJob& job, const QString& folder, bool kubernetes) {
    std::vector<ScriptFile> files = slurmScripts(job);
    if (kubernetes)
        for (ScriptFile& f : kubernetesManifests(job))
            files.push_back(std::move(f));
    for (const QString& sub : {QStringLiteral("shards"), QStringLiteral("logs")})
        if (!QDir().mkpath(QDir(job.resultFolder).filePath(sub)))
            throw InputError(job.resultFolder, 0, {}, QStringLiteral("cannot create the folder"));
    if (!QDir().mkpath(folder))
        throw InputError(folder, 0, {}, QStringLiteral("cannot create the folder"));
    QStringList written;
    for (const ScriptFile& f : files) {
        const QString path = QDir(folder).filePath(f.name);
        writeFileAtomically(path, f.text.toUtf8());
        if (f.executable)
            QFile::setPermissions(path, QFile::permissions(path) | QFile::ExeOwner |
                                            QFile::ExeGroup | QFile::ExeOther);
        written << path;
    }
    return written;
}

} // namespace routerlab
