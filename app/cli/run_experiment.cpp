#include "cli/run_experiment.h"

#include "cli/cli_command.h"
#include "common/version.h"
#include "experiment/shard_files.h"
#include "sim/run_recorder.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <optional>

namespace routerlab {

int runExperiment(
    const QCommandLineParser& p, const SimulationArguments& a,
    const std::function<ExperimentPlan(const SimulationSetup&, const QString&)>& plan,
    const std::function<void(const QJsonObject&, const SimulationSetup&, QTextStream&)>& printText,
    QTextStream& out, QTextStream& err) {
    const QString saveTo = p.value(QStringLiteral("save-experiment"));
    if (!saveTo.isEmpty()) {
        const QJsonObject json = a.toExperimentJson(QFileInfo(saveTo).absolutePath());
        writeFileAtomically(saveTo, QJsonDocument(json).toJson(QJsonDocument::Indented));
        err << "routerlab-cli " << a.command << ": experiment written to " << saveTo << "\n";
        return kExitOk;
    }
    std::optional<ShardSpec> shard;
    if (!a.shard.isEmpty()) {
        try {
            shard = ShardSpec::parse(a.shard);
        } catch (const std::invalid_argument& e) {
            err << "routerlab-cli " << a.command << ": " << e.what() << "\n";
            return kExitUsage;
        }
    }

    const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
    const SimulationSetup setup(data.dataset, data.pool, a.options);
    // The data's fingerprint goes into the config hash that keeps shards of different
    // experiments apart; only shards need it, and hashing large files takes a moment.
    QString fingerprint;
    if (shard) {
        QStringList files = expandDatasetPaths(a.allDatasets());
        if (!a.pool.isEmpty())
            files << a.pool;
        fingerprint = fingerprintFiles(files);
    }
    const ExperimentPlan experiment = plan(setup, fingerprint);

    if (shard) {
        std::vector<Cell> cells;
        for (std::size_t i = 0; i < experiment.cells.size(); ++i)
            if (shard->owns(i))
                cells.push_back(experiment.cells[i]);
        const std::vector<CellResult> results =
            runCells(setup, cells, a.threads, nullptr, {}, false);
        const QString file = writeShard(a.out, experiment, *shard, results);
        err << "routerlab-cli " << a.command << ": shard " << shard->index << " of " << shard->count
            << " (" << cells.size() << " of " << experiment.cells.size() << " cells) written to "
            << file << "\n";
        return kExitOk;
    }

    // Step logs are only kept for the workspace's series.
    const std::vector<CellResult> results =
        runCells(setup, experiment.cells, a.threads, nullptr, {}, !a.workspace.isEmpty());
    std::vector<const CellSummary*> summaries;
    for (const CellResult& r : results)
        summaries.push_back(&r.summary);
    QJsonObject json = buildResult(experiment.context, summaries);
    if (!a.out.isEmpty())
        writeFileAtomically(a.out, QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!a.workspace.isEmpty()) {
        WorkspaceStore store(a.workspace);
        const qint64 id =
            recordRuns(store, QStringLiteral("%1 %2").arg(a.command, data.dataset.name),
                       a.toJson(setup), results, data.dataset.modelNames);
        json.insert(QStringLiteral("workspace"),
                    QJsonObject{{QStringLiteral("file"), a.workspace},
                                {QStringLiteral("experiment_id"), id},
                                {QStringLiteral("runs"), static_cast<int>(results.size())}});
    }
    if (p.isSet(QStringLiteral("json")))
        out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    else
        printText(json, setup, out);
    return kExitOk;
}

} // namespace routerlab
