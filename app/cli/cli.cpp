#include "cli/cli.h"

#include "cli/cli_command.h"
#include "common/error_message.h"
#include "common/input_error.h"
#include "common/paths.h"
#include "common/version.h"
#include "formats/dataset_loader.h"

#include <QDir>
#include <QRegularExpression>
#include <algorithm>
#include <exception>

namespace routerlab {

const std::vector<CliCommand>& cliCommands() {
    static const std::vector<CliCommand> commands = {
        generateCommand(), infoCommand(),  importCommand(),        simulateCommand(),
        sweepCommand(),    mergeCommand(), clusterScriptCommand(), trainCommand(),
        serveCommand(),    liveCommand(),  quizCommand(),          proxyCommand(),
        evaluateCommand()};
    return commands;
}

namespace {

const NumberOption& numberOption(const std::vector<NumberOption>& options, const QString& name) {
    const NumberOption* option = findNumberOption(options, name);
    if (!option)
        throw std::logic_error("no numeric option --" + name.toStdString());
    return *option;
}

} // namespace

quint64 wholeValue(const std::vector<NumberOption>& options, const QCommandLineParser& p,
                   const QString& name) {
    return numberOption(options, name).toWhole(p.value(name));
}

double realValue(const std::vector<NumberOption>& options, const QCommandLineParser& p,
                 const QString& name) {
    return numberOption(options, name).toReal(p.value(name));
}

void addNumberOptions(QCommandLineParser& p, const std::vector<NumberOption>& options) {
    for (const NumberOption& o : options)
        p.addOption(o.commandLineOption());
}

bool refuseOptionsNotTaken(const QCommandLineParser& p, const QString& command,
                           const std::vector<OptionNotTaken>& options, QTextStream& err) {
    for (const OptionNotTaken& o : options)
        if (p.isSet(QLatin1String(o.name))) {
            err << "routerlab-cli " << command << ": --" << o.name << " is not taken by " << command
                << "; " << o.instead << "\n";
            return false;
        }
    return true;
}

namespace {

// The first numeric option whose value (given, or its default) is out of its range.
QString numberProblem(const CliCommand& command, const QCommandLineParser& parser) {
    for (const NumberOption& o : command.numbers)
        if (parser.isSet(o.name()) || !o.defaultValue().isEmpty())
            if (const QString problem = o.problem(parser.value(o.name())); !problem.isEmpty())
                return problem;
    return {};
}

void printOverview(QTextStream& out) {
    out << "Usage: routerlab-cli <command> [options]\n\n"
        << "RouterLab's headless tool: every command prints JSON with --json.\n\nCommands:\n";
    qsizetype width = 0;
    for (const CliCommand& c : cliCommands())
        width = std::max(width, c.name.size());
    for (const CliCommand& c : cliCommands())
        out << "  " << c.name.leftJustified(width + 2) << c.summary << "\n";
    out << "\nGlobal options:\n  --help       this text; `routerlab-cli <command> --help` for a "
           "command\n  --version    the version\n";
    // An installed copy says where its sample data went, the first thing to try commands on.
    const QString sample = sampleDataDir();
    if (!sample.isEmpty()) {
        const QDir dir(sample);
        out << "\nSample data: " << sample << "\n  routerlab-cli info "
            << dir.filePath(QString::fromLatin1(kSampleDatasetFile)) << " --pool "
            << dir.filePath(QString::fromLatin1(kSamplePoolFile)) << "\n";
    }
}

} // namespace

int runCli(const QStringList& arguments, QTextStream& out, QTextStream& err) {
    const QStringList args = arguments.mid(1);
    if (args.isEmpty() || args.front() == QLatin1String("--help") ||
        args.front() == QLatin1String("-h") || args.front() == QLatin1String("help")) {
        printOverview(args.isEmpty() ? err : out);
        return args.isEmpty() ? kExitUsage : kExitOk;
    }
    if (args.front() == QLatin1String("--version")) {
        out << "routerlab-cli " << versionString() << "\n";
        return kExitOk;
    }
    const CliCommand* command = nullptr;
    for (const CliCommand& c : cliCommands())
        if (c.name == args.front())
            command = &c;
    if (!command) {
        err << "routerlab-cli: unknown command '" << args.front() << "'\n\n";
        printOverview(err);
        return kExitUsage;
    }

    QCommandLineParser parser;
    parser.setApplicationDescription(command->summary);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    command->describe(parser);
    if (!parser.parse(QStringList{QStringLiteral("routerlab-cli ") + command->name} +
                      args.mid(1))) {
        err << "routerlab-cli " << command->name << ": " << parser.errorText() << "\n";
        return kExitUsage;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text.replace(QRegularExpression(QStringLiteral("^Usage: \\S+ \\S+")),
                     QStringLiteral("Usage: routerlab-cli ") + command->name);
        out << text;
        return kExitOk;
    }
    if (const QString problem = numberProblem(*command, parser); !problem.isEmpty()) {
        err << "routerlab-cli " << command->name << ": " << problem << "\n";
        return kExitUsage;
    }
    try {
        return command->run(parser, out, err);
    } catch (const ImportCancelled&) {
        err << "routerlab-cli " << command->name << ": cancelled\n";
    } catch (...) {
        err << "routerlab-cli " << command->name << ": " << currentErrorMessage() << "\n";
    }
    return kExitFailure;
}

} // namespace routerlab
