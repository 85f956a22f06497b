// What the routing proxy adds: latency at p50 and p99 at a steady 500 requests per second,
// and the most requests per second it answers, each against the replay server at zero latency
// (separate processes on 127.0.0.1; the proxy pinned to one core when taskset exists). The
// same load straight to the replay server gives the baseline the proxy's figures are read
// against. Prints figures; asserts nothing.
#include "formats/dataset_loader.h"
#include "http/chat_client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <algorithm>
#include <cstdio>
#include <mutex>
#include <thread>

using namespace routerlab;

namespace {

// Starts `program args`, returns the port of its "listening on" line (0 on failure).
int startServer(QProcess& process, const QString& program, const QStringList& args) {
    process.start(program, args);
    QByteArray output;
    static const QRegularExpression listening(QStringLiteral("127\\.0\\.0\\.1:(\\d+)/v1"));
    while (process.waitForReadyRead(120000)) {
        output += process.readAllStandardOutput();
        const QRegularExpressionMatch m = listening.match(QString::fromUtf8(output));
        if (m.hasMatch())
            return m.captured(1).toInt();
    }
    std::fprintf(stderr, "bench_proxy: %s did not start: %s\n", qPrintable(args.join(' ')),
                 process.readAllStandardError().constData());
    return 0;
}

struct Load {
    std::vector<double> latencyMs;
    int failed = 0;
    double seconds = 0;
};

// `count` calls of `model` at `rate` per second (0: as fast as `inFlight` allows).
Load drive(const QString& baseUrl, const QString& model, const Dataset& dataset, int count,
           double rate, int inFlight) {
    ClientOptions options;
    options.concurrencyPerEndpoint = inFlight;
    options.maxRetries = 0;
    ChatClient client(options);
    Load load;
    std::mutex mutex;
    int done = 0;
    QElapsedTimer clock;
    clock.start();
    for (int n = 0; n < count; ++n) {
        if (rate > 0) {
            const qint64 due = static_cast<qint64>(n * 1e9 / rate);
            while (clock.nsecsElapsed() < due)
                std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
        ChatCall call;
        call.modelId = model;
        call.endpoint.baseUrl = baseUrl;
        call.endpoint.remoteModel = model;
        call.prompt = dataset.promptTexts[std::size_t(n % dataset.promptCount())];
        call.stream = false;
        client.submit(call, [&](ChatResult r) {
            const std::lock_guard lock(mutex);
            if (r.ok())
                load.latencyMs.push_back(r.latencyS * 1000);
            else
                ++load.failed;
            ++done;
        });
    }
    for (;;) {
        {
            const std::lock_guard lock(mutex);
            if (done == count)
                break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    load.seconds = clock.nsecsElapsed() * 1e-9;
    std::sort(load.latencyMs.begin(), load.latencyMs.end());
    return load;
}

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty())
        return 0;
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()))];
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    const QString sample = QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR);
    const QString dataset = sample + QStringLiteral("/sample.csv");
    const QString pool = sample + QStringLiteral("/sample.pool.json");
    const QString router = argc > 1 ? QString::fromLocal8Bit(argv[1]) : QStringLiteral("knn");
    const PricedDataset data = loadPricedDataset({dataset}, pool);
    const QString cli = QStringLiteral(ROUTERLAB_CLI_PATH);

    QProcess replay;
    const int replayPort =
        startServer(replay, cli,
                    {QStringLiteral("serve"), QStringLiteral("--dataset"), dataset,
                     QStringLiteral("--pool"), pool, QStringLiteral("--latency-scale"),
                     QStringLiteral("0"), QStringLiteral("--port"), QStringLiteral("0")});
    if (replayPort == 0)
        return 1;
    const QString replayUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(replayPort);
    const bool pin = !QStandardPaths::findExecutable(QStringLiteral("taskset")).isEmpty();
    QStringList proxyArgs{QStringLiteral("proxy"),
                          QStringLiteral("--dataset"),
                          dataset,
                          QStringLiteral("--pool"),
                          pool,
                          QStringLiteral("--router"),
                          router,
                          QStringLiteral("--split"),
                          QStringLiteral("random:0.5"),
                          QStringLiteral("--base-url"),
                          replayUrl,
                          QStringLiteral("--port"),
                          QStringLiteral("0")};
    QProcess proxy;
    const int proxyPort =
        pin ? startServer(proxy, QStringLiteral("taskset"),
                          QStringList{QStringLiteral("-c"), QStringLiteral("0"), cli} + proxyArgs)
            : startServer(proxy, cli, proxyArgs);
    if (proxyPort == 0)
        return 1;
    const QString proxyUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(proxyPort);
    const QString direct = data.dataset.modelNames.front();

    std::printf("RouterLab proxy benchmark: router %s, %d prompts, upstream the replay server at "
                "zero latency; proxy %s\n",
                qPrintable(router), data.dataset.promptCount(),
                pin ? "pinned to one core" : "unpinned");
    drive(proxyUrl, QStringLiteral("routerlab"), data.dataset, 200, 0, 8); // warm up
    const int steady = 2500;
    const Load base = drive(replayUrl, direct, data.dataset, steady, 500, 64);
    const Load routed = drive(proxyUrl, QStringLiteral("routerlab"), data.dataset, steady, 500, 64);
    std::printf("at 500 requests/s (%d requests):\n", steady);
    std::printf("  %-28s p50 %6.3f ms  p99 %6.3f ms  failed %d\n", "straight to the upstream",
                percentile(base.latencyMs, 0.5), percentile(base.latencyMs, 0.99), base.failed);
    std::printf("  %-28s p50 %6.3f ms  p99 %6.3f ms  failed %d\n", "through the proxy",
                percentile(routed.latencyMs, 0.5), percentile(routed.latencyMs, 0.99),
                routed.failed);
    std::printf("  %-28s p50 %6.3f ms  p99 %6.3f ms\n", "added by the proxy",
                percentile(routed.latencyMs, 0.5) - percentile(base.latencyMs, 0.5),
                percentile(routed.latencyMs, 0.99) - percentile(base.latencyMs, 0.99));
    const int burst = 5000;
    const Load most = drive(proxyUrl, QStringLiteral("routerlab"), data.dataset, burst, 0, 64);
    std::printf("most: %d requests, 64 in flight, in %.2f s: %.0f requests/s through the proxy "
                "(failed %d)\n",
                burst, most.seconds, burst / most.seconds, most.failed);
    proxy.terminate();
    proxy.waitForFinished(10000);
    replay.kill();
    replay.waitForFinished(5000);
    return 0;
}
