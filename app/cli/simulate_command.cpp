#include "cli/cli_command.h"

#include "cli/run_experiment.h"

#include <QJsonArray>

namespace routerlab {

CliCommand simulateCommand() {
    CliCommand c;
    c.name = QStringLiteral("simulate");
    c.summary = QStringLiteral(
        "Replay a dataset through routers under bandit feedback and summarise each.");
    c.numbers = simulationNumberOptions(QStringLiteral("simulate"));
    c.describe = [](QCommandLineParser& p) {
        describeSimulationOptions(p, QStringLiteral("simulate"));
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        SimulationArguments a;
        if (!parseSimulationArguments(p, QStringLiteral("simulate"), a, err))
            return kExitUsage;
        auto plan = [&](const SimulationSetup& setup, const QString& fingerprint) {
            return planSimulate(a.routers, a.preference, a.seeds, setup, fingerprint);
        };
        auto print = [&](const QJsonObject& json, const SimulationSetup& setup, QTextStream& text) {
            text << QStringLiteral("%1 scored prompts, %2 sessions, preference %3, %4 seeds\n\n")
                        .arg(setup.scoredRows().size())
                        .arg(setup.sessionStarts().size())
                        .arg(a.preference.toString())
                        .arg(a.seeds);
            text << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                        .arg(QStringLiteral("router"), -28)
                        .arg(QStringLiteral("reward"), 8)
                        .arg(QStringLiteral("quality"), 8)
                        .arg(QStringLiteral("cost $"), 10)
                        .arg(QStringLiteral("lat s"), 7)
                        .arg(QStringLiteral("p95 s"), 7)
                        .arg(QStringLiteral("regret"), 9);
            auto line = [&](const QJsonObject& o) {
                text << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                            .arg(o.value(QStringLiteral("name")).toString(), -28)
                            .arg(o.value(QStringLiteral("mean_reward")).toDouble(), 8, 'f', 4)
                            .arg(o.value(QStringLiteral("mean_quality")).toDouble(), 8, 'f', 3)
                            .arg(o.value(QStringLiteral("total_cost_usd")).toDouble(), 10, 'g', 4)
                            .arg(o.value(QStringLiteral("mean_latency_s")).toDouble(), 7, 'f', 2)
                            .arg(o.value(QStringLiteral("p95_latency_s")).toDouble(), 7, 'f', 2)
                            .arg(o.value(QStringLiteral("regret")).toDouble(), 9, 'f', 1);
            };
            for (const QJsonValue& v : json.value(QStringLiteral("routers")).toArray())
                line(v.toObject());
            for (const char* r : {"oracle", "random", "best_single"})
                line(json.value(QLatin1String(r)).toObject());
        };
        return runExperiment(p, a, plan, print, out, err);
    };
    return c;
}

} // namespace routerlab
