#include "common/input_error.h"
#include "data/dataset_summary.h"
#include "formats/dataset_loader.h"
#include "formats/long_csv_writer.h"
#include "formats/routellm_importer.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace routerlab;
using routerlab::testing::writeFile;

namespace {

const QByteArray kLongCsv =
    "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s,reference\n"
    "p1,What is 2+2?,math,small,1,10,5,0.5,4\n"
    "p1,What is 2+2?,math,large,1,10,7,1.5,4\n"
    "p2,\"Write a haiku, please\",chat,small,0.4,12,40,1.0,\n"
    "p2,\"Write a haiku, please\",chat,large,0.9,12,60,2.5,\n"
    "p3,Capital of France?,knowledge,small,,8,3,0.4,Paris\n"
    "p3,Capital of France?,knowledge,large,1,8,3,1.1,Paris\n";

} // namespace

class TestImporters : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    QString file(const QString& name, const QByteArray& bytes) {
        return writeFile(QDir(dir_.path()), name, bytes);
    }

private slots:
    void longCsv() {
        const ModelPool pool = ModelPool::fromJson(testing::kTinyPool, QStringLiteral("tiny"));
        const Dataset d = loadDataset({file(QStringLiteral("long.csv"), kLongCsv)}, &pool);
        QCOMPARE(d.promptCount(), 3);
        QCOMPARE(d.modelCount(), 2);
        QCOMPARE(d.formats, QStringList{QStringLiteral("long-csv")});
        QCOMPARE(d.categoryNames, (QStringList{"math", "chat", "knowledge"}));
        QCOMPARE(d.promptTexts[1], QStringLiteral("Write a haiku, please"));
        QCOMPARE(d.references[2], QStringLiteral("Paris"));
        QCOMPARE(d.quality(1, 1), 0.9);
        QVERIFY(d.isMissing(2, 0));
        QCOMPARE(d.missingCells(), 1);
        QCOMPARE(d.missingCells(0), 1);
        QCOMPARE(d.outputTokens(1, 1), 60.0);
        QCOMPARE(d.recordedLatency(0, 1), 1.5);
        QVERIFY(!d.hasRecordedCost());
        // Cost from tokens x prices (+ fee for the large model).
        const Eigen::MatrixXd cost = d.costUsd(pool);
        QCOMPARE(cost(0, 0), (10 * 0.1 + 5 * 0.2) * 1e-6);
        QCOMPARE(cost(0, 1), (10 * 2.0 + 7 * 8.0) * 1e-6 + 0.001);
        // Column-major and contiguous: the next prompt of a model is the next double.
        QCOMPARE(&d.quality(1, 0) - &d.quality(0, 0), 1);
    }

    void aliasesAndBooleans() {
        const QByteArray csv =
            "ID,Question,Task,LLM,Correct,prompt_tokens,completion_tokens,Latency,Cost\n"
            "a,q1,t,m1,True,3,4,0.2,0.01\n"
            "a,q1,t,m2,false,3,4,0.3,0.02\n";
        const Dataset d = loadDataset({file(QStringLiteral("alias.csv"), csv)});
        QCOMPARE(d.modelNames, (QStringList{"m1", "m2"}));
        QCOMPARE(d.quality(0, 0), 1.0);
        QCOMPARE(d.quality(0, 1), 0.0);
        QCOMPARE(d.recordedCost(0, 1), 0.02);
        QVERIFY(d.hasRecordedCost());
        QCOMPARE(d.estimates.inputTokens, 0);
    }

    void tokenEstimates() {
        // No token columns: input from prompt bytes / 4, output from the response or the default.
        const QByteArray csv = "prompt_id,prompt,model,quality,response\n"
                               "a,0123456789,m,1,abcdefgh\n"
                               "a,0123456789,n,1,\n";
        const Dataset d = loadDataset({file(QStringLiteral("est.csv"), csv)});
        QCOMPARE(d.inputTokens(0, 0), 3.0);
        QCOMPARE(d.outputTokens(0, 0), 2.0);
        QCOMPARE(d.outputTokens(0, 1), Dataset::kDefaultOutputTokens);
        QCOMPARE(d.estimates.inputTokens, 2);
        QCOMPARE(d.estimates.outputTokens, 2);
        QCOMPARE(d.response(0, 0), QStringLiteral("abcdefgh"));
    }

    void jsonl() {
        const QByteArray jsonl =
            "{\"prompt_id\": \"p1\", \"prompt\": \"hi\", \"category\": \"chat\", \"model\": "
            "\"small\", \"quality\": 0.5, "
            "\"input_tokens\": 2, \"output_tokens\": 9, \"latency_s\": 0.3}\n"
            "\n"
            "{\"prompt_id\": \"p1\", \"prompt\": \"hi\", \"category\": \"chat\", \"model\": "
            "\"large\", \"quality\": true, "
            "\"input_tokens\": 2, \"output_tokens\": 9, \"latency_s\": 0.9, \"session\": \"s1\"}\n";
        const Dataset d = loadDataset({file(QStringLiteral("d.jsonl"), jsonl)});
        QCOMPARE(d.formats, QStringList{QStringLiteral("jsonl")});
        QCOMPARE(d.modelCount(), 2);
        QCOMPARE(d.quality(0, 1), 1.0);
        QCOMPARE(d.recordedLatency(0, 0), 0.3);
    }

    void routerBenchWide() {
        const QByteArray csv = ",sample_id,prompt,eval_name,m/a,m-b,m/"
                               "a|model_response,m-b|model_response,m/a|total_cost,m-b|total_cost,"
                               "oracle_model_to_route_to\n"
                               "0,arc.1,\"['Q1, with "
                               "comma']\",arc-challenge,1.0,0.0,\"['A']\",['B'],0.001,0.0001,m/a\n"
                               "1,arc.2,['Q2'],arc-challenge,,,,,,,m/a\n"
                               "2,mbpp.1,['Q3'],mbpp,0.0,1.0,x,y,0.002,0.0002,m-b\n";
        const Dataset d = loadDataset({file(QStringLiteral("rb_test.csv"), csv)});
        QCOMPARE(d.formats, QStringList{QStringLiteral("routerbench")});
        QCOMPARE(d.modelNames, (QStringList{"m/a", "m-b"}));
        QCOMPARE(d.promptIds[0], QStringLiteral("arc.1"));
        QCOMPARE(d.promptTexts[0], QStringLiteral("['Q1, with comma']"));
        QCOMPARE(d.categoryNames, (QStringList{"arc-challenge", "mbpp"}));
        QCOMPARE(d.missingCells(), 2);
        QCOMPARE(d.recordedCost(2, 1), 0.0002);
        QCOMPARE(d.response(0, 0), QStringLiteral("['A']"));
        // Without a pool the recorded costs price the calls.
        const PricedDataset priced =
            loadPricedDataset({file(QStringLiteral("rb_test.csv"), csv)}, {});
        QVERIFY(priced.poolDerived);
        QCOMPARE(priced.pool.ids(), d.modelNames);
        const DatasetSummary s = summarize(priced.dataset, priced.pool);
        QCOMPARE(s.promptsWithoutOutcome, 1);
        QCOMPARE(s.oracleMeanQuality, 1.0);
        QCOMPARE(s.oracleMeanCostUsd, (0.001 + 0.0002) / 2);
    }

    void routeLlmWide() {
        const QByteArray csv =
            "prompt,weak/model,strong-model,weak/model_response,strong-model_response\n"
            "\"Q1\nA. x\",False,True,a1,b1\n"
            "Q2,True,True,a2,b2\n";
        const QString path = file(QStringLiteral("routellm/gsm8k_responses.csv"), csv);
        const Dataset d = loadDataset({path});
        QCOMPARE(d.formats, QStringList{QStringLiteral("routellm")});
        QCOMPARE(d.categoryNames, QStringList{QStringLiteral("gsm8k")});
        QCOMPARE(d.promptIds[1], QStringLiteral("gsm8k-2"));
        QCOMPARE(d.quality(0, 0), 0.0);
        QCOMPARE(d.quality(0, 1), 1.0);
        QCOMPARE(d.response(1, 1), QStringLiteral("b2"));
        QCOMPARE(RouteLlmImporter::categoryFromFileName(QStringLiteral("x/mmlu_anatomy.csv")),
                 QStringLiteral("mmlu_anatomy"));
        // No costs recorded: a pool is required.
        QVERIFY_THROWS_EXCEPTION(InputError, loadPricedDataset({path}, {}));
    }

    void folderOfFiles() {
        QTemporaryDir dir;
        writeFile(QDir(dir.path()), QStringLiteral("mmlu/mmlu_a.csv"),
                  "prompt,w,s\nq1,True,False\n");
        writeFile(QDir(dir.path()), QStringLiteral("mmlu/mmlu_b.csv"),
                  "prompt,w,s\nq2,False,True\nq3,True,True\n");
        writeFile(QDir(dir.path()), QStringLiteral("mmlu/notes.txt"), "ignored");
        const Dataset d = loadDataset({dir.path()});
        QCOMPARE(d.promptCount(), 3);
        QCOMPARE(d.sources.size(), 2);
        QCOMPARE(d.categoryNames, (QStringList{"mmlu_a", "mmlu_b"}));
        QCOMPARE(d.promptSource, (std::vector<int>{0, 1, 1}));
    }

    void writerRoundTrips() {
        const ModelPool pool = ModelPool::fromJson(testing::kTinyPool, QStringLiteral("tiny"));
        const Dataset d = loadDataset({file(QStringLiteral("rt_in.csv"), kLongCsv)}, &pool);
        const QString out = dir_.filePath(QStringLiteral("rt_out.csv"));
        writeLongCsv(d, out);
        const Dataset e = loadDataset({out}, &pool);
        QCOMPARE(e.promptIds, d.promptIds);
        QCOMPARE(e.promptTexts, d.promptTexts);
        QCOMPARE(e.references, d.references);
        QVERIFY((e.quality.array() == d.quality.array() ||
                 (e.quality.array().isNaN() && d.quality.array().isNaN()))
                    .all());
        QCOMPARE(e.outputTokens(1, 1), d.outputTokens(1, 1));
        QCOMPARE(e.recordedLatency(1, 1), d.recordedLatency(1, 1));
    }

    void reportsProgressAndCancels() {
        QByteArray csv = "prompt_id,prompt,model,quality\n";
        for (int i = 0; i < 50000; ++i)
            csv += "p" + QByteArray::number(i) + ",text,m,1\n";
        const QString path = file(QStringLiteral("big.csv"), csv);
        qint64 last = -1, total = 0;
        ImportOptions options;
        options.progress = [&](qint64 done, qint64 all) {
            QVERIFY(done >= last);
            last = done;
            total = all;
        };
        loadDataset({path}, nullptr, options);
        QCOMPARE(last, total);
        QCOMPARE(total, csv.size());
        last = -1;
        std::atomic_bool cancel{true};
        options.cancel = &cancel;
        QVERIFY_THROWS_EXCEPTION(ImportCancelled, loadDataset({path}, nullptr, options));
    }
};

QTEST_GUILESS_MAIN(TestImporters)
#include "test_importers.moc"
