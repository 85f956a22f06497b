#include "cli/cli_command.h"
#include "cli/terminal_progress.h"

#include "cli/run_experiment.h"

#include <QJsonArray>

namespace routerlab {

CliCommand sweepCommand() {
    CliCommand c;
    c.name = QStringLiteral("sweep");
    c.summary = QStringLiteral("Run routers across preferences from all-quality to all-cost: "
                               "cost-quality points, Pareto set and AIQ per router.");
    c.numbers = simulationNumberOptions(QStringLiteral("sweep"));
    c.describe = [](QCommandLineParser& p) {
        describeSimulationOptions(p, QStringLiteral("sweep"));
        addQuietOption(p);
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        SimulationArguments a;
        if (!parseSimulationArguments(p, QStringLiteral("sweep"), a, err))
            return kExitUsage;
        auto plan = [&](const SimulationSetup& setup, const QString& fingerprint) {
            return planSweep(a.routers, a.points, a.latencyWeight, a.seeds, setup, fingerprint);
        };
        auto print = [&](const QJsonObject& json, const SimulationSetup&, QTextStream& text) {
            const QJsonArray range = json.value(QStringLiteral("cost_range_usd")).toArray();
            text << QStringLiteral("%1 preferences from quality=1 to cost=1, %2 seeds; AIQ over "
                                   "the single models' cost range $%3..$%4 per call\n\n")
                        .arg(a.points)
                        .arg(a.seeds)
                        .arg(range[0].toDouble(), 0, 'g', 3)
                        .arg(range[1].toDouble(), 0, 'g', 3);
            QJsonArray all = json.value(QStringLiteral("routers")).toArray();
            all.append(json.value(QStringLiteral("oracle")));
            for (const QJsonValue& v : all) {
                const QJsonObject o = v.toObject();
                text << QStringLiteral("%1 AIQ %2, %3 of %4 points on its Pareto front")
                            .arg(o.value(QStringLiteral("name")).toString(), -28)
                            .arg(o.value(QStringLiteral("aiq")).toDouble(), 0, 'f', 4)
                            .arg(o.value(QStringLiteral("pareto")).toArray().size())
                            .arg(a.points);
                if (o.contains(QStringLiteral("apgr")))
                    text << QStringLiteral(", APGR %1, CPT(50%) %2")
                                .arg(o.value(QStringLiteral("apgr")).toDouble(), 0, 'f', 3)
                                .arg(o.value(QStringLiteral("cpt50")).toDouble(), 0, 'f', 3);
                text << "\n";
            }
        };
        return runExperiment(p, a, plan, print, out, err);
    };
    return c;
}

} // namespace routerlab
