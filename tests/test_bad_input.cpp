// Every kind of malformed input named in the foundation issue: each must give a message with
// file, line and field, and leave the workspace exactly as it was.
#include "cli_in_process.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;
using routerlab::testing::readFile;
using routerlab::testing::writeFile;

namespace {

const QByteArray kHeader =
    "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s\n";
const QByteArray kGoodRows = "p1,hello,chat,small,0.5,3,4,0.2\n"
                             "p1,hello,chat,large,0.9,3,6,0.9\n";

using routerlab::testing::CliResult;
using routerlab::testing::runCliInProcess;

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString workspace_;
    QString pool_;
    QByteArray workspaceBefore_;

    void expectRefused(const QString& path, bool withPool, int line, const QString& field,
                       const QString& message) {
        QStringList args{QStringLiteral("import"), path, QStringLiteral("--workspace"), workspace_};
        if (withPool)
            args << QStringLiteral("--pool") << pool_;
        const CliResult r = runCliInProcess(args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
        const QString where =
            line > 0 ? QStringLiteral("%1:%2:").arg(path).arg(line) : path + QLatin1Char(':');
        QVERIFY2(r.err.contains(where), qPrintable(r.err));
        if (!field.isEmpty())
            QVERIFY2(r.err.contains(QStringLiteral("field '%1'").arg(field)), qPrintable(r.err));
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QCOMPARE(readFile(workspace_), workspaceBefore_);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        pool_ = writeFile(QDir(dir_.path()), QStringLiteral("tiny.pool.json"), testing::kTinyPool);
        workspace_ = dir_.filePath(QStringLiteral("ws.routerlab"));
        const QString good =
            writeFile(QDir(dir_.path()), QStringLiteral("good.csv"), kHeader + kGoodRows);
        const CliResult r =
            runCliInProcess({QStringLiteral("import"), good, QStringLiteral("--workspace"),
                             workspace_, QStringLiteral("--pool"), pool_});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // Fold the WAL into the main file so that its bytes are what we compare.
        workspaceBefore_ = readFile(workspace_);
        QVERIFY(!workspaceBefore_.isEmpty());
    }

    void refuses_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("withPool");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        const QByteArray h = kHeader, g = kGoodRows;
        QTest::newRow("bad quoting")
            << "quote.csv" << h + g + "p2,\"unclosed,chat,small,1,1,1,1\np2,x,chat,large,1,1,1,1\n"
            << false << 4 << "prompt"
            << "never closed";
        QTest::newRow("stray quote") << "stray.csv" << h + g + "p2,say \"hi\",chat,small,1,1,1,1\n"
                                     << false << 4 << "prompt"
                                     << "quote inside";
        QTest::newRow("wrong column count") << "columns.csv" << h + g + "p2,x,chat,small,1,1,1\n"
                                            << false << 4 << "latency_s"
                                            << "expected 8 fields";
        QTest::newRow("quality above 1") << "q.csv" << h + g + "p2,x,chat,small,1.5,1,1,1\n"
                                         << false << 4 << "quality"
                                         << "within 0..1";
        QTest::newRow("quality below 0") << "q0.csv" << h + "p2,x,chat,small,-0.1,1,1,1\n"
                                         << false << 2 << "quality"
                                         << "within 0..1";
        QTest::newRow("quality not a number") << "qn.csv" << h + "p2,x,chat,small,good,1,1,1\n"
                                              << false << 2 << "quality"
                                              << "not a number";
        QTest::newRow("negative tokens") << "tok.csv" << h + g + "p2,x,chat,small,1,-3,1,1\n"
                                         << false << 4 << "input_tokens"
                                         << ">= 0";
        QTest::newRow("negative latency") << "lat.csv" << h + "p2,x,chat,small,1,1,1,-2\n"
                                          << false << 2 << "latency_s"
                                          << ">= 0";
        QTest::newRow("unknown model") << "model.csv" << h + g + "p2,x,chat,mystery,1,1,1,1\n"
                                       << true << 4 << "model"
                                       << "unknown model 'mystery'";
        QTest::newRow("duplicate pair")
            << "dup.csv" << h + g + "p2,x,chat,small,1,1,1,1\np1,hello,chat,small,1,1,1,1\n"
            << false << 5 << "model"
            << "duplicate prompt/model pair";
        QTest::newRow("id reused") << "reuse.csv" << h + g + "p1,other text,chat,small,1,1,1,1\n"
                                   << false << 4 << "prompt_id"
                                   << "two different prompts";
        QTest::newRow("non-utf-8") << "latin1.csv" << h + g + "p2,caf\xe9,chat,small,1,1,1,1\n"
                                   << false << 4 << "prompt"
                                   << "UTF-8";
        QTest::newRow("empty file") << "empty.csv" << QByteArray() << false << 0 << ""
                                    << "empty";
        QTest::newRow("header only") << "header.csv" << h << false << 2 << ""
                                     << "no rows";
        QTest::newRow("no quality column")
            << "noq.csv" << QByteArray("prompt_id,model,score2\np,m,1\n") << false << 1 << ""
            << "unrecognised format";
        QTest::newRow("jsonl syntax")
            << "bad.jsonl"
            << QByteArray(
                   "{\"prompt_id\":\"a\",\"model\":\"m\",\"quality\":1}\n{\"prompt_id\":\"b\",\n")
            << false << 2 << ""
            << "not a JSON object";
        QTest::newRow("jsonl quality")
            << "q.jsonl" << QByteArray("{\"prompt_id\":\"a\",\"model\":\"m\",\"quality\":3}\n")
            << false << 1 << "quality"
            << "within 0..1";
        QTest::newRow("routerbench score")
            << "rb.csv"
            << QByteArray(",sample_id,prompt,eval_name,m,m|total_cost\n0,a,q,t,1.0,0.1\n1,b,q2,t,2."
                          "0,0.1\n")
            << false << 3 << "m"
            << "outside 0..1";
        QTest::newRow("routerbench cost")
            << "rbc.csv"
            << QByteArray(",sample_id,prompt,eval_name,m,m|total_cost\n0,a,q,t,1.0,-0.1\n") << false
            << 2 << "m|total_cost"
            << "outside";
        QByteArray diagonal = "prompt_id,model,quality,cost_usd\n";
        for (int i = 0; i < 3000; ++i)
            diagonal += "p" + QByteArray::number(i) + ",m" + QByteArray::number(i) + ",0.5,0.001\n";
        // 3000 x 3000 cells, 3000 recorded: refused where it passes 1,000,000 (1001 x 1000).
        QTest::newRow("mostly empty matrix")
            << "diagonal.csv" << diagonal << false << 1002 << "prompt_id"
            << "ROUTERLAB_MAX_MATRIX_CELLS";
        QTest::newRow("routellm value")
            << "mmlu_x.csv" << QByteArray("prompt,weak,strong\nq1,True,Maybe\n") << false << 2
            << "strong"
            << "expected True, False";
    }
    void refuses() {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(bool, withPool);
        QFETCH(int, line);
        QFETCH(QString, field);
        QFETCH(QString, message);
        expectRefused(writeFile(QDir(dir_.path()), name, content), withPool, line, field, message);
    }

    void refusesTwoGigabyteLine() {
        // A sparse file: a header, then one 2 GiB line of NUL bytes with no line end. The reader
        // must give up at its record limit instead of buffering the line.
        const QString path = dir_.filePath(QStringLiteral("huge.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kHeader + "p1,");
        QVERIFY(f.resize(f.size() + (qint64(2) << 30)));
        f.close();
        expectRefused(path, false, 2, QStringLiteral("prompt"),
                      QStringLiteral("longer than 64 MiB"));
    }

    void refusesMissingPath() {
        expectRefused(dir_.filePath(QStringLiteral("absent.csv")), false, 0, {},
                      QStringLiteral("no such file"));
    }

    void refusesBadPool() {
        const QString good =
            writeFile(QDir(dir_.path()), QStringLiteral("good2.csv"), kHeader + kGoodRows);
        const QString badPool =
            writeFile(QDir(dir_.path()), QStringLiteral("bad.pool.json"),
                      "{\"models\": [\n{\"id\": \"small\", \"input_price_per_mtok\": -1, "
                      "\"output_price_per_mtok\": 1}]}");
        const CliResult r =
            runCliInProcess({QStringLiteral("import"), good, QStringLiteral("--workspace"),
                             workspace_, QStringLiteral("--pool"), badPool});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(badPool + QStringLiteral(":2:")), qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("input_price_per_mtok")));
        QCOMPARE(readFile(workspace_), workspaceBefore_);
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "test_bad_input.moc"
