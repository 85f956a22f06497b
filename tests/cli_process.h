#pragma once
// routerlab-cli run as a separate process, as a user or a script would run it (for test targets
// that define ROUTERLAB_CLI_PATH).
#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QtGlobal>

namespace routerlab::testing {

struct CliRun {
    int code = -1; // -1 when the process crashed
    QByteArray out;
    QByteArray err;
};

inline CliRun cli(const QStringList& args,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(ROUTERLAB_CLI_PATH), args);
    if (!p.waitForFinished(120000))
        qFatal("routerlab-cli did not finish");
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

} // namespace routerlab::testing
