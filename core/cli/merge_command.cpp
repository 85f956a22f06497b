#include "cli/cli_command.h"

#include "experiment/shard_files.h"

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
