#include "experiment/cluster_scripts.h"

#include "common/input_error.h"
#include "experiment/shard_files.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

namespace routerlab {

namespace {

const QString kShardLogPattern = QStringLiteral("shard-%a.log");
const QString kMergeLogPattern = QStringLiteral("merge.log");

QString commonDirectives(const ClusterJob& job) {
    // Each value has passed its grammar (clusterJobProblems), so none needs quoting here.
    QString text;
    const std::pair<const char*, const QString*> directives[] = {{"partition", &job.partition},
                                                                 {"account", &job.account},
                                                                 {"qos", &job.qos},
                                                                 {"time", &job.timeLimit},
                                                                 {"mem", &job.memory}};
    for (const auto& [option, value] : directives)
        if (!value->isEmpty())
            text += QStringLiteral("#SBATCH --") + QLatin1String(option) + QLatin1Char('=') +
                    *value + QLatin1Char('\n');
    return text;
}

QString mergeCommandLine(const ClusterJob& job, const QString& shardFolder) {
    QString line = shellQuoted(job.cli) + QStringLiteral(" merge ") + shellQuoted(shardFolder) +
                   QStringLiteral(" --out ") +
                   shellQuoted(QDir(job.resultFolder).filePath(QStringLiteral("result.json")));
    if (!job.workspace.isEmpty())
        line += QStringLiteral(" --workspace ") + shellQuoted(job.workspace);
    return line;
}

void checkSlurmValues(const ClusterJob& job, std::vector<ClusterValueProblem>& problems) {
    auto check = [&](const char* field, const QString& value, bool ok, const char* expected) {
        if (!value.isEmpty() && !ok)
            problems.push_back(
                {QLatin1String(field),
                 shownValue(value) + QStringLiteral(" is not ") + QLatin1String(expected)});
    };
    check("partition", job.partition, isSlurmPartitionList(job.partition),
          "a Slurm partition name or comma-separated list of them (letters, digits, _ . -)");
    check("account", job.account, isSlurmName(job.account),
          "a Slurm account name (letters, digits, _ . -)");
    check("qos", job.qos, isSlurmName(job.qos), "a Slurm QOS name (letters, digits, _ . -)");
    check("time", job.timeLimit, isSlurmTimeLimit(job.timeLimit),
          "a Slurm time limit (M, M:S, H:M:S, D-H, D-H:M, D-H:M:S or UNLIMITED)");
    check("mem", job.memory, isSlurmMemory(job.memory),
          "a Slurm memory size (a whole number with an optional K, M, G or T suffix)");
    if (job.shards < 1 || job.shards > kMaxShards)
        problems.push_back(
            {QStringLiteral("shards"), QStringLiteral("must be within 1..%1").arg(kMaxShards)});
    if (job.cpusPerTask < 1)
        problems.push_back({QStringLiteral("cpus-per-task"), QStringLiteral("must be >= 1")});
}

void checkKubernetesValues(const ClusterJob& job, std::vector<ClusterValueProblem>& problems) {
    if (!job.image.isEmpty() && !isImageReference(job.image))
        problems.push_back(
            {QStringLiteral("image"),
             shownValue(job.image) + QStringLiteral(" is not a container image reference "
                                                    "([registry/]path[:tag][@digest], path in "
                                                    "lowercase)")});
    if (!job.kubernetesNamespace.isEmpty() && !isDnsLabel(job.kubernetesNamespace))
        problems.push_back({QStringLiteral("namespace"),
                            shownValue(job.kubernetesNamespace) +
                                QStringLiteral(" is not a Kubernetes namespace (a DNS label: at "
                                               "most 63 of a-z 0-9 -, starting and ending with "
                                               "a letter or digit)")});
    if (!job.volumeClaim.isEmpty() && !isDnsSubdomain(job.volumeClaim))
        problems.push_back({QStringLiteral("volume-claim"),
                            shownValue(job.volumeClaim) +
                                QStringLiteral(" is not a PersistentVolumeClaim name (a DNS "
                                               "subdomain: a-z 0-9 - and ., at most 253)")});
}

QString kubernetesVolumes(const ClusterJob& job) {
    return substituteOnce(
        QStringLiteral("      volumes:\n"
                       "        - name: results\n"
                       "          persistentVolumeClaim:\n"
                       "            claimName: {{claim}}\n"),
        {{QStringLiteral("claim"),
          yamlQuoted(job.volumeClaim.isEmpty() ? QStringLiteral("routerlab-results")
                                               : job.volumeClaim)}});
}

QString kubernetesContainer(const ClusterJob& job, const QString& name, const QStringList& args) {
    QString list;
    for (const QString& a : args)
        list +=
            QStringLiteral("            - ") + yamlQuoted(kubernetesLiteral(a)) + QLatin1Char('\n');
    return substituteOnce(
        QStringLiteral("      containers:\n"
                       "        - name: {{name}}\n"
                       "          image: {{image}}\n"
                       "          args:\n{{args}}"
                       "          volumeMounts:\n"
                       "            - name: results\n"
                       "              mountPath: /routerlab\n"),
        {{QStringLiteral("name"), name},
         {QStringLiteral("image"),
          yamlQuoted(job.image.isEmpty() ? QStringLiteral("routerlab:latest") : job.image)},
         {QStringLiteral("args"), list}});
}

// The metadata lines every manifest shares: the Job's name and, when given, its namespace.
QString kubernetesMetadata(const ClusterJob& job, const QString& suffix) {
    QString text = QStringLiteral("metadata:\n  name: ") + job.name + suffix + QLatin1Char('\n');
    if (!job.kubernetesNamespace.isEmpty())
        text += QStringLiteral("  namespace: ") + job.kubernetesNamespace + QLatin1Char('\n');
    return text;
}

} // namespace

std::vector<ClusterValueProblem> clusterJobProblems(const ClusterJob& job) {
    std::vector<ClusterValueProblem> problems;
    if (!isDnsLabel(job.name + QStringLiteral("-shards")))
        problems.push_back({QStringLiteral("name"),
                            shownValue(job.name) +
                                QStringLiteral(" cannot name the jobs (at most 56 of a-z 0-9 -, "
                                               "starting and ending with a letter or digit: "
                                               "Kubernetes takes <name>-shards as a DNS label)")});
    if (job.command != QLatin1String("sweep") && job.command != QLatin1String("simulate"))
        problems.push_back(
            {QStringLiteral("command"), QStringLiteral("expected sweep or simulate")});
    if (job.cli.isEmpty())
        problems.push_back({QStringLiteral("cli"), QStringLiteral("is empty")});
    if (slurmOutputPattern(job.resultFolder, kShardLogPattern).isEmpty())
        problems.push_back({QStringLiteral("results"),
                            shownValue(job.resultFolder) +
                                QStringLiteral(" holds a line break, another control "
                                               "character or a backslash, which Slurm's "
                                               "--output pattern cannot carry")});
    checkSlurmValues(job, problems);
    checkKubernetesValues(job, problems);
    return problems;
}

std::vector<ScriptFile> slurmScripts(const ClusterJob& job) {
    const QString shards = QDir(job.resultFolder).filePath(QStringLiteral("shards"));
    const QString logs = QDir(job.resultFolder).filePath(QStringLiteral("logs"));
    const std::vector<std::pair<QString, QString>> values{
        {QStringLiteral("name"), job.name},
        {QStringLiteral("last_task"), QString::number(job.shards - 1)},
        {QStringLiteral("shards"), QString::number(job.shards)},
        {QStringLiteral("cpus"), QString::number(job.cpusPerTask)},
        {QStringLiteral("directives"), commonDirectives(job)},
        {QStringLiteral("shard_log"), slurmOutputPattern(logs, kShardLogPattern)},
        {QStringLiteral("merge_log"), slurmOutputPattern(logs, kMergeLogPattern)},
        {QStringLiteral("cli"), shellQuoted(job.cli)},
        {QStringLiteral("command"), job.command},
        {QStringLiteral("experiment"), shellQuoted(job.experiment)},
        {QStringLiteral("shard_folder"), shellQuoted(shards)},
        {QStringLiteral("log_folder"), shellQuoted(logs)},
        {QStringLiteral("merge"), mergeCommandLine(job, shards)}};
    std::vector<ScriptFile> files;
    files.push_back(
        {QStringLiteral("sweep-array.sbatch"),
         substituteOnce(
             QStringLiteral("#!/bin/bash\n"
                            "# One RouterLab shard per array task. Resubmit a failed task alone "
                            "with\n"
                            "#   sbatch --array=K sweep-array.sbatch\n"
                            "# then run merge.sbatch again.\n"
                            "#SBATCH --job-name={{name}}-shards\n"
                            "#SBATCH --array=0-{{last_task}}\n"
                            "#SBATCH --cpus-per-task={{cpus}}\n"
                            "{{directives}}"
                            "#SBATCH --output={{shard_log}}\n"
                            "set -euo pipefail\n"
                            "exec {{cli}} {{command}} --experiment {{experiment}} --shard "
                            "auto/{{shards}} --threads \"${SLURM_CPUS_PER_TASK:-1}\" --out "
                            "{{shard_folder}}\n"),
             values)});
    files.push_back(
        {QStringLiteral("merge.sbatch"),
         substituteOnce(QStringLiteral("#!/bin/bash\n"
                                       "# Merges the shards into result.json; refuses while any "
                                       "is missing and names it.\n"
                                       "#SBATCH --job-name={{name}}-merge\n"
                                       "#SBATCH --cpus-per-task=1\n"
                                       "{{directives}}"
                                       "#SBATCH --output={{merge_log}}\n"
                                       "set -euo pipefail\n"
                                       "exec {{merge}}\n"),
                        values)});
    files.push_back(
        {QStringLiteral("submit.sh"),
         substituteOnce(
             QStringLiteral("#!/bin/bash\n"
                            "# Submits the shard array, then the merge, held until every shard "
                            "succeeded.\n"
                            "set -euo pipefail\n"
                            "cd \"$(dirname \"$0\")\"\n"
                            "mkdir -p {{shard_folder}} {{log_folder}}\n"
                            "array=$(sbatch --parsable sweep-array.sbatch)\n"
                            "array=${array%%;*}\n"
                            "merge=$(sbatch --parsable --dependency=afterok:\"$array\" "
                            "merge.sbatch)\n"
                            "echo \"shards: job $array ({{shards}} tasks), merge: job "
                            "${merge%%;*}\"\n"),
             values),
         true});
    return files;
}

std::vector<ScriptFile> kubernetesManifests(const ClusterJob& job) {
    const QString shards = job.resultFolder + QStringLiteral("/shards");
    const QString count = QString::number(job.shards);
    const QString namespaceOption = job.kubernetesNamespace.isEmpty()
                                        ? QString()
                                        : QStringLiteral(" -n ") + job.kubernetesNamespace;
    ScriptFile array{
        QStringLiteral("sweep-indexed-job.yaml"),
        substituteOnce(
            QStringLiteral("# One RouterLab shard per completion index. The result folder\n"
                           "#   {{folder}}\n"
                           "# must be on the volume mounted at /routerlab.\n"
                           "apiVersion: batch/v1\n"
                           "kind: Job\n"
                           "{{metadata}}"
                           "spec:\n"
                           "  completionMode: Indexed\n"
                           "  completions: {{count}}\n"
                           "  parallelism: {{count}}\n"
                           "  backoffLimitPerIndex: 2\n"
                           "  template:\n"
                           "    spec:\n"
                           "      restartPolicy: Never\n"
                           "{{container}}{{volumes}}"),
            {{QStringLiteral("folder"), yamlQuoted(job.resultFolder)},
             {QStringLiteral("metadata"), kubernetesMetadata(job, QStringLiteral("-shards"))},
             {QStringLiteral("count"), count},
             {QStringLiteral("container"),
              kubernetesContainer(job, QStringLiteral("shard"),
                                  {job.cli, job.command, QStringLiteral("--experiment"),
                                   job.experiment, QStringLiteral("--shard"),
                                   QStringLiteral("auto/") + count, QStringLiteral("--threads"),
                                   QString::number(job.cpusPerTask), QStringLiteral("--out"),
                                   shards})},
             {QStringLiteral("volumes"), kubernetesVolumes(job)}})};
    ScriptFile merge{
        QStringLiteral("merge-job.yaml"),
        substituteOnce(
            QStringLiteral("# Apply once {{name}}-shards has completed:\n"
                           "#   kubectl{{ns}} wait --for=condition=complete job/{{name}}-shards "
                           "&& kubectl{{ns}} apply -f merge-job.yaml\n"
                           "apiVersion: batch/v1\n"
                           "kind: Job\n"
                           "{{metadata}}"
                           "spec:\n"
                           "  template:\n"
                           "    spec:\n"
                           "      restartPolicy: Never\n"
                           "{{container}}{{volumes}}"),
            {{QStringLiteral("name"), job.name},
             {QStringLiteral("ns"), namespaceOption},
             {QStringLiteral("metadata"), kubernetesMetadata(job, QStringLiteral("-merge"))},
             {QStringLiteral("container"),
              kubernetesContainer(job, QStringLiteral("merge"),
                                  {job.cli, QStringLiteral("merge"), shards,
                                   QStringLiteral("--out"),
                                   job.resultFolder + QStringLiteral("/result.json")})},
             {QStringLiteral("volumes"), kubernetesVolumes(job)}})};
    return {array, merge};
}

QStringList writeClusterFiles(const ClusterJob& job, const QString& folder, bool kubernetes) {
    const std::vector<ClusterValueProblem> problems = clusterJobProblems(job);
    if (!problems.empty())
        throw InputError(folder, 0, problems.front().field,
                         problems.size() == 1
                             ? problems.front().message
                             : problems.front().message +
                                   QStringLiteral(" (and %1 more)").arg(problems.size() - 1));
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
