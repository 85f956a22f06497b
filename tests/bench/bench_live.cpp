// Chat Completions client throughput against the replay server at zero latency: calls per
// second at 1, 8 and 64 calls in flight, streamed and whole, and the client's own CPU time
// per call (what the client costs on top of the network and the server). The server runs as
// a separate routerlab-cli process on 127.0.0.1. Prints figures; asserts nothing.
#include "formats/dataset_loader.h"
#include "http/chat_client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRegularExpression>
#include <atomic>
#include <cstdio>
#include <sys/resource.h>
#include <thread>

using namespace routerlab;

namespace {

double cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // rows appear as they are measured
    const QString sample = QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR);
    const QString dataset = argc > 1 ? QString::fromLocal8Bit(argv[1]) : sample + "/sample.csv";
    const QString pool = argc > 2 ? QString::fromLocal8Bit(argv[2]) : sample + "/sample.pool.json";
    const int calls = argc > 3 ? std::atoi(argv[3]) : 2000;
    const PricedDataset data = loadPricedDataset({dataset}, pool);

    QProcess server;
    server.start(QStringLiteral(ROUTERLAB_CLI_PATH),
                 {QStringLiteral("serve"), QStringLiteral("--dataset"), dataset,
                  QStringLiteral("--pool"), pool, QStringLiteral("--latency-scale"),
                  QStringLiteral("0"), QStringLiteral("--port"), QStringLiteral("0")});
    QByteArray output;
    int port = 0;
    static const QRegularExpression listening(QStringLiteral("127\\.0\\.0\\.1:(\\d+)/v1"));
    while (port == 0 && server.waitForReadyRead(30000)) {
        output += server.readAllStandardOutput();
        const QRegularExpressionMatch m = listening.match(QString::fromUtf8(output));
        if (m.hasMatch())
            port = m.captured(1).toInt();
    }
    if (port == 0) {
        std::fprintf(stderr, "bench_live: the replay server did not start\n");
        return 1;
    }
    const QString baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(port);
    std::printf("RouterLab live client benchmark: %d calls per row against the replay server "
                "(zero latency, separate process)\n",
                calls);
    std::printf("%-8s %12s %10s %14s %16s\n", "mode", "in flight", "calls/s", "ms per call",
                "client CPU us/call");
    for (const bool stream : {false, true}) {
        for (const int inFlight : {1, 8, 64}) {
            ClientOptions options;
            options.concurrencyPerEndpoint = inFlight;
            options.maxRetries = 0;
            std::atomic<int> done{0};
            std::atomic<int> failed{0};
            ChatClient client(options); // after the counters its callbacks touch
            const double cpuBefore = cpuSeconds();
            QElapsedTimer timer;
            timer.start();
            for (int i = 0; i < calls; ++i) {
                ChatCall call;
                const int k = i % data.dataset.modelCount();
                call.modelId = data.dataset.modelNames[k];
                call.endpoint.baseUrl = baseUrl;
                call.endpoint.remoteModel = call.modelId;
                call.prompt = data.dataset.promptTexts[i % data.dataset.promptCount()];
                call.stream = stream;
                client.submit(call, [&](ChatResult r) {
                    failed += !r.ok();
                    ++done;
                });
            }
            while (done < calls)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            const double seconds = timer.nsecsElapsed() * 1e-9;
            const double cpu = cpuSeconds() - cpuBefore;
            std::printf("%-8s %12d %10.0f %14.3f %16.1f%s\n", stream ? "stream" : "whole", inFlight,
                        calls / seconds, 1e3 * seconds / calls * inFlight, 1e6 * cpu / calls,
                        failed > 0 ? qPrintable(QStringLiteral("  (%1 failed)").arg(failed.load()))
                                   : "");
        }
    }
    server.kill();
    server.waitForFinished(5000);
    return 0;
}
