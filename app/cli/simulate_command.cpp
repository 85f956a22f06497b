#include "cli/cli_command.h"
#include "cli/terminal_progress.h"

#include "cli/run_experiment.h"

#include "experiment/result_intervals.h"

#include <QJsonArray>

namespace routerlab {

namespace {

// The smallest p-value 1,000 resamples can give is 1/1001: below 0.001 says all there is.
QString pValueText(double p) {
    return p < 0.001 ? QStringLiteral("p < 0.001") : QStringLiteral("p = %1").arg(p, 0, 'g', 3);
}

// "0.504 [0.492, 0.517]", or the value alone when the result has no interval for it.
QString withInterval(const QJsonObject& row, const QString& field, char format, int precision) {
    QString text = QString::number(row.value(field).toDouble(), format, precision);
    const QJsonArray ci = row.value(field + QStringLiteral("_ci95")).toArray();
    if (ci.size() == 2)
        text += QStringLiteral(" [%1, %2]")
                    .arg(ci[0].toDouble(), 0, format, precision)
                    .arg(ci[1].toDouble(), 0, format, precision);
    return text;
}

void printComparison(const QJsonObject& comparison, QTextStream& text) {
    text << QStringLiteral("\n%1 minus %2 (paired bootstrap):\n")
                .arg(comparison.value(QStringLiteral("a")).toString(),
                     comparison.value(QStringLiteral("b")).toString());
    const QJsonObject metrics = comparison.value(QStringLiteral("metrics")).toObject();
    for (const ComparedFigure& f : comparedFigures()) {
        const QJsonObject m = metrics.value(f.field).toObject();
        const QJsonArray ci = m.value(QStringLiteral("ci95")).toArray();
        text << QStringLiteral("  %1 %2 [%3, %4]  %5\n")
                    .arg(f.field, -16)
                    .arg(m.value(QStringLiteral("difference")).toDouble(), 11, 'g', 4)
                    .arg(ci.at(0).toDouble(), 0, 'g', 4)
                    .arg(ci.at(1).toDouble(), 0, 'g', 4)
                    .arg(pValueText(m.value(QStringLiteral("p_value")).toDouble()));
    }
}

void printSimulateTable(const QJsonObject& json, const SimulationSetup& setup,
                        const SimulationArguments& a, QTextStream& text) {
    text << QStringLiteral("%1 scored prompts, %2 sessions, preference %3, %4 seeds\n\n")
                .arg(setup.scoredRows().size())
                .arg(setup.sessionStarts().size())
                .arg(a.preference.toString())
                .arg(a.seeds);
    text << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                .arg(QStringLiteral("router"), -24)
                .arg(QStringLiteral("reward [95% interval]"), -25)
                .arg(QStringLiteral("quality [95% interval]"), -22)
                .arg(QStringLiteral("cost $"), 9)
                .arg(QStringLiteral("lat s"), 6)
                .arg(QStringLiteral("p95 s"), 6)
                .arg(QStringLiteral("regret"), 8);
    auto line = [&](const QJsonObject& o) {
        text << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                    .arg(o.value(QStringLiteral("name")).toString(), -24)
                    .arg(withInterval(o, QStringLiteral("mean_reward"), 'f', 4), -25)
                    .arg(withInterval(o, QStringLiteral("mean_quality"), 'f', 3), -22)
                    .arg(o.value(QStringLiteral("total_cost_usd")).toDouble(), 9, 'g', 4)
                    .arg(o.value(QStringLiteral("mean_latency_s")).toDouble(), 6, 'f', 2)
                    .arg(o.value(QStringLiteral("p95_latency_s")).toDouble(), 6, 'f', 2)
                    .arg(o.value(QStringLiteral("regret")).toDouble(), 8, 'f', 1);
    };
    for (const QJsonValue& v : json.value(QStringLiteral("routers")).toArray())
        line(v.toObject());
    for (const QString& r : simulateReferenceRouters())
        line(json.value(resultKeyOf(r)).toObject());
    const QJsonObject leaders = json.value(QStringLiteral("leaders")).toObject();
    const QJsonObject best = leaders.value(QStringLiteral("mean_reward")).toObject();
    if (!best.isEmpty())
        text << QStringLiteral("\nbest reward: %1, ahead of %2 by %3 (%4)%5\n")
                    .arg(best.value(QStringLiteral("router")).toString(),
                         best.value(QStringLiteral("runner_up")).toString())
                    .arg(best.value(QStringLiteral("difference")).toDouble(), 0, 'g', 3)
                    .arg(pValueText(best.value(QStringLiteral("p_value")).toDouble()))
                    .arg(best.value(QStringLiteral("significant")).toBool()
                             ? QString()
                             : QStringLiteral(": not significant at 5%"));
    if (json.contains(QStringLiteral("comparison")))
        printComparison(json.value(QStringLiteral("comparison")).toObject(), text);
}

} // namespace

CliCommand simulateCommand() {
    CliCommand c;
    c.name = QStringLiteral("simulate");
    c.summary = QStringLiteral(
        "Replay a dataset through routers under bandit feedback and summarise each.");
    c.numbers = simulationNumberOptions(QStringLiteral("simulate"));
    c.describe = [](QCommandLineParser& p) {
        describeSimulationOptions(p, QStringLiteral("simulate"));
        addQuietOption(p);
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        SimulationArguments a;
        if (!parseSimulationArguments(p, QStringLiteral("simulate"), a, err))
            return kExitUsage;
        auto plan = [&](const SimulationSetup& setup, const QString& fingerprint) {
            return planSimulate(a.routers, a.preference, a.seeds, setup, fingerprint);
        };
        auto print = [&](const QJsonObject& json, const SimulationSetup& setup, QTextStream& text) {
            printSimulateTable(json, setup, a, text);
        };
        return runExperiment(p, a, plan, print, out, err);
    };
    return c;
}

} // namespace routerlab
