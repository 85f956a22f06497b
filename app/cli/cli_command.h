#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <functional>
#include <vector>

namespace routerlab {

// One subcommand of routerlab-cli. Each describes its options on the parser, so `--help`
// is generated from the same place that reads the options.
struct CliCommand {
    QString name;
    QString summary;
    QString usage; // positional arguments, e.g. "<dataset>..."
    std::function<void(QCommandLineParser&)> describe;
    std::function<int(const QCommandLineParser&, QTextStream& out, QTextStream& err)> run;
};

const std::vector<CliCommand>& cliCommands();

// Exit codes shared by the commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1; // the input or the environment is wrong
inline constexpr int kExitUsage = 2;   // the command line is wrong

CliCommand infoCommand();
CliCommand generateCommand();
CliCommand importCommand();
CliCommand simulateCommand();
CliCommand sweepCommand();
CliCommand trainCommand();
CliCommand mergeCommand();
CliCommand clusterScriptCommand();
CliCommand serveCommand();
CliCommand liveCommand();
CliCommand quizCommand();

} // namespace routerlab
