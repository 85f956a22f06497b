#include "cli/cli_command.h"

#include "cli/simulation_arguments.h"
#include "formats/dataset_loader.h"
#include "metrics/pareto.h"
#include "sim/run_recorder.h"
#include "sim/simulation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <map>

namespace routerlab {

namespace {

// One router's operating points along the sweep, each averaged over seeds.
QJsonObject
routerCurve(const QString& name, const std::vector<Preference>& preferences,
            const std::map<std::pair<QString, int>, std::vector<const CellResult*>>& runs,
            double costMin, double costMax) {
    QJsonArray points;
    std::vector<CostQualityPoint> plane;
    for (int i = 0; i < static_cast<int>(preferences.size()); ++i) {
        double cost = 0, quality = 0, latency = 0, reward = 0;
        const auto& cells = runs.at({name, i});
        for (const CellResult* r : cells) {
            cost += r->summary.meanCostUsd / cells.size();
            quality += r->summary.meanQuality / cells.size();
            latency += r->summary.meanLatencyS / cells.size();
            reward += r->summary.meanReward / cells.size();
        }
        plane.push_back({cost, quality});
        const Preference w = preferences[i].normalised();
        points.append(QJsonObject{
            {QStringLiteral("preference"), QJsonObject{{QStringLiteral("quality"), w.quality},
                                                       {QStringLiteral("cost"), w.cost},
                                                       {QStringLiteral("latency"), w.latency}}},
            {QStringLiteral("cost_usd"), cost},
            {QStringLiteral("quality"), quality},
            {QStringLiteral("latency_s"), latency},
            {QStringLiteral("reward"), reward}});
    }
    QJsonArray pareto;
    for (const int i : paretoFront(plane))
        pareto.append(i);
    return {{QStringLiteral("name"), name},
            {QStringLiteral("points"), points},
            {QStringLiteral("pareto"), pareto},
            {QStringLiteral("aiq"), aiq(plane, costMin, costMax)}};
}

} // namespace

CliCommand sweepCommand() {
    CliCommand c;
    c.name = QStringLiteral("sweep");
    c.summary = QStringLiteral("Run routers across preferences from all-quality to all-cost: "
                               "cost-quality points, Pareto set and AIQ per router.");
    c.describe = [](QCommandLineParser& p) {
        describeSimulationOptions(p);
        p.addOption({QStringLiteral("points"),
                     QStringLiteral("Preferences along quality..cost (default 11)."),
                     QStringLiteral("N"), QStringLiteral("11")});
        p.addOption({QStringLiteral("latency"),
                     QStringLiteral("Latency weight kept at every point (default 0)."),
                     QStringLiteral("W"), QStringLiteral("0")});
        p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        SimulationArguments a;
        if (!parseSimulationArguments(p, QStringLiteral("sweep"), a, err))
            return kExitUsage;
        bool ok = false;
        const int count = p.value(QStringLiteral("points")).toInt(&ok);
        if (!ok || count < 2 || count > 1001) {
            err << "routerlab-cli sweep: --points must be within 2..1001\n";
            return kExitUsage;
        }
        const double latency = p.value(QStringLiteral("latency")).toDouble(&ok);
        if (!ok || latency < 0) {
            err << "routerlab-cli sweep: --latency must be a number >= 0\n";
            return kExitUsage;
        }
        std::vector<Preference> preferences;
        for (int i = 0; i < count; ++i) {
            const double cost = static_cast<double>(i) / (count - 1);
            preferences.push_back({1.0 - cost, cost, latency});
        }

        const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
        const SimulationSetup setup(data.dataset, data.pool, a.options);

        // Single models are fixed points of the plane; their cost range is the AIQ range.
        const RoutingProblem& problem = setup.problem();
        QJsonArray models;
        double costMin = INFINITY, costMax = 0;
        for (int k = 0; k < problem.modelCount(); ++k) {
            double cost = 0, quality = 0;
            for (const int i : setup.scoredRows()) {
                cost += (*problem.cost)(i, k);
                quality += (*problem.quality)(i, k);
            }
            cost /= static_cast<double>(setup.scoredRows().size());
            quality /= static_cast<double>(setup.scoredRows().size());
            costMin = std::min(costMin, cost);
            costMax = std::max(costMax, cost);
            models.append(QJsonObject{{QStringLiteral("name"), problem.modelNames[k]},
                                      {QStringLiteral("cost_usd"), cost},
                                      {QStringLiteral("quality"), quality}});
        }

        std::vector<QString> names;
        for (const RouterSpec& r : a.routers)
            names.push_back(r.toString());
        names.push_back(QStringLiteral("oracle"));
        std::vector<Cell> cells;
        for (const QString& name : names)
            for (const Preference& preference : preferences)
                for (int s = 1; s <= a.seeds; ++s)
                    cells.push_back(
                        {RouterSpec::parse(name), preference, static_cast<std::uint64_t>(s)});
        const std::vector<CellResult> results = runCells(setup, cells, a.threads);
        std::map<std::pair<QString, int>, std::vector<const CellResult*>> runs;
        for (std::size_t i = 0; i < results.size(); ++i) {
            const int point = static_cast<int>(i / a.seeds) % count;
            runs[{results[i].cell.router.toString(), point}].push_back(&results[i]);
        }

        QJsonArray routers;
        for (std::size_t r = 0; r + 1 < names.size(); ++r)
            routers.append(routerCurve(names[r], preferences, runs, costMin, costMax));
        const QJsonObject oracle =
            routerCurve(QStringLiteral("oracle"), preferences, runs, costMin, costMax);
        QJsonObject json{{QStringLiteral("points"), count},
                         {QStringLiteral("seeds"), a.seeds},
                         {QStringLiteral("cost_range_usd"), QJsonArray{costMin, costMax}},
                         {QStringLiteral("models"), models},
                         {QStringLiteral("routers"), routers},
                         {QStringLiteral("oracle"), oracle},
                         {QStringLiteral("setup"), setup.describe()}};
        if (!a.workspace.isEmpty()) {
            WorkspaceStore store(a.workspace);
            QJsonObject config = a.toJson(QStringLiteral("sweep"), setup);
            config.insert(QStringLiteral("points"), count);
            config.insert(QStringLiteral("latency_weight"), latency);
            const qint64 experiment =
                recordRuns(store, QStringLiteral("sweep %1").arg(data.dataset.name), config,
                           results, data.dataset.modelNames);
            json.insert(QStringLiteral("workspace"),
                        QJsonObject{{QStringLiteral("file"), a.workspace},
                                    {QStringLiteral("experiment_id"), experiment}});
        }
        if (p.isSet(QStringLiteral("json"))) {
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out << QStringLiteral("%1 preferences from quality=1 to cost=1, %2 seeds; AIQ over the "
                              "single models' cost range $%3..$%4 per call\n\n")
                   .arg(count)
                   .arg(a.seeds)
                   .arg(costMin, 0, 'g', 3)
                   .arg(costMax, 0, 'g', 3);
        QJsonArray all = routers;
        all.append(oracle);
        for (const QJsonValue& v : all) {
            const QJsonObject o = v.toObject();
            out << QStringLiteral("%1 AIQ %2, %3 of %4 points on its Pareto front\n")
                       .arg(o.value(QStringLiteral("name")).toString(), -28)
                       .arg(o.value(QStringLiteral("aiq")).toDouble(), 0, 'f', 4)
                       .arg(o.value(QStringLiteral("pareto")).toArray().size())
                       .arg(count);
        }
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
