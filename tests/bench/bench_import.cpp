// Import throughput: writes a long CSV of 100,000 prompts x 10 models (1,000,000 rows) and a
// RouterBench-style wide CSV of 100,000 prompts, then times loading each. Prints figures;
// asserts nothing (speed lives here, not in the tests).
#include "formats/dataset_loader.h"
#include "formats/long_csv_writer.h"
#include "synthetic_outcomes.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <cstdio>
#include <string>

using namespace routerlab;

namespace {

void writeWide(const Dataset& d, const QString& path) {
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    QByteArray out = ",sample_id,prompt,eval_name";
    for (const QString& m : d.modelNames)
        out += "," + m.toUtf8();
    for (const QString& m : d.modelNames)
        out += "," + m.toUtf8() + "|total_cost";
    out += "\n";
    for (int i = 0; i < d.promptCount(); ++i) {
        out += QByteArray::number(i) + "," + d.promptIds[i].toUtf8() + ",\"['" +
               d.promptTexts[i].toUtf8() + "']\"," + d.categoryNames[d.promptCategory[i]].toUtf8();
        for (int k = 0; k < d.modelCount(); ++k)
            out += d.quality(i, k) > 0 ? ",1.0" : ",0.0";
        for (int k = 0; k < d.modelCount(); ++k)
            out += "," + QByteArray::number(1e-6 * d.outputTokens(i, k));
        out += "\n";
        if (out.size() > (1 << 20)) {
            f.write(out);
            out.clear();
        }
    }
    f.write(out);
}

void timeLoad(const char* label, const QString& path, qint64 rows) {
    QElapsedTimer timer;
    timer.start();
    const Dataset d = loadDataset({path});
    const double seconds = timer.nsecsElapsed() * 1e-9;
    const double mib = QFileInfo(path).size() / 1048576.0;
    std::printf("%-28s %9lld rows %7.1f MiB %7.2f s %10.0f rows/s %7.1f MiB/s  (%d x %d)\n", label,
                static_cast<long long>(rows), mib, seconds, rows / seconds, mib / seconds,
                d.promptCount(), d.modelCount());
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const int prompts = argc > 1 ? std::atoi(argv[1]) : 100000;
    const int models = 10;
    QTemporaryDir dir;
    std::printf("RouterLab import benchmark: %d prompts x %d models\n", prompts, models);
    const Dataset d = bench::syntheticOutcomes(prompts, models);
    const QString longPath = dir.filePath(QStringLiteral("long.csv"));
    writeLongCsv(d, longPath);
    const QString widePath = dir.filePath(QStringLiteral("wide.csv"));
    writeWide(d, widePath);
    timeLoad("long CSV (native)", longPath, static_cast<qint64>(prompts) * models);
    timeLoad("RouterBench wide CSV", widePath, prompts);
    std::printf("peak resident memory %.0f MiB\n", bench::peakRssMiB());
    return 0;
}
