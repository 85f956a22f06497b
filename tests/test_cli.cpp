// Runs the real routerlab-cli executable, as a user or a script would.
#include "cli_process.h"
#include "common/paths.h"
#include "experiment/evaluation.h"
#include "formats/dataset_loader.h"
#include "store/workspace_store.h"
#include "test_support.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

using routerlab::testing::readFile;
using routerlab::testing::writeFile;

namespace {

using Run = routerlab::testing::CliRun;
using routerlab::testing::cli;

const QByteArray kDataset =
    "prompt_id,prompt,category,model,quality,input_tokens,output_tokens,latency_s\n"
    "a,q1,math,small,1,100,50,0.5\n"
    "a,q1,math,large,1,100,80,2\n"
    "b,q2,chat,small,0,100,50,0.5\n"
    "b,q2,chat,large,1,100,80,2\n"
    "c,q3,chat,small,0.5,100,50,0.5\n";

// Equal up to rounding: `tolerance` relative to the larger magnitude, or absolute near zero.
bool closeTo(double a, double b, double tolerance = 1e-9) {
    return std::abs(a - b) <= tolerance * std::max({1.0, std::abs(a), std::abs(b)});
}

// The sample's per-model means and its oracle, from the matrix (not from dataset_summary).
struct SampleFigures {
    QStringList names;
    std::vector<double> meanQuality, meanCost, meanLatency;
    int best = -1;            // highest mean quality
    double oracleQuality = 0; // mean over prompts of the best quality any model reached
};

SampleFigures sampleFigures() {
    const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
    const routerlab::PricedDataset data =
        routerlab::loadPricedDataset({sample.filePath(QStringLiteral("sample.csv"))},
                                     sample.filePath(QStringLiteral("sample.pool.json")));
    const routerlab::Dataset& d = data.dataset;
    const Eigen::MatrixXd cost = d.costUsd(data.pool);
    SampleFigures f;
    f.names = d.modelNames;
    for (int k = 0; k < d.modelCount(); ++k) {
        f.meanQuality.push_back(d.quality.col(k).mean());
        f.meanCost.push_back(cost.col(k).mean());
        f.meanLatency.push_back(d.recordedLatency.col(k).mean());
        if (f.best < 0 || f.meanQuality[k] > f.meanQuality[f.best])
            f.best = k;
    }
    f.oracleQuality = d.quality.rowwise().maxCoeff().mean();
    return f;
}

// A command's first arguments: the command, then the sample and its pool.
QStringList onSample(const QString& command) {
    const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
    return {command, QStringLiteral("--dataset"), sample.filePath(QStringLiteral("sample.csv")),
            QStringLiteral("--pool"), sample.filePath(QStringLiteral("sample.pool.json"))};
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void versionAndHelp() {
        const Run v = cli({QStringLiteral("--version")});
        QCOMPARE(v.code, 0);
        QVERIFY(v.out.startsWith("routerlab-cli 0."));
        const Run h = cli({QStringLiteral("--help")});
        QCOMPARE(h.code, 0);
        for (const char* command : {"generate", "info", "import", "simulate", "sweep", "merge"})
            QVERIFY(h.out.contains(command));
    }

    // An installed layout (<prefix>/bin beside <prefix>/share/routerlab/sample_data) finds its
    // own sample data; the source tree counts only for an executable in the build folder.
    void sampleDataLookup() {
        qunsetenv("ROUTERLAB_SAMPLE_DIR");
        const QString source = QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR);
        const QString here = QCoreApplication::applicationDirPath();
        QCOMPARE(routerlab::sampleDataDir(source, here), QDir(source).absolutePath());
        QCOMPARE(routerlab::sampleDataDir(source), QDir(source).absolutePath());
        QVERIFY(
            routerlab::sampleDataDir(source, dir_.filePath(QStringLiteral("elsewhere"))).isEmpty());
        const QString fromEnv = dir_.filePath(QStringLiteral("env-sample"));
        writeFile(QDir(fromEnv), QString::fromLatin1(routerlab::kSampleDatasetFile), kDataset);
        qputenv("ROUTERLAB_SAMPLE_DIR", fromEnv.toLocal8Bit());
        QCOMPARE(routerlab::sampleDataDir(source, here), fromEnv);
        qunsetenv("ROUTERLAB_SAMPLE_DIR");

        QVERIFY(QDir(dir_.path()).mkpath(QStringLiteral("prefix/bin")));
        // Canonical, as the executable sees its own folder.
        const QDir prefix(QFileInfo(dir_.filePath(QStringLiteral("prefix"))).canonicalFilePath());
        const QString exe = prefix.filePath(QStringLiteral("bin/routerlab-cli"));
        QFile::remove(exe);
        QVERIFY(QFile::copy(QStringLiteral(ROUTERLAB_CLI_PATH), exe));
        const QString sample = prefix.filePath(QStringLiteral("share/routerlab/sample_data"));
        auto help = [&exe] {
            QProcess p;
            p.start(exe, {QStringLiteral("--help")});
            return p.waitForFinished(60000) ? p.readAllStandardOutput() : QByteArray();
        };
        QVERIFY(!help().contains("Sample data:"));
        writeFile(QDir(sample), QString::fromLatin1(routerlab::kSampleDatasetFile), kDataset);
        const QByteArray text = help();
        QVERIFY2(text.contains("Sample data: " + sample.toUtf8()), text.constData());
    }

    void commandHelp_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("option");
        QTest::newRow("generate") << "generate"
                                  << "--seed";
        QTest::newRow("info") << "info"
                              << "--json";
        QTest::newRow("import") << "import"
                                << "--workspace";
    }
    void commandHelp() {
        QFETCH(QString, command);
        QFETCH(QString, option);
        const Run r = cli({command, QStringLiteral("--help")});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(option.toUtf8()), r.out.constData());
        QVERIFY(r.out.contains("Usage: routerlab-cli " + command.toUtf8()));
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::newRow("no command") << QStringList{} << 2;
        QTest::newRow("unknown command") << QStringList{"frobnicate"} << 2;
        QTest::newRow("unknown option") << QStringList{"info", "--nope"} << 2;
        QTest::newRow("info without dataset") << QStringList{"info"} << 2;
        QTest::newRow("bad seed") << QStringList{"generate", "--seed", "x"} << 2;
        QTest::newRow("missing file") << QStringList{"info", "/nonexistent/data.csv"} << 1;
    }
    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        const Run r = cli(args);
        QCOMPARE(r.code, code);
        QVERIFY(r.out.isEmpty());
        QVERIFY(!r.err.isEmpty());
    }

    void infoJson() {
        const QString data = writeFile(QDir(dir_.path()), QStringLiteral("d.csv"), kDataset);
        const QString pool = writeFile(QDir(dir_.path()), QStringLiteral("p.pool.json"),
                                       routerlab::testing::kTinyPool);
        const Run r = cli({QStringLiteral("info"), data, QStringLiteral("--pool"), pool,
                           QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        QJsonParseError error;
        const QJsonObject j = QJsonDocument::fromJson(r.out, &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(j.value("prompts").toInt(), 3);
        QCOMPARE(j.value("categories").toArray().size(), 2);
        const QJsonArray models = j.value("models").toArray();
        QCOMPARE(models.size(), 2);
        const QJsonObject small = models[0].toObject();
        QCOMPARE(small.value("name").toString(), QStringLiteral("small"));
        QCOMPARE(small.value("mean_quality").toDouble(), 0.5);
        QCOMPARE(small.value("missing").toInt(), 0);
        QVERIFY(qAbs(small.value("mean_cost_usd").toDouble() - (100 * 0.1 + 50 * 0.2) * 1e-6) <
                1e-15);
        QCOMPARE(small.value("mean_latency_s").toDouble(), 0.5);
        const QJsonObject large = models[1].toObject();
        QCOMPARE(large.value("missing").toInt(), 1);
        QCOMPARE(large.value("mean_quality").toDouble(), 1.0);
        // Oracle: a and c go to the cheaper small model on ties or when only it answered.
        const QJsonObject oracle = j.value("oracle").toObject();
        QCOMPARE(oracle.value("mean_quality").toDouble(), (1 + 1 + 0.5) / 3);
        const QJsonObject best = j.value("best_single").toObject();
        QCOMPARE(best.value("name").toString(), QStringLiteral("large"));
        QCOMPARE(best.value("mean_quality").toDouble(), 1.0);
        QVERIFY(best.contains("mean_cost_usd"));
    }

    void infoTable() {
        const QString data = writeFile(QDir(dir_.path()), QStringLiteral("t.csv"), kDataset);
        const QString pool = writeFile(QDir(dir_.path()), QStringLiteral("t.pool.json"),
                                       routerlab::testing::kTinyPool);
        const Run r = cli({QStringLiteral("info"), data, QStringLiteral("--pool"), pool});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("oracle"));
        QVERIFY(r.out.contains("best single: large"));
        QVERIFY(r.out.contains("Prompts     3"));
    }

    void generateIsDeterministicAndReproducesSampleData() {
        const QString a = dir_.filePath(QStringLiteral("gen-a"));
        const QString b = dir_.filePath(QStringLiteral("gen-b"));
        QCOMPARE(cli({QStringLiteral("generate"), QStringLiteral("--seed"), QStringLiteral("7"),
                      QStringLiteral("--out"), a})
                     .code,
                 0);
        QCOMPARE(cli({QStringLiteral("generate"), QStringLiteral("--seed"), QStringLiteral("7"),
                      QStringLiteral("--out"), b})
                     .code,
                 0);
        const QByteArray csv = readFile(QDir(a).filePath(QStringLiteral("sample.csv")));
        QVERIFY(csv.size() > 100000);
        QCOMPARE(csv, readFile(QDir(b).filePath(QStringLiteral("sample.csv"))));
        QCOMPARE(readFile(QDir(a).filePath(QStringLiteral("sample.pool.json"))),
                 readFile(QDir(b).filePath(QStringLiteral("sample.pool.json"))));
        // The committed sample_data is exactly what `generate --seed 7` writes.
        const QDir committed(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        QCOMPARE(csv, readFile(committed.filePath(QStringLiteral("sample.csv"))));
        QCOMPARE(readFile(QDir(a).filePath(QStringLiteral("sample.pool.json"))),
                 readFile(committed.filePath(QStringLiteral("sample.pool.json"))));
        const Run other =
            cli({QStringLiteral("generate"), QStringLiteral("--seed"), QStringLiteral("8"),
                 QStringLiteral("--out"), dir_.filePath(QStringLiteral("gen-c"))});
        QCOMPARE(other.code, 0);
        QVERIFY(readFile(dir_.filePath(QStringLiteral("gen-c/sample.csv"))) != csv);
    }

    // Every figure `info` prints, against the same figures computed here from the matrix.
    void infoOnSampleData() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const Run r =
            cli({QStringLiteral("info"), sample.filePath(QStringLiteral("sample.csv")),
                 QStringLiteral("--pool"), sample.filePath(QStringLiteral("sample.pool.json")),
                 QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const SampleFigures expected = sampleFigures();
        QCOMPARE(j.value("prompts").toInt(), 1600); // the generator's 400 per category
        QCOMPARE(j.value("missing_cells").toInt(), 0);
        const QJsonArray models = j.value("models").toArray();
        QCOMPARE(models.size(), int(expected.names.size()));
        for (int k = 0; k < models.size(); ++k) {
            const QJsonObject m = models.at(k).toObject();
            QCOMPARE(m.value("name").toString(), expected.names.at(k));
            QVERIFY2(closeTo(m.value("mean_quality").toDouble(), expected.meanQuality[k]),
                     qPrintable(expected.names.at(k)));
            QVERIFY2(closeTo(m.value("mean_cost_usd").toDouble(), expected.meanCost[k]),
                     qPrintable(expected.names.at(k)));
            QVERIFY2(closeTo(m.value("mean_latency_s").toDouble(), expected.meanLatency[k]),
                     qPrintable(expected.names.at(k)));
        }
        const QJsonObject best = j.value("best_single").toObject();
        QCOMPARE(best.value("name").toString(), expected.names.at(expected.best));
        QVERIFY(
            closeTo(best.value("mean_quality").toDouble(), expected.meanQuality[expected.best]));
        QVERIFY(closeTo(j.value("oracle").toObject().value("mean_quality").toDouble(),
                        expected.oracleQuality));
    }

    void simulateJson() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const Run r =
            cli({QStringLiteral("simulate"), QStringLiteral("--dataset"),
                 sample.filePath(QStringLiteral("sample.csv")), QStringLiteral("--pool"),
                 sample.filePath(QStringLiteral("sample.pool.json")), QStringLiteral("--router"),
                 QStringLiteral("pickllm-ga:eta=0.2"), QStringLiteral("--preference"),
                 QStringLiteral("quality=0.5,cost=0.5"), QStringLiteral("--seeds"),
                 QStringLiteral("3"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const QJsonObject router = j.value("routers").toArray().at(0).toObject();
        QCOMPARE(router.value("name").toString(), QStringLiteral("pickllm-ga:eta=0.2"));
        for (const char* key : {"mean_quality", "total_cost_usd", "mean_latency_s", "p95_latency_s",
                                "mean_reward", "regret", "selection", "convergence_step"})
            QVERIFY2(router.contains(key), key);
        QCOMPARE(router.value("selection").toObject().size(), 8);
        // What each summary's figures must say of each other: shares that sum to one, a total
        // that is the mean times the steps, regret that is the reward lost to the oracle.
        const double oracleReward = j.value("oracle").toObject().value("mean_reward").toDouble();
        for (const QJsonObject& o :
             {router, j.value("oracle").toObject(), j.value("random").toObject(),
              j.value("best_single").toObject()}) {
            const QString name = o.value("name").toString();
            const double steps = o.value("steps").toDouble();
            QCOMPARE(steps, 1600.0);
            double shares = 0;
            for (const QJsonValue share : o.value("selection").toObject())
                shares += share.toDouble();
            QVERIFY2(closeTo(shares, 1), qPrintable(name));
            QVERIFY2(closeTo(o.value("total_cost_usd").toDouble(),
                             o.value("mean_cost_usd").toDouble() * steps),
                     qPrintable(name));
            QVERIFY2(closeTo(o.value("regret").toDouble(),
                             steps * (oracleReward - o.value("mean_reward").toDouble()), 1e-6),
                     qPrintable(name));
        }
        // The best single model is one model throughout: its figures are that model's means.
        const SampleFigures expected = sampleFigures();
        const QJsonObject best = j.value("best_single").toObject();
        const QJsonObject bestShares = best.value("selection").toObject();
        int chosen = -1;
        for (int k = 0; k < int(expected.names.size()); ++k)
            if (bestShares.value(expected.names.at(k)).toDouble() > 0.5)
                chosen = k;
        QVERIFY(chosen >= 0);
        QVERIFY(closeTo(bestShares.value(expected.names.at(chosen)).toDouble(), 1));
        QVERIFY(closeTo(best.value("mean_quality").toDouble(), expected.meanQuality[chosen], 1e-6));
        QVERIFY(closeTo(best.value("mean_cost_usd").toDouble(), expected.meanCost[chosen], 1e-6));
        QVERIFY(
            closeTo(best.value("mean_latency_s").toDouble(), expected.meanLatency[chosen], 1e-6));
        QVERIFY(j.value("oracle").toObject().value("mean_quality").toDouble() <=
                expected.oracleQuality + 1e-6);
        QVERIFY(j.value("oracle").toObject().value("mean_reward").toDouble() >=
                router.value("mean_reward").toDouble());
        QVERIFY(router.value("mean_reward").toDouble() >
                j.value("random").toObject().value("mean_reward").toDouble());
        const Run bad =
            cli({QStringLiteral("simulate"), QStringLiteral("--dataset"),
                 sample.filePath(QStringLiteral("sample.csv")), QStringLiteral("--pool"),
                 sample.filePath(QStringLiteral("sample.pool.json")), QStringLiteral("--router"),
                 QStringLiteral("pickllm-ga:eta=7")});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("within"));
    }

    // evaluate: the table a user reads, the JSON a script reads, and a family that is not there.
    void evaluateTableAndJson() {
        const QStringList args =
            onSample(QStringLiteral("evaluate")) +
            QStringList{QStringLiteral("--router"),       QStringLiteral("fixed:model=gpt-4o-mini"),
                        QStringLiteral("--router"),       QStringLiteral("quality-regression"),
                        QStringLiteral("--ood-families"), QStringLiteral("math,code+chat"),
                        QStringLiteral("--bootstrap"),    QStringLiteral("100")};
        const Run text = cli(args);
        QVERIFY2(text.code == 0, text.err.constData());
        for (const char* expected : {"unseen: math", "unseen: code+chat", "unseen, all",
                                     "Margin over the training-best model",
                                     "Margin over the hindsight-best model", "oracle"})
            QVERIFY2(text.out.contains(expected), expected);
        const Run json = cli(args + QStringList{QStringLiteral("--json")});
        QVERIFY2(json.code == 0, json.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(j.value("reward").toString(), QStringLiteral("linear"));
        const QJsonArray parts = j.value("parts").toArray();
        QCOMPARE(parts.size(), 4); // in distribution, math, code+chat, all unseen
        QCOMPARE(parts[1].toObject().value("name").toString(), QStringLiteral("math"));
        const QJsonObject point = j.value("points").toArray().first().toObject();
        QVERIFY(point.value("preference").toString().startsWith(QLatin1String("quality=1,")));
        const QJsonArray fixed =
            point.value("routers").toObject().value("fixed:model=gpt-4o-mini").toArray();
        QCOMPARE(fixed.size(), 4);
        // A fixed cheaper model never beats the model best on the training part at quality=1.
        for (const QJsonValue& score : fixed)
            QVERIFY(score.toObject()
                        .value("margin_over_training_best")
                        .toObject()
                        .value("mean")
                        .toDouble() < 0);
        const Run bad =
            cli(QStringList(args.mid(0, 9)) +
                QStringList{QStringLiteral("--ood-families"), QStringLiteral("poetry")});
        QVERIFY(bad.code != 0);
        QVERIFY2(bad.err.contains("no task family 'poetry'"), bad.err.constData());
        // --workspace records what was asked and the table --json prints; the workbench reads
        // the table back from it.
        const QString workspace = dir_.filePath(QStringLiteral("e.routerlab"));
        const Run recorded = cli(args + QStringList{QStringLiteral("--workspace"), workspace});
        QVERIFY2(recorded.code == 0, recorded.err.constData());
        QVERIFY2(recorded.err.contains("recorded as evaluation 1 in"), recorded.err.constData());
        {
            routerlab::WorkspaceStore store(workspace);
            const std::vector<routerlab::EvaluationRecord> stored = store.evaluations();
            QCOMPARE(stored.size(), std::size_t(1));
            const QJsonObject result = QJsonDocument::fromJson(stored[0].resultJson).object();
            QCOMPARE(result, j);
            const QJsonObject config = QJsonDocument::fromJson(stored[0].configJson).object();
            QCOMPARE(config.value("routers").toArray().size(), 2);
            QCOMPARE(config.value("ood_families").toArray().size(), 2);
            QJsonObject table = result;
            QCOMPARE(result.value("training_seeds").toInt(), 1);
            QCOMPARE(config.value("training_seeds").toInt(), 1);
            for (const char* extra :
                 {"reward", "features", "in_distribution_split", "seeds", "training_seeds"})
                table.remove(QLatin1String(extra));
            QCOMPARE(routerlab::Evaluation::fromJson(table).toJson(), table);
        }
        // A folder is not a workspace: refused before the data is read or a router trained.
        const Run folder = cli(args + QStringList{QStringLiteral("--workspace"), dir_.path()});
        QVERIFY(folder.code != 0);
        QVERIFY2(folder.err.contains(dir_.path().toUtf8()), folder.err.constData());
        QVERIFY2(!folder.err.contains("recorded"), folder.err.constData());
    }

    void quizJson() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const QStringList data{
            QStringLiteral("--dataset"), sample.filePath(QStringLiteral("sample.csv")),
            QStringLiteral("--pool"), sample.filePath(QStringLiteral("sample.pool.json"))};
        // The sample's most distinctive model: the rest of the pool predicts it worst.
        const Run r =
            cli(QStringList{QStringLiteral("quiz")} + data +
                QStringList{QStringLiteral("--new-model"), QStringLiteral("llama-3.1-8b-instant"),
                            QStringLiteral("--budget"), QStringLiteral("5,30"),
                            QStringLiteral("--reward"), QStringLiteral("linear"),
                            QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value("prompt_ids").toArray().size(), 30);
        for (const char* key : {"identity_quiz", "identity_full"})
            QCOMPARE(j.value(key).toObject().value("mean").toArray().size(), 8);
        // With quality alone as the preference, a linear reward is the quality.
        for (const char* key : {"routing_quiz", "routing_full", "routing_without"}) {
            const QJsonObject routing = j.value(key).toObject();
            QVERIFY2(closeTo(routing.value("mean_reward").toDouble(),
                             routing.value("mean_quality").toDouble()),
                     key);
        }
        // The share of the full-data gain the quiz recovers; none to recover here gives null.
        const double full = j.value("routing_full").toObject().value("mean_reward").toDouble();
        const double without =
            j.value("routing_without").toObject().value("mean_reward").toDouble();
        const double quizzed = j.value("routing_quiz").toObject().value("mean_reward").toDouble();
        if (closeTo(full, without))
            QVERIFY(j.value("recovery").isNull());
        else
            QVERIFY(
                closeTo(j.value("recovery").toDouble(), (quizzed - without) / (full - without)));
        // And of the likelihood gained from the prior to the full-data identity.
        const double prior = j.value("log_likelihood_prior").toDouble();
        QVERIFY(closeTo(j.value("prediction_recovery").toDouble(),
                        (j.value("log_likelihood_quiz").toDouble() - prior) /
                            (j.value("log_likelihood_full").toDouble() - prior)));
        const QJsonArray curve = j.value("budget_curve").toArray();
        QCOMPARE(curve.size(), 2);
        // The one report schema (the wizard saves it too): the chosen quiz is the first draw of
        // the curve's last point, and its steps are the prompts asked.
        QCOMPARE(j.value("budget").toInt(), 30);
        QVERIFY(j.value("simulated").toBool());
        const QJsonObject chosen = curve.last().toObject();
        QCOMPARE(chosen.value("budget").toInt(), 30);
        QCOMPARE(chosen.value("draws").toInt(), 10); // the default
        QCOMPARE(chosen.value("mean_reward_draws").toArray().size(), 10);
        QCOMPARE(chosen.value("mean_reward_draws")[0].toDouble(),
                 j.value("routing_quiz").toObject().value("mean_reward").toDouble());
        QCOMPARE(chosen.value("prediction_recovery_draws")[0].toDouble(),
                 j.value("prediction_recovery").toDouble());
        // The point is the mean over its draws, inside its interval.
        double meanOfDraws = 0;
        for (const QJsonValue& v : chosen.value("prediction_recovery_draws").toArray())
            meanOfDraws += v.toDouble() / 10;
        QVERIFY(closeTo(chosen.value("prediction_recovery").toDouble(), meanOfDraws));
        const QJsonArray interval = chosen.value("prediction_recovery_ci95").toArray();
        QCOMPARE(interval.size(), 2);
        QVERIFY(interval[0].toDouble() <= meanOfDraws && meanOfDraws <= interval[1].toDouble());
        QCOMPARE(j.value("draw_seeds").toArray().size(), 10);
        for (const QJsonValue& point : curve)
            QVERIFY(point.toObject().value("identity_sd").toDouble() > 0);
        const QJsonArray steps = j.value("steps").toArray();
        QCOMPARE(steps.size(), 30);
        // A simulated quiz asks the recorded answers: each step's is the sample's own.
        const routerlab::PricedDataset recorded =
            routerlab::loadPricedDataset({sample.filePath(QStringLiteral("sample.csv"))},
                                         sample.filePath(QStringLiteral("sample.pool.json")));
        const int model =
            recorded.dataset.modelNames.indexOf(QStringLiteral("llama-3.1-8b-instant"));
        QVERIFY(model >= 0);
        for (int i = 0; i < steps.size(); ++i) {
            const QJsonObject step = steps.at(i).toObject();
            QCOMPARE(step.value("prompt_id"), j.value("prompt_ids")[i]);
            const auto at =
                std::find(recorded.dataset.promptIds.begin(), recorded.dataset.promptIds.end(),
                          step.value("prompt_id").toString());
            QVERIFY(at != recorded.dataset.promptIds.end());
            const int row = int(at - recorded.dataset.promptIds.begin());
            QVERIFY2(closeTo(step.value("answer").toDouble(), recorded.dataset.quality(row, model),
                             1e-6),
                     qPrintable(step.value("prompt_id").toString()));
            QCOMPARE(step.value("category").toString(),
                     recorded.dataset.categoryNames.at(recorded.dataset.promptCategory[row]));
        }
        QCOMPARE(j.value("predicted_quality_per_category").toObject().size(), 4);
        QCOMPARE(j.value("training_prompts").toInt() + j.value("scored_prompts").toInt(), 1600);
        // 30 prompts place the model most of the way from the prior to its full-data identity:
        // over the ten draws 66% (one draw reads 42% to 83%).
        QVERIFY2(chosen.value("prediction_recovery").toDouble() > 0.6, r.out.constData());
        // Another study seed is another preparation of the known models: the full-data identity
        // moves with it, and the report says which seed it read.
        QCOMPARE(j.value("study_seed").toString(), QStringLiteral("1"));
        const Run reseeded = cli(
            QStringList{QStringLiteral("quiz")} + data +
            QStringList{QStringLiteral("--new-model"), QStringLiteral("llama-3.1-8b-instant"),
                        QStringLiteral("--budget"), QStringLiteral("5"), QStringLiteral("--draws"),
                        QStringLiteral("1"), QStringLiteral("--study-seed"), QStringLiteral("2"),
                        QStringLiteral("--json")});
        QVERIFY2(reseeded.code == 0, reseeded.err.constData());
        const QJsonObject k = QJsonDocument::fromJson(reseeded.out).object();
        QCOMPARE(k.value("study_seed").toString(), QStringLiteral("2"));
        QVERIFY(k.value("identity_full").toObject().value("mean") !=
                j.value("identity_full").toObject().value("mean"));
        const Run unknown = cli(QStringList{QStringLiteral("quiz")} + data +
                                QStringList{QStringLiteral("--new-model"), QStringLiteral("nope")});
        QCOMPARE(unknown.code, 2);
        QVERIFY(unknown.err.contains("gpt-4o-mini"));
    }

    // Options the run commands share that quiz and evaluate have no use for: refused with what
    // to use instead, before any data is read, and nothing written where they aim.
    void optionsNotTakenAreRefused_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value"); // empty: a flag; "FILE": a path in a fresh folder
        const QHash<QString, QString> values{
            {QStringLiteral("router"), QStringLiteral("knn")},
            {QStringLiteral("seeds"), QStringLiteral("3")},
            {QStringLiteral("sessions"), QStringLiteral("single")},
            {QStringLiteral("session-length"), QStringLiteral("5")},
            {QStringLiteral("shard"), QStringLiteral("1/2")},
            {QStringLiteral("preference"), QStringLiteral("quality=0.5,cost=0.5")},
            {QStringLiteral("resume"), QString()}};
        const std::pair<const char*, std::vector<const char*>> refused[] = {
            {"quiz",
             {"router", "seeds", "sessions", "session-length", "workspace", "resume", "shard",
              "out", "save-experiment"}},
            {"evaluate", {"resume", "shard", "out", "save-experiment"}},
            {"train",
             {"preference", "seeds", "sessions", "session-length", "workspace", "resume",
              "save-experiment"}},
            {"proxy", {"out", "resume", "seeds", "save-experiment"}}};
        for (const auto& [command, options] : refused)
            for (const char* option : options) {
                const QString name = QLatin1String(option);
                QTest::addRow("%s --%s", command, option)
                    << QString::fromLatin1(command) << name
                    << values.value(name, QStringLiteral("FILE"));
            }
    }
    void optionsNotTakenAreRefused() {
        QFETCH(QString, command);
        QFETCH(QString, option);
        QFETCH(QString, value);
        QTemporaryDir target;
        QVERIFY(target.isValid());
        QStringList args = onSample(command);
        if (command != QLatin1String("proxy")) // which shows no progress line
            args << QStringLiteral("--quiet");
        if (command == QLatin1String("quiz"))
            args << QStringLiteral("--new-model") << QStringLiteral("gpt-4o-mini");
        // What train and the proxy need to go on: a router, and train's file.
        if (command == QLatin1String("train"))
            args << QStringLiteral("--router") << QStringLiteral("barp") << QStringLiteral("--out")
                 << target.filePath(QStringLiteral("router.barp"));
        if (command == QLatin1String("proxy"))
            args << QStringLiteral("--router") << QStringLiteral("knn") << QStringLiteral("--port")
                 << QStringLiteral("0");
        args << QStringLiteral("--") + option;
        if (value == QLatin1String("FILE"))
            args << target.filePath(QStringLiteral("written"));
        else if (!value.isEmpty())
            args << value;
        const Run r = cli(args);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.out.isEmpty(), r.out.constData());
        QVERIFY2(r.err.contains(
                     QStringLiteral("--%1 is not taken by %2; ").arg(option, command).toUtf8()),
                 r.err.constData());
        QVERIFY2(QDir(target.path()).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot),
                 qPrintable(QDir(target.path()).entryList(QDir::NoDotAndDotDot).join(' ')));
    }

    // Every figure of every row carries an interval around it; the sweep's points and AIQ too.
    void simulateIntervals_data() {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<bool>("intervals");
        QTest::newRow("default bootstrap") << QStringList() << true;
        QTest::newRow("bootstrap off")
            << QStringList{QStringLiteral("--bootstrap"), QStringLiteral("0")} << false;
    }
    void simulateIntervals() {
        QFETCH(QStringList, extra);
        QFETCH(bool, intervals);
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const QStringList args = QStringList{QStringLiteral("simulate"),
                                             QStringLiteral("--dataset"),
                                             sample.filePath(QStringLiteral("sample.csv")),
                                             QStringLiteral("--pool"),
                                             sample.filePath(QStringLiteral("sample.pool.json")),
                                             QStringLiteral("--router"),
                                             QStringLiteral("barp"),
                                             QStringLiteral("--router"),
                                             QStringLiteral("pickllm-q"),
                                             QStringLiteral("--preference"),
                                             QStringLiteral("quality=0.7,cost=0.3"),
                                             QStringLiteral("--seeds"),
                                             QStringLiteral("2"),
                                             QStringLiteral("--json")} +
                                 extra;
        const Run r = cli(args);
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        std::vector<QJsonObject> rows;
        for (const QJsonValue v : j.value("routers").toArray())
            rows.push_back(v.toObject());
        for (const char* reference : {"oracle", "random", "best_single"})
            rows.push_back(j.value(reference).toObject());
        QCOMPARE(rows.size(), std::size_t{5});
        for (const QJsonObject& row : rows)
            for (const char* field :
                 {"mean_quality", "mean_reward", "mean_cost_usd", "total_cost_usd",
                  "mean_latency_s", "regret", "convergence_step"}) {
                const QString key = QString::fromLatin1(field) + QStringLiteral("_ci95");
                const QString where = row.value("name").toString() + QLatin1Char(' ') + key;
                QCOMPARE(row.contains(key), intervals);
                if (!intervals)
                    continue;
                const QJsonArray ci = row.value(key).toArray();
                const double value = row.value(QLatin1String(field)).toDouble();
                QVERIFY2(ci.size() == 2 && ci[0].toDouble() <= value + 1e-9 &&
                             value <= ci[1].toDouble() + 1e-9,
                         qPrintable(where));
            }
        QCOMPARE(j.contains("leaders"), intervals);
        if (!intervals)
            return;
        // The learned routers are not one another's equal on every figure of the sample.
        const QJsonObject reward = j.value("leaders").toObject().value("mean_reward").toObject();
        QCOMPARE(reward.value("router").toString(), QStringLiteral("barp"));
        QVERIFY(reward.value("p_value").toDouble() > 0);
        QCOMPARE(reward.value("significant").toBool(), reward.value("p_value").toDouble() < 0.05);
        // Deterministic: the same command prints the same bytes.
        QCOMPARE(cli(args).out, r.out);
    }

    void simulateCompare_data() {
        QTest::addColumn<QString>("pair");
        QTest::addColumn<int>("code");
        QTest::newRow("two routers") << "pickllm-q:alpha=0.2,epsilon=0.1,barp" << 0;
        QTest::newRow("router and reference") << "barp,best-single" << 0;
        QTest::newRow("unknown router") << "barp,linucb" << 2;
        QTest::newRow("one name") << "barp" << 2;
        QTest::newRow("the same twice") << "barp,barp" << 2;
    }
    void simulateCompare() {
        QFETCH(QString, pair);
        QFETCH(int, code);
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const Run r =
            cli({QStringLiteral("simulate"), QStringLiteral("--dataset"),
                 sample.filePath(QStringLiteral("sample.csv")), QStringLiteral("--pool"),
                 sample.filePath(QStringLiteral("sample.pool.json")), QStringLiteral("--router"),
                 QStringLiteral("barp"), QStringLiteral("--router"),
                 QStringLiteral("pickllm-q:alpha=0.2,epsilon=0.1"), QStringLiteral("--seeds"),
                 QStringLiteral("1"), QStringLiteral("--compare"), pair, QStringLiteral("--json")});
        QCOMPARE(r.code, code);
        if (code != 0) {
            QVERIFY2(r.err.contains("--compare") && r.out.isEmpty(), r.err.constData());
            return;
        }
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const QJsonObject comparison = j.value("comparison").toObject();
        const QString a = comparison.value("a").toString();
        const QString b = comparison.value("b").toString();
        auto rowOf = [&](const QString& name) {
            for (const QJsonValue v : j.value("routers").toArray())
                if (v.toObject().value("name").toString() == name)
                    return v.toObject();
            return j.value(QString(name).replace(QLatin1Char('-'), QLatin1Char('_'))).toObject();
        };
        QVERIFY(!rowOf(a).isEmpty() && !rowOf(b).isEmpty());
        const QJsonObject metrics = comparison.value("metrics").toObject();
        for (const char* field :
             {"mean_reward", "mean_quality", "mean_cost_usd", "mean_latency_s", "regret"}) {
            const QJsonObject m = metrics.value(QLatin1String(field)).toObject();
            const double difference = rowOf(a).value(QLatin1String(field)).toDouble() -
                                      rowOf(b).value(QLatin1String(field)).toDouble();
            QVERIFY2(closeTo(m.value("difference").toDouble(), difference, 1e-12), field);
            const QJsonArray ci = m.value("ci95").toArray();
            QVERIFY2(ci.size() == 2 && ci[0].toDouble() <= difference &&
                         difference <= ci[1].toDouble(),
                     field);
            const double p = m.value("p_value").toDouble();
            QVERIFY2(p > 0 && p <= 1, field);
            // An interval that leaves out zero and a p-value under 5% say the same thing.
            const bool excludesZero = ci[0].toDouble() > 0 || ci[1].toDouble() < 0;
            QVERIFY2(excludesZero == (p < 0.05) || std::abs(p - 0.05) < 0.01, field);
        }
    }

    void sweepJson() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const Run r =
            cli({QStringLiteral("sweep"), QStringLiteral("--dataset"),
                 sample.filePath(QStringLiteral("sample.csv")), QStringLiteral("--pool"),
                 sample.filePath(QStringLiteral("sample.pool.json")), QStringLiteral("--router"),
                 QStringLiteral("thompson"), QStringLiteral("--points"), QStringLiteral("5"),
                 QStringLiteral("--seeds"), QStringLiteral("2"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        const QJsonObject router = j.value("routers").toArray().at(0).toObject();
        QCOMPARE(router.value("points").toArray().size(), 5);
        QVERIFY(!router.value("pareto").toArray().isEmpty());
        const double routerAiq = router.value("aiq").toDouble();
        const double oracleAiq = j.value("oracle").toObject().value("aiq").toDouble();
        QVERIFY(routerAiq > 0 && routerAiq <= oracleAiq);
        QCOMPARE(j.value("models").toArray().size(), 8);
        // Moving the preference towards cost moves the operating point to cheaper calls.
        const QJsonArray points = router.value("points").toArray();
        QVERIFY(points.last().toObject().value("cost_usd").toDouble() <
                points.first().toObject().value("cost_usd").toDouble());
    }

    // What a cluster does: N processes each run one shard, a last one merges; the result file
    // is byte for byte the one a single process writes.
    void shardedSweepMergesToTheSameBytes() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const QStringList common{QStringLiteral("sweep"),
                                 QStringLiteral("--dataset"),
                                 sample.filePath(QStringLiteral("sample.csv")),
                                 QStringLiteral("--pool"),
                                 sample.filePath(QStringLiteral("sample.pool.json")),
                                 QStringLiteral("--router"),
                                 QStringLiteral("pickllm-ga"),
                                 QStringLiteral("--router"),
                                 QStringLiteral("thompson"),
                                 QStringLiteral("--points"),
                                 QStringLiteral("5"),
                                 QStringLiteral("--seeds"),
                                 QStringLiteral("2")};
        const QString single = dir_.filePath(QStringLiteral("single.json"));
        const Run whole =
            cli(common + QStringList{QStringLiteral("--out"), single, QStringLiteral("--json")});
        QVERIFY2(whole.code == 0, whole.err.constData());
        QCOMPARE(whole.out, readFile(single));

        const QString shards = dir_.filePath(QStringLiteral("shards"));
        for (int i = 0; i < 3; ++i) {
            const Run r =
                cli(common + QStringList{QStringLiteral("--shard"), QStringLiteral("%1/3").arg(i),
                                         QStringLiteral("--out"), shards,
                                         QStringLiteral("--threads"), QStringLiteral("1")});
            QVERIFY2(r.code == 0, r.err.constData());
            QVERIFY(r.err.contains("written to"));
        }
        const QString merged = dir_.filePath(QStringLiteral("merged.json"));
        const Run m = cli({QStringLiteral("merge"), shards, QStringLiteral("--out"), merged});
        QVERIFY2(m.code == 0, m.err.constData());
        QCOMPARE(readFile(merged), readFile(single));

        // One shard gone: refused with the missing index, nothing written.
        QVERIFY(QFile::remove(QDir(shards).filePath(QStringLiteral("shard-0001-of-0003.json"))));
        const QString refused = dir_.filePath(QStringLiteral("refused.json"));
        const Run missing =
            cli({QStringLiteral("merge"), shards, QStringLiteral("--out"), refused});
        QCOMPARE(missing.code, 1);
        QVERIFY2(missing.err.contains("index 1"), missing.err.constData());
        QVERIFY(!QFileInfo::exists(refused));
        const Run partial =
            cli({QStringLiteral("merge"), shards, QStringLiteral("--allow-partial")});
        QCOMPARE(partial.code, 0);
        QVERIFY(QJsonDocument::fromJson(partial.out).object().contains("missing_cells"));

        // --shard auto outside a scheduler says what it looked for.
        const Run unscheduled =
            cli(common + QStringList{QStringLiteral("--shard"), QStringLiteral("auto"),
                                     QStringLiteral("--out"), shards});
        QCOMPARE(unscheduled.code, 2);
        QVERIFY(unscheduled.err.contains("SLURM_ARRAY_TASK_ID"));
    }

    // The experiment file the GUI saves and the cluster scripts pass: saving the options and
    // running from the file gives the same result as the command line.
    void experimentFileRoundTrip() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const QStringList options{
            QStringLiteral("--dataset"),  sample.filePath(QStringLiteral("sample.csv")),
            QStringLiteral("--pool"),     sample.filePath(QStringLiteral("sample.pool.json")),
            QStringLiteral("--router"),   QStringLiteral("ucb1:c=0.5"),
            QStringLiteral("--points"),   QStringLiteral("3"),
            QStringLiteral("--seeds"),    QStringLiteral("2"),
            QStringLiteral("--sessions"), QStringLiteral("length:40")};
        const QString file = dir_.filePath(QStringLiteral("experiments/e.json"));
        QDir().mkpath(QFileInfo(file).absolutePath());
        const Run save = cli(QStringList{QStringLiteral("sweep")} + options +
                             QStringList{QStringLiteral("--save-experiment"), file});
        QVERIFY2(save.code == 0, save.err.constData());
        const QJsonObject e = QJsonDocument::fromJson(readFile(file)).object();
        QCOMPARE(e.value("command").toString(), QStringLiteral("sweep"));
        QCOMPARE(e.value("points").toInt(), 3);
        QVERIFY(QDir::isRelativePath(e.value("pool").toString())); // the folder can move

        const Run direct = cli(QStringList{QStringLiteral("sweep")} + options +
                               QStringList{QStringLiteral("--json")});
        const Run fromFile = cli({QStringLiteral("sweep"), QStringLiteral("--experiment"), file,
                                  QStringLiteral("--json")});
        QVERIFY2(fromFile.code == 0, fromFile.err.constData());
        QCOMPARE(fromFile.out, direct.out);
        // The command line wins over the file.
        const Run overridden =
            cli({QStringLiteral("sweep"), QStringLiteral("--experiment"), file,
                 QStringLiteral("--points"), QStringLiteral("4"), QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(overridden.out).object().value("points").toInt(), 4);

        const QString broken =
            writeFile(QDir(dir_.path()), QStringLiteral("broken.json"), "{\n \"seeds\": ,\n}");
        const Run bad = cli({QStringLiteral("sweep"), QStringLiteral("--experiment"), broken});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("broken.json:2"), bad.err.constData());
    }

    // Train on one set of files, score on another.
    void testDatasetScoresOnlyItsPrompts() {
        const QString train = writeFile(QDir(dir_.path()), QStringLiteral("train.csv"), kDataset);
        QByteArray other = kDataset;
        other.replace("a,q1", "x,q9").replace("b,q2", "y,q8").replace("c,q3", "z,q7");
        const QString test = writeFile(QDir(dir_.path()), QStringLiteral("test.csv"), other);
        const QString pool = writeFile(QDir(dir_.path()), QStringLiteral("p.pool.json"),
                                       routerlab::testing::kTinyPool);
        const Run r =
            cli({QStringLiteral("simulate"), QStringLiteral("--dataset"), train,
                 QStringLiteral("--test-dataset"), test, QStringLiteral("--pool"), pool,
                 QStringLiteral("--missing"), QStringLiteral("failure"), QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject setup = QJsonDocument::fromJson(r.out).object().value("setup").toObject();
        QCOMPARE(setup.value("training_prompts").toInt(), 3);
        QCOMPARE(setup.value("scored_prompts").toInt(), 3);
        QCOMPARE(setup.value("split").toString(), QStringLiteral("test-dataset:test.csv"));
        const Run both =
            cli({QStringLiteral("simulate"), QStringLiteral("--dataset"), train,
                 QStringLiteral("--test-dataset"), train, QStringLiteral("--pool"), pool});
        QCOMPARE(both.code, 2);
        QVERIFY(both.err.contains("both a training and a test file"));
    }

    void simulateRecordsRuns() {
        const QDir sample(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR));
        const QString ws = dir_.filePath(QStringLiteral("runs.routerlab"));
        const Run r =
            cli({QStringLiteral("simulate"), QStringLiteral("--dataset"),
                 sample.filePath(QStringLiteral("sample.csv")), QStringLiteral("--pool"),
                 sample.filePath(QStringLiteral("sample.pool.json")), QStringLiteral("--router"),
                 QStringLiteral("pickllm-q"), QStringLiteral("--seeds"), QStringLiteral("2"),
                 QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const qint64 experiment = QJsonDocument::fromJson(r.out)
                                      .object()
                                      .value("workspace")
                                      .toObject()
                                      .value("experiment_id")
                                      .toInteger();
        routerlab::WorkspaceStore store(ws);
        const auto experiments = store.experiments();
        QCOMPARE(experiments.size(), std::size_t(1));
        const QJsonObject config = QJsonDocument::fromJson(experiments[0].configJson).object();
        QCOMPARE(config.value("routers").toArray().at(0).toString(), QStringLiteral("pickllm-q"));
        QVERIFY(config.value("setup").toObject().contains("reward_scales"));
        const auto runs = store.runs(experiment);
        QCOMPARE(runs.size(),
                 std::size_t(2 * 4)); // pickllm-q, oracle, random, best-single x 2 seeds
        for (const auto& run : runs) {
            QCOMPARE(run.status, QStringLiteral("finished"));
            const std::vector<double> reward =
                store.series(run.id, QStringLiteral("cumulative_reward"));
            const std::vector<double> steps =
                store.series(run.id, QStringLiteral("cumulative_reward.step"));
            QVERIFY(!reward.empty() && reward.size() <= 2000);
            QCOMPARE(steps.size(), reward.size());
            QCOMPARE(steps.back(), 1599.0);
        }
    }

    void importRecordsInWorkspace() {
        const QString data = writeFile(QDir(dir_.path()), QStringLiteral("imp.csv"), kDataset);
        const QString pool = writeFile(QDir(dir_.path()), QStringLiteral("imp.pool.json"),
                                       routerlab::testing::kTinyPool);
        const QString ws = dir_.filePath(QStringLiteral("w.routerlab"));
        const Run r = cli({QStringLiteral("import"), data, QStringLiteral("--pool"), pool,
                           QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j.value("dataset_id").toInt(), 1);
        QCOMPARE(j.value("prompts").toInt(), 3);
        QVERIFY(QFileInfo::exists(ws));
        const Run again = cli({QStringLiteral("import"), data, QStringLiteral("--pool"), pool,
                               QStringLiteral("--workspace"), ws, QStringLiteral("--json")});
        QCOMPARE(QJsonDocument::fromJson(again.out).object().value("dataset_id").toInt(), 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
