#include "cli/cli_command.h"

#include "formats/dataset_loader.h"
#include "sim/simulation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <map>

namespace routerlab {

namespace {

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

} // namespace

CliCommand simulateCommand() {
    CliCommand c;
    c.name = QStringLiteral("simulate");
    c.summary = QStringLiteral(
        "Replay a dataset through routers under bandit feedback and summarise each.");
    c.describe = [](QCommandLineParser& p) {
        p.addOption({QStringLiteral("dataset"),
                     QStringLiteral("Dataset file or folder (repeatable)."),
                     QStringLiteral("path")});
        p.addOption({QStringLiteral("pool"),
                     QStringLiteral("Pool file (optional when the data records costs)."),
                     QStringLiteral("file")});
        p.addOption(
            {QStringLiteral("router"),
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
        p.addOption({QStringLiteral("reward"), QStringLiteral("pickllm (default) or linear."),
                     QStringLiteral("kind"), QStringLiteral("pickllm")});
        p.addOption({QStringLiteral("missing"),
                     QStringLiteral("Missing cells: skip (the prompt) or failure."),
                     QStringLiteral("policy"), QStringLiteral("skip")});
        p.addOption({QStringLiteral("threads"),
                     QStringLiteral("Worker threads (default: all cores)."), QStringLiteral("T")});
        p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        const QStringList datasets = p.values(QStringLiteral("dataset"));
        if (datasets.isEmpty()) {
            err << "routerlab-cli simulate: give --dataset\n";
            return kExitUsage;
        }
        QStringList routerTexts = p.values(QStringLiteral("router"));
        if (routerTexts.isEmpty())
            routerTexts << QStringLiteral("pickllm-ga") << QStringLiteral("pickllm-q");
        SimulationOptions options;
        std::vector<RouterSpec> routers;
        Preference preference;
        int seeds = 0, threads = 0;
        try {
            for (const QString& t : routerTexts) {
                routers.push_back(RouterSpec::parse(t));
                RouterRegistry::instance().resolve(routers.back());
            }
            preference = Preference::parse(p.value(QStringLiteral("preference")));
            options.reward = rewardKindFromName(p.value(QStringLiteral("reward")));
            options.sessions = p.isSet(QStringLiteral("session-length"))
                                   ? SessionRule::parse(QStringLiteral("length:") +
                                                        p.value(QStringLiteral("session-length")))
                                   : SessionRule::parse(p.value(QStringLiteral("sessions")));
            options.split = SplitRule::parse(p.value(QStringLiteral("split")));
        } catch (const std::invalid_argument& e) {
            err << "routerlab-cli simulate: " << e.what() << "\n";
            return kExitUsage;
        }
        const QString missing = p.value(QStringLiteral("missing"));
        if (missing != QLatin1String("skip") && missing != QLatin1String("failure")) {
            err << "routerlab-cli simulate: --missing must be skip or failure\n";
            return kExitUsage;
        }
        options.missing =
            missing == QLatin1String("skip") ? MissingPolicy::SkipPrompt : MissingPolicy::Failure;
        bool ok = false;
        seeds = p.value(QStringLiteral("seeds")).toInt(&ok);
        if (!ok || seeds < 1 || seeds > 100000) {
            err << "routerlab-cli simulate: --seeds must be within 1..100000\n";
            return kExitUsage;
        }
        threads = p.isSet(QStringLiteral("threads")) ? p.value(QStringLiteral("threads")).toInt(&ok)
                                                     : QThread::idealThreadCount();
        if (!ok || threads < 1) {
            err << "routerlab-cli simulate: --threads must be a whole number >= 1\n";
            return kExitUsage;
        }

        const PricedDataset data = loadPricedDataset(datasets, p.value(QStringLiteral("pool")));
        const SimulationSetup setup(data.dataset, data.pool, options);

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
        const std::vector<CellResult> results = runCells(setup, cells, threads);

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
