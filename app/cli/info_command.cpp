#include "cli/cli_command.h"

#include "data/dataset_summary.h"
#include "formats/dataset_loader.h"

#include <QJsonDocument>

namespace routerlab {

CliCommand infoCommand() {
    CliCommand c;
    c.name = QStringLiteral("info");
    c.summary = QStringLiteral("Summarise a dataset: prompts, models, quality, cost, latency, "
                               "missing cells, the oracle and the best single model.");
    c.describe = [](QCommandLineParser& p) {
        p.addPositionalArgument(
            QStringLiteral("dataset"),
            QStringLiteral("Dataset files or folders (long CSV, JSONL, RouterBench "
                           "or RouteLLM CSV)."),
            QStringLiteral("<dataset>..."));
        p.addOption({QStringLiteral("pool"),
                     QStringLiteral("Pool file that prices the calls (optional when the data "
                                    "records costs)."),
                     QStringLiteral("file")});
        p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        if (p.positionalArguments().isEmpty()) {
            err << "routerlab-cli info: give a dataset file or folder\n";
            return kExitUsage;
        }
        const PricedDataset data =
            loadPricedDataset(p.positionalArguments(), p.value(QStringLiteral("pool")));
        const DatasetSummary summary = summarize(data.dataset, data.pool);
        if (p.isSet(QStringLiteral("json"))) {
            QJsonObject json = summary.toJson();
            json.insert(QStringLiteral("pool"), data.poolDerived
                                                    ? QStringLiteral("derived from the data")
                                                    : p.value(QStringLiteral("pool")));
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
        } else {
            out << summary.toText();
            if (data.poolDerived)
                out << "\nPool        derived from the recorded costs (no --pool given)\n";
        }
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
