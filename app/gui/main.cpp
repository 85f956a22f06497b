// The RouterLab workbench: shows the window at once, then opens the given dataset (or the last
// session's files; on the first start the sample data with its ready-made experiment, which it
// runs) on worker threads.
// `--screenshots DIR` renders every page to DIR and exits (the README's images);
// `--quit-after MS` closes the window on its own (the package check starts the installed GUI).

#include "common/paths.h"
#include "common/version.h"
#include "ui/shell/last_session.h"
#include "ui/shell/main_window.h"
#include "ui/shell/screenshot_renderer.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTimer>
#include <cstdio>
#include <optional>

namespace {

void describeOptions(QCommandLineParser& parser) {
    parser.setApplicationDescription(
        QStringLiteral("RouterLab: a workbench for routing queries between large language models.\n"
                       "With no arguments, reopens the last session's workspace, dataset and "
                       "pool; on the first start, opens the sample dataset and pool and runs "
                       "their experiment."));
    parser.addHelpOption();
    parser.addOption(QCommandLineOption({QStringLiteral("v"), QStringLiteral("version")},
                                        QStringLiteral("Print the version and exit.")));
    parser.addOption(QCommandLineOption(QStringLiteral("pool"),
                                        QStringLiteral("The model pool (*.pool.json) that prices "
                                                       "the dataset."),
                                        QStringLiteral("FILE")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("screenshots"),
        QStringLiteral("Render every page, after running the sample experiment, to DIR as PNG "
                       "files and exit."),
        QStringLiteral("DIR")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("quit-after"),
        QStringLiteral("Close the window after MS milliseconds, as if the user had."),
        QStringLiteral("MS")));
    parser.addOption(QCommandLineOption(QStringLiteral("workspace"),
                                        QStringLiteral("Open this workspace file (its stored "
                                                       "experiments appear in the navigator)."),
                                        QStringLiteral("FILE")));
    parser.addPositionalArgument(
        QStringLiteral("dataset"),
        QStringLiteral("Dataset files or folders (long CSV, JSONL, RouterBench, RouteLLM)."),
        QStringLiteral("[dataset...]"));
}

QString absolute(const QString& path) {
    return QFileInfo(path).absoluteFilePath();
}

// --version and --help answer before QApplication exists so they work without a display.
// Returns the exit code when one of them was asked for.
std::optional<int> answerWithoutDisplay(int argc, char* argv[], const QCommandLineParser& parser) {
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
    return std::nullopt;
}

void describeApplication() {
    QApplication::setOrganizationName(QStringLiteral("RouterLab"));
    QApplication::setApplicationName(QStringLiteral("RouterLab"));
    QApplication::setApplicationVersion(routerlab::versionString());
    // Lets Wayland compositors match the window to the installed desktop entry and its icon.
    QGuiApplication::setDesktopFileName(QStringLiteral(ROUTERLAB_APP_ID));
}

// -1 without --quit-after; false (with a message) when its value is not a number of ms.
bool readQuitAfter(const QCommandLineParser& parser, int& quitAfterMs) {
    quitAfterMs = -1;
    if (!parser.isSet(QStringLiteral("quit-after")))
        return true;
    bool ok = false;
    quitAfterMs = parser.value(QStringLiteral("quit-after")).toInt(&ok);
    if (ok && quitAfterMs >= 0)
        return true;
    std::fprintf(stderr, "routerlab: --quit-after needs a number of milliseconds, got '%s'\n",
                 qPrintable(parser.value(QStringLiteral("quit-after"))));
    return false;
}

// The sample data: its folder (empty when not found), dataset and pool files.
struct SampleData {
    QString dir;
    QString dataset;
    QString pool;
};

SampleData findSampleData() {
    SampleData sample;
    sample.dir = routerlab::sampleDataDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR),
                                          QStringLiteral(ROUTERLAB_BUILD_BIN_DIR));
    const QDir dir(sample.dir);
    sample.dataset = dir.filePath(QString::fromLatin1(routerlab::kSampleDatasetFile));
    sample.pool = dir.filePath(QString::fromLatin1(routerlab::kSamplePoolFile));
    return sample;
}

int writeScreenshots(routerlab::MainWindow& window, const QString& dir, const SampleData& sample) {
    if (sample.dir.isEmpty()) {
        std::fprintf(stderr, "routerlab: --screenshots needs the sample data\n");
        return 1;
    }
    // The README's images at 1280x800, the smallest screen the window is made for; the same
    // pages at 1920x1080 in a folder of their own, from a fresh window.
    QString error;
    QStringList files = routerlab::renderScreenshots(window, absolute(dir), sample.dataset,
                                                     sample.pool, QSize(1280, 800), error);
    if (error.isEmpty()) {
        routerlab::MainWindow large;
        large.show();
        files += routerlab::renderScreenshots(
            large, QDir(absolute(dir)).filePath(QStringLiteral("1920x1080")), sample.dataset,
            sample.pool, QSize(1920, 1080), error);
    }
    for (const QString& f : files)
        std::printf("%s\n", qPrintable(f));
    if (!error.isEmpty()) {
        std::fprintf(stderr, "routerlab: %s\n", qPrintable(error));
        return 1;
    }
    return 0;
}

// What the command line names: a workspace, datasets and a pool. Without any, the last
// session's files on later starts, and the demo on the first.
void openAtStart(routerlab::MainWindow& window, const QCommandLineParser& parser,
                 const routerlab::DemoFiles& demo) {
    if (parser.isSet(QStringLiteral("workspace")))
        window.openWorkspace(absolute(parser.value(QStringLiteral("workspace"))));
    QStringList datasets;
    for (const QString& path : parser.positionalArguments())
        datasets << absolute(path);
    const QString pool = parser.isSet(QStringLiteral("pool"))
                             ? absolute(parser.value(QStringLiteral("pool")))
                             : QString();
    if (!datasets.isEmpty())
        window.openDataset(datasets, pool);
    else if (!pool.isEmpty())
        window.openPool(pool);
    else if (!parser.isSet(QStringLiteral("workspace")) && !routerlab::reopenLastSession(window))
        routerlab::openDemo(window, demo);
}

} // namespace

int main(int argc, char* argv[]) {
    QCommandLineParser parser;
    describeOptions(parser);
    if (const std::optional<int> exitCode = answerWithoutDisplay(argc, argv, parser))
        return *exitCode;

    QApplication app(argc, argv);
    describeApplication();
    // After QApplication: it has removed its own options (-platform, -style) from arguments().
    if (!parser.parse(QApplication::arguments())) {
        std::fprintf(stderr, "routerlab: %s\nTry 'routerlab --help'.\n",
                     qPrintable(parser.errorText()));
        return 2;
    }
    int quitAfterMs = -1;
    if (!readQuitAfter(parser, quitAfterMs))
        return 2;
    const SampleData sample = findSampleData();

    routerlab::MainWindow window;
    QApplication::setWindowIcon(window.windowIcon());
    window.show();
    if (quitAfterMs >= 0)
        QTimer::singleShot(quitAfterMs, &window, &QWidget::close);
    if (parser.isSet(QStringLiteral("screenshots"))) {
        window.setSessionRemembered(false); // the sample, whatever the user last had open
        return writeScreenshots(window, parser.value(QStringLiteral("screenshots")), sample);
    }
    const routerlab::DemoFiles demo = sample.dir.isEmpty()
                                          ? routerlab::DemoFiles{}
                                          : routerlab::DemoFiles{sample.dataset, sample.pool};
    window.setDemo(demo);
    openAtStart(window, parser, demo);
    return app.exec();
}
