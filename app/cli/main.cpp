#include "cli/cli.h"

#include <QCoreApplication>
#include <QTextStream>
#include <cstdio>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("routerlab-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("RouterLab"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return routerlab::runCli(QCoreApplication::arguments(), out, err);
}
