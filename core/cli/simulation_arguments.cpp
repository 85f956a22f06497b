#include "cli/simulation_arguments.h"

#include "common/version.h"
#include "features/prompt_features.h"
#include "formats/dataset_loader.h"

#include <QJsonArray>
#include <QThread>

namespace routerlab {

void describeSimulationOptions(QCommandLineParser& p) {
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
    p.addOption({QStringLiteral("preference"),
                 QStringLiteral("Weights, e.g. quality=0.7,cost=0.3 (default quality=1)."),
                 QStringLiteral("weights"), QStringLiteral("quality=1")});
    p.addOption({QStringLiteral("seeds"), QStringLiteral("Seeds per router (default 5)."),
                 QStringLiteral("N"), QStringLiteral("5")});
    p.addOption({QStringLiteral("session-length"),
                 QStringLiteral("Sessions of L prompts (default: one per category)."),
                 QStringLiteral("L")});
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
    p.addOption({QStringLiteral("features"),
                 QStringLiteral("Prompt features for contextual routers: %1.")
                     .arg(featurizerForms().join(QStringLiteral(", "))),
                 QStringLiteral("form"), QStringLiteral("hashed-words:64")});
    p.addOption({QStringLiteral("reward"), QStringLiteral("pickllm (default) or linear."),
                 QStringLiteral("kind"), QStringLiteral("pickllm")});
    p.addOption({QStringLiteral("missing"),
                 QStringLiteral("Missing cells: skip (the prompt) or failure."),
                 QStringLiteral("policy"), QStringLiteral("skip")});
    p.addOption({QStringLiteral("workspace"),
                 QStringLiteral("Record the runs (config, summaries, series) in this workspace."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("threads"), QStringLiteral("Worker threads (default: all cores)."),
                 QStringLiteral("T")});
}

bool parseSimulationArguments(const QCommandLineParser& p, const QString& command,
                              SimulationArguments& a, QTextStream& err) {
    a.datasets = p.values(QStringLiteral("dataset"));
    a.pool = p.value(QStringLiteral("pool"));
    if (a.datasets.isEmpty()) {
        err << "routerlab-cli " << command << ": give --dataset\n";
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
        a.preference = Preference::parse(p.value(QStringLiteral("preference")));
        a.options.reward = rewardKindFromName(p.value(QStringLiteral("reward")));
        a.options.sessions = p.isSet(QStringLiteral("session-length"))
                                 ? SessionRule::parse(QStringLiteral("length:") +
                                                      p.value(QStringLiteral("session-length")))
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
            for (const QString& file : a.options.split.testSources)
                if (expandDatasetPaths(a.datasets).contains(file))
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
    bool ok = false;
    a.seeds = p.value(QStringLiteral("seeds")).toInt(&ok);
    if (!ok || a.seeds < 1 || a.seeds > 100000) {
        err << "routerlab-cli " << command << ": --seeds must be within 1..100000\n";
        return false;
    }
    a.threads = p.isSet(QStringLiteral("threads")) ? p.value(QStringLiteral("threads")).toInt(&ok)
                                                   : QThread::idealThreadCount();
    if (!ok || a.threads < 1) {
        err << "routerlab-cli " << command << ": --threads must be a whole number >= 1\n";
        return false;
    }

    a.workspace = p.value(QStringLiteral("workspace"));
    return true;
}

QJsonObject SimulationArguments::toJson(const QString& command,
                                        const SimulationSetup& setup) const {
    QJsonArray routerList;
    for (const RouterSpec& r : routers)
        routerList.append(r.toString());
    return {{QStringLiteral("command"), command},
            {QStringLiteral("version"), versionString()},
            {QStringLiteral("datasets"), QJsonArray::fromStringList(datasets)},
            {QStringLiteral("test_datasets"), QJsonArray::fromStringList(testDatasets)},
            {QStringLiteral("pool"), pool},
            {QStringLiteral("routers"), routerList},
            {QStringLiteral("preference"), preference.toString()},
            {QStringLiteral("seeds"), seeds},
            {QStringLiteral("setup"), setup.describe()}};
}

// Mean of each figure over the seeds of one router.
QJsonObject averageOverSeeds(const std::vector<const CellResult*>& runs,
                             const QStringList& models) {
    CellSummary mean;
    mean.selectionShare.assign(models.size(), 0.0);
    const double n = static_cast<double>(runs.size());
    for (const CellResult* r : runs) {
        const CellSummary& s = r->summary;
        mean.meanQuality += s.meanQuality / n;
        mean.totalCostUsd += s.totalCostUsd / n;
        mean.meanCostUsd += s.meanCostUsd / n;
        mean.meanLatencyS += s.meanLatencyS / n;
        mean.p95LatencyS += s.p95LatencyS / n;
        mean.meanReward += s.meanReward / n;
        mean.regret += s.regret / n;
        mean.meanConvergenceStep += s.meanConvergenceStep / n;
        mean.steps = s.steps;
        mean.complete = mean.complete && s.complete;
        for (int k = 0; k < models.size(); ++k)
            mean.selectionShare[k] += s.selectionShare[k] / n;
    }
    return mean.toJson(models);
}

} // namespace routerlab
