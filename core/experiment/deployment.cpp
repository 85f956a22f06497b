#include "experiment/deployment.h"

#include "experiment/cluster_values.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QRegularExpression>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace routerlab {

namespace {

const QString kTrainedRouter = QStringLiteral("barp");
const QString kModelParameter = QStringLiteral("model");
// Parameters that act when routing, not when training: a trained file keeps them.
const QStringList kRoutingParameters = {QStringLiteral("decode")};

[[noreturn]] void refuse(const QString& field, const QString& why) {
    throw std::invalid_argument(QStringLiteral("%1: %2").arg(field, why).toStdString());
}

} // namespace

DeployableRouters deployableRouters(const std::vector<RouterSpec>& ran,
                                    const QJsonObject& simulateResult) {
    const RouterRegistry& registry = RouterRegistry::instance();
    DeployableRouters out;
    for (const RouterSpec& spec : ran)
        if (!registry.can(spec, Capability::Hindsight))
            out.specs << spec.toString();
    double best = -std::numeric_limits<double>::infinity();
    for (const QJsonValue& row : simulateResult.value(QStringLiteral("routers")).toArray()) {
        const QJsonObject o = row.toObject();
        const int at =
            static_cast<int>(out.specs.indexOf(o.value(QStringLiteral("name")).toString()));
        const double reward = o.value(QStringLiteral("mean_reward")).toDouble(std::nan(""));
        if (at >= 0 && reward > best) {
            best = reward;
            out.leader = at;
        }
    }
    return out;
}

bool deploysAsTrainedFile(const RouterSpec& router) {
    return router.name == kTrainedRouter && !router.parameters.count(kModelParameter);
}

TrainedRouterFile trainRouterFile(const RoutingProblem& problem, const RouterSpec& router,
                                  const QString& path, const BarpModel::EpochCallback& afterEpoch) {
    if (!deploysAsTrainedFile(router))
        refuse(QStringLiteral("router"),
               QStringLiteral("'%1' is not a BaRP router to train (one without model=)")
                   .arg(router.toString()));
    const RouterParameters parameters = RouterRegistry::instance().resolve(router);
    TrainedRouterFile trained;
    QElapsedTimer timer;
    timer.start();
    problem.features->matrix(); // featurizing is not training: time them apart
    trained.featureSeconds = timer.nsecsElapsed() * 1e-9;
    timer.restart();
    trained.model = BarpModel::train(problem, barpSettings(parameters), afterEpoch);
    trained.trainingSeconds = timer.nsecsElapsed() * 1e-9;
    if (trained.model)
        trained.model->save(path);
    return trained;
}

QString ProxyDeployment::absolute(const QString& path) const {
    return QDir::cleanPath(folder.isEmpty() ? QDir::current().absoluteFilePath(path)
                                            : QDir(folder).absoluteFilePath(path));
}

RouterSpec deployedRouter(const ProxyDeployment& d) {
    if (d.router.name == kTrainedRouter && d.router.parameters.count(kModelParameter)) {
        RouterSpec spec = d.router; // a file it loads already: named absolutely
        spec.parameters[kModelParameter] = d.absolute(spec.parameters[kModelParameter]);
        return spec;
    }
    if (!deploysAsTrainedFile(d.router))
        return d.router;
    const QString file = d.routerFile.trimmed();
    if (file.isEmpty())
        refuse(QStringLiteral("router file"),
               QStringLiteral("train and save the %1 router first").arg(d.router.name));
    // A router spec splits its parameters at commas and trims their values.
    if (file.contains(QLatin1Char(',')) || file != d.routerFile)
        refuse(QStringLiteral("router file"),
               QStringLiteral("'%1' holds a comma or surrounding spaces, which a router spec "
                              "cannot carry: choose another name")
                   .arg(d.routerFile));
    RouterSpec spec{d.router.name, {{kModelParameter, d.absolute(file)}}};
    for (const QString& keep : kRoutingParameters)
        if (d.router.parameters.count(keep))
            spec.parameters[keep] = d.router.parameters.at(keep);
    return spec;
}

QStringList proxyArguments(const ProxyDeployment& d) {
    if (d.pool.trimmed().isEmpty())
        refuse(QStringLiteral("pool"), QStringLiteral("the proxy needs a pool file with each "
                                                      "model's endpoint"));
    if (d.datasets.isEmpty())
        refuse(QStringLiteral("dataset"), QStringLiteral("the experiment names no dataset"));
    if (d.port < 0 || d.port > 65535)
        refuse(QStringLiteral("port"), QStringLiteral("%1 is not a port").arg(d.port));
    if (d.fallbacks < 0)
        refuse(QStringLiteral("fallbacks"), QStringLiteral("%1 is negative").arg(d.fallbacks));
    QStringList args{QStringLiteral("proxy"), QStringLiteral("--pool"), d.absolute(d.pool),
                     QStringLiteral("--router"), deployedRouter(d).toString()};
    for (const QString& dataset : d.datasets)
        args << QStringLiteral("--dataset") << d.absolute(dataset);
    if (!d.split.isEmpty() && d.split != QLatin1String("none"))
        args << QStringLiteral("--split") << d.split;
    args << QStringLiteral("--features") << d.features << QStringLiteral("--reward")
         << rewardKindName(d.reward) << QStringLiteral("--preference") << d.preference.toString()
         << QStringLiteral("--port") << QString::number(d.port) << QStringLiteral("--fallbacks")
         << QString::number(d.fallbacks);
    if (!d.workspace.trimmed().isEmpty())
        args << QStringLiteral("--workspace") << d.absolute(d.workspace);
    return args;
}

QString proxyCommand(const ProxyDeployment& d) {
    const QStringList args = proxyArguments(d);
    QString command = shellWord(d.cli) + QLatin1Char(' ') + args.front();
    // After the command's name, every option takes a value: one pair per line.
    for (int i = 1; i + 1 < args.size(); i += 2) {
        // Router specs, feature specs and preferences hold ':', '=' and ',' in one word.
        const bool spec =
            args[i] == QLatin1String("--router") || args[i] == QLatin1String("--features") ||
            args[i] == QLatin1String("--split") || args[i] == QLatin1String("--preference");
        command +=
            QStringLiteral(" \\\n    ") + args[i] + QLatin1Char(' ') + shellWord(args[i + 1], spec);
    }
    return command;
}

QString shellWord(const QString& text, bool specCharacters) {
    static const QRegularExpression plain(QStringLiteral("^[A-Za-z0-9_./-]+$"));
    static const QRegularExpression spec(QStringLiteral("^[A-Za-z0-9_./:=,-]+$"));
    return (specCharacters ? spec : plain).match(text).hasMatch() ? text : shellQuoted(text);
}

} // namespace routerlab
