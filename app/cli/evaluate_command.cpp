#include "cli/cli_command.h"
#include "cli/terminal_progress.h"

#include "common/version.h"
#include "experiment/evaluation.h"
#include "experiment/simulation_arguments.h"
#include "formats/dataset_loader.h"
#include "store/workspace_store.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace routerlab {

namespace {

std::vector<NumberOption> evaluateNumbers() {
    return {NumberOption::whole(QStringLiteral("sweep"),
                                QStringLiteral("Also score N preferences from quality=1 to "
                                               "cost=1 (default 0: only --preference)."),
                                QStringLiteral("N"), QStringLiteral("0"), 0, 101),
            NumberOption::whole(QStringLiteral("training-seeds"),
                                QStringLiteral("Train each router that takes a training seed, "
                                               "and is given none, with seeds 1..N and average "
                                               "its figures (default 1)."),
                                QStringLiteral("N"), QStringLiteral("1"), 1, 100),
            NumberOption::whole(QStringLiteral("bootstrap"),
                                QStringLiteral("Bootstrap resamples behind each 95% interval "
                                               "(default 1000; 0: no intervals)."),
                                QStringLiteral("N"), QStringLiteral("1000"), 0,
                                kMaxBootstrapResamples)};
}

void describeEvaluateOptions(QCommandLineParser& p) {
    describeSimulationOptions(p, QStringLiteral("evaluate"));
    addQuietOption(p);
    p.addOption({QStringLiteral("ood-families"),
                 QStringLiteral("Task families to hold out, each a category or categories joined "
                                "by '+' (default: every category in turn)."),
                 QStringLiteral("A,B")});
    addNumberOptions(p, evaluateNumbers());
}

// Rows of labelled cells, printed with every column as wide as its widest cell; a row without
// cells is a heading.
class TextTable {
public:
    void add(const QString& label, const QStringList& cells = {}) {
        rows_.push_back({label, cells});
    }
    void print(QTextStream& out) const {
        std::vector<qsizetype> width;
        qsizetype labelWidth = 0;
        for (const auto& [label, cells] : rows_) {
            if (cells.isEmpty())
                continue;
            labelWidth = std::max(labelWidth, label.size());
            width.resize(std::max<std::size_t>(width.size(), cells.size()), 0);
            for (qsizetype c = 0; c < cells.size(); ++c)
                width[c] = std::max(width[c], cells[c].size());
        }
        for (const auto& [label, cells] : rows_) {
            if (cells.isEmpty()) {
                out << label << "\n";
                continue;
            }
            QString line = label.leftJustified(labelWidth + 2);
            for (qsizetype c = 0; c < cells.size(); ++c)
                line += cells[c].leftJustified(width[c] + 2);
            while (line.endsWith(QLatin1Char(' ')))
                line.chop(1);
            out << line << "\n";
        }
    }

private:
    std::vector<std::pair<QString, QStringList>> rows_;
};

void printPoint(QTextStream& out, const Evaluation& e, const EvaluationPoint& point) {
    QStringList header;
    for (const EvaluationPart& part : e.parts)
        header << partHeading(part);
    if (e.hasUnseenTotal)
        header << QStringLiteral("unseen, all");
    const auto model = [&](int k) { return k < 0 ? QStringLiteral("(per family)") : e.models[k]; };
    const auto column = [&](const std::function<QString(int)>& cell) {
        QStringList cells;
        for (int part = 0; part < header.size(); ++part)
            cell(part).isEmpty() ? cells << QStringLiteral("-") : cells << cell(part);
        return cells;
    };
    out << "\nAt " << point.preference.toString()
        << ": margins in reward points (x100) per prompt, 95% intervals paired over prompts\n";
    TextTable table;
    const auto addRow = [&](const QString& label, const QStringList& cells) {
        table.add(label, cells);
    };
    addRow({}, header);
    addRow(QStringLiteral("prompts trained / scored"), column([&](int part) {
               if (part >= static_cast<int>(e.parts.size()))
                   return QString();
               return QStringLiteral("%1 / %2")
                   .arg(e.parts[part].trainingPrompts)
                   .arg(e.parts[part].scoredPrompts);
           }));
    addRow(QStringLiteral("training-best model"),
           column([&](int part) { return model(point.references[part].trainingBest); }));
    addRow(QStringLiteral("  its reward"), column([&](int part) {
               return QString::number(point.references[part].trainingBestScore.reward, 'f', 3);
           }));
    addRow(QStringLiteral("hindsight-best model"),
           column([&](int part) { return model(point.references[part].hindsightBest); }));
    table.add(QStringLiteral("Margin over the training-best model (the deployable fallback):"));
    for (std::size_t r = 0; r < e.routers.size(); ++r)
        addRow(QStringLiteral("  ") + e.routers[r].toString(), column([&](int part) {
                   return marginText(point.scores[r][part].marginOverTrainingBest);
               }));
    addRow(QStringLiteral("  hindsight-best model"), column([&](int part) {
               return marginText(point.references[part].hindsightBestScore.marginOverTrainingBest);
           }));
    addRow(QStringLiteral("  oracle"), column([&](int part) {
               return marginText(point.references[part].oracleScore.marginOverTrainingBest);
           }));
    table.add(QStringLiteral("Margin over the hindsight-best model (not knowable in advance):"));
    for (std::size_t r = 0; r < e.routers.size(); ++r)
        addRow(QStringLiteral("  ") + e.routers[r].toString(), column([&](int part) {
                   return marginText(point.scores[r][part].marginOverHindsightBest);
               }));
    table.print(out);
    for (std::size_t r = 0; r < e.routers.size(); ++r)
        for (int part = 0; part < header.size(); ++part) {
            const EvaluationScore& s = point.scores[r][part];
            const EvaluationScore& fallback = point.references[part].trainingBestScore;
            if (s.runawaySpending)
                out << QStringLiteral("Runaway spending: %1 on %2 pays $%3 per prompt, over "
                                      "twice the training-best model's $%4, for lower quality "
                                      "(%5 against %6)\n")
                           .arg(e.routers[r].toString(), header[part])
                           .arg(s.costUsd, 0, 'g', 3)
                           .arg(fallback.costUsd, 0, 'g', 3)
                           .arg(s.quality, 0, 'f', 3)
                           .arg(fallback.quality, 0, 'f', 3);
        }
}

// What the evaluation was asked, enough to run it again, and its leaderboard.
EvaluationRecord evaluationRecord(const SimulationArguments& a, const EvaluationOptions& options,
                                  const std::vector<RouterSpec>& routers,
                                  const QJsonObject& result) {
    QStringList routerNames, preferences, files;
    for (const RouterSpec& router : routers)
        routerNames << router.toString();
    for (const Preference& preference : options.preferences)
        preferences << preference.toString();
    for (const QString& path : a.datasets)
        files << QFileInfo(path).fileName();
    const QJsonObject config{
        {QStringLiteral("datasets"), QJsonArray::fromStringList(a.datasets)},
        {QStringLiteral("test_datasets"), QJsonArray::fromStringList(a.testDatasets)},
        {QStringLiteral("pool"), a.pool},
        {QStringLiteral("routers"), QJsonArray::fromStringList(routerNames)},
        {QStringLiteral("preferences"), QJsonArray::fromStringList(preferences)},
        {QStringLiteral("ood_families"), QJsonArray::fromStringList(options.unseenFamilies)},
        {QStringLiteral("in_distribution_split"), options.inDistribution.toString()},
        {QStringLiteral("features"), options.simulation.features},
        {QStringLiteral("reward"), rewardKindName(options.simulation.reward)},
        {QStringLiteral("seeds"), options.seeds},
        {QStringLiteral("training_seeds"), options.trainingSeeds},
        {QStringLiteral("bootstrap"), options.bootstrap.resamples},
        {QStringLiteral("version"), versionString()}};
    EvaluationRecord record;
    // Short enough for the workspace tree: the first file names the data.
    record.name = QStringLiteral("%1 on %2")
                      .arg(routers.size() == 1 ? routers.front().toString()
                                               : QStringLiteral("%1 routers").arg(routers.size()),
                           files.value(0));
    if (files.size() > 1)
        record.name += QStringLiteral(" +%1").arg(files.size() - 1);
    record.configJson = QJsonDocument(config).toJson(QJsonDocument::Compact);
    record.resultJson = QJsonDocument(result).toJson(QJsonDocument::Compact);
    return record;
}

int runEvaluateCommand(const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
    const char* keep = "use --json to keep the figures";
    if (!refuseOptionsNotTaken(
            p, QStringLiteral("evaluate"),
            {{"resume", keep}, {"shard", keep}, {"out", keep}, {"save-experiment", keep}}, err))
        return kExitUsage;
    SimulationArguments a;
    if (!parseSimulationArguments(p, QStringLiteral("evaluate"), a, err))
        return kExitUsage;
    EvaluationOptions options;
    options.simulation = a.options;
    if (!p.isSet(QStringLiteral("reward")))
        options.simulation.reward = RewardKind::Linear;
    if (a.options.split.kind == SplitRule::Kind::Sources ||
        a.options.split.kind == SplitRule::Kind::Random)
        options.inDistribution = a.options.split;
    else if (a.options.split.kind == SplitRule::Kind::Category) {
        err << "routerlab-cli evaluate: --split category: name the held-out families with "
               "--ood-families instead\n";
        return kExitUsage;
    }
    options.unseenFamilies =
        p.value(QStringLiteral("ood-families")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const std::vector<NumberOption> numbers = evaluateNumbers();
    const int sweep = static_cast<int>(wholeValue(numbers, p, QStringLiteral("sweep")));
    options.preferences = {a.preference};
    for (int i = 0; i < sweep; ++i) {
        const double cost = sweep == 1 ? 0.0 : static_cast<double>(i) / (sweep - 1);
        const Preference point{1.0 - cost, cost, 0.0};
        if (!(point == a.preference))
            options.preferences.push_back(point);
    }
    options.seeds = p.isSet(QStringLiteral("seeds")) ? a.seeds : 1;
    options.trainingSeeds =
        static_cast<int>(wholeValue(numbers, p, QStringLiteral("training-seeds")));
    options.threads = a.threads;
    options.bootstrap.resamples =
        static_cast<int>(wholeValue(numbers, p, QStringLiteral("bootstrap")));
    const std::vector<RouterSpec> routers =
        p.isSet(QStringLiteral("router")) ? a.routers : learnedRouters();
    // Checked before the data is read: a folder, a missing folder, another program's file or a
    // read-only place fails now, not after the trainings.
    std::optional<WorkspaceStore> store;
    if (!a.workspace.isEmpty())
        store.emplace(WorkspaceStore::openForRecording(a.workspace));
    const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
    TerminalProgress progress(p, QStringLiteral("evaluate"), QStringLiteral("trainings"), 1);
    const Evaluation e = evaluate(data.dataset, data.pool, routers, options,
                                  [&](int done, int total, const QString& what) {
                                      progress.setTotal(total);
                                      progress.advance(done, what);
                                  });
    progress.finish();
    QJsonObject json = e.toJson();
    json.insert(QStringLiteral("reward"), rewardKindName(options.simulation.reward));
    json.insert(QStringLiteral("features"), options.simulation.features);
    json.insert(QStringLiteral("in_distribution_split"), options.inDistribution.toString());
    json.insert(QStringLiteral("seeds"), options.seeds);
    json.insert(QStringLiteral("training_seeds"), options.trainingSeeds);
    if (store) {
        const qint64 id = store->recordEvaluation(evaluationRecord(a, options, routers, json));
        err << "routerlab-cli evaluate: recorded as evaluation " << id << " in " << a.workspace
            << "\n";
    }
    if (p.isSet(QStringLiteral("json"))) {
        out << QJsonDocument(json).toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    out << QStringLiteral("Evaluation of %1 routers over %2 models: reward %3, features %4; "
                          "in distribution: split %5 within the trained families\n")
               .arg(routers.size())
               .arg(e.models.size())
               .arg(rewardKindName(options.simulation.reward), options.simulation.features,
                    options.inDistribution.toString());
    if (options.trainingSeeds > 1)
        out << QStringLiteral("Routers that take a training seed: the mean of seeds 1 to %1\n")
                   .arg(options.trainingSeeds);
    for (const EvaluationPoint& point : e.points)
        printPoint(out, e, point);
    return kExitOk;
}

} // namespace

CliCommand evaluateCommand() {
    CliCommand c;
    c.name = QStringLiteral("evaluate");
    c.summary = QStringLiteral("Score routers in distribution and on task families they never "
                               "saw, against the best single model of the training part, the "
                               "best in hindsight and the oracle, with 95% intervals.");
    c.numbers = simulationNumberOptions(QStringLiteral("evaluate"));
    for (const NumberOption& o : evaluateNumbers())
        c.numbers.push_back(o);
    c.describe = describeEvaluateOptions;
    c.run = runEvaluateCommand;
    return c;
}

} // namespace routerlab
