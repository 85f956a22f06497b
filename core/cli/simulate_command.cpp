#include "cli/cli_command.h"

#include "cli/simulation_arguments.h"
#include "formats/dataset_loader.h"
#include "sim/run_recorder.h"
#include "sim/simulation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <map>

namespace routerlab {

CliCommand simulateCommand() {
    CliCommand c;
    c.name = QStringLiteral("simulate");
    c.summary = QStringLiteral(
        "Replay a dataset through routers under bandit feedback and summarise each.");
    c.describe = [](QCommandLineParser& p) {
        describeSimulationOptions(p);
        p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        SimulationArguments a;
        if (!parseSimulationArguments(p, QStringLiteral("simulate"), a, err))
            return kExitUsage;
        const std::vector<RouterSpec>& routers = a.routers;
        const Preference& preference = a.preference;
        const int seeds = a.seeds;
        const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
        const SimulationSetup setup(data.dataset, data.pool, a.options);

        // The reference points are always reported beside the routers asked for.
        const QStringList references{QStringLiteral("oracle"), QStringLiteral("random"),
                                     QStringLiteral("best-single")};
        std::vector<RouterSpec> all = routers;
        for (const QString& r : references)
            all.push_back(RouterSpec::parse(r));
        std::vector<Cell> cells;
        for (std::size_t r = 0; r < all.size(); ++r)
            for (int s = 0; s < seeds; ++s)
                cells.push_back({all[r], preference, static_cast<std::uint64_t>(s + 1)});
        const std::vector<CellResult> results = runCells(setup, cells, a.threads);

        std::map<QString, std::vector<const CellResult*>> byRouter;
        for (const CellResult& r : results)
            byRouter[r.cell.router.toString()].push_back(&r);
        const QStringList models = data.dataset.modelNames;
        QJsonArray routerArray;
        for (const RouterSpec& spec : routers) {
            QJsonObject o = averageOverSeeds(byRouter[spec.toString()], models);
            o.insert(QStringLiteral("name"), spec.toString());
            routerArray.append(o);
        }
        QJsonObject json{{QStringLiteral("routers"), routerArray},
                         {QStringLiteral("preference"), preference.toString()},
                         {QStringLiteral("seeds"), seeds},
                         {QStringLiteral("setup"), setup.describe()}};
        for (const QString& r : references) {
            QJsonObject o = averageOverSeeds(byRouter[r], models);
            o.insert(QStringLiteral("name"), r);
            json.insert(QString(r).replace(QLatin1Char('-'), QLatin1Char('_')), o);
        }
        if (!a.workspace.isEmpty()) {
            WorkspaceStore store(a.workspace);
            const qint64 experiment =
                recordRuns(store, QStringLiteral("simulate %1").arg(data.dataset.name),
                           a.toJson(QStringLiteral("simulate"), setup), results, models);
            json.insert(QStringLiteral("workspace"),
                        QJsonObject{{QStringLiteral("file"), a.workspace},
                                    {QStringLiteral("experiment_id"), experiment},
                                    {QStringLiteral("runs"), static_cast<int>(results.size())}});
        }
        if (p.isSet(QStringLiteral("json"))) {
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out << QStringLiteral("%1 scored prompts, %2 sessions, preference %3, %4 seeds\n\n")
                   .arg(setup.scoredRows().size())
                   .arg(setup.sessionStarts().size())
                   .arg(preference.toString())
                   .arg(seeds);
        out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                   .arg(QStringLiteral("router"), -28)
                   .arg(QStringLiteral("reward"), 8)
                   .arg(QStringLiteral("quality"), 8)
                   .arg(QStringLiteral("cost $"), 10)
                   .arg(QStringLiteral("lat s"), 7)
                   .arg(QStringLiteral("p95 s"), 7)
                   .arg(QStringLiteral("regret"), 9);
        auto line = [&](const QJsonObject& o) {
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(o.value(QStringLiteral("name")).toString(), -28)
                       .arg(o.value(QStringLiteral("mean_reward")).toDouble(), 8, 'f', 4)
                       .arg(o.value(QStringLiteral("mean_quality")).toDouble(), 8, 'f', 3)
                       .arg(o.value(QStringLiteral("total_cost_usd")).toDouble(), 10, 'g', 4)
                       .arg(o.value(QStringLiteral("mean_latency_s")).toDouble(), 7, 'f', 2)
                       .arg(o.value(QStringLiteral("p95_latency_s")).toDouble(), 7, 'f', 2)
                       .arg(o.value(QStringLiteral("regret")).toDouble(), 9, 'f', 1);
        };
        for (const QJsonValue& v : routerArray)
            line(v.toObject());
        for (const QString& r : references)
            line(json.value(QString(r).replace(QLatin1Char('-'), QLatin1Char('_'))).toObject());
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
