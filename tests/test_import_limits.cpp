// Hostile datasets that once exhausted memory or time: a file naming a new prompt and a new model
// on every row (a matrix that is almost all holes), headers of very many models, records longer
// than the record limit. Every file is generated here; each must load in linear time or be
// refused with a message that names the file, the line, the limit and how to raise it.
#include "common/input_error.h"
#include "data/dataset_builder.h"
#include "formats/dataset_loader.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QSet>
#include <QSize>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <optional>
#include <time.h>

using namespace routerlab;
using routerlab::testing::writeFile;

namespace {

const char* const kLimitVariable = "ROUTERLAB_MAX_MATRIX_CELLS";

// Every row names a new prompt and a new model: `rows` x `rows` cells, `rows` recorded.
QByteArray diagonal(const QString& format, int rows) {
    QByteArray out = format == QLatin1String("csv") ? "prompt_id,model,quality,cost_usd\n" : "";
    for (int i = 0; i < rows; ++i) {
        const QByteArray n = QByteArray::number(i);
        if (format == QLatin1String("csv"))
            out += "p" + n + ",m" + n + ",0.5,0.001\n";
        else
            out += "{\"prompt_id\":\"p" + n + "\",\"model\":\"m" + n +
                   "\",\"quality\":0.5,\"cost_usd\":0.001}\n";
    }
    return out;
}

// `recorded` distinct pairs of `prompts` x `models`. The first max(prompts, models) rows are
// (c mod P, c mod M), so every prompt and model is named once and new ones arrive together;
// the rest fill the grid row by row.
QByteArray partlyFilled(int prompts, int models, int recorded) {
    QByteArray out = "prompt_id,model,quality\n";
    QSet<QPair<int, int>> used;
    const auto add = [&](int p, int m) {
        if (static_cast<int>(used.size()) == recorded || used.contains({p, m}))
            return;
        used.insert({p, m});
        out += "p" + QByteArray::number(p) + ",m" + QByteArray::number(m) + ",1\n";
    };
    for (int c = 0; c < std::max(prompts, models); ++c)
        add(c % prompts, c % models);
    for (int p = 0; p < prompts; ++p)
        for (int m = 0; m < models; ++m)
            add(p, m);
    return out;
}

double threadCpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// A long CSV row of exactly `bytes` bytes before its line end.
QByteArray csvRecordOf(int bytes) {
    const QByteArray start = "p1,m,1,";
    return start + QByteArray(bytes - start.size(), 'x');
}

QByteArray jsonlLineOf(int bytes) {
    const QByteArray start = "{\"prompt_id\":\"p1\",\"model\":\"m\",\"quality\":1,\"prompt\":\"";
    return start + QByteArray(bytes - start.size() - 2, 'x') + "\"}";
}

} // namespace

class TestImportLimits : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString file(const QString& name, const QByteArray& bytes) {
        return writeFile(QDir(dir_.path()), name, bytes);
    }

    // A file of `n` models over one prompt (or `n` prompts over one model, for long-prompts).
    QString manyModelsFile(const QString& shape, int n) {
        QByteArray out;
        if (shape.startsWith(QLatin1String("long"))) {
            out = "prompt_id,model,quality,cost_usd\n";
            for (int i = 0; i < n; ++i)
                out += shape == QLatin1String("long-models")
                           ? "p,m" + QByteArray::number(i) + ",0.5,0.001\n"
                           : "p" + QByteArray::number(i) + ",m,0.5,0.001\n";
        } else if (shape == QLatin1String("routerbench")) {
            // Each model's cost column beside its score: format detection reads only the
            // first 64 KiB of a header.
            out = ",sample_id,prompt,eval_name";
            for (int i = 0; i < n; ++i)
                out += ",m" + QByteArray::number(i) + ",m" + QByteArray::number(i) + "|total_cost";
            out += "\n0,s0,q,t" + QByteArray(",1,0.001").repeated(n) + "\n";
        } else {
            out = "prompt";
            for (int i = 0; i < n; ++i)
                out += ",m" + QByteArray::number(i);
            out += "\nq" + QByteArray(",True").repeated(n) + "\n";
        }
        return file(QStringLiteral("%1-%2.csv").arg(shape).arg(n), out);
    }

    // Processor seconds (other work on the machine does not count) to load a file and price it
    // with a pool of its own models; `shape` is models x prompts.
    static double loadAndPrice(const QString& path, QSize shape) {
        const double start = threadCpuSeconds();
        const Dataset d = loadDataset({path});
        const ModelPool pool = d.derivedPool();
        const Eigen::MatrixXd cost = d.costUsd(pool);
        const Eigen::MatrixXd latency = d.latencyS(pool);
        const double seconds = threadCpuSeconds() - start;
        [&] {
            QCOMPARE(d.modelCount(), shape.width());
            QCOMPARE(d.promptCount(), shape.height());
            QCOMPARE(d.missingCells(), qint64(0));
            QVERIFY(!std::isnan(cost(d.promptCount() - 1, d.modelCount() - 1)));
            QVERIFY(latency(d.promptCount() - 1, d.modelCount() - 1) > 0);
        }();
        return seconds;
    }

    // The error loading gives, or nullopt when it loads.
    static std::optional<InputError> refusal(const QStringList& paths,
                                             const ImportOptions& options = {}) {
        try {
            loadDataset(paths, nullptr, options);
        } catch (const InputError& e) {
            qInfo("refused: %s", qPrintable(e.text()));
            return e;
        }
        return std::nullopt;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        qunsetenv(kLimitVariable);
    }
    void cleanup() { qunsetenv(kLimitVariable); }

    void refusesMostlyEmptyMatrix_data() {
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("line");
        // Prompt r is added before model r, so prompts x models first passes 1,000,000 cells
        // at row 1001 (1001 x 1000): line 1002 below a header, line 1001 without one.
        QTest::newRow("long CSV, 58 KB") << "csv" << 3000 << 1002;
        QTest::newRow("long CSV, 400 KB") << "csv" << 20000 << 1002;
        QTest::newRow("JSONL") << "jsonl" << 3000 << 1001;
    }
    void refusesMostlyEmptyMatrix() {
        QFETCH(QString, format);
        QFETCH(int, rows);
        QFETCH(int, line);
        const QString path =
            file(QStringLiteral("diagonal-%1.%2").arg(rows).arg(format), diagonal(format, rows));
        QElapsedTimer timer;
        timer.start();
        const std::optional<InputError> e = refusal({path});
        qInfo("%d rows refused in %lld ms", rows, timer.elapsed());
        QVERIFY2(e, "loaded, expected a refusal");
        QCOMPARE(e->file(), path);
        QCOMPARE(e->line(), qint64(line));
        QCOMPARE(e->field(), QStringLiteral("prompt_id"));
        const QString message = e->message();
        QVERIFY2(message.contains(QStringLiteral("%1 prompts and %1 models").arg(rows)),
                 qPrintable(message));
        QVERIFY2(
            message.contains(
                QStringLiteral("only %1 of their %2 pairs").arg(rows).arg(qint64(rows) * rows)),
            qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("more than 1000000 cells")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String(kLimitVariable)), qPrintable(message));
    }

    // The rule at its edges, with a limit of 100 cells.
    void fillRuleAtTheLimit_data() {
        QTest::addColumn<int>("prompts");
        QTest::addColumn<int>("models");
        QTest::addColumn<int>("recorded");
        QTest::addColumn<int>("line"); // where it passed the limit when refused; 0: loads
        QTest::addColumn<QString>("field");
        QTest::newRow("dense, over the limit") << 20 << 10 << 200 << 0 << "";
        QTest::newRow("a quarter recorded") << 20 << 20 << 100 << 0 << "";
        QTest::newRow("dense, one cell over") << 101 << 1 << 101 << 0 << "";
        QTest::newRow("sparse, at the limit") << 10 << 10 << 10 << 0 << "";
        // Row 11 adds prompt p10: 11 x 10 cells.
        QTest::newRow("less than a quarter") << 20 << 20 << 99 << 12 << "prompt_id";
        // Row 11 adds model m10 to ten prompts: 10 x 11 cells.
        QTest::newRow("sparse, one model over") << 10 << 11 << 11 << 12 << "model";
    }
    void fillRuleAtTheLimit() {
        QFETCH(int, prompts);
        QFETCH(int, models);
        QFETCH(int, recorded);
        QFETCH(int, line);
        QFETCH(QString, field);
        const QString path =
            file(QStringLiteral("fill-%1-%2-%3.csv").arg(prompts).arg(models).arg(recorded),
                 partlyFilled(prompts, models, recorded));
        ImportOptions options;
        options.maxMatrixCells = 100;
        if (line > 0) {
            const std::optional<InputError> e = refusal({path}, options);
            QVERIFY2(e, "loaded, expected a refusal");
            QCOMPARE(e->file(), path);
            QCOMPARE(e->line(), qint64(line));
            QCOMPARE(e->field(), field);
            QVERIFY2(e->message().contains(QStringLiteral("only %1 of their %2 pairs")
                                               .arg(recorded)
                                               .arg(prompts * models)),
                     qPrintable(e->message()));
            return;
        }
        const Dataset d = loadDataset({path}, nullptr, options);
        QCOMPARE(d.promptCount(), prompts);
        QCOMPARE(d.modelCount(), models);
        QCOMPARE(qint64(prompts) * models - d.missingCells(), qint64(recorded));
    }

    void limitFromEnvironment() {
        // 200 x 200 = 40,000 cells, 200 recorded: within the default limit.
        const QString path = file(QStringLiteral("env.csv"), diagonal(QStringLiteral("csv"), 200));
        QCOMPARE(loadDataset({path}).promptCount(), 200);
        // Lowered to 10,000: passed at row 101 (101 x 100), line 102.
        qputenv(kLimitVariable, "10000");
        const std::optional<InputError> e = refusal({path});
        QVERIFY2(e, "loaded, expected a refusal");
        QCOMPARE(e->line(), qint64(102));
        QCOMPARE(e->field(), QStringLiteral("prompt_id"));
        const QString message = e->message();
        QVERIFY2(message.contains(QStringLiteral("more than 10000 cells")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("40000 or more")), qPrintable(message));
        // Raised as the message says: it loads.
        qputenv(kLimitVariable, "40000");
        QCOMPARE(loadDataset({path}).modelCount(), 200);
        // An explicit option wins over the environment.
        qputenv(kLimitVariable, "10000");
        ImportOptions options;
        options.maxMatrixCells = 40000;
        QCOMPARE(loadDataset({path}, nullptr, options).modelCount(), 200);
    }

    void badLimitInEnvironment_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("word") << QByteArray("lots");
        QTest::newRow("zero") << QByteArray("0");
        QTest::newRow("negative") << QByteArray("-5");
        QTest::newRow("exponent") << QByteArray("1e6");
    }
    void badLimitInEnvironment() {
        QFETCH(QByteArray, value);
        const QString path = file(QStringLiteral("small.csv"), diagonal(QStringLiteral("csv"), 3));
        qputenv(kLimitVariable, value);
        const std::optional<InputError> e = refusal({path});
        QVERIFY2(e, "loaded, expected a refusal");
        QCOMPARE(e->file(), QString::fromLatin1(kLimitVariable));
        QVERIFY2(e->message().contains(QStringLiteral("got '%1'").arg(QString::fromLatin1(value))),
                 qPrintable(e->message()));
    }

    // Files of very many models (or prompts) load in linear time: within a constant factor of
    // a dense file of as many cells over ten models (about 15 in a release build; the many-model
    // side allocates a name, a hash entry and a pool entry per model). Looking each model up in
    // a list made 50,000 models take fifty times the dense file's time and more.
    void manyModelsLoadInLinearTime_data() {
        QTest::addColumn<QString>("shape");
        for (const char* shape : {"long-models", "long-prompts", "routerbench", "routellm"})
            QTest::newRow(shape) << QString::fromLatin1(shape);
    }
    void manyModelsLoadInLinearTime() {
        QFETCH(QString, shape);
        const int many = 50000;
        QByteArray dense = "prompt_id,model,quality,cost_usd\n";
        for (int c = 0; c < many; ++c)
            dense += "p" + QByteArray::number(c / 10) + ",m" + QByteArray::number(c % 10) +
                     ",0.5,0.001\n";
        const double reference =
            loadAndPrice(file(QStringLiteral("dense.csv"), dense), {10, many / 10});
        const bool manyPrompts = shape == QLatin1String("long-prompts");
        const double seconds = loadAndPrice(manyModelsFile(shape, many),
                                            manyPrompts ? QSize(1, many) : QSize(many, 1));
        qInfo("%.3f s of processor time; %d x 10 dense: %.3f s", seconds, many / 10, reference);
        QVERIFY2(seconds < 40 * reference + 0.1,
                 qPrintable(QStringLiteral("%1 s against %2 s").arg(seconds).arg(reference)));
    }

    // A record longer than the limit is refused even when its line end is already buffered.
    void recordLimit_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line"); // 0: loads
        QTest::addColumn<QString>("field");
        const QByteArray header = "prompt_id,model,quality,prompt\n";
        QTest::newRow("CSV record at the limit") << "at.csv" << header + csvRecordOf(1024) + "\n"
                                                 << 0 << "";
        QTest::newRow("CSV record one byte over")
            << "over.csv" << header + csvRecordOf(1025) + "\np2,m,1,y\n"
            << 2 << "prompt";
        QTest::newRow("CSV quoted field over lines")
            << "quoted.csv"
            << header + "p1,m,1,\"" + QByteArray(600, 'x') + "\n" + QByteArray(600, 'x') +
                   "\"\np2,m,1,y\n"
            << 2 << "prompt";
        QTest::newRow("JSONL line at the limit") << "at.jsonl" << jsonlLineOf(1024) + "\n"
                                                 << 0 << "";
        QTest::newRow("JSONL line one byte over")
            << "over.jsonl" << jsonlLineOf(1025) + "\n" + jsonlLineOf(100) + "\n"
            << 1 << "";
    }
    void recordLimit() {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, field);
        const QString path = file(name, content);
        ImportOptions options;
        options.maxRecordBytes = 1024;
        if (line == 0) {
            QCOMPARE(loadDataset({path}, nullptr, options).promptCount(), 1);
            return;
        }
        const std::optional<InputError> e = refusal({path}, options);
        QVERIFY2(e, "loaded, expected a refusal");
        QCOMPARE(e->file(), path);
        QCOMPARE(e->line(), qint64(line));
        QCOMPARE(e->field(), field);
        QVERIFY2(e->message().contains(QStringLiteral("longer than 1024 bytes")),
                 qPrintable(e->message()));
    }

    void refusesHundredMegabyteLineThatEnds() {
        // A sparse file: a 100 MB line of NUL bytes that does end, then a good row. The reader
        // stops at its 64 MiB record limit instead of buffering the line.
        const QString path = dir_.filePath(QStringLiteral("long-line.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.write("prompt_id,model,quality,prompt\np1,m,1,") > 0);
        QVERIFY(f.resize(f.size() + 100'000'000));
        QVERIFY(f.seek(f.size()));
        QVERIFY(f.write("\np2,m,1,y\n") > 0);
        f.close();
        const std::optional<InputError> e = refusal({path});
        QVERIFY2(e, "loaded, expected a refusal");
        QCOMPARE(e->file(), path);
        QCOMPARE(e->line(), qint64(2));
        QCOMPARE(e->field(), QStringLiteral("prompt"));
        QVERIFY2(e->message().contains(QStringLiteral("longer than 64 MiB")),
                 qPrintable(e->message()));
    }
};

QTEST_GUILESS_MAIN(TestImportLimits)
#include "test_import_limits.moc"
