#pragma once

#include <QStringList>
#include <QTextStream>

namespace routerlab {

// The headless tool: `routerlab-cli <command> [options]`. Returns the process exit code;
// results go to `out`, messages to `err`.
int runCli(const QStringList& arguments, QTextStream& out, QTextStream& err);

} // namespace routerlab
