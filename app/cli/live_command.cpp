#include "cli/cli_command.h"

#include "common/version.h"
#include "data/model_pool.h"
#include "formats/dataset_loader.h"
#include "live/live_runner.h"
#include "live/live_session.h"
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

// The numbers of the session and of its calls, with the ranges they are checked against.
std::vector<NumberOption> liveNumbers() {
    using O = NumberOption;
    return {
        O::whole(QStringLiteral("seed"), QStringLiteral("Router seed (default 1)."),
                 QStringLiteral("N"), QStringLiteral("1"), 0, O::kLargestWhole),
        O::whole(QStringLiteral("limit"), QStringLiteral("Route at most N prompts (0: all)."),
                 QStringLiteral("N"), QStringLiteral("0"), 0, 1000000000),
        O::real(QStringLiteral("budget"),
                QStringLiteral("Stop before a call that would take the spend past USD (0: no "
                               "cap)."),
                QStringLiteral("USD"), QStringLiteral("0"), 0, 1000000),
        O::whole(QStringLiteral("max-tokens"), QStringLiteral("max_tokens per answer (0: unset)."),
                 QStringLiteral("N"), QStringLiteral("0"), 0, 10000000),
        O::whole(QStringLiteral("concurrency"),
                 QStringLiteral("Calls in flight per endpoint (default 4)."), QStringLiteral("N"),
                 QStringLiteral("4"), 1, 256),
        O::real(QStringLiteral("timeout"), QStringLiteral("Seconds per attempt (default 120)."),
                QStringLiteral("S"), QStringLiteral("120"), 0.001, 86400),
        O::real(QStringLiteral("connect-timeout"),
                QStringLiteral("Seconds to connect (default 10)."), QStringLiteral("S"),
                QStringLiteral("10"), 0.001, 3600),
        O::whole(QStringLiteral("retries"),
                 QStringLiteral("Retries after a 429, 5xx or network error (default 3)."),
                 QStringLiteral("N"), QStringLiteral("3"), 0, 100),
        O::real(QStringLiteral("backoff"),
                QStringLiteral("First retry delay in seconds, doubled each time (default 0.5)."),
                QStringLiteral("S"), QStringLiteral("0.5"), 0, 3600)};
}

void addLiveNumber(QCommandLineParser& p, const char* name) {
    p.addOption(findNumberOption(liveNumbers(), QLatin1String(name))->commandLineOption());
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

// What to route, through which router, and how the answers are judged.
void describeRoutingOptions(QCommandLineParser& p) {
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
    p.addOption({QStringLiteral("base-url"),
                 QStringLiteral("Send every model to this base URL (e.g. the replay server's)."),
                 QStringLiteral("url")});
    p.addOption({QStringLiteral("router"), QStringLiteral("Router as NAME[:key=value,...]."),
                 QStringLiteral("spec"), defaultLiveRouter()});
    p.addOption({QStringLiteral("scorer"),
                 QStringLiteral("How answers are scored: %1.")
                     .arg(scorerForms().join(QStringLiteral(", "))),
                 QStringLiteral("kind"), QStringLiteral("replay")});
    p.addOption({QStringLiteral("preference"),
                 QStringLiteral("Weights, e.g. quality=0.7,cost=0.3 (default quality=1)."),
                 QStringLiteral("weights"), QStringLiteral("quality=1")});
    addLiveNumber(p, "seed");
    p.addOption({QStringLiteral("sessions"),
                 QStringLiteral("Session rule: category, length:N, column, single."),
                 QStringLiteral("rule"), QStringLiteral("category")});
    p.addOption({QStringLiteral("split"),
                 QStringLiteral("none, random:F or category:A,B (routed on A,B)."),
                 QStringLiteral("rule"), QStringLiteral("none")});
    p.addOption({QStringLiteral("reward"), QStringLiteral("pickllm (default) or linear."),
                 QStringLiteral("kind"), QStringLiteral("pickllm")});
    addLiveNumber(p, "limit");
    addLiveNumber(p, "budget");
}

// Where the session is recorded and how the calls are made.
void describeCallOptions(QCommandLineParser& p) {
    p.addOption({QStringLiteral("workspace"),
                 QStringLiteral("Record the session and every call in this workspace."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("store-responses"),
                 QStringLiteral("Also record the answers' text in the workspace.")});
    p.addOption({QStringLiteral("no-stream"),
                 QStringLiteral("Ask for whole answers (no time to first token).")});
    addLiveNumber(p, "max-tokens");
    p.addOption({QStringLiteral("system"), QStringLiteral("A system message for every call."),
                 QStringLiteral("text")});
    for (const char* name : {"concurrency", "timeout", "connect-timeout", "retries", "backoff"})
        addLiveNumber(p, name);
    p.addOption({QStringLiteral("latency-from-replay"),
                 QStringLiteral("Learn from the replay server's recorded latency, not the "
                                "measured one (reproduces simulate at --latency-scale 0).")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Print JSON on stdout.")});
}

// The command line, read and checked.
struct LiveArguments {
    QStringList datasets;
    QString prompts;
    QString pool;
    QString workspace;
    LiveOptions live;
    SimulationOptions simulation;
    ClientOptions client;
};

// Parses the specs (router, preference, rules, scorer); false after telling `err` why.
bool readSpecs(const QCommandLineParser& p, LiveArguments& a, QTextStream& err) {
    try {
        a.live.router = RouterSpec::parse(p.value(QStringLiteral("router")));
        RouterRegistry::instance().resolve(a.live.router);
        a.live.preference = Preference::parse(p.value(QStringLiteral("preference")));
        a.simulation.sessions = SessionRule::parse(p.value(QStringLiteral("sessions")));
        a.simulation.split = SplitRule::parse(p.value(QStringLiteral("split")));
        a.simulation.reward = rewardKindFromName(p.value(QStringLiteral("reward")));
        makeScorer(p.value(QStringLiteral("scorer")).startsWith(QLatin1String("judge"))
                       ? QStringLiteral("exact") // checked against the pool once loaded
                       : p.value(QStringLiteral("scorer")));
    } catch (const std::invalid_argument& e) {
        err << "routerlab-cli live: " << e.what() << "\n";
        return false;
    }
    a.live.scorer = p.value(QStringLiteral("scorer"));
    return true;
}

// The numbers of the session and of its calls (runCli has checked them).
void readNumbers(const QCommandLineParser& p, LiveArguments& a) {
    const std::vector<NumberOption> n = liveNumbers();
    LiveOptions& o = a.live;
    ClientOptions& client = a.client;
    o.seed = wholeValue(n, p, QStringLiteral("seed"));
    o.limit = static_cast<int>(wholeValue(n, p, QStringLiteral("limit")));
    o.budgetUsd = realValue(n, p, QStringLiteral("budget"));
    o.maxTokens = static_cast<int>(wholeValue(n, p, QStringLiteral("max-tokens")));
    client.concurrencyPerEndpoint =
        static_cast<int>(wholeValue(n, p, QStringLiteral("concurrency")));
    client.requestTimeoutS = realValue(n, p, QStringLiteral("timeout"));
    client.connectTimeoutS = realValue(n, p, QStringLiteral("connect-timeout"));
    client.maxRetries = static_cast<int>(wholeValue(n, p, QStringLiteral("retries")));
    client.backoffBaseS = realValue(n, p, QStringLiteral("backoff"));
    client.jitterSeed = o.seed;
}

// kExitOk with `a` filled in, or kExitUsage after telling `err` what is wrong.
int readArguments(const QCommandLineParser& p, LiveArguments& a, QTextStream& err) {
    a.datasets = p.values(QStringLiteral("dataset"));
    a.prompts = p.value(QStringLiteral("prompts"));
    a.pool = p.value(QStringLiteral("pool"));
    a.workspace = p.value(QStringLiteral("workspace"));
    if (a.datasets.isEmpty() == a.prompts.isEmpty()) {
        err << "routerlab-cli live: give --dataset or --prompts (one of them)\n";
        return kExitUsage;
    }
    if (!a.prompts.isEmpty() && a.pool.isEmpty()) {
        err << "routerlab-cli live: --prompts needs --pool\n";
        return kExitUsage;
    }
    if (!readSpecs(p, a, err))
        return kExitUsage;
    readNumbers(p, a);
    a.live.storeResponses = p.isSet(QStringLiteral("store-responses"));
    a.live.stream = !p.isSet(QStringLiteral("no-stream"));
    a.live.system = p.value(QStringLiteral("system"));
    a.live.baseUrl = p.value(QStringLiteral("base-url"));
    if (!a.live.baseUrl.isEmpty()) {
        if (const QString problem = baseUrlProblem(a.live.baseUrl); !problem.isEmpty()) {
            err << "routerlab-cli live: --base-url " << problem << "\n";
            return kExitUsage;
        }
    }
    a.live.latencyFromReplay = p.isSet(QStringLiteral("latency-from-replay"));
    return kExitOk;
}

// The prompts and the pool: a dataset with its pool, or prompts alone priced by the pool.
PricedDataset loadLiveData(LiveArguments& a) {
    PricedDataset data;
    if (a.prompts.isEmpty())
        return loadPricedDataset(a.datasets, a.pool);
    data.pool = ModelPool::load(a.pool);
    data.dataset = loadPromptFile(a.prompts, data.pool);
    a.simulation.missing = MissingPolicy::Failure; // nothing is recorded
    return data;
}

// The configuration as recorded: paths and URLs only; keys are never in a pool.
QByteArray recordedConfig(const LiveArguments& a, const SimulationSetup& setup) {
    const LiveOptions& o = a.live;
    const QJsonObject config{{QStringLiteral("command"), QStringLiteral("live")},
                             {QStringLiteral("version"), versionString()},
                             {QStringLiteral("datasets"), QJsonArray::fromStringList(a.datasets)},
                             {QStringLiteral("prompts"), a.prompts},
                             {QStringLiteral("pool"), a.pool},
                             {QStringLiteral("router"), o.router.toString()},
                             {QStringLiteral("scorer"), o.scorer},
                             {QStringLiteral("preference"), o.preference.toString()},
                             {QStringLiteral("seed"), QString::number(o.seed)},
                             {QStringLiteral("base_url"), displayUrl(o.baseUrl)},
                             {QStringLiteral("stream"), o.stream},
                             {QStringLiteral("retries"), a.client.maxRetries},
                             {QStringLiteral("concurrency"), a.client.concurrencyPerEndpoint},
                             {QStringLiteral("setup"), setup.describe()}};
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

// Runs with Ctrl-C cancelling the run (it ends the call in flight and keeps what finished).
// Throws std::invalid_argument when the run cannot start.
LiveResult runUntilInterrupted(LiveRunner& runner, const LiveOptions& options) {
    runningLive = &runner;
    const auto previous = std::signal(SIGINT, cancelLiveRun);
    struct Restore { // the handler goes back, exceptions included
        decltype(previous) handler;
        ~Restore() {
            std::signal(SIGINT, handler);
            runningLive = nullptr;
        }
    } restore{previous};
    return runner.run(options, {}, askOnTerminal);
}

void printTable(const LiveArguments& a, const LiveResult& result, QTextStream& out) {
    const CellSummary& s = result.summary;
    out << QStringLiteral("%1 prompts routed live (%2 answered, %3 failed), stopped: %4\n")
               .arg(s.steps)
               .arg(result.answered)
               .arg(result.failed)
               .arg(result.stopReason);
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("router"), -28)
               .arg(QStringLiteral("reward"), 8)
               .arg(QStringLiteral("quality"), 8)
               .arg(QStringLiteral("cost $"), 10)
               .arg(QStringLiteral("lat s"), 7)
               .arg(QStringLiteral("p95 s"), 7)
               .arg(QStringLiteral("ttft s"), 7);
    out << QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(a.live.router.toString(), -28)
               .arg(s.meanReward, 8, 'f', 4)
               .arg(s.meanQuality, 8, 'f', 3)
               .arg(s.totalCostUsd, 10, 'g', 4)
               .arg(s.meanLatencyS, 7, 'f', 2)
               .arg(s.p95LatencyS, 7, 'f', 2)
               .arg(result.meanFirstTokenS, 7, 'f', 2);
    if (result.judgeCostUsd > 0)
        out << QStringLiteral("judge cost $%1 (not in the router's cost)\n")
                   .arg(result.judgeCostUsd, 0, 'g', 4);
}

void printJson(const LiveArguments& a, const SimulationSetup& setup, const LiveResult& result,
               QTextStream& out) {
    QJsonObject json = result.toJson(a.live.router.toString(), setup.dataset().modelNames);
    json.insert(QStringLiteral("setup"), setup.describe());
    json.insert(QStringLiteral("preference"), a.live.preference.toString());
    if (!a.workspace.isEmpty())
        json.insert(QStringLiteral("workspace"),
                    QJsonObject{{QStringLiteral("file"), a.workspace},
                                {QStringLiteral("session_id"), result.sessionId}});
    out << QJsonDocument(json).toJson(QJsonDocument::Indented);
}

// Says why calls failed; a run in which no call was answered, or that was cancelled, fails.
int reportFailures(const LiveResult& result, QTextStream& err) {
    if (result.failed > 0 && result.answered == 0) {
        err << "routerlab-cli live: every call failed (" << result.failed
            << "); the first: " << result.firstError << "\n";
        return kExitFailure;
    }
    if (result.failed > 0)
        err << "routerlab-cli live: " << result.failed << " of " << result.failed + result.answered
            << " calls failed; the first: " << result.firstError << "\n";
    return result.stopReason == QLatin1String("cancelled") ? kExitFailure : kExitOk;
}

int runLive(const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
    LiveArguments a;
    if (const int code = readArguments(p, a, err); code != kExitOk)
        return code;
    const PricedDataset data = loadLiveData(a);
    const SimulationSetup setup(data.dataset, data.pool, a.simulation);
    a.live.configJson = recordedConfig(a, setup);

    ChatClient chat(a.client);
    std::unique_ptr<WorkspaceStore> store;
    if (!a.workspace.isEmpty())
        store = std::make_unique<WorkspaceStore>(a.workspace);
    LiveRunner runner(setup, data.pool, chat, store.get());
    LiveResult result;
    try {
        result = runUntilInterrupted(runner, a.live);
    } catch (const std::invalid_argument& e) {
        err << "routerlab-cli live: " << e.what() << "\n";
        return kExitFailure;
    }
    if (p.isSet(QStringLiteral("json")))
        printJson(a, setup, result, out);
    else
        printTable(a, result, out);
    return reportFailures(result, err);
}

} // namespace

CliCommand liveCommand() {
    CliCommand c;
    c.name = QStringLiteral("live");
    c.summary = QStringLiteral("Route prompts to real Chat Completions endpoints, score the "
                               "answers, and summarise as simulate does.");
    c.numbers = liveNumbers();
    c.describe = [](QCommandLineParser& p) {
        describeRoutingOptions(p);
        describeCallOptions(p);
    };
    c.run = runLive;
    return c;
}

} // namespace routerlab
