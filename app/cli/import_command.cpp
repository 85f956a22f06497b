#include "cli/cli_command.h"

#include "data/dataset_summary.h"
#include "formats/dataset_loader.h"
#include "store/workspace_store.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

namespace routerlab {

CliCommand importCommand() {
    CliCommand c;
    c.name = QStringLiteral("import");
    c.summary = QStringLiteral("Check a dataset (and pool) and record it in a workspace file. "
                               "Nothing is written unless the whole input is valid.");
    c.describe = [](QCommandLineParser& p) {
        p.addPositionalArgument(QStringLiteral("dataset"),
                                QStringLiteral("Dataset files or folders."),
                                QStringLiteral("<dataset>..."));
        p.addOption({QStringLiteral("workspace"),
                     QStringLiteral("Workspace file (SQLite; created if absent)."),
                     QStringLiteral("file")});
        p.addOption({QStringLiteral("pool"), QStringLiteral("Pool file that prices the calls."),
                     QStringLiteral("file")});
        p.addOption({QStringLiteral("json"), QStringLiteral("Print the recorded entry as JSON.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        const QString workspace = p.value(QStringLiteral("workspace"));
        if (p.positionalArguments().isEmpty() || workspace.isEmpty()) {
            err << "routerlab-cli import: give a dataset and --workspace FILE\n";
            return kExitUsage;
        }
        const QString poolPath = p.value(QStringLiteral("pool"));
        // Read and check everything before the workspace is touched.
        const PricedDataset data = loadPricedDataset(p.positionalArguments(), poolPath);
        const DatasetSummary summary = summarize(data.dataset, data.pool);
        DatasetRecord record;
        record.name = data.dataset.name;
        for (const QString& source : data.dataset.sources) {
            record.paths << QFileInfo(source).absoluteFilePath();
            record.hashes << sha256OfFile(source);
        }
        QStringList formats = data.dataset.formats;
        formats.removeDuplicates();
        record.format = formats.join(QLatin1Char('+'));
        record.prompts = data.dataset.promptCount();
        record.models = data.dataset.modelCount();
        record.summaryJson = QJsonDocument(summary.toJson()).toJson(QJsonDocument::Compact);
        PoolRecord pool;
        pool.name = data.pool.name;
        pool.json = data.pool.toJson();
        if (!poolPath.isEmpty()) {
            pool.path = QFileInfo(poolPath).absoluteFilePath();
            pool.hash = sha256OfFile(poolPath);
        }

        WorkspaceStore store(workspace);
        const qint64 datasetId = store.recordDataset(record);
        const qint64 poolId = store.recordPool(pool);
        if (p.isSet(QStringLiteral("json"))) {
            out << QJsonDocument(
                       QJsonObject{{QStringLiteral("workspace"), workspace},
                                   {QStringLiteral("dataset_id"), datasetId},
                                   {QStringLiteral("pool_id"), poolId},
                                   {QStringLiteral("name"), record.name},
                                   {QStringLiteral("prompts"), record.prompts},
                                   {QStringLiteral("models"), record.models},
                                   {QStringLiteral("missing_cells"), summary.missingCells}})
                       .toJson(QJsonDocument::Indented);
        } else {
            out << "Imported " << record.name << " (" << record.prompts << " prompts x "
                << record.models << " models, " << summary.missingCells << " missing cells) into "
                << workspace << " as dataset " << datasetId << "\n";
        }
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
