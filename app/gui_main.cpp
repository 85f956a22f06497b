// The RouterLab workbench: shows the window at once, then opens the given dataset (or the
// sample data) on a worker thread.

#include "common/paths.h"
#include "common/version.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QStatusBar>
#include <cstdio>

namespace {

void describeOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        QStringLiteral("RouterLab: a workbench for routing queries between large language models.\n"
                       "With no arguments, opens the sample dataset and pool."));
    parser.addHelpOption();
    parser.addOption(QCommandLineOption({QStringLiteral("v"), QStringLiteral("version")},
                                        QStringLiteral("Print the version and exit.")));
    parser.addOption(QCommandLineOption(QStringLiteral("pool"),
                                        QStringLiteral("The model pool (*.pool.json) that prices "
                                                       "the dataset."),
                                        QStringLiteral("FILE")));
    parser.addPositionalArgument(
        QStringLiteral("dataset"),
        QStringLiteral("Dataset files or folders (long CSV, JSONL, RouterBench, RouteLLM)."),
        QStringLiteral("[dataset...]"));
}

QString absolute(const QString& path) {
    return QFileInfo(path).absoluteFilePath();
}

} // namespace

int main(int argc, char* argv[]) {
    QCommandLineParser parser;
    describeOptions(parser);

    // --version and --help answer before QApplication exists so they work without a display.
    QStringList raw;
    for (int i = 1; i < argc; ++i)
        raw << QString::fromLocal8Bit(argv[i]);
    if (raw.contains(QStringLiteral("--version")) || raw.contains(QStringLiteral("-v"))) {
        std::printf("routerlab %s\n", qPrintable(routerlab::versionString()));
        return 0;
    }
    if (raw.contains(QStringLiteral("--help")) || raw.contains(QStringLiteral("--help-all")) ||
        raw.contains(QStringLiteral("-h")) || raw.contains(QStringLiteral("-?"))) {
        // Without an application object the parser cannot know our name.
        QString help = parser.helpText();
        help.replace(QStringLiteral("<executable_name>"), QStringLiteral("routerlab"));
        std::printf("%s", qPrintable(help));
        return 0;
    }

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("RouterLab"));
    QApplication::setApplicationName(QStringLiteral("RouterLab"));
    QApplication::setApplicationVersion(routerlab::versionString());
    // After QApplication: it has removed its own options (-platform, -style) from arguments().
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "routerlab: %s\nTry 'routerlab --help'.\n",
                     qPrintable(parser.errorText()));
        return 2;
    }

    routerlab::MainWindow window;
    QApplication::setWindowIcon(window.windowIcon());
    window.show();

    QStringList datasets;
    for (const QString& path : parser.positionalArguments())
        datasets << absolute(path);
    const QString pool = parser.isSet(QStringLiteral("pool"))
                             ? absolute(parser.value(QStringLiteral("pool")))
                             : QString();
    if (!datasets.isEmpty()) {
        window.openDataset(datasets, pool);
    } else if (!pool.isEmpty()) {
        window.openPool(pool);
    } else {
        const QString sample =
            routerlab::sampleDataDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const QDir dir(sample);
        if (!sample.isEmpty()) {
            // Without its pool file the sample still opens if it records its own costs.
            const QString samplePool =
                dir.filePath(QString::fromLatin1(routerlab::kSamplePoolFile));
            window.openDataset({dir.filePath(QString::fromLatin1(routerlab::kSampleDatasetFile))},
                               QFileInfo::exists(samplePool) ? samplePool : QString());
        } else {
            window.statusBar()->showMessage(QApplication::translate(
                "main", "No sample data found. Open a dataset with File ▸ Open Dataset File… "
                        "or drop one onto the window."));
        }
    }
    return app.exec();
}
