#include "experiment/experiment_file.h"

#include "common/error_message.h"
#include "common/input_error.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>
#include <QThread>

namespace routerlab {

namespace {

// Runs the CLI's parser over `--experiment file` for one command.
bool parseAs(const QString& command, const QString& file, SimulationArguments& out,
             QString& error) {
    QCommandLineParser parser;
    describeSimulationOptions(parser, command);
    if (!parser.parse({QStringLiteral("routerlab"), QStringLiteral("--experiment"), file})) {
        error = parser.errorText();
        return false;
    }
    QString messages;
    QTextStream err(&messages);
    try {
        if (!parseSimulationArguments(parser, command, out, err)) {
            err.flush();
            error = messages.trimmed().remove(QStringLiteral("routerlab-cli %1: ").arg(command));
            return false;
        }
    } catch (...) {
        error = currentErrorMessage();
        return false;
    }
    return true;
}

} // namespace

SimulationArguments GuiExperiment::sweep() const {
    SimulationArguments a = simulate;
    a.command = QStringLiteral("sweep");
    a.points = points;
    a.latencyWeight = latencyWeight;
    return a;
}

bool loadExperimentFile(const QString& file, GuiExperiment& experiment, QString& error) {
    if (!QFileInfo::exists(file)) {
        error = QStringLiteral("%1: no such file").arg(file);
        return false;
    }
    GuiExperiment loaded;
    if (!parseAs(QStringLiteral("simulate"), file, loaded.simulate, error))
        return false;
    // The designer's runs would ignore it and score the split instead: refuse, don't mislead.
    if (loaded.simulate.trafficSource) {
        error = QStringLiteral("%1: field 'traffic': recorded traffic is replayed by "
                               "routerlab-cli simulate or sweep, not in the workbench")
                    .arg(file);
        return false;
    }
    SimulationArguments sweep;
    if (!parseAs(QStringLiteral("sweep"), file, sweep, error))
        return false;
    loaded.points = sweep.points;
    loaded.latencyWeight = sweep.latencyWeight;
    experiment = std::move(loaded);
    return true;
}

QJsonObject experimentJson(const GuiExperiment& experiment, const QString& folder) {
    SimulationArguments simulate = experiment.simulate;
    simulate.command = QStringLiteral("simulate");
    QJsonObject json = simulate.toExperimentJson(folder);
    const QJsonObject sweep = experiment.sweep().toExperimentJson(folder);
    for (const char* key : {"points", "latency"})
        json.insert(QLatin1String(key), sweep.value(QLatin1String(key)));
    return json;
}

bool saveExperimentFile(const QString& file, const GuiExperiment& experiment, QString& error) {
    const QByteArray bytes =
        QJsonDocument(experimentJson(experiment, QFileInfo(file).absolutePath()))
            .toJson(QJsonDocument::Indented);
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        error = QStringLiteral("%1: cannot write: %2").arg(file, out.errorString());
        return false;
    }
    return true;
}

GuiExperiment sampleExperiment(const QString& datasetPath, const QString& poolPath) {
    GuiExperiment e;
    SimulationArguments& a = e.simulate;
    a.command = QStringLiteral("simulate");
    a.datasets = QStringList{datasetPath};
    a.pool = poolPath;
    for (const char* router : {"pickllm-ga", "pickllm-q", "thompson", "linucb", "barp"})
        a.routers.push_back(RouterSpec::parse(QLatin1String(router)));
    a.preference = Preference{0.7, 0.3, 0.0};
    a.seeds = 3;
    a.options.sessions = SessionRule::parse(QStringLiteral("length:100"));
    // BaRP pre-trains: it needs a training split to learn from.
    a.options.split = SplitRule::parse(QStringLiteral("random:0.5"));
    a.threads = std::max(1, QThread::idealThreadCount());
    e.points = 11;
    return e;
}

} // namespace routerlab
