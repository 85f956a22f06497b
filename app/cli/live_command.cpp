#include "cli/cli_command.h"

#include "common/version.h"
#include "formats/dataset_loader.h"
#include "live/live_runner.h"
#include "live/prompt_file.h"
#include "store/workspace_store.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <csignal>
#include <optional>

namespace routerlab {

namespace {

LiveRunner* runningLive = nullptr; // for the SIGINT handler

void cancelLiveRun(int) {
    if (runningLive)
        runningLive->requestCancel();
}

double number(const QCommandLineParser& p, const QString& name, double minimum, bool& ok,
              QTextStream& err) {
    bool parsed = false;
    const double v = p.value(name).toDouble(&parsed);
    if (!parsed || v < minimum) {
        err << "routerlab-cli live: --" << name << " must be a number >= " << minimum << "\n";
        ok = false;
    }
    return v;
}

// Asks on the terminal: 1-5 stars, or y/n for thumbs; an empty line or EOF gives no rating.
std::optional<double> askOnTerminal(const ScoreInput& in) {
    QTextStream err(stderr);
    QTextStream in_(stdin);
    err << "\n--- prompt ---\n"
        << in.prompt << "\n--- answer ---\n"
        << in.answer << "\nRate 1-5 (or y/n, empty to skip): " << Qt::flush;
    const QString line = in_.readLine().trimmed().toLower();
    if (line == QLatin1String("y"))
        return 1.0;
    if (line == QLatin1String("n"))
        return 0.0;
    bool ok = false;
    const int stars = line.toInt(&ok);
    if (ok && stars >= 1 && stars <= 5)
        return (stars - 1) / 4.0;
    return std::nullopt;
}

} // namespace

CliCommand liveCommand() {
    CliCommand c;
    c.name = QStringLiteral("live");
    c.summary = QStringLiteral("Route prompts to real Chat Completions endpoints, score the "
                               "answers, and summarise as simulate does.");
    c.describe = [](QCommandLineParser& p) {
        p.addOption({QStringLiteral("dataset"),
                     QStringLiteral("Dataset whose prompts are routed (repeatable); its recorded "
                                    "outcomes set the reward scales."),
                     QStringLiteral("path")});
        p.addOption({QStringLiteral("prompts"),
                     QStringLiteral("Prompts alone instead: JSONL (prompt, id, reference, "
                                    "category) or one prompt per line."),
                     QStringLiteral("file")});
        p.addOption({QStringLiteral("pool"),
                     QStringLiteral("Pool file: prices and endpoints (base_url, model, "
                                    "api_key_env)."),
                     QStringLiteral("file")});
        p.addOption(
            {QStringLiteral("base-url"),
             QStringLiteral("Send every model to this base URL (e.g. the replay server's)."),
             QStringLiteral("url")});
        p.addOption({QStringLiteral("router"), QStringLiteral("Router as NAME[:key=value,...]."),
                     QStringLiteral("spec"), QStringLiteral("pickllm-ga")});
        p.addOption({QStringLiteral("scorer"),
                     QStringLiteral("How answers are scored: %1.")
                         .arg(scorerForms().join(QStringLiteral(", "))),
                     QStringLiteral("kind"), QStringLiteral("replay")});
        p.addOption({QStringLiteral("preference"),
                     QStringLiteral("Weights, e.g. quality=0.7,cost=0.3 (default quality=1)."),
                     QStringLiteral("weights"), QStringLiteral("quality=1")});
        p.addOption({QStringLiteral("seed"), QStringLiteral("Router seed (default 1)."),
                     QStringLiteral("N"), QStringLiteral("1")});
        p.addOption({QStringLiteral("sessions"),
                     QStringLiteral("Session rule: category, length:N, column, single."),
                     QStringLiteral("rule"), QStringLiteral("category")});
        p.addOption({QStringLiteral("split"),
                     QStringLiteral("none, random:F or category:A,B (routed on A,B)."),
                     QStringLiteral("rule"), QStringLiteral("none")});
        p.addOption({QStringLiteral("reward"), QStringLiteral("pickllm (default) or linear."),
                     QStringLiteral("kind"), QStringLiteral("pickllm")});
        p.addOption({QStringLiteral("limit"), QStringLiteral("Route at most N prompts."),
                     QStringLiteral("N"), QStringLiteral("0")});
        p.addOption({QStringLiteral("budget"),
                     QStringLiteral("Stop before a call that would take the spend past USD."),
                     QStringLiteral("USD"), QStringLiteral("0")});
        p.addOption({QStringLiteral("workspace"),
                     QStringLiteral("Record the session and every call in this workspace."),
                     QStringLiteral("file")});
        p.addOption({QStringLiteral("store-responses"),
                     QStringLiteral("Also record the answers' text in the workspace.")});
        p.addOption({QStringLiteral("no-stream"),
                     QStringLiteral("Ask for whole answers (no time to first token).")});
        p.addOption({QStringLiteral("max-tokens"), QStringLiteral("max_tokens per answer."),
                     QStringLiteral("N"), QStringLiteral("0")});
        p.addOption({QStringLiteral("system"), QStringLiteral("A system message for every call."),
                     QStringLiteral("text")});
        p.addOption({QStringLiteral("concurrency"),
                     QStringLiteral("Calls in flight per endpoint (default 4)."),
                     QStringLiteral("N"), QStringLiteral("4")});
        p.addOption({QStringLiteral("timeout"),
                     QStringLiteral("Seconds per attempt (default 120)."), QStringLiteral("S"),
                     QStringLiteral("120")});
        p.addOption({QStringLiteral("connect-timeout"),
                     QStringLiteral("Seconds to connect (default 10)."), QStringLiteral("S"),
                     QStringLiteral("10")});
        p.addOption({QStringLiteral("retries"),
                     QStringLiteral("Retries after a 429, 5xx or network error (default 3)."),
                     QStringLiteral("N"), QStringLiteral("3")});
        p.addOption({QStringLiteral("backoff"),
                     QStringLiteral("First retry delay in seconds, doubled each time (default "
                                    "0.5)."),
                     QStringLiteral("S"), QStringLiteral("0.5")});
        p.addOption({QStringLiteral("latency-from-replay"),
                     QStringLiteral("Learn from the replay server's recorded latency, not the "
                                    "measured one (reproduces simulate at --latency-scale 0).")});
        p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        const QStringList datasets = p.values(QStringLiteral("dataset"));
        const QString prompts = p.value(QStringLiteral("prompts"));
        if (datasets.isEmpty() == prompts.isEmpty()) {
            err << "routerlab-cli live: give --dataset or --prompts (one of them)\n";
            return kExitUsage;
        }
        if (!prompts.isEmpty() && p.value(QStringLiteral("pool")).isEmpty()) {
            err << "routerlab-cli live: --prompts needs --pool\n";
            return kExitUsage;
        }
        LiveOptions o;
        SimulationOptions sim;
        ClientOptions client;
        bool ok = true;
        try {
            o.router = RouterSpec::parse(p.value(QStringLiteral("router")));
            RouterRegistry::instance().resolve(o.router);
            o.preference = Preference::parse(p.value(QStringLiteral("preference")));
            sim.sessions = SessionRule::parse(p.value(QStringLiteral("sessions")));
            sim.split = SplitRule::parse(p.value(QStringLiteral("split")));
            sim.reward = rewardKindFromName(p.value(QStringLiteral("reward")));
            makeScorer(p.value(QStringLiteral("scorer")).startsWith(QLatin1String("judge"))
                           ? QStringLiteral("exact") // checked against the pool once loaded
                           : p.value(QStringLiteral("scorer")));
        } catch (const std::invalid_argument& e) {
            err << "routerlab-cli live: " << e.what() << "\n";
            return kExitUsage;
        }
        o.scorer = p.value(QStringLiteral("scorer"));
        o.seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
        if (!ok)
            err << "routerlab-cli live: --seed must be a whole number\n";
        o.limit = static_cast<int>(number(p, QStringLiteral("limit"), 0, ok, err));
        o.budgetUsd = number(p, QStringLiteral("budget"), 0, ok, err);
        o.maxTokens = static_cast<int>(number(p, QStringLiteral("max-tokens"), 0, ok, err));
        client.concurrencyPerEndpoint =
            static_cast<int>(number(p, QStringLiteral("concurrency"), 1, ok, err));
        client.requestTimeoutS = number(p, QStringLiteral("timeout"), 0.001, ok, err);
        client.connectTimeoutS = number(p, QStringLiteral("connect-timeout"), 0.001, ok, err);
        client.maxRetries = static_cast<int>(number(p, QStringLiteral("retries"), 0, ok, err));
        client.backoffBaseS = number(p, QStringLiteral("backoff"), 0, ok, err);
        client.jitterSeed = o.seed;
        if (!ok)
            return kExitUsage;
        o.storeResponses = p.isSet(QStringLiteral("store-responses"));
        o.stream = !p.isSet(QStringLiteral("no-stream"));
        o.system = p.value(QStringLiteral("system"));
        o.baseUrl = p.value(QStringLiteral("base-url"));
        o.latencyFromReplay = p.isSet(QStringLiteral("latency-from-replay"));

        PricedDataset data;
        if (!prompts.isEmpty()) {
            data.pool = ModelPool::load(p.value(QStringLiteral("pool")));
            data.dataset = loadPromptFile(prompts, data.pool);
            sim.missing = MissingPolicy::Failure; // nothing is recorded
        } else {
            data = loadPricedDataset(datasets, p.value(QStringLiteral("pool")));
        }
        const SimulationSetup setup(data.dataset, data.pool, sim);
        // The configuration as recorded: paths and URLs only; keys are never in a pool.
        QJsonObject config{{QStringLiteral("command"), QStringLiteral("live")},
                           {QStringLiteral("version"), versionString()},
                           {QStringLiteral("datasets"), QJsonArray::fromStringList(datasets)},
                           {QStringLiteral("prompts"), prompts},
                           {QStringLiteral("pool"), p.value(QStringLiteral("pool"))},
                           {QStringLiteral("router"), o.router.toString()},
                           {QStringLiteral("scorer"), o.scorer},
                           {QStringLiteral("preference"), o.preference.toString()},
                           {QStringLiteral("seed"), QString::number(o.seed)},
                           {QStringLiteral("base_url"), displayUrl(o.baseUrl)},
                           {QStringLiteral("stream"), o.stream},
                           {QStringLiteral("retries"), client.maxRetries},
                           {QStringLiteral("concurrency"), client.concurrencyPerEndpoint},
                           {QStringLiteral("setup"), setup.describe()}};
        o.configJson = QJsonDocument(config).toJson(QJsonDocument::Compact);

        ChatClient chat(client);
        std::unique_ptr<WorkspaceStore> store;
        std::unique_ptr<LiveCallLog> log;
        const QString workspace = p.value(QStringLiteral("workspace"));
        if (!workspace.isEmpty()) {
            store = std::make_unique<WorkspaceStore>(workspace);
            log = std::make_unique<LiveCallLog>(*store);
        }
        LiveRunner runner(setup, data.pool, chat, log.get());
        runningLive = &runner;
        auto previous = std::signal(SIGINT, cancelLiveRun);
        std::optional<LiveResult> result;
        try {
            result = runner.run(o, {}, askOnTerminal);
        } catch (const std::invalid_argument& e) {
            std::signal(SIGINT, previous);
            runningLive = nullptr;
            err << "routerlab-cli live: " << e.what() << "\n";
            return kExitFailure;
        }
        std::signal(SIGINT, previous);
        runningLive = nullptr;

        QJsonObject json = result->toJson(o.router.toString(), data.dataset.modelNames);
        json.insert(QStringLiteral("setup"), setup.describe());
        json.insert(QStringLiteral("preference"), o.preference.toString());
        if (store)
            json.insert(QStringLiteral("workspace"),
                        QJsonObject{{QStringLiteral("file"), workspace},
                                    {QStringLiteral("session_id"), result->sessionId}});
        if (p.isSet(QStringLiteral("json"))) {
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
        } else {
            const CellSummary& s = result->summary;
            out << QStringLiteral("%1 prompts routed live (%2 answered, %3 failed), stopped: %4\n")
                       .arg(s.steps)
                       .arg(result->answered)
                       .arg(result->failed)
                       .arg(result->stopReason);
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(QStringLiteral("router"), -28)
                       .arg(QStringLiteral("reward"), 8)
                       .arg(QStringLiteral("quality"), 8)
                       .arg(QStringLiteral("cost $"), 10)
                       .arg(QStringLiteral("lat s"), 7)
                       .arg(QStringLiteral("p95 s"), 7)
                       .arg(QStringLiteral("ttft s"), 7);
            out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                       .arg(o.router.toString(), -28)
                       .arg(s.meanReward, 8, 'f', 4)
                       .arg(s.meanQuality, 8, 'f', 3)
                       .arg(s.totalCostUsd, 10, 'g', 4)
                       .arg(s.meanLatencyS, 7, 'f', 2)
                       .arg(s.p95LatencyS, 7, 'f', 2)
                       .arg(result->meanFirstTokenS, 7, 'f', 2);
            if (result->judgeCostUsd > 0)
                out << QStringLiteral("judge cost $%1 (not in the router's cost)\n")
                           .arg(result->judgeCostUsd, 0, 'g', 4);
        }
        return result->stopReason == QLatin1String("cancelled") ? kExitFailure : kExitOk;
    };
    return c;
}

} // namespace routerlab
