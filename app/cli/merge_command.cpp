#include "cli/cli_command.h"

#include "experiment/shard_files.h"
#include "sim/run_recorder.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace routerlab {

CliCommand mergeCommand() {
    CliCommand c;
    c.name = QStringLiteral("merge");
    c.summary = QStringLiteral("Combine the shard files of a sharded simulate or sweep into the "
                               "result one process would have written.");
    c.usage = QStringLiteral("<folder>");
    c.describe = [](QCommandLineParser& p) {
        p.addPositionalArgument(QStringLiteral("folder"),
                                QStringLiteral("The folder the shards were written to (--out)."));
        p.addOption({QStringLiteral("out"),
                     QStringLiteral("Write the result here (default: print it)."),
                     QStringLiteral("file")});
        p.addOption({QStringLiteral("workspace"),
                     QStringLiteral("Also record the merged experiment in this workspace, like a "
                                    "local run (summaries and convergence series)."),
                     QStringLiteral("file")});
        p.addOption({QStringLiteral("allow-partial"),
                     QStringLiteral("Write a result even when shards are missing; it lists the "
                                    "absent cells under missing_cells.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        if (p.positionalArguments().size() != 1) {
            err << "routerlab-cli merge: give the shard folder\n";
            return kExitUsage;
        }
        const MergeOutcome merged =
            mergeShards(p.positionalArguments().front(), p.isSet(QStringLiteral("allow-partial")));
        for (const QString& note : merged.notes)
            err << "routerlab-cli merge: " << note << "\n";
        const QByteArray bytes = QJsonDocument(merged.result).toJson(QJsonDocument::Indented);
        const QString workspace = p.value(QStringLiteral("workspace"));
        if (!workspace.isEmpty()) {
            WorkspaceStore store(workspace);
            QJsonObject config = merged.context;
            config.insert(QStringLiteral("config_hash"), merged.configHash);
            config.insert(QStringLiteral("merged_from"), p.positionalArguments().front());
            const QString command = merged.context.value(QStringLiteral("command")).toString();
            const qint64 id = recordRuns(
                store, QStringLiteral("%1 (merged from %2 shards)").arg(command).arg(merged.shards),
                config, merged.runs, [&] {
                    QStringList models;
                    for (const QJsonValue& v :
                         merged.context.value(QStringLiteral("model_names")).toArray())
                        models << v.toString();
                    return models;
                }());
            err << "routerlab-cli merge: recorded as experiment " << id << " in " << workspace
                << "\n";
        }
        const QString target = p.value(QStringLiteral("out"));
        if (target.isEmpty()) {
            out << bytes;
        } else {
            writeFileAtomically(target, bytes);
            err << "routerlab-cli merge: " << merged.shards << " shards merged into " << target
                << "\n";
        }
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
