#include "experiment/simulation_arguments.h"

#include "common/input_error.h"
#include "common/version.h"
#include "experiment/shard_files.h"
#include "features/prompt_features.h"
#include "sim/run_recorder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <cmath>

namespace routerlab {

namespace {

// Experiment-file keys are the option names with '_' for '-'; repeatable options are lists
// under a plural key.
QString experimentKey(const QString& option) {
    if (option == QLatin1String("dataset"))
        return QStringLiteral("datasets");
    if (option == QLatin1String("test-dataset"))
        return QStringLiteral("test_datasets");
    if (option == QLatin1String("router"))
        return QStringLiteral("routers");
    return QString(option).replace(QLatin1Char('-'), QLatin1Char('_'));
}

bool isPathOption(const QString& option) {
    return option == QLatin1String("dataset") || option == QLatin1String("test-dataset") ||
           option == QLatin1String("pool") || option == QLatin1String("traffic");
}

bool takesTraffic(const QString& command) {
    return command == QLatin1String("simulate") || command == QLatin1String("sweep");
}

// Option values from the command line, else from the experiment file, else the default.
class OptionValues {
public:
    OptionValues(const QCommandLineParser& p) : parser_(p) {
        const QString file = p.value(QStringLiteral("experiment"));
        if (file.isEmpty())
            return;
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly))
            throw InputError(file, 0, {}, QStringLiteral("cannot read: %1").arg(f.errorString()));
        const QByteArray bytes = f.readAll();
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            throw InputError(file, 1 + bytes.left(error.offset).count('\n'), {},
                             QStringLiteral("not a JSON object (%1)").arg(error.errorString()));
        experiment_ = doc.object();
        file_ = file;
        folder_ = QFileInfo(file).absoluteDir();
    }

    bool isSet(const QString& name) const {
        return parser_.isSet(name) || experiment_.contains(experimentKey(name));
    }
    QString value(const QString& name) const {
        const QStringList v = values(name);
        return v.isEmpty() ? QString() : v.back();
    }
    QStringList values(const QString& name) const {
        if (parser_.isSet(name) || !experiment_.contains(experimentKey(name)))
            return parser_.values(name);
        const QJsonValue v = experiment_.value(experimentKey(name));
        QStringList out;
        const QJsonArray list = v.isArray() ? v.toArray() : QJsonArray{v};
        for (const QJsonValue& item : list) {
            QString text;
            if (item.isString())
                text = item.toString();
            else if (item.isDouble())
                text = QString::number(item.toDouble(), 'g', 17);
            else
                throw InputError(file_, 0, experimentKey(name),
                                 QStringLiteral("expected a string or a number"));
            if (isPathOption(name) && QDir::isRelativePath(text))
                text = QDir::cleanPath(folder_.filePath(text));
            out << text;
        }
        return out;
    }
    const QString& file() const { return file_; }

private:
    const QCommandLineParser& parser_;
    QJsonObject experiment_;
    QString file_;
    QDir folder_;
};

QString relativeTo(const QString& folder, const QString& path) {
    return QDir(folder).relativeFilePath(QFileInfo(path).absoluteFilePath());
}

QStringList relativeTo(const QString& folder, const QStringList& paths) {
    QStringList out;
    for (const QString& p : paths)
        out << relativeTo(folder, p);
    return out;
}

// The numeric option `name`, checked; its value from the command line or the experiment file
// (then the message names the file and its field). Throws std::invalid_argument.
double readNumber(const OptionValues& p, const QCommandLineParser& parser, const QString& command,
                  const QString& name) {
    const std::vector<NumberOption> options = simulationNumberOptions(command);
    const NumberOption* option = findNumberOption(options, name);
    const QString text = p.value(name);
    const QString problem = option->problem(text);
    if (problem.isEmpty())
        return option->toReal(text);
    if (!parser.isSet(name) && !p.file().isEmpty())
        throw std::invalid_argument(QStringLiteral("%1: field '%2': %3")
                                        .arg(p.file(), experimentKey(name), problem)
                                        .toStdString());
    throw std::invalid_argument(problem.toStdString());
}

} // namespace

std::vector<NumberOption> simulationNumberOptions(const QString& command) {
    std::vector<NumberOption> options{
        NumberOption::whole(QStringLiteral("seeds"),
                            QStringLiteral("Seeds per router (default 5)."), QStringLiteral("N"),
                            QStringLiteral("5"), 1, 100000),
        NumberOption::whole(QStringLiteral("session-length"),
                            QStringLiteral("Sessions of L prompts (default: one per category)."),
                            QStringLiteral("L"), {}, 1, 100000000),
        NumberOption::whole(QStringLiteral("threads"),
                            QStringLiteral("Worker threads (default: all cores)."),
                            QStringLiteral("T"), {}, 1, 1024)};
    if (command == QLatin1String("simulate") || command == QLatin1String("sweep"))
        options.push_back(NumberOption::whole(
            QStringLiteral("bootstrap"),
            QStringLiteral("Bootstrap resamples behind each 95% interval (default 1000; 0: no "
                           "intervals)."),
            QStringLiteral("N"), QStringLiteral("1000"), 0, kMaxBootstrapResamples));
    if (command == QLatin1String("sweep")) {
        options.push_back(
            NumberOption::whole(QStringLiteral("points"),
                                QStringLiteral("Preferences along quality..cost (default 11)."),
                                QStringLiteral("N"), QStringLiteral("11"), 2, 1001));
        options.push_back(
            NumberOption::real(QStringLiteral("latency"),
                               QStringLiteral("Latency weight kept at every point (default 0)."),
                               QStringLiteral("W"), QStringLiteral("0"), 0, 1000));
    }
    return options;
}

void describeSimulationOptions(QCommandLineParser& p, const QString& command) {
    const std::vector<NumberOption> numbers = simulationNumberOptions(command);
    auto addNumber = [&](const char* name) {
        p.addOption(findNumberOption(numbers, QLatin1String(name))->commandLineOption());
    };
    p.addOption({QStringLiteral("experiment"),
                 QStringLiteral("Read the options from this experiment file (JSON; options on "
                                "the command line win)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("save-experiment"),
                 QStringLiteral("Write the options as an experiment file and stop."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("dataset"), QStringLiteral("Dataset file or folder (repeatable)."),
                 QStringLiteral("path")});
    p.addOption({QStringLiteral("pool"),
                 QStringLiteral("Pool file (optional when the data records costs)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("router"),
                 QStringLiteral("Router as NAME[:key=value,...] (repeatable). Names: %1.").arg([] {
                     QStringList names;
                     for (const RouterType& t : RouterRegistry::instance().types())
                         names << t.name;
                     return names.join(QStringLiteral(", "));
                 }()),
                 QStringLiteral("spec")});
    if (command != QLatin1String("sweep"))
        p.addOption({QStringLiteral("preference"),
                     QStringLiteral("Weights, e.g. quality=0.7,cost=0.3 (default quality=1)."),
                     QStringLiteral("weights"), QStringLiteral("quality=1")});
    addNumber("seeds");
    addNumber("session-length");
    p.addOption({QStringLiteral("sessions"),
                 QStringLiteral("Session rule: category, length:N, column, single."),
                 QStringLiteral("rule"), QStringLiteral("category")});
    p.addOption({QStringLiteral("split"),
                 QStringLiteral("none, random:F or category:A,B (scored on A,B)."),
                 QStringLiteral("rule"), QStringLiteral("none")});
    p.addOption({QStringLiteral("test-dataset"),
                 QStringLiteral("Score on this file or folder (repeatable); routers that "
                                "pre-train fit on --dataset."),
                 QStringLiteral("path")});
    if (takesTraffic(command))
        p.addOption({QStringLiteral("traffic"),
                     QStringLiteral("Score the prompts of a live session recorded in workspace "
                                    "WS (a proxy's, by default the latest), in arrival order; "
                                    "train on the dataset's other prompts."),
                     QStringLiteral("WS[:SESSION]")});
    p.addOption({QStringLiteral("features"),
                 QStringLiteral("Prompt features for contextual routers: %1.")
                     .arg(featurizerForms().join(QStringLiteral(", "))),
                 QStringLiteral("form"), QStringLiteral("hashed-words:64")});
    p.addOption({QStringLiteral("reward"), QStringLiteral("pickllm (default) or linear."),
                 QStringLiteral("kind"), QStringLiteral("pickllm")});
    p.addOption({QStringLiteral("missing"),
                 QStringLiteral("Missing cells: skip (the prompt) or failure."),
                 QStringLiteral("policy"), QStringLiteral("skip")});
    if (command == QLatin1String("sweep")) {
        addNumber("points");
        addNumber("latency");
    }
    p.addOption({QStringLiteral("workspace"),
                 command == QLatin1String("proxy")
                     ? QStringLiteral("Record every proxied call in this workspace, as a live "
                                      "session.")
                 : command == QLatin1String("evaluate")
                     ? QStringLiteral("Record the evaluation (what it was asked and its table) "
                                      "in this workspace; the workbench lists it.")
                     : QStringLiteral("Record the runs (config, summaries, series) in this "
                                      "workspace, each cell as it finishes."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("resume"),
                 QStringLiteral("Continue the --workspace's unfinished run of the same experiment "
                                "(same data, routers, options, seeds, split), running only the "
                                "cells it has not stored.")});
    addNumber("threads");
    p.addOption({QStringLiteral("shard"),
                 QStringLiteral("Run one shard of the cells: i/n, auto (Slurm array) or auto/n "
                                "(index from Slurm or a Kubernetes Indexed Job); needs --out "
                                "DIR, then `merge DIR`."),
                 QStringLiteral("spec")});
    p.addOption({QStringLiteral("out"),
                 QStringLiteral("Write the result JSON to this file (with --shard: the folder "
                                "for shard files)."),
                 QStringLiteral("path")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    if (command == QLatin1String("simulate") || command == QLatin1String("sweep"))
        addNumber("bootstrap");
    if (command == QLatin1String("simulate"))
        p.addOption({QStringLiteral("compare"),
                     QStringLiteral("Two routers (or oracle, random, best-single) whose paired "
                                    "difference to report, with its interval and p-value."),
                     QStringLiteral("A,B")});
}

namespace {

// "A,B" where a router spec may hold commas itself ("knn:k=100,metric=cosine"): the one cut
// that leaves two known names.
QStringList splitComparedPair(const QString& text, const QStringList& known) {
    const QStringList parts = text.split(QLatin1Char(','));
    for (int cut = 1; cut < parts.size(); ++cut) {
        const QString a = parts.mid(0, cut).join(QLatin1Char(','));
        const QString b = parts.mid(cut).join(QLatin1Char(','));
        if (known.contains(a) && known.contains(b))
            return {a, b};
    }
    return {};
}

bool parseResultOptions(const QCommandLineParser& parser, const QString& command,
                        SimulationArguments& a, QTextStream& err) {
    if (command != QLatin1String("simulate") && command != QLatin1String("sweep"))
        return true;
    if (parser.isSet(QStringLiteral("bootstrap"))) {
        const std::vector<NumberOption> numbers = simulationNumberOptions(command);
        const NumberOption* option = findNumberOption(numbers, QStringLiteral("bootstrap"));
        const QString problem = option->problem(parser.value(QStringLiteral("bootstrap")));
        if (!problem.isEmpty()) {
            err << "routerlab-cli " << command << ": " << problem << "\n";
            return false;
        }
        a.result.bootstrap.resamples =
            static_cast<int>(option->toWhole(parser.value(QStringLiteral("bootstrap"))));
    }
    if (command != QLatin1String("simulate") || !parser.isSet(QStringLiteral("compare")))
        return true;
    QStringList known;
    for (const RouterSpec& r : a.routers)
        known << r.toString();
    known << simulateReferenceRouters();
    const QString text = parser.value(QStringLiteral("compare"));
    a.result.compare = splitComparedPair(text, known);
    if (a.result.compare.size() != 2 || a.result.compare[0] == a.result.compare[1]) {
        err << "routerlab-cli simulate: --compare '" << text
            << "': give two different routers of this run as A,B; known: "
            << known.join(QStringLiteral(", ")) << "\n";
        return false;
    }
    if (a.result.bootstrap.resamples == 0) {
        err << "routerlab-cli simulate: --compare needs the bootstrap: drop --bootstrap 0\n";
        return false;
    }
    return true;
}

// --traffic: where the recorded traffic is (the command reads it before anything else).
// Sessions keep the arrival order: single unless a length is given.
bool parseTraffic(const OptionValues& p, const QString& command, SimulationArguments& a,
                  QTextStream& err) {
    if (!takesTraffic(command) || !p.isSet(QStringLiteral("traffic")))
        return true;
    const QString prefix = QStringLiteral("routerlab-cli %1: ").arg(command);
    if (a.options.split.kind != SplitRule::Kind::None) {
        err << prefix << "--traffic chooses the scored prompts: drop --split and --test-dataset\n";
        return false;
    }
    if (p.isSet(QStringLiteral("sessions")) &&
        a.options.sessions.kind != SessionRule::Kind::Single &&
        a.options.sessions.kind != SessionRule::Kind::FixedLength) {
        err << prefix
            << "--traffic keeps the arrival order: --sessions must be single or length:N\n";
        return false;
    }
    if (!p.isSet(QStringLiteral("sessions")) && !p.isSet(QStringLiteral("session-length")))
        a.options.sessions.kind = SessionRule::Kind::Single;
    try {
        a.trafficSource = TrafficSource::parse(p.value(QStringLiteral("traffic")));
    } catch (const std::invalid_argument& e) {
        err << prefix << e.what() << "\n";
        return false;
    }
    return true;
}

} // namespace

bool parseSimulationArguments(const QCommandLineParser& parser, const QString& command,
                              SimulationArguments& a, QTextStream& err) {
    const OptionValues p(parser);
    a.command = command;
    a.datasets = p.values(QStringLiteral("dataset"));
    a.pool = p.value(QStringLiteral("pool"));
    if (a.datasets.isEmpty()) {
        err << "routerlab-cli " << command << ": give --dataset (or --experiment)\n";
        return false;
    }
    QStringList routerTexts = p.values(QStringLiteral("router"));
    if (routerTexts.isEmpty())
        routerTexts << QStringLiteral("pickllm-ga") << QStringLiteral("pickllm-q");
    try {
        for (const QString& t : routerTexts) {
            a.routers.push_back(RouterSpec::parse(t));
            RouterRegistry::instance().resolve(a.routers.back());
        }
        if (command != QLatin1String("sweep"))
            a.preference = Preference::parse(p.value(QStringLiteral("preference")));
        a.options.reward = rewardKindFromName(p.value(QStringLiteral("reward")));
        a.options.sessions =
            p.isSet(QStringLiteral("session-length"))
                ? SessionRule::parse(
                      QStringLiteral("length:%1")
                          .arg(static_cast<qint64>(
                              readNumber(p, parser, command, QStringLiteral("session-length")))))
                : SessionRule::parse(p.value(QStringLiteral("sessions")));
        a.options.split = SplitRule::parse(p.value(QStringLiteral("split")));
        a.options.features = p.value(QStringLiteral("features"));
        makeFeaturizer(a.options.features); // refuse a bad form before any data is read
        a.testDatasets = p.values(QStringLiteral("test-dataset"));
        if (!a.testDatasets.isEmpty()) {
            if (a.options.split.kind != SplitRule::Kind::None)
                throw std::invalid_argument("give either --split or --test-dataset, not both");
            a.options.split.kind = SplitRule::Kind::Sources;
            a.options.split.testSources = expandDatasetPaths(a.testDatasets);
            const QStringList training = expandDatasetPaths(a.datasets);
            for (const QString& file : a.options.split.testSources)
                if (training.contains(file))
                    throw std::invalid_argument(
                        QStringLiteral("'%1' is both a training and a test file")
                            .arg(file)
                            .toStdString());
        }
    } catch (const std::invalid_argument& e) {
        err << "routerlab-cli " << command << ": " << e.what() << "\n";
        return false;
    }
    const QString missing = p.value(QStringLiteral("missing"));
    if (missing != QLatin1String("skip") && missing != QLatin1String("failure")) {
        err << "routerlab-cli " << command << ": --missing must be skip or failure\n";
        return false;
    }
    a.options.missing =
        missing == QLatin1String("skip") ? MissingPolicy::SkipPrompt : MissingPolicy::Failure;
    try {
        a.seeds = static_cast<int>(readNumber(p, parser, command, QStringLiteral("seeds")));
        if (command == QLatin1String("sweep")) {
            a.points = static_cast<int>(readNumber(p, parser, command, QStringLiteral("points")));
            a.latencyWeight = readNumber(p, parser, command, QStringLiteral("latency"));
        }
        // Read from the command line only: where a run happens is not part of the experiment.
        a.threads = parser.isSet(QStringLiteral("threads"))
                        ? static_cast<int>(findNumberOption(simulationNumberOptions(command),
                                                            QStringLiteral("threads"))
                                               ->toWhole(parser.value(QStringLiteral("threads"))))
                        : QThread::idealThreadCount();
    } catch (const std::invalid_argument& e) {
        err << "routerlab-cli " << command << ": " << e.what() << "\n";
        return false;
    }
    if (!parseResultOptions(parser, command, a, err) || !parseTraffic(p, command, a, err))
        return false;
    a.workspace = parser.value(QStringLiteral("workspace"));
    // An embeddings endpoint's vectors are cached in the workspace the run records into.
    if (a.options.features.startsWith(QLatin1String("embeddings-api:")) && !a.workspace.isEmpty() &&
        !a.options.features.contains(QLatin1String(";cache=")))
        a.options.features += QStringLiteral(";cache=") + a.workspace;
    a.resume = parser.isSet(QStringLiteral("resume"));
    a.shard = parser.value(QStringLiteral("shard"));
    a.out = parser.value(QStringLiteral("out"));
    if (!a.shard.isEmpty() && a.out.isEmpty()) {
        err << "routerlab-cli " << command << ": --shard needs --out DIR for its shard file\n";
        return false;
    }
    if (!a.shard.isEmpty() && !a.workspace.isEmpty()) {
        err << "routerlab-cli " << command
            << ": a shard is recorded after `merge`, not with --workspace\n";
        return false;
    }
    return true;
}

QJsonObject SimulationArguments::toExperimentJson(const QString& folder) const {
    QJsonArray routerList;
    for (const RouterSpec& r : routers)
        routerList.append(r.toString());
    QJsonObject json{
        {QStringLiteral("command"), command},
        {QStringLiteral("datasets"), QJsonArray::fromStringList(relativeTo(folder, datasets))},
        {QStringLiteral("routers"), routerList},
        {QStringLiteral("seeds"), seeds},
        {QStringLiteral("sessions"), options.sessions.toString()},
        {QStringLiteral("reward"), rewardKindName(options.reward)},
        {QStringLiteral("missing"), options.missing == MissingPolicy::SkipPrompt
                                        ? QStringLiteral("skip")
                                        : QStringLiteral("failure")},
        {QStringLiteral("features"), options.features}};
    if (!pool.isEmpty())
        json.insert(QStringLiteral("pool"), relativeTo(folder, pool));
    if (trafficSource) {
        TrafficSource relative = *trafficSource;
        relative.workspace = relativeTo(folder, relative.workspace);
        json.insert(QStringLiteral("traffic"), relative.toString());
    }
    if (!testDatasets.isEmpty())
        json.insert(QStringLiteral("test_datasets"),
                    QJsonArray::fromStringList(relativeTo(folder, testDatasets)));
    else
        json.insert(QStringLiteral("split"), options.split.toString());
    if (command == QLatin1String("sweep")) {
        json.insert(QStringLiteral("points"), points);
        json.insert(QStringLiteral("latency"), latencyWeight);
    } else {
        json.insert(QStringLiteral("preference"), preference.toString());
    }
    return json;
}

QJsonObject SimulationArguments::toJson(const SimulationSetup& setup) const {
    QJsonArray routerList;
    for (const RouterSpec& r : routers)
        routerList.append(r.toString());
    QJsonObject json{{QStringLiteral("command"), command},
                     {QStringLiteral("version"), versionString()},
                     {QStringLiteral("datasets"), QJsonArray::fromStringList(datasets)},
                     {QStringLiteral("test_datasets"), QJsonArray::fromStringList(testDatasets)},
                     {QStringLiteral("pool"), pool},
                     {QStringLiteral("routers"), routerList},
                     {QStringLiteral("seeds"), seeds},
                     {QStringLiteral("setup"), setup.describe()}};
    if (traffic)
        json.insert(QStringLiteral("traffic"),
                    QJsonObject{{QStringLiteral("workspace"), traffic->workspace},
                                {QStringLiteral("session"), traffic->session.id}});
    if (command == QLatin1String("sweep")) {
        json.insert(QStringLiteral("points"), points);
        json.insert(QStringLiteral("latency_weight"), latencyWeight);
    } else {
        json.insert(QStringLiteral("preference"), preference.toString());
    }
    return json;
}

} // namespace routerlab
