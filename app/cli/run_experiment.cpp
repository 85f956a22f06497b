#include "cli/run_experiment.h"

#include "cli/cli_command.h"
#include "cli/terminal_progress.h"
#include "common/input_error.h"
#include "common/version.h"
#include "experiment/recorded_experiment.h"
#include "experiment/shard_files.h"
#include "sim/run_recorder.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <algorithm>
#include <atomic>
#include <csignal>
#include <memory>
#include <optional>

namespace routerlab {

namespace {

// Tests stop the process here, to kill it at a chosen point: after N cells of this run are
// stored (0: once the experiment row is). Unset in normal use.
void stopForTestAt(int storedCells) {
    static const int stopAfter =
        qEnvironmentVariableIsSet("ROUTERLAB_TEST_STOP_AFTER_CELLS")
            ? qEnvironmentVariableIntValue("ROUTERLAB_TEST_STOP_AFTER_CELLS")
            : -1;
#ifdef SIGSTOP
    if (storedCells == stopAfter)
        std::raise(SIGSTOP);
#else
    Q_UNUSED(storedCells);
    Q_UNUSED(stopAfter);
#endif
}

struct Outcome {
    QJsonObject json;
    std::size_t runs = 0;
    qint64 experimentId = 0;
};

QJsonObject resultOf(const ExperimentPlan& experiment, const std::vector<CellSummary>& cells,
                     const ResultOptions& options) {
    std::vector<const CellSummary*> summaries;
    for (const CellSummary& s : cells)
        summaries.push_back(&s);
    return buildResult(experiment.context, summaries, options);
}

// Every cell is committed as it finishes, so a kill loses only the cells that were running.
// The recorded configuration carries the data's fingerprint, so runs compared side by side
// show whether they read the same files.
Outcome runRecorded(WorkspaceStore& store, const SimulationArguments& a,
                    const SimulationSetup& setup, const PricedDataset& data,
                    const ExperimentPlan& experiment, const QString& fingerprint,
                    const QCommandLineParser& p, QTextStream& err) {
    QJsonObject json = a.toJson(setup);
    json.insert(QStringLiteral("data_sha256"), fingerprint);
    const QByteArray config = QJsonDocument(json).toJson(QJsonDocument::Compact);
    RecordedExperiment recorded(store, experiment,
                                QStringLiteral("%1 %2").arg(a.command, data.dataset.name), config,
                                a.resume);
    if (recorded.resumedCells() > 0)
        err << "routerlab-cli " << a.command << ": resuming experiment " << recorded.id() << " in "
            << a.workspace << ": " << recorded.resumedCells() << " of " << experiment.cells.size()
            << " cells already stored\n";
    err.flush();
    stopForTestAt(0);

    std::vector<Cell> cells;
    for (const int i : recorded.pendingCells())
        cells.push_back(experiment.cells[static_cast<std::size_t>(i)]);
    std::atomic<int> stored{0};
    TerminalProgress progress(p, a.command, QStringLiteral("cells"),
                              static_cast<int>(cells.size()));
    progress.advance(0, {});
    auto finished = [&](int i, const CellResult& result) {
        recorded.record(recorded.pendingCells()[static_cast<std::size_t>(i)], result,
                        data.dataset.modelNames);
        progress.finishOne(cells[static_cast<std::size_t>(i)].router.toString());
        stopForTestAt(stored.fetch_add(1) + 1);
    };
    runCells(setup, cells, a.threads, nullptr, {}, false, finished);
    progress.finish();
    return {resultOf(experiment, recorded.summaries(), a.result), experiment.cells.size(),
            recorded.id()};
}

// Runs the cells, their progress on the terminal.
std::vector<CellResult> runShowingProgress(const QCommandLineParser& p,
                                           const SimulationArguments& a,
                                           const SimulationSetup& setup,
                                           const std::vector<Cell>& cells) {
    TerminalProgress progress(p, a.command, QStringLiteral("cells"),
                              static_cast<int>(cells.size()));
    progress.advance(0, {});
    std::vector<CellResult> results =
        runCells(setup, cells, a.threads, nullptr, {}, false, [&](int i, const CellResult&) {
            progress.finishOne(cells[static_cast<std::size_t>(i)].router.toString());
        });
    progress.finish();
    return results;
}

int runShard(const QCommandLineParser& p, const SimulationArguments& a, const ShardSpec& shard,
             const SimulationSetup& setup, const ExperimentPlan& experiment, QTextStream& err) {
    std::vector<Cell> cells;
    for (std::size_t i = 0; i < experiment.cells.size(); ++i)
        if (shard.owns(i))
            cells.push_back(experiment.cells[i]);
    const std::vector<CellResult> results = runShowingProgress(p, a, setup, cells);
    const QString file = writeShard(a.out, experiment, shard, results);
    err << "routerlab-cli " << a.command << ": shard " << shard.index << " of " << shard.count
        << " (" << cells.size() << " of " << experiment.cells.size() << " cells) written to "
        << file << "\n";
    return kExitOk;
}

// The setup, scored on the --traffic calls' prompts when given. Null, after a message naming
// the workspace and the session, when the dataset has outcomes for none of them.
std::unique_ptr<SimulationSetup> setUp(const SimulationArguments& a, const PricedDataset& data,
                                       std::vector<int>& callRows, QTextStream& err) {
    if (!a.traffic)
        return std::make_unique<SimulationSetup>(data.dataset, data.pool, a.options);
    const QString replaying = QStringLiteral("routerlab-cli %1: replaying live session %2 of '%3'")
                                  .arg(a.command)
                                  .arg(a.traffic->session.id)
                                  .arg(a.traffic->workspace);
    callRows = trafficRows(*a.traffic, data.dataset);
    SimulationOptions options = a.options;
    options.scoredRows = matchedRows(callRows);
    if (options.scoredRows.empty()) {
        err << replaying << ": none of its " << a.traffic->calls.size()
            << " answered calls has a prompt of the dataset '" << data.dataset.name << "'\n";
        return nullptr;
    }
    try {
        return std::make_unique<SimulationSetup>(data.dataset, data.pool, options);
    } catch (const std::invalid_argument& e) {
        err << replaying << ": " << e.what() << "\n";
        return nullptr;
    }
}

// What a run reads before it computes anything.
struct Prepared {
    SimulationArguments args; // as given, with the recorded traffic read in when replayed
    std::unique_ptr<PricedDataset> data;
    std::unique_ptr<SimulationSetup> setup;
    std::vector<int> callRows; // each recorded call's dataset row, or -1
};

// Reads it in an order that fails early and writes nothing on bad input: the recorded traffic,
// then the workspace that records the runs, before the data is read (a folder, a missing
// folder, another program's file, a read-only one fail now); a replay's workspace opens only
// once the data has shown it can score the traffic. Null after a message.
std::unique_ptr<Prepared> prepare(const SimulationArguments& a,
                                  std::optional<WorkspaceStore>& store, QTextStream& err) {
    auto prepared = std::make_unique<Prepared>();
    SimulationArguments& args = prepared->args;
    args = a;
    if (args.trafficSource) {
        try {
            args.traffic = readRecordedTraffic(*args.trafficSource);
        } catch (const InputError& e) {
            err << "routerlab-cli " << a.command << ": --traffic: " << e.text() << "\n";
            return nullptr;
        }
    }
    auto openStore = [&] {
        if (!a.workspace.isEmpty())
            store.emplace(WorkspaceStore::openForRecording(a.workspace));
    };
    if (!args.traffic)
        openStore();
    prepared->data = std::make_unique<PricedDataset>(loadPricedDataset(a.allDatasets(), a.pool));
    prepared->setup = setUp(args, *prepared->data, prepared->callRows, err);
    if (!prepared->setup)
        return nullptr;
    if (args.traffic)
        openStore();
    return prepared;
}

// The traffic's part of the result; a warning when some of its calls could not be scored.
QJsonObject describeReplay(const SimulationArguments& a, const std::vector<int>& callRows,
                           const SimulationSetup& setup, QTextStream& err) {
    const QJsonObject traffic = describeTraffic(*a.traffic, callRows, setup);
    if (const int skipped = traffic.value(QStringLiteral("skipped")).toInt(); skipped > 0)
        err << "routerlab-cli " << a.command << ": warning: " << skipped << " of "
            << a.traffic->calls.size() << " calls of live session " << a.traffic->session.id
            << " in '" << a.traffic->workspace
            << "' skipped: the dataset has no outcomes for their prompts\n";
    return traffic;
}

// "gpt-4o-mini 87%, claude-3-5-haiku 8%, ...": the most chosen first.
QString sharesText(const QJsonObject& selection) {
    std::vector<std::pair<double, QString>> shares;
    for (auto s = selection.begin(); s != selection.end(); ++s)
        shares.emplace_back(s.value().toDouble(), s.key());
    std::stable_sort(shares.begin(), shares.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList parts;
    for (const auto& [share, model] : shares)
        parts << (share < 0.005 ? QStringLiteral("%1 <1%").arg(model)
                                : QStringLiteral("%1 %2%").arg(model).arg(100 * share, 0, 'f', 0));
    return parts.join(QStringLiteral(", "));
}

// What the replayed traffic was and what its recorded router did, above the simulated ones.
void printTraffic(const QJsonObject& traffic, QTextStream& text) {
    const QJsonObject recorded = traffic.value(QStringLiteral("recorded")).toObject();
    const QJsonObject onScored = traffic.value(QStringLiteral("recorded_on_scored")).toObject();
    text << QStringLiteral("traffic: live session %1 of %2 (router %3, preference %4, scorer %5): "
                           "%6 calls, %7 scored, %8 skipped\n")
                .arg(traffic.value(QStringLiteral("session")).toInteger())
                .arg(traffic.value(QStringLiteral("workspace")).toString(),
                     traffic.value(QStringLiteral("router")).toString(),
                     traffic.value(QStringLiteral("preference")).toString(),
                     traffic.value(QStringLiteral("scorer")).toString())
                .arg(traffic.value(QStringLiteral("calls")).toInt())
                .arg(traffic.value(QStringLiteral("matched")).toInt())
                .arg(traffic.value(QStringLiteral("skipped")).toInt());
    text << QStringLiteral("recorded router: $%1 spent in all")
                .arg(recorded.value(QStringLiteral("cost_usd")).toDouble(), 0, 'g', 4);
    if (const int rated = recorded.value(QStringLiteral("rated_calls")).toInt(); rated > 0)
        text << QStringLiteral(", quality %1 as scored live (%2 calls)")
                    .arg(recorded.value(QStringLiteral("mean_quality")).toDouble(), 0, 'f', 3)
                    .arg(rated);
    text << QStringLiteral("\n  on the %1 scored prompts: $%2 spent")
                .arg(onScored.value(QStringLiteral("calls")).toInt())
                .arg(onScored.value(QStringLiteral("cost_usd")).toDouble(), 0, 'g', 4);
    if (const QJsonValue q = onScored.value(QStringLiteral("dataset_quality")); !q.isNull())
        text << QStringLiteral("; by the dataset quality %1 at $%2")
                    .arg(q.toDouble(), 0, 'f', 3)
                    .arg(onScored.value(QStringLiteral("dataset_cost_usd")).toDouble(), 0, 'g', 4);
    text << "; models " << sharesText(onScored.value(QStringLiteral("selection")).toObject())
         << "\n\n";
}

} // namespace

int runExperiment(
    const QCommandLineParser& p, const SimulationArguments& a,
    const std::function<ExperimentPlan(const SimulationSetup&, const QString&)>& plan,
    const std::function<void(const QJsonObject&, const SimulationSetup&, QTextStream&)>& printText,
    QTextStream& out, QTextStream& err) {
    const QString saveTo = p.value(QStringLiteral("save-experiment"));
    if (!saveTo.isEmpty()) {
        const QJsonObject json = a.toExperimentJson(QFileInfo(saveTo).absolutePath());
        writeFileAtomically(saveTo, QJsonDocument(json).toJson(QJsonDocument::Indented));
        err << "routerlab-cli " << a.command << ": experiment written to " << saveTo << "\n";
        return kExitOk;
    }
    if (a.resume && a.workspace.isEmpty()) {
        err << "routerlab-cli " << a.command
            << ": --resume continues a run recorded in a workspace: it needs --workspace FILE\n";
        return kExitUsage;
    }
    std::optional<ShardSpec> shard;
    if (!a.shard.isEmpty()) {
        try {
            shard = ShardSpec::parse(a.shard);
        } catch (const std::invalid_argument& e) {
            err << "routerlab-cli " << a.command << ": " << e.what() << "\n";
            return kExitUsage;
        }
    }
    std::optional<WorkspaceStore> store;
    const std::unique_ptr<Prepared> prepared = prepare(a, store, err);
    if (!prepared)
        return kExitUsage;
    const PricedDataset& data = *prepared->data;
    const SimulationSetup& setup = *prepared->setup;
    // The data's fingerprint goes into the config hash that keeps shards, and the runs a
    // workspace resumes, of different experiments apart; hashing large files takes a moment.
    QString fingerprint;
    if (shard || store) {
        QStringList files = expandDatasetPaths(a.allDatasets());
        if (!a.pool.isEmpty())
            files << a.pool;
        fingerprint = fingerprintFiles(files);
    }
    const ExperimentPlan experiment = plan(setup, fingerprint);
    err.flush(); // before the progress line writes to the same stream
    if (shard)
        return runShard(p, a, *shard, setup, experiment, err);

    Outcome outcome;
    if (store) {
        try {
            outcome =
                runRecorded(*store, prepared->args, setup, data, experiment, fingerprint, p, err);
        } catch (const PartialRunExists& e) {
            err << "routerlab-cli " << a.command << ": workspace '" << a.workspace
                << "' holds an unfinished run of this experiment (experiment " << e.progress().id
                << ", " << e.progress().storedRuns << " of " << e.progress().plannedRuns
                << " cells stored): add --resume to continue it, or name another workspace\n";
            return kExitFailure;
        }
    } else {
        const std::vector<CellResult> results = runShowingProgress(p, a, setup, experiment.cells);
        std::vector<CellSummary> summaries;
        for (const CellResult& r : results)
            summaries.push_back(r.summary);
        outcome.json = resultOf(experiment, summaries, a.result);
    }
    QJsonObject json = outcome.json;
    if (prepared->args.traffic)
        json.insert(QStringLiteral("traffic"),
                    describeReplay(prepared->args, prepared->callRows, setup, err));
    if (!a.out.isEmpty())
        writeFileAtomically(a.out, QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (store)
        json.insert(QStringLiteral("workspace"),
                    QJsonObject{{QStringLiteral("file"), a.workspace},
                                {QStringLiteral("experiment_id"), outcome.experimentId},
                                {QStringLiteral("runs"), static_cast<int>(outcome.runs)}});
    if (p.isSet(QStringLiteral("json")))
        out << QJsonDocument(json).toJson(QJsonDocument::Indented);
    else {
        if (prepared->args.traffic)
            printTraffic(json.value(QStringLiteral("traffic")).toObject(), out);
        printText(json, setup, out);
    }
    return kExitOk;
}

} // namespace routerlab
