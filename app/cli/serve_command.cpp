#include "cli/cli_command.h"

#include "formats/dataset_loader.h"
#include "replay/replay_server.h"

#include <QCoreApplication>

namespace routerlab {

namespace {

bool readRate(const QCommandLineParser& p, const QString& name, double& rate, QTextStream& err) {
    if (!p.isSet(name))
        return true;
    bool ok = false;
    rate = p.value(name).toDouble(&ok);
    if (!ok || rate < 0 || rate > 1) {
        err << "routerlab-cli serve: --" << name << " must be a rate within 0..1\n";
        return false;
    }
    return true;
}

bool readSeconds(const QCommandLineParser& p, const QString& name, double& value,
                 QTextStream& err) {
    bool ok = false;
    value = p.value(name).toDouble(&ok);
    if (!ok || value < 0) {
        err << "routerlab-cli serve: --" << name << " must be a number >= 0\n";
        return false;
    }
    return true;
}

void describeServeOptions(QCommandLineParser& p) {
    p.addOption({QStringLiteral("dataset"),
                 QStringLiteral("Dataset file or folder to replay (repeatable)."),
                 QStringLiteral("path")});
    p.addOption({QStringLiteral("pool"),
                 QStringLiteral("Pool file (optional when the data records costs)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("port"),
                 QStringLiteral("TCP port on 127.0.0.1; 0 (default) picks a free one."),
                 QStringLiteral("N"), QStringLiteral("0")});
    p.addOption({QStringLiteral("latency-scale"),
                 QStringLiteral("Multiply recorded latencies (0: answer at once; default 1)."),
                 QStringLiteral("F"), QStringLiteral("1")});
    p.addOption({QStringLiteral("faults"),
                 QStringLiteral("Total fault rate, split evenly over the five kinds below."),
                 QStringLiteral("rate")});
    p.addOption({QStringLiteral("fault-429"),
                 QStringLiteral("Rate of 429 Too Many Requests with Retry-After."),
                 QStringLiteral("rate")});
    p.addOption({QStringLiteral("fault-500"), QStringLiteral("Rate of 500 errors."),
                 QStringLiteral("rate")});
    p.addOption({QStringLiteral("fault-slow"),
                 QStringLiteral("Rate of answers whose first byte comes --slow-first-byte "
                                "seconds late."),
                 QStringLiteral("rate")});
    p.addOption({QStringLiteral("fault-drop"),
                 QStringLiteral("Rate of connections dropped half-way through the answer."),
                 QStringLiteral("rate")});
    p.addOption({QStringLiteral("fault-malformed"),
                 QStringLiteral("Rate of answers with cut-short JSON."), QStringLiteral("rate")});
    p.addOption({QStringLiteral("retry-after"),
                 QStringLiteral("Retry-After seconds sent with a 429 (default 1)."),
                 QStringLiteral("S"), QStringLiteral("1")});
    p.addOption({QStringLiteral("slow-first-byte"),
                 QStringLiteral("Extra seconds before a slow answer's first byte (default 2)."),
                 QStringLiteral("S"), QStringLiteral("2")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Seed of the fault draws (default 1)."),
                 QStringLiteral("N"), QStringLiteral("1")});
    p.addOption({QStringLiteral("require-key-env"),
                 QStringLiteral("Refuse requests whose bearer token is not the value of this "
                                "environment variable."),
                 QStringLiteral("NAME")});
    p.addOption({QStringLiteral("embedding-dimension"),
                 QStringLiteral("Size of the vectors POST /v1/embeddings answers with "
                                "(default 64)."),
                 QStringLiteral("D"), QStringLiteral("64")});
    p.addOption({QStringLiteral("max-connections"),
                 QStringLiteral("Connections held at once; beyond it the longest-idle one is "
                                "closed (default 4096)."),
                 QStringLiteral("N"), QStringLiteral("4096")});
    p.addOption({QStringLiteral("idle-timeout"),
                 QStringLiteral("Seconds a connection may go without a whole request or a read "
                                "reply (default 30)."),
                 QStringLiteral("S"), QStringLiteral("30")});
}

// The fault rates: --faults split evenly over the five kinds, then each kind's own option.
bool readFaults(const QCommandLineParser& p, ReplayOptions& o, QTextStream& err) {
    double all = 0;
    if (!readRate(p, QStringLiteral("faults"), all, err))
        return false;
    o.rate429 = o.rate500 = o.rateSlowFirstByte = o.rateDrop = o.rateMalformed = all / 5;
    if (!readRate(p, QStringLiteral("fault-429"), o.rate429, err) ||
        !readRate(p, QStringLiteral("fault-500"), o.rate500, err) ||
        !readRate(p, QStringLiteral("fault-slow"), o.rateSlowFirstByte, err) ||
        !readRate(p, QStringLiteral("fault-drop"), o.rateDrop, err) ||
        !readRate(p, QStringLiteral("fault-malformed"), o.rateMalformed, err) ||
        !readSeconds(p, QStringLiteral("latency-scale"), o.latencyScale, err) ||
        !readSeconds(p, QStringLiteral("retry-after"), o.retryAfterS, err) ||
        !readSeconds(p, QStringLiteral("slow-first-byte"), o.slowFirstByteS, err))
        return false;
    if (o.rate429 + o.rate500 + o.rateSlowFirstByte + o.rateDrop + o.rateMalformed > 1) {
        err << "routerlab-cli serve: the fault rates add up to more than 1\n";
        return false;
    }
    return true;
}

// The port and the server's options; false after telling `err` what is wrong.
bool readServeOptions(const QCommandLineParser& p, int& port, ReplayOptions& o, QTextStream& err) {
    bool ok = false;
    port = p.value(QStringLiteral("port")).toInt(&ok);
    if (!ok || port < 0 || port > 65535) {
        err << "routerlab-cli serve: --port must be within 0..65535\n";
        return false;
    }
    if (!readFaults(p, o, err))
        return false;
    o.seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
    if (!ok) {
        err << "routerlab-cli serve: --seed must be a whole number >= 0\n";
        return false;
    }
    o.requireKeyEnv = p.value(QStringLiteral("require-key-env"));
    o.embeddingDimension = p.value(QStringLiteral("embedding-dimension")).toInt(&ok);
    if (!ok || o.embeddingDimension < 1 || o.embeddingDimension > 65536) {
        err << "routerlab-cli serve: --embedding-dimension must be within 1..65536\n";
        return false;
    }
    o.maxConnections = p.value(QStringLiteral("max-connections")).toInt(&ok);
    if (!ok || o.maxConnections < 1 || o.maxConnections > 100000) {
        err << "routerlab-cli serve: --max-connections must be within 1..100000\n";
        return false;
    }
    o.idleTimeoutS = p.value(QStringLiteral("idle-timeout")).toDouble(&ok);
    if (!ok || !(o.idleTimeoutS >= 0.05 && o.idleTimeoutS <= 86400)) {
        err << "routerlab-cli serve: --idle-timeout must be within 0.05..86400 seconds\n";
        return false;
    }
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
    c.describe = describeServeOptions;
    c.run = runServe;
    return c;
}

} // namespace routerlab
