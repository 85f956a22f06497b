#pragma once

#include "common/number_option.h"

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
    // Its numeric options: `describe` adds them from here, and every value given (or defaulted)
    // is checked against its range before `run` is called.
    std::vector<NumberOption> numbers;
    std::function<void(QCommandLineParser&)> describe;
    std::function<int(const QCommandLineParser&, QTextStream& out, QTextStream& err)> run;
};

const std::vector<CliCommand>& cliCommands();

// The value of the numeric option `name`, which `options` must hold; runCli has checked it, and
// a bad one still throws std::invalid_argument rather than turn into an undefined cast.
quint64 wholeValue(const std::vector<NumberOption>& options, const QCommandLineParser& p,
                   const QString& name);
double realValue(const std::vector<NumberOption>& options, const QCommandLineParser& p,
                 const QString& name);
// Adds the numeric options to the parser (for --help and parsing).
void addNumberOptions(QCommandLineParser& p, const std::vector<NumberOption>& options);

// An option the command's parser offers (the run commands share one description) that the
// command does not take, and what to use instead.
struct OptionNotTaken {
    const char* name;
    const char* instead;
};
// Writes why and returns false when one of `options` was given: refused, not ignored.
bool refuseOptionsNotTaken(const QCommandLineParser& p, const QString& command,
                           const std::vector<OptionNotTaken>& options, QTextStream& err);

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
CliCommand proxyCommand();
CliCommand evaluateCommand();

} // namespace routerlab
