#pragma once

#include "experiment/experiment_plan.h"

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <vector>

namespace routerlab {

// The most shards an experiment is split into: --shard and cluster-script accept no more, and
// merge refuses a shard file that claims more before it sizes anything by the claim.
constexpr int kMaxShards = 100000;

// Which part of an experiment's cells one process runs: cell i belongs to shard i % count.
struct ShardSpec {
    int index = 0;
    int count = 1;

    // "i/n"; "auto" (Slurm: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of
    // SLURM_ARRAY_TASK_COUNT); "auto/n" (index from SLURM_ARRAY_TASK_ID or
    // JOB_COMPLETION_INDEX, count n: what generated scripts use, so that a task resubmitted
    // alone with --array=K still knows its place). Throws std::invalid_argument.
    static ShardSpec
    parse(const QString& text,
          const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment());
    bool owns(std::size_t cell) const { return static_cast<int>(cell % count) == index; }
    QString fileName() const; // "shard-0002-of-0004.json"
};

// Writes one shard's results into `folder` under ShardSpec::fileName(), atomically: a killed
// task leaves no half-written shard. `results` are the shard's cells in canonical order.
// Returns the file written.
QString writeShard(const QString& folder, const ExperimentPlan& plan, const ShardSpec& shard,
                   const std::vector<CellResult>& results);

struct MergeOutcome {
    QJsonObject context; // the experiment the shards belong to
    QString configHash;
    std::vector<CellResult> runs; // the present cells in canonical order, with their series
    QJsonObject result;           // as a single process prints it (plus missing_cells when partial)
    QStringList notes;            // things worth telling the user that did not stop the merge
    int shards = 0;               // shard files used
    int missingCells = 0;
};

// Reads every shard-*.json in `folder` and rebuilds the experiment's result. Refuses (throws
// InputError naming the files) when shards come from different experiments, disagree on the
// shard count, or duplicate one another with different contents; when shards are missing,
// refuses unless `allowPartial`, listing the missing indexes.
MergeOutcome mergeShards(const QString& folder, bool allowPartial);

// Writes text to a file atomically (temporary name, then rename). Throws InputError.
void writeFileAtomically(const QString& path, const QByteArray& bytes);

} // namespace routerlab
