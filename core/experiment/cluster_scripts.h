#pragma once

#include "experiment/cluster_values.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace routerlab {

// What a cluster needs to run one experiment as an array of shards and merge them. We do not
// schedule anything ourselves: these are scripts for the scheduler the user already has.
struct ClusterJob {
    QString cli;                               // routerlab-cli as the compute nodes see it
    QString command = QStringLiteral("sweep"); // or simulate: the experiment file's command
    QString experiment;                        // the experiment file (absolute)
    QString resultFolder; // shard files, logs and the merged result (absolute, shared storage)
    int shards = 4;
    QString name = QStringLiteral("routerlab"); // jobs are <name>-shards and <name>-merge
    QString partition; // empty: the cluster's default (a comma-separated list is allowed)
    QString account;   // empty: the user's default account
    QString qos;       // empty: the default quality of service
    QString timeLimit; // Slurm form, e.g. 00:30:00; empty: the partition's default
    int cpusPerTask = 1;
    QString memory;              // e.g. 4G; empty: the default
    QString workspace;           // merge also records the result here when set
    QString image;               // container image for Kubernetes
    QString volumeClaim;         // PersistentVolumeClaim holding the result folder (Kubernetes)
    QString kubernetesNamespace; // empty: the namespace kubectl applies to
};

// Every value of `job` that Slurm or Kubernetes would refuse, or that could not be written
// into the scripts as given; empty when all pass. Paths may hold anything, except that the
// result folder, which Slurm's --output pattern carries, holds no control character and no
// backslash.
std::vector<ClusterValueProblem> clusterJobProblems(const ClusterJob& job);

struct ScriptFile {
    QString name;
    QString text;
    bool executable = false;
};

// sweep-array.sbatch (the shards, --shard auto/N so a task resubmitted alone with --array=K
// keeps its index), merge.sbatch, and submit.sh which submits both with the merge held by
// --dependency=afterok on the array.
std::vector<ScriptFile> slurmScripts(const ClusterJob& job);
// An Indexed Job (completions = shards) and a merge Job to apply after it completes.
std::vector<ScriptFile> kubernetesManifests(const ClusterJob& job);

// Writes the Slurm scripts (and the Kubernetes manifests when asked) into `folder`, creates the
// result folder's shards/ and logs/ (Slurm fails a task whose --output folder is missing) and
// returns the paths written. Throws InputError naming the folder or file that failed, or the
// first of clusterJobProblems (nothing is written then).
QStringList writeClusterFiles(const ClusterJob& job, const QString& folder, bool kubernetes);

} // namespace routerlab
