#include "experiment/shard_files.h"

#include "common/input_error.h"
#include "common/version.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>

namespace routerlab {

namespace {

constexpr int kShardFormatVersion = 1;
// Series points per cell in a shard: enough for a convergence chart of a merged sweep, small
// enough that hundreds of cells stay a few megabytes.
constexpr int kShardSeriesPoints = 200;
// The most cells a merge takes on: it sizes its tables by the cell count a shard's context
// claims before reading any cell, so a small file must not be able to claim more.
constexpr qint64 kMaxMergedCells = 1000000;
// Items a message lists before it says "and N more".
constexpr int kListedItems = 10;

QJsonObject seriesToJson(const SeriesPoints& series) {
    const SeriesPoints reduced = reduceSeries(series, kShardSeriesPoints);
    QJsonArray step, value;
    for (std::size_t i = 0; i < reduced.step.size(); ++i) {
        step.append(reduced.step[i]);
        value.append(std::isfinite(reduced.value[i]) ? QJsonValue(reduced.value[i]) : QJsonValue());
    }
    return {{QStringLiteral("step"), step}, {QStringLiteral("value"), value}};
}

SeriesPoints seriesFromJson(const QJsonObject& json) {
    SeriesPoints s;
    for (const QJsonValue& v : json.value(QStringLiteral("step")).toArray())
        s.step.push_back(v.toDouble());
    for (const QJsonValue& v : json.value(QStringLiteral("value")).toArray())
        s.value.push_back(v.isNull() ? std::numeric_limits<double>::quiet_NaN() : v.toDouble());
    s.value.resize(s.step.size());
    return s;
}
const QString kShardFormat = QStringLiteral("routerlab-shard");

int wholeNumber(const QString& text, const QString& what) {
    bool ok = false;
    const int v = text.toInt(&ok);
    if (!ok)
        throw std::invalid_argument(
            QStringLiteral("%1 '%2' is not a whole number").arg(what, text).toStdString());
    return v;
}

std::optional<int> environmentNumber(const QProcessEnvironment& env, const QString& name) {
    if (!env.contains(name))
        return std::nullopt;
    return wholeNumber(env.value(name), QStringLiteral("environment variable %1").arg(name));
}

qint64 lineOfOffset(const QByteArray& bytes, qint64 offset) {
    return 1 + bytes.left(offset).count('\n');
}

struct ShardFile {
    QString path;
    QString configHash;
    int index = 0;
    int count = 0;
    QJsonObject context;
    QJsonArray cells;
};

// The cells the experiment in `context` has, counted without building them (cellsOf builds
// them): routers with the reference routers, times preferences, times seeds.
qint64 claimedCellCount(const QJsonObject& context) {
    const bool sweep =
        context.value(QStringLiteral("command")).toString() == QLatin1String("sweep");
    const qint64 routers = context.value(QStringLiteral("routers")).toArray().size() +
                           (sweep ? 1 : simulateReferenceRouters().size());
    const qint64 preferences = sweep ? context.value(QStringLiteral("points")).toInteger() : 1;
    const qint64 seeds = context.value(QStringLiteral("seeds")).toInteger();
    // In double, so that no claim overflows the product; exact far beyond any bound used.
    const double cells = static_cast<double>(routers) *
                         static_cast<double>(std::max<qint64>(preferences, 0)) *
                         static_cast<double>(std::max<qint64>(seeds, 0));
    return cells >= 9.0e18 ? std::numeric_limits<qint64>::max() : static_cast<qint64>(cells);
}

ShardFile readShard(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot read: %1").arg(file.errorString()));
    const QByteArray bytes = file.readAll();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        throw InputError(path, lineOfOffset(bytes, error.offset), {},
                         QStringLiteral("not valid JSON (%1); the shard may have been written "
                                        "by something else, or cut short")
                             .arg(error.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != kShardFormat)
        throw InputError(path, 1, QStringLiteral("format"),
                         QStringLiteral("not a RouterLab shard file"));
    if (o.value(QStringLiteral("format_version")).toInt() != kShardFormatVersion)
        throw InputError(path, 1, QStringLiteral("format_version"),
                         QStringLiteral("shard format %1 is not the one this version reads (%2)")
                             .arg(o.value(QStringLiteral("format_version")).toInt())
                             .arg(kShardFormatVersion));
    ShardFile s;
    s.path = path;
    s.configHash = o.value(QStringLiteral("config_hash")).toString();
    s.index = o.value(QStringLiteral("shard")).toInt(-1);
    s.count = o.value(QStringLiteral("shards")).toInt(0);
    s.context = o.value(QStringLiteral("context")).toObject();
    s.cells = o.value(QStringLiteral("cells")).toArray();
    if (s.count > kMaxShards)
        throw InputError(path, 1, QStringLiteral("shards"),
                         QStringLiteral("claims %1 shards; an experiment has at most %2")
                             .arg(s.count)
                             .arg(kMaxShards));
    if (s.count < 1 || s.index < 0 || s.index >= s.count)
        throw InputError(
            path, 1, QStringLiteral("shard"),
            QStringLiteral("shard %1 of %2 is not a valid position").arg(s.index).arg(s.count));
    if (claimedCellCount(s.context) > kMaxMergedCells)
        throw InputError(path, 1, QStringLiteral("context"),
                         QStringLiteral("claims an experiment of %1 cells; merge takes at most %2")
                             .arg(claimedCellCount(s.context))
                             .arg(kMaxMergedCells));
    return s;
}

// "a, b, c and 7 more": a list short enough for a message however many items there are.
template <typename Items, typename Name> QString shortList(const Items& items, Name name) {
    QStringList out;
    for (const auto& item : items) {
        if (out.size() == kListedItems)
            break;
        out << name(item);
    }
    QString text = out.join(QStringLiteral(", "));
    if (std::size(items) > static_cast<std::size_t>(kListedItems))
        text += QStringLiteral(" and %1 more").arg(std::size(items) - kListedItems);
    return text;
}

QString fileNames(const std::vector<const ShardFile*>& files) {
    return shortList(files, [](const ShardFile* f) { return QFileInfo(f->path).fileName(); });
}

QString indexList(const std::vector<int>& indexes) {
    return shortList(indexes, [](int i) { return QString::number(i); });
}

} // namespace

ShardSpec ShardSpec::parse(const QString& text, const QProcessEnvironment& env) {
    ShardSpec s;
    const QString countText = text.section(QLatin1Char('/'), 1);
    const QString indexText = text.section(QLatin1Char('/'), 0, 0);
    if (text.count(QLatin1Char('/')) > 1 ||
        (indexText != QLatin1String("auto") && countText.isEmpty()))
        throw std::invalid_argument(
            QStringLiteral("--shard '%1': expected i/n (e.g. 0/4), auto or auto/n")
                .arg(text)
                .toStdString());
    if (!countText.isEmpty())
        s.count = wholeNumber(countText, QStringLiteral("shard count"));
    if (indexText == QLatin1String("auto")) {
        const auto slurmId = environmentNumber(env, QStringLiteral("SLURM_ARRAY_TASK_ID"));
        const auto jobIndex = environmentNumber(env, QStringLiteral("JOB_COMPLETION_INDEX"));
        if (countText.isEmpty()) {
            const auto slurmCount =
                environmentNumber(env, QStringLiteral("SLURM_ARRAY_TASK_COUNT"));
            const auto slurmMin = environmentNumber(env, QStringLiteral("SLURM_ARRAY_TASK_MIN"));
            if (!slurmId || !slurmCount)
                throw std::invalid_argument(
                    "--shard auto: SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT are not set "
                    "(run it as a Slurm array task; for a Kubernetes Indexed Job give the count: "
                    "--shard auto/N)");
            s.index = *slurmId - slurmMin.value_or(0);
            s.count = *slurmCount;
        } else if (slurmId) {
            s.index = *slurmId;
        } else if (jobIndex) {
            s.index = *jobIndex;
        } else {
            throw std::invalid_argument(
                "--shard auto: neither SLURM_ARRAY_TASK_ID (Slurm array) nor "
                "JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set");
        }
    } else {
        s.index = wholeNumber(indexText, QStringLiteral("shard index"));
    }
    if (s.count < 1 || s.count > kMaxShards || s.index < 0 || s.index >= s.count)
        throw std::invalid_argument(QStringLiteral("--shard: index %1 is not within 0..%2")
                                        .arg(s.index)
                                        .arg(s.count - 1)
                                        .toStdString());
    return s;
}

QString ShardSpec::fileName() const {
    return QStringLiteral("shard-%1-of-%2.json")
        .arg(index, 4, 10, QLatin1Char('0'))
        .arg(count, 4, 10, QLatin1Char('0'));
}

void writeFileAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw InputError(path, 0, {}, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

QString writeShard(const QString& folder, const ExperimentPlan& plan, const ShardSpec& shard,
                   const std::vector<CellResult>& results) {
    QJsonArray cells;
    std::size_t next = 0;
    for (std::size_t i = 0; i < plan.cells.size(); ++i) {
        if (!shard.owns(i))
            continue;
        if (next >= results.size())
            throw std::logic_error("writeShard: fewer results than the shard's cells");
        const CellResult& r = results[next++];
        cells.append(
            QJsonObject{{QStringLiteral("index"), static_cast<int>(i)},
                        {QStringLiteral("router"), r.cell.router.toString()},
                        {QStringLiteral("preference"), r.cell.preference.toString()},
                        {QStringLiteral("seed"), static_cast<int>(r.cell.seed)},
                        {QStringLiteral("summary"), cellSummaryToJson(r.summary)},
                        {QStringLiteral("cumulative_reward"), seriesToJson(r.cumulativeReward)},
                        {QStringLiteral("cumulative_regret"), seriesToJson(r.cumulativeRegret)}});
    }
    const QJsonObject json{{QStringLiteral("format"), kShardFormat},
                           {QStringLiteral("format_version"), kShardFormatVersion},
                           {QStringLiteral("routerlab_version"), versionString()},
                           {QStringLiteral("config_hash"), plan.configHash},
                           {QStringLiteral("shard"), shard.index},
                           {QStringLiteral("shards"), shard.count},
                           {QStringLiteral("cell_count"), static_cast<int>(plan.cells.size())},
                           {QStringLiteral("context"), plan.context},
                           {QStringLiteral("cells"), cells}};
    if (!QDir().mkpath(folder))
        throw InputError(folder, 0, {}, QStringLiteral("cannot create the folder"));
    const QString path = QDir(folder).filePath(shard.fileName());
    writeFileAtomically(path, QJsonDocument(json).toJson(QJsonDocument::Compact));
    return path;
}

namespace {

std::vector<ShardFile> readShards(const QString& folder) {
    const QDir dir(folder);
    if (!dir.exists())
        throw InputError(folder, 0, {}, QStringLiteral("no such folder"));
    const QStringList names =
        dir.entryList({QStringLiteral("shard-*.json")}, QDir::Files, QDir::Name);
    if (names.isEmpty())
        throw InputError(folder, 0, {}, QStringLiteral("no shard files (shard-*.json) here"));
    std::vector<ShardFile> files;
    for (const QString& name : names)
        files.push_back(readShard(dir.filePath(name)));
    return files;
}

// Refuses shards of different experiments or shard counts; returns the shard count.
int checkOneExperiment(const QString& folder, const std::vector<ShardFile>& files) {
    std::map<QString, std::vector<const ShardFile*>> byHash;
    for (const ShardFile& f : files)
        byHash[f.configHash].push_back(&f);
    if (byHash.size() > 1) {
        const QString groups = shortList(byHash, [](const auto& entry) {
            return QStringLiteral("config %1: %2")
                .arg(entry.first.left(12), fileNames(entry.second));
        });
        throw InputError(folder, 0, {},
                         QStringLiteral("shards from %1 different experiments (move the foreign "
                                        "ones away): %2")
                             .arg(byHash.size())
                             .arg(groups));
    }
    const int count = files.front().count;
    for (const ShardFile& f : files)
        if (f.count != count)
            throw InputError(f.path, 1, QStringLiteral("shards"),
                             QStringLiteral("written as one of %1 shards, but %2 says %3")
                                 .arg(f.count)
                                 .arg(QFileInfo(files.front().path).fileName())
                                 .arg(count));
    return count;
}

// Each shard index's file (null when missing). Identical duplicates are used once and noted;
// differing ones are refused.
std::vector<const ShardFile*> shardsByIndex(const std::vector<ShardFile>& files, int count,
                                            QStringList& notes) {
    std::vector<const ShardFile*> byIndex(static_cast<std::size_t>(count), nullptr);
    for (const ShardFile& f : files) {
        const ShardFile*& slot = byIndex[static_cast<std::size_t>(f.index)];
        if (!slot) {
            slot = &f;
            continue;
        }
        if (slot->cells != f.cells)
            throw InputError(f.path, 1, QStringLiteral("shard"),
                             QStringLiteral("shard %1 is also in %2, with different results")
                                 .arg(f.index)
                                 .arg(QFileInfo(slot->path).fileName()));
        notes << QStringLiteral("%1 duplicates %2 (same results, used once)")
                     .arg(QFileInfo(f.path).fileName(), QFileInfo(slot->path).fileName());
    }
    return byIndex;
}

// The cells the shards hold, by canonical index; present[i] points into summaries.
struct ShardCells {
    std::vector<CellSummary> summaries;
    std::vector<const CellSummary*> present;
    std::vector<CellResult> runs;
};

// Fills `out` (sized for `cells`) from one shard, refusing cells that belong elsewhere.
void readShardCells(const ShardFile& shard, int count, const std::vector<Cell>& cells,
                    ShardCells& out) {
    for (const QJsonValue& v : shard.cells) {
        const QJsonObject c = v.toObject();
        const int i = c.value(QStringLiteral("index")).toInt(-1);
        if (i < 0 || i >= static_cast<int>(cells.size()) || i % count != shard.index ||
            c.value(QStringLiteral("router")).toString() != cells[i].router.toString() ||
            c.value(QStringLiteral("seed")).toInt() != static_cast<int>(cells[i].seed))
            throw InputError(
                shard.path, 1, QStringLiteral("cells"),
                QStringLiteral("cell %1 does not belong to this shard of the experiment").arg(i));
        if (out.present[i])
            throw InputError(shard.path, 1, QStringLiteral("cells"),
                             QStringLiteral("cell %1 appears twice").arg(i));
        out.summaries[i] = cellSummaryFromJson(c.value(QStringLiteral("summary")).toObject());
        out.present[i] = &out.summaries[i];
        CellResult& run = out.runs[i];
        run.cell = cells[i];
        run.summary = out.summaries[i];
        run.cumulativeReward =
            seriesFromJson(c.value(QStringLiteral("cumulative_reward")).toObject());
        run.cumulativeRegret =
            seriesFromJson(c.value(QStringLiteral("cumulative_regret")).toObject());
    }
}

} // namespace

MergeOutcome mergeShards(const QString& folder, bool allowPartial) {
    const std::vector<ShardFile> files = readShards(folder);
    const int count = checkOneExperiment(folder, files);
    MergeOutcome outcome;
    const std::vector<const ShardFile*> byIndex = shardsByIndex(files, count, outcome.notes);
    std::vector<int> missingShards;
    for (int i = 0; i < count; ++i)
        if (!byIndex[static_cast<std::size_t>(i)])
            missingShards.push_back(i);
    if (!missingShards.empty() && !allowPartial)
        throw InputError(folder, 0, {},
                         QStringLiteral("%1 of %2 shards missing: index %3 (rerun those tasks, "
                                        "or merge with --allow-partial)")
                             .arg(missingShards.size())
                             .arg(count)
                             .arg(indexList(missingShards)));

    const QJsonObject& context = files.front().context;
    std::vector<Cell> cells;
    try {
        cells = cellsOf(context);
    } catch (const std::invalid_argument& e) {
        throw InputError(files.front().path, 1, QStringLiteral("context"),
                         QString::fromUtf8(e.what()));
    }
    ShardCells merged{std::vector<CellSummary>(cells.size()),
                      std::vector<const CellSummary*>(cells.size(), nullptr),
                      std::vector<CellResult>(cells.size())};
    for (const ShardFile* f : byIndex) {
        if (!f)
            continue;
        ++outcome.shards;
        readShardCells(*f, count, cells, merged);
    }
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (!merged.present[i])
            ++outcome.missingCells;
    if (!missingShards.empty())
        outcome.notes << QStringLiteral("partial: shard %1 missing, %2 of %3 cells absent")
                             .arg(indexList(missingShards))
                             .arg(outcome.missingCells)
                             .arg(cells.size());
    else if (outcome.missingCells > 0)
        throw InputError(folder, 0, {},
                         QStringLiteral("%1 cells are missing although every shard is present "
                                        "(a shard was cut short?)")
                             .arg(outcome.missingCells));
    for (std::size_t i = 0; i < cells.size(); ++i)
        if (merged.present[i])
            outcome.runs.push_back(std::move(merged.runs[i]));
    outcome.context = context;
    outcome.configHash = files.front().configHash;
    try {
        outcome.result = buildResult(context, merged.present);
    } catch (const std::invalid_argument& e) {
        throw InputError(files.front().path, 1, QStringLiteral("context"),
                         QString::fromUtf8(e.what()));
    }
    return outcome;
}

} // namespace routerlab
