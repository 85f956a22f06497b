#pragma once
// routerlab-cli's commands called in this process (for test targets linking routerlab_cli):
// faster than a process, and a crash shows in the test's own stack.
#include "cli/cli.h"

#include <QString>
#include <QStringList>
#include <QTextStream>

namespace routerlab::testing {

struct CliResult {
    int code;
    QString out;
    QString err;
};

inline CliResult runCliInProcess(const QStringList& args) {
    QString out, err;
    QTextStream o(&out), e(&err);
    const int code = runCli(QStringList{QStringLiteral("routerlab-cli")} + args, o, e);
    o.flush();
    e.flush();
    return {code, out, err};
}

} // namespace routerlab::testing
