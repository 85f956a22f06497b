#include "cli/cli_command.h"
#include "cli/terminal_progress.h"

#include "experiment/deployment.h"
#include "experiment/simulation_arguments.h"
#include "formats/dataset_loader.h"
#include "sim/simulation.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace routerlab {

CliCommand trainCommand() {
    CliCommand c;
    c.name = QStringLiteral("train");
    c.summary = QStringLiteral("Train a BaRP router on the training prompts and save it for "
                               "--router barp:model=FILE.");
    c.numbers = simulationNumberOptions(QStringLiteral("train"));
    c.describe = [](QCommandLineParser& p) {
        // The shared options include --out (here: where the trained router is saved) and --json.
        describeSimulationOptions(p, QStringLiteral("train"));
        addQuietOption(p);
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        const char* saved = "the trained router is saved to --out FILE";
        const char* noSessions = "training reads every training prompt; sessions shape a run";
        if (!refuseOptionsNotTaken(
                p, QStringLiteral("train"),
                {{"preference", "BaRP trains for every preference; give one when routing with "
                                "barp:model=FILE"},
                 {"seeds", "barp:seed=N seeds the training"},
                 {"sessions", noSessions},
                 {"session-length", noSessions},
                 {"workspace", saved},
                 {"resume", saved},
                 {"save-experiment", saved}},
                err))
            return kExitUsage;
        SimulationArguments a;
        if (!parseSimulationArguments(p, QStringLiteral("train"), a, err))
            return kExitUsage;
        const QString outPath = a.out;
        if (outPath.isEmpty() || !a.shard.isEmpty()) {
            err << "routerlab-cli train: give --out FILE (and no --shard)\n";
            return kExitUsage;
        }
        if (a.routers.size() != 1 || !deploysAsTrainedFile(a.routers.front())) {
            err << "routerlab-cli train: give one --router barp[:key=value,...] (without model=)\n";
            return kExitUsage;
        }
        const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
        const SimulationSetup setup(data.dataset, data.pool, a.options);
        const RoutingProblem& problem = setup.problem();
        // The workbench's Experiment > Deploy... trains and saves through the same function.
        err.flush();
        const QString router = a.routers.front().toString();
        TerminalProgress progress(p, QStringLiteral("train"), QStringLiteral("epochs"),
                                  1); // the epochs, once training tells
        const TrainedRouterFile trained =
            trainRouterFile(problem, a.routers.front(), outPath, [&](int done, int total) {
                progress.setTotal(total);
                progress.advance(done, router);
                return true;
            });
        progress.finish();
        const BarpModel* model = trained.model.get();
        const double featureSeconds = trained.featureSeconds;
        const double trainSeconds = trained.trainingSeconds;

        const std::vector<double>& curve = model->trainingCurve();
        if (p.isSet(QStringLiteral("json"))) {
            QJsonArray curveJson;
            for (const double r : curve)
                curveJson.append(r);
            const QJsonObject json{
                {QStringLiteral("router"), a.routers.front().toString()},
                {QStringLiteral("training"), model->settings().describe()},
                {QStringLiteral("tau_usd"), model->tau()},
                {QStringLiteral("models"), QJsonArray::fromStringList(model->models())},
                {QStringLiteral("features"), model->featureSpec()},
                {QStringLiteral("mean_reward_per_epoch"), curveJson},
                {QStringLiteral("feature_seconds"), featureSeconds},
                {QStringLiteral("training_seconds"), trainSeconds},
                {QStringLiteral("saved"), QFileInfo(outPath).absoluteFilePath()},
                {QStringLiteral("setup"), setup.describe()}};
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out << QStringLiteral("BaRP on %1 training prompts, %2 models, features %3, %4 reward, "
                              "tau %5 USD\n")
                   .arg(problem.trainingRows.size())
                   .arg(problem.modelCount())
                   .arg(model->featureSpec(), rewardKindName(problem.rewardKind))
                   .arg(model->tau(), 0, 'g', 4);
        out << "epoch  mean reward (sampled actions, random preferences)\n";
        for (std::size_t e = 0; e < curve.size(); ++e)
            out << QStringLiteral("%1  %2\n").arg(e + 1, 5).arg(curve[e], 0, 'f', 4);
        out << QStringLiteral("featurized in %1 s, trained in %2 s; saved to %3\n")
                   .arg(featureSeconds, 0, 'f', 2)
                   .arg(trainSeconds, 0, 'f', 2)
                   .arg(outPath);
        out << QStringLiteral("use it with: --router barp:model=%1 --features %2 --reward %3\n")
                   .arg(outPath, model->featureSpec(), rewardKindName(problem.rewardKind));
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
