#include "cli/cli_command.h"

#include "common/input_error.h"
#include "data/dataset_summary.h"
#include "formats/long_csv_writer.h"
#include "generator/sample_generator.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

namespace routerlab {

namespace {

std::vector<NumberOption> generateNumbers() {
    return {NumberOption::whole(QStringLiteral("seed"), QStringLiteral("Random seed (default 7)."),
                                QStringLiteral("S"), QStringLiteral("7"), 0,
                                NumberOption::kLargestWhole),
            NumberOption::whole(QStringLiteral("prompts-per-category"),
                                QStringLiteral("Prompts in each category (default 400)."),
                                QStringLiteral("N"), QStringLiteral("400"), 1, 1000000)};
}

} // namespace

CliCommand generateCommand() {
    CliCommand c;
    c.name = QStringLiteral("generate");
    c.summary = QStringLiteral("Write a synthetic dataset and pool (sample.csv, sample.pool.json) "
                               "from a seed; the same seed gives the same files.");
    c.numbers = generateNumbers();
    c.describe = [](QCommandLineParser& p) {
        addNumberOptions(p, generateNumbers());
        p.addOption({QStringLiteral("out"),
                     QStringLiteral("Folder to write into (created if absent)."),
                     QStringLiteral("dir"), QStringLiteral(".")});
        p.addOption({QStringLiteral("json"), QStringLiteral("Print what was written as JSON.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream&) {
        GeneratorOptions options;
        options.seed = wholeValue(generateNumbers(), p, QStringLiteral("seed"));
        options.promptsPerCategory = static_cast<int>(
            wholeValue(generateNumbers(), p, QStringLiteral("prompts-per-category")));
        const QDir dir(p.value(QStringLiteral("out")));
        if (!QDir().mkpath(dir.absolutePath()))
            throw InputError(dir.absolutePath(), 0, {}, QStringLiteral("cannot create the folder"));
        const GeneratedSample sample = generateSample(options);
        const QString datasetPath = dir.filePath(QStringLiteral("sample.csv"));
        const QString poolPath = dir.filePath(QStringLiteral("sample.pool.json"));
        writeLongCsv(sample.dataset, datasetPath);
        sample.pool.save(poolPath);
        if (p.isSet(QStringLiteral("json"))) {
            const QJsonObject json{{QStringLiteral("dataset"), datasetPath},
                                   {QStringLiteral("pool"), poolPath},
                                   {QStringLiteral("seed"), QString::number(options.seed)},
                                   {QStringLiteral("prompts"), sample.dataset.promptCount()},
                                   {QStringLiteral("models"), sample.dataset.modelCount()}};
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
        } else {
            out << "Wrote " << datasetPath << " (" << sample.dataset.promptCount() << " prompts x "
                << sample.dataset.modelCount() << " models) and " << poolPath << "\n";
        }
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
