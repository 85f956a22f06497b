#include "cli/cli_command.h"

#include "formats/dataset_loader.h"
#include "replay/replay_server.h"

#include <QCoreApplication>

namespace routerlab {

namespace {

std::vector<NumberOption> serveNumbers() {
    auto rate = [](const char* name, const QString& description) {
        return NumberOption::real(QLatin1String(name), description, QStringLiteral("rate"), {}, 0,
                                  1);
    };
    return {
        NumberOption::whole(QStringLiteral("port"),
                            QStringLiteral("TCP port on 127.0.0.1; 0 (default) picks a free one."),
                            QStringLiteral("N"), QStringLiteral("0"), 0, 65535),
        NumberOption::real(QStringLiteral("latency-scale"),
                           QStringLiteral("Multiply recorded latencies (0: answer at once; "
                                          "default 1)."),
                           QStringLiteral("F"), QStringLiteral("1"), 0, 1000),
        rate("faults", QStringLiteral("Total fault rate, split evenly over the five kinds below.")),
        rate("fault-429", QStringLiteral("Rate of 429 Too Many Requests with Retry-After.")),
        rate("fault-500", QStringLiteral("Rate of 500 errors.")),
        rate("fault-slow", QStringLiteral("Rate of answers whose first byte comes "
                                          "--slow-first-byte seconds late.")),
        rate("fault-drop",
             QStringLiteral("Rate of connections dropped half-way through the answer.")),
        rate("fault-malformed", QStringLiteral("Rate of answers with cut-short JSON.")),
        NumberOption::real(QStringLiteral("retry-after"),
                           QStringLiteral("Retry-After seconds sent with a 429 (default 1)."),
                           QStringLiteral("S"), QStringLiteral("1"), 0, 3600),
        NumberOption::real(QStringLiteral("slow-first-byte"),
                           QStringLiteral("Extra seconds before a slow answer's first byte "
                                          "(default 2)."),
                           QStringLiteral("S"), QStringLiteral("2"), 0, 3600),
        NumberOption::whole(
            QStringLiteral("seed"), QStringLiteral("Seed of the fault draws (default 1)."),
            QStringLiteral("N"), QStringLiteral("1"), 0, NumberOption::kLargestWhole),
        NumberOption::whole(QStringLiteral("embedding-dimension"),
                            QStringLiteral("Size of the vectors POST /v1/embeddings answers with "
                                           "(default 64)."),
                            QStringLiteral("D"), QStringLiteral("64"), 1, 65536),
        NumberOption::whole(QStringLiteral("max-connections"),
                            QStringLiteral("Connections held at once; beyond it the longest-idle "
                                           "one is closed (default 4096)."),
                            QStringLiteral("N"), QStringLiteral("4096"), 1, 100000),
        NumberOption::real(QStringLiteral("idle-timeout"),
                           QStringLiteral("Seconds a connection may go without a whole request "
                                          "or a read reply (default 30)."),
                           QStringLiteral("S"), QStringLiteral("30"), 0.05, 86400)};
}

// A rate when given; `rate` is left as it is otherwise.
void readRate(const QCommandLineParser& p, const char* name, double& rate) {
    if (p.isSet(QLatin1String(name)))
        rate = realValue(serveNumbers(), p, QLatin1String(name));
}

void describeServeOptions(QCommandLineParser& p) {
    p.addOption({QStringLiteral("dataset"),
                 QStringLiteral("Dataset file or folder to replay (repeatable)."),
                 QStringLiteral("path")});
    p.addOption({QStringLiteral("pool"),
                 QStringLiteral("Pool file (optional when the data records costs)."),
                 QStringLiteral("file")});
    addNumberOptions(p, serveNumbers());
    p.addOption({QStringLiteral("require-key-env"),
                 QStringLiteral("Refuse requests whose bearer token is not the value of this "
                                "environment variable."),
                 QStringLiteral("NAME")});
}

// The fault rates: --faults split evenly over the five kinds, then each kind's own option.
bool readFaults(const QCommandLineParser& p, ReplayOptions& o, QTextStream& err) {
    double all = 0;
    readRate(p, "faults", all);
    o.rate429 = o.rate500 = o.rateSlowFirstByte = o.rateDrop = o.rateMalformed = all / 5;
    readRate(p, "fault-429", o.rate429);
    readRate(p, "fault-500", o.rate500);
    readRate(p, "fault-slow", o.rateSlowFirstByte);
    readRate(p, "fault-drop", o.rateDrop);
    readRate(p, "fault-malformed", o.rateMalformed);
    if (o.rate429 + o.rate500 + o.rateSlowFirstByte + o.rateDrop + o.rateMalformed > 1) {
        err << "routerlab-cli serve: the fault rates add up to more than 1\n";
        return false;
    }
    return true;
}

// The port and the server's options (runCli has checked the numbers); false after telling
// `err` what is wrong.
bool readServeOptions(const QCommandLineParser& p, int& port, ReplayOptions& o, QTextStream& err) {
    const std::vector<NumberOption> numbers = serveNumbers();
    port = static_cast<int>(wholeValue(numbers, p, QStringLiteral("port")));
    if (!readFaults(p, o, err))
        return false;
    o.latencyScale = realValue(numbers, p, QStringLiteral("latency-scale"));
    o.retryAfterS = realValue(numbers, p, QStringLiteral("retry-after"));
    o.slowFirstByteS = realValue(numbers, p, QStringLiteral("slow-first-byte"));
    o.seed = wholeValue(numbers, p, QStringLiteral("seed"));
    o.requireKeyEnv = p.value(QStringLiteral("require-key-env"));
    o.embeddingDimension =
        static_cast<int>(wholeValue(numbers, p, QStringLiteral("embedding-dimension")));
    o.maxConnections = static_cast<int>(wholeValue(numbers, p, QStringLiteral("max-connections")));
    o.idleTimeoutS = realValue(numbers, p, QStringLiteral("idle-timeout"));
    return true;
}

int runServe(const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
    if (!QCoreApplication::instance()) {
        err << "routerlab-cli serve: needs an application event loop\n";
        return kExitFailure;
    }
    const QStringList datasets = p.values(QStringLiteral("dataset"));
    if (datasets.isEmpty()) {
        err << "routerlab-cli serve: give --dataset\n";
        return kExitUsage;
    }
    int port = 0;
    ReplayOptions o;
    if (!readServeOptions(p, port, o, err))
        return kExitUsage;

    const PricedDataset data = loadPricedDataset(datasets, p.value(QStringLiteral("pool")));
    ReplayServer server(data.dataset, data.pool, o);
    if (!server.listen(static_cast<quint16>(port))) {
        err << "routerlab-cli serve: cannot listen on 127.0.0.1:" << port << ": "
            << server.errorString() << "\n";
        return kExitFailure;
    }
    // Tests and scripts read the port from this line.
    out << "listening on http://127.0.0.1:" << server.port() << "/v1 ("
        << data.dataset.promptCount() << " prompts, " << data.dataset.modelCount()
        << " models; a replay of recorded outcomes, not a model)" << Qt::endl;
    return QCoreApplication::exec();
}

} // namespace

CliCommand serveCommand() {
    CliCommand c;
    c.name = QStringLiteral("serve");
    c.summary = QStringLiteral("Replay a dataset as a Chat Completions server on 127.0.0.1 (a "
                               "stand-in for a provider, for demos and tests).");
    c.numbers = serveNumbers();
    c.describe = describeServeOptions;
    c.run = runServe;
    return c;
}

} // namespace routerlab
