#include "cli/cli_command.h"

#include "experiment/simulation_arguments.h"
#include "formats/dataset_loader.h"
#include "proxy/proxy_server.h"
#include "store/workspace_store.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>
#include <atomic>
#include <csignal>

namespace routerlab {

namespace {

std::atomic_bool stopRequested{false};

void requestStop(int) {
    stopRequested = true;
}

std::vector<NumberOption> proxyNumbers() {
    using O = NumberOption;
    std::vector<NumberOption> numbers = simulationNumberOptions(QStringLiteral("proxy"));
    const std::vector<NumberOption> own{
        O::whole(QStringLiteral("port"), QStringLiteral("Port to listen on (0: a free one)."),
                 QStringLiteral("N"), QStringLiteral("8300"), 0, 65535),
        O::whole(QStringLiteral("fallbacks"),
                 QStringLiteral("Further models tried, in the router's order, after a 429, 5xx, "
                                "timeout or broken answer (default 2)."),
                 QStringLiteral("K"), QStringLiteral("2"), 0, 64),
        O::real(QStringLiteral("budget-usd-per-day"),
                QStringLiteral("Refuse calls (429) once a UTC day's spend would pass USD (0: no "
                               "cap)."),
                QStringLiteral("USD"), QStringLiteral("0"), 0, 1e9),
        O::real(QStringLiteral("key-budget-usd-per-day"),
                QStringLiteral("The same cap for each client key (0: no cap)."),
                QStringLiteral("USD"), QStringLiteral("0"), 0, 1e9),
        O::whole(QStringLiteral("concurrency-per-endpoint"),
                 QStringLiteral("Upstream calls in flight per endpoint; more wait in line "
                                "(default 64)."),
                 QStringLiteral("N"), QStringLiteral("64"), 1, 4096),
        O::real(QStringLiteral("timeout"),
                QStringLiteral("Seconds an upstream call may take before the next model is "
                               "tried (default 120)."),
                QStringLiteral("S"), QStringLiteral("120"), 0.001, 86400),
        O::whole(QStringLiteral("max-connections"),
                 QStringLiteral("Open client connections at most (default 4096)."),
                 QStringLiteral("N"), QStringLiteral("4096"), 1, 1000000)};
    numbers.insert(numbers.end(), own.begin(), own.end());
    return numbers;
}

void describeProxyOptions(QCommandLineParser& p) {
    describeSimulationOptions(p, QStringLiteral("proxy"));
    const std::vector<NumberOption> numbers = proxyNumbers();
    for (const char* name : {"port", "fallbacks", "budget-usd-per-day", "key-budget-usd-per-day",
                             "concurrency-per-endpoint", "timeout", "max-connections"})
        p.addOption(findNumberOption(numbers, QLatin1String(name))->commandLineOption());
    p.addOption({QStringLiteral("listen"),
                 QStringLiteral("Address to listen on (default 127.0.0.1); any other needs "
                                "--require-key-env."),
                 QStringLiteral("address"), QStringLiteral("127.0.0.1")});
    p.addOption({QStringLiteral("require-key-env"),
                 QStringLiteral("Accept only requests with \"Authorization: Bearer K\" for a key "
                                "K in this environment variable (comma-separated keys)."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("base-url"),
                 QStringLiteral("Send every model to this base URL (e.g. the replay server's)."),
                 QStringLiteral("url")});
}

// The configuration recorded with the session: names, paths and addresses, never a key.
QByteArray configJson(const SimulationArguments& a, const QCommandLineParser& p) {
    QJsonObject json{{QStringLiteral("command"), QStringLiteral("proxy")},
                     {QStringLiteral("datasets"), QJsonArray::fromStringList(a.datasets)},
                     {QStringLiteral("pool"), a.pool},
                     {QStringLiteral("router"), a.routers.front().toString()},
                     {QStringLiteral("features"), a.options.features},
                     {QStringLiteral("preference"), a.preference.toString()},
                     {QStringLiteral("listen"), p.value(QStringLiteral("listen"))}};
    if (p.isSet(QStringLiteral("base-url")))
        json.insert(QStringLiteral("base_url"), p.value(QStringLiteral("base-url")));
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

bool readProxyOptions(const QCommandLineParser& p, const SimulationArguments& a, ProxyOptions& o,
                      QTextStream& err) {
    const std::vector<NumberOption> numbers = proxyNumbers();
    o.preference = a.preference;
    o.fallbacks = static_cast<int>(wholeValue(numbers, p, QStringLiteral("fallbacks")));
    o.budgetUsdPerDay = realValue(numbers, p, QStringLiteral("budget-usd-per-day"));
    o.keyBudgetUsdPerDay = realValue(numbers, p, QStringLiteral("key-budget-usd-per-day"));
    o.client.concurrencyPerEndpoint =
        static_cast<int>(wholeValue(numbers, p, QStringLiteral("concurrency-per-endpoint")));
    o.client.requestTimeoutS = realValue(numbers, p, QStringLiteral("timeout"));
    o.maxConnections = static_cast<int>(wholeValue(numbers, p, QStringLiteral("max-connections")));
    o.requireKeyEnv = p.value(QStringLiteral("require-key-env"));
    o.baseUrl = p.value(QStringLiteral("base-url"));
    o.routerSpec = a.routers.front().toString();
    o.configJson = configJson(a, p);
    const char* served = "the proxy routes the requests it is sent, recorded with --workspace";
    return refuseOptionsNotTaken(p, QStringLiteral("proxy"),
                                 {{"shard", served},
                                  {"out", served},
                                  {"resume", served},
                                  {"test-dataset", served},
                                  {"seeds", served},
                                  {"sessions", served},
                                  {"session-length", served},
                                  {"save-experiment", served}},
                                 err);
}

int runProxy(const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
    if (!QCoreApplication::instance()) {
        err << "routerlab-cli proxy: needs an application event loop\n";
        return kExitFailure;
    }
    SimulationArguments a;
    if (!parseSimulationArguments(p, QStringLiteral("proxy"), a, err))
        return kExitUsage;
    if (p.values(QStringLiteral("router")).size() != 1) {
        err << "routerlab-cli proxy: give one --router (it may serve: "
            << ProxyRouting::servableRouters().join(QStringLiteral(", ")) << ")\n";
        return kExitUsage;
    }
    ProxyOptions o;
    if (!readProxyOptions(p, a, o, err))
        return kExitUsage;
    const QHostAddress address(p.value(QStringLiteral("listen")));
    if (address.isNull()) {
        err << "routerlab-cli proxy: --listen: '" << p.value(QStringLiteral("listen"))
            << "' is not an IP address\n";
        return kExitUsage;
    }
    const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
    const SimulationSetup setup(data.dataset, data.pool, a.options);
    ProxyRouting routing(setup, a.routers.front());
    std::unique_ptr<WorkspaceStore> store;
    if (!a.workspace.isEmpty())
        store = std::make_unique<WorkspaceStore>(a.workspace);
    ProxyServer server(routing, data.pool, o, store.get());
    const quint16 port =
        static_cast<quint16>(wholeValue(proxyNumbers(), p, QStringLiteral("port")));
    if (!server.listen(address, port)) {
        err << "routerlab-cli proxy: cannot listen on " << address.toString() << ":" << port << ": "
            << server.errorString() << "\n";
        return kExitFailure;
    }
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    QTimer stopWatch;
    QObject::connect(&stopWatch, &QTimer::timeout, [] {
        if (stopRequested)
            QCoreApplication::quit();
    });
    stopWatch.start(100);
    // Tests and scripts read the port from this line.
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(address.toString())
                             : address.toString();
    out << "listening on http://" << host << ":" << server.port() << "/v1 (router "
        << a.routers.front().toString() << ", " << routing.models().size() << " models, preference "
        << a.preference.toString() << ")" << Qt::endl;
    const int code = QCoreApplication::exec();
    server.finish(QStringLiteral("stopped"));
    const ProxyStats& s = server.stats();
    err << "routerlab-cli proxy: " << s.requests << " requests, " << s.answered << " answered, "
        << s.failed << " failed, " << s.refused << " refused, " << s.fallbacks << " fallbacks, $"
        << QString::number(s.spentUsd, 'f', 4) << " spent\n";
    return code;
}

} // namespace

CliCommand proxyCommand() {
    CliCommand c;
    c.name = QStringLiteral("proxy");
    c.summary = QStringLiteral("Serve a router as an OpenAI-compatible Chat Completions endpoint "
                               "in front of the pool's models.");
    c.numbers = proxyNumbers();
    c.describe = describeProxyOptions;
    c.run = runProxy;
    return c;
}

} // namespace routerlab
