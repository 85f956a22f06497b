#include "data/dataset_builder.h"

#include "common/input_error.h"

#include <cmath>

namespace routerlab {

namespace {

QString fromUtf8(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

double estimateTokens(qsizetype utf8Bytes) {
    return std::ceil(static_cast<double>(utf8Bytes) / Dataset::kCharsPerToken);
}

QString describeBytes(double bytes) {
    if (bytes >= 1e9)
        return QStringLiteral("%1 GB").arg(bytes / 1e9, 0, 'f', 1);
    if (bytes >= 1e6)
        return QStringLiteral("%1 MB").arg(bytes / 1e6, 0, 'f', 0);
    return QStringLiteral("%1 kB").arg(bytes / 1e3, 0, 'f', 0);
}

} // namespace

DatasetBuilder::DatasetBuilder(const ModelPool* pool) : pool_(pool) {
    if (pool_)
        for (const PoolModel& m : pool_->models)
            poolIds_.insert(m.id);
}

void DatasetBuilder::noteMatrixGrowth(SourcePosition at, const QString& field) {
    if (outgrown_ ||
        static_cast<qint64>(dataset_.promptCount()) * dataset_.modelCount() <= maxMatrixCells_)
        return;
    outgrown_ = true;
    outgrownAt_ = at;
    outgrownField_ = field;
}

void DatasetBuilder::checkMatrixSize() const {
    const qint64 prompts = dataset_.promptCount(), models = dataset_.modelCount();
    const qint64 cells = prompts * models;
    if (cells <= maxMatrixCells_ || cellCount() * kMinFillDivisor >= cells)
        return;
    // What finish() would allocate: five numbers and an owner index per cell, a string per
    // cell when any response is recorded.
    const double bytesPerCell =
        5 * sizeof(double) + sizeof(qint64) + (responses_.empty() ? 0.0 : double(sizeof(QString)));
    const SourcePosition at = outgrown_ ? outgrownAt_ : SourcePosition{};
    throw InputError(
        sources_.value(at.file), at.line, outgrown_ ? outgrownField_ : QString(),
        QStringLiteral("the data names %1 prompts and %2 models but records only %3 of their %4 "
                       "pairs (%5%); held as a full prompt x model matrix they would take %6. "
                       "A matrix of more than %7 cells is loaded only when at least 1 in %8 of "
                       "them is recorded (it passed that size on this line). To load it anyway, "
                       "set the environment variable %9 to %4 or more")
            .arg(prompts)
            .arg(models)
            .arg(cellCount())
            .arg(cells)
            .arg(100.0 * static_cast<double>(cellCount()) / static_cast<double>(cells), 0, 'g', 3)
            .arg(describeBytes(bytesPerCell * static_cast<double>(cells)))
            .arg(maxMatrixCells_)
            .arg(kMinFillDivisor)
            .arg(QLatin1String(kMaxMatrixCellsVariable)));
}

int DatasetBuilder::addSource(const QString& path, const QString& format) {
    sources_ << path;
    formats_ << format;
    return static_cast<int>(sources_.size()) - 1;
}

int DatasetBuilder::addPrompt(std::string_view id, std::string_view text, std::string_view category,
                              std::string_view reference, std::string_view session,
                              SourcePosition at, const QString& idField) {
    // Long formats repeat a prompt on consecutive rows, one per model: check the last one first.
    int p = -1;
    if (lastPrompt_ >= 0 && lastPromptKey_ == id) {
        p = lastPrompt_;
    } else {
        const QByteArray key =
            QByteArray::fromRawData(id.data(), static_cast<qsizetype>(id.size()));
        const auto found = promptIndex_.constFind(key);
        if (found != promptIndex_.constEnd())
            p = found.value();
    }
    if (p >= 0) {
        if (promptInfo_[p].text != text)
            throw InputError(sources_[at.file], at.line, idField,
                             QStringLiteral("prompt id '%1' is used for two different prompts "
                                            "(first on %2:%3)")
                                 .arg(dataset_.promptIds[p], sources_[promptInfo_[p].at.file])
                                 .arg(promptInfo_[p].at.line));
        lastPrompt_ = p;
        lastPromptKey_.assign(id);
        return p;
    }
    p = dataset_.promptCount();
    promptIndex_.insert(QByteArray(id.data(), static_cast<qsizetype>(id.size())), p);
    promptInfo_.push_back({std::string(text), at});
    dataset_.promptIds.push_back(fromUtf8(id));
    dataset_.promptTexts.push_back(fromUtf8(text));
    dataset_.references.push_back(fromUtf8(reference));
    dataset_.promptSource.push_back(at.file);

    const QString cat = category.empty() ? QStringLiteral("uncategorised") : fromUtf8(category);
    auto c = categoryIndex_.constFind(cat);
    if (c == categoryIndex_.constEnd()) {
        c = categoryIndex_.insert(cat, static_cast<int>(dataset_.categoryNames.size()));
        dataset_.categoryNames << cat;
    }
    dataset_.promptCategory.push_back(c.value());

    if (!session.empty())
        anySession_ = true;
    const QString ses = fromUtf8(session);
    auto s = sessionIndex_.constFind(ses);
    if (s == sessionIndex_.constEnd()) {
        s = sessionIndex_.insert(ses, static_cast<int>(dataset_.sessionNames.size()));
        dataset_.sessionNames << ses;
    }
    dataset_.promptSession.push_back(s.value());
    lastPrompt_ = p;
    lastPromptKey_.assign(id);
    noteMatrixGrowth(at, idField);
    return p;
}

const std::string* DatasetBuilder::promptText(std::string_view id) const {
    const auto found = promptIndex_.constFind(
        QByteArray::fromRawData(id.data(), static_cast<qsizetype>(id.size())));
    return found == promptIndex_.constEnd() ? nullptr : &promptInfo_[found.value()].text;
}

int DatasetBuilder::addModel(std::string_view name, SourcePosition at, const QString& field) {
    if (lastModel_ >= 0 && lastModelKey_ == name)
        return lastModel_;
    const QString model = fromUtf8(name).trimmed();
    if (model.isEmpty())
        throw InputError(sources_[at.file], at.line, field, QStringLiteral("model name is empty"));
    auto found = modelIndex_.constFind(model);
    int k = found == modelIndex_.constEnd() ? -1 : found.value();
    if (k < 0) {
        if (pool_ && !poolIds_.contains(model))
            throw InputError(sources_[at.file], at.line, field,
                             QStringLiteral("unknown model '%1': the pool '%2' has %3")
                                 .arg(model, pool_->name, pool_->ids().join(QStringLiteral(", "))));
        k = static_cast<int>(dataset_.modelNames.size());
        dataset_.modelNames << model;
        modelIndex_.insert(model, k);
        noteMatrixGrowth(at, field);
    }
    lastModel_ = k;
    lastModelKey_.assign(name);
    return k;
}

void DatasetBuilder::addCell(int prompt, int model, const CellValues& values,
                             std::string_view response, SourcePosition at) {
    qint64 responseIndex = -1;
    if (!response.empty()) {
        responseIndex = static_cast<qint64>(responses_.size());
        responses_.push_back(fromUtf8(response));
    }
    cells_.push_back({prompt, model, at, values, responseIndex});
}

Dataset DatasetBuilder::finish() {
    checkMatrixSize();
    Dataset d = std::move(dataset_);
    d.sources = sources_;
    d.formats = formats_;
    if (!anySession_) {
        d.promptSession.clear();
        d.sessionNames.clear();
    }
    const int n = d.promptCount();
    const int k = d.modelCount();
    const double nan = std::nan("");
    d.quality.setConstant(n, k, nan);
    d.inputTokens.setConstant(n, k, nan);
    d.outputTokens.setConstant(n, k, nan);
    d.recordedLatency.setConstant(n, k, nan);
    d.recordedCost.setConstant(n, k, nan);
    Eigen::Matrix<qint64, Eigen::Dynamic, Eigen::Dynamic> owner;
    owner.setConstant(n, k, -1);
    if (!responses_.empty())
        d.responses.assign(static_cast<std::size_t>(n) * k, QString());

    for (qint64 c = 0; c < static_cast<qint64>(cells_.size()); ++c) {
        Cell& cell = cells_[c];
        const int i = cell.prompt, j = cell.model;
        if (owner(i, j) >= 0) {
            const SourcePosition first = cells_[owner(i, j)].at;
            throw InputError(
                sources_[cell.at.file], cell.at.line, QStringLiteral("model"),
                QStringLiteral("duplicate prompt/model pair (prompt '%1', model '%2'), "
                               "first given on %3:%4")
                    .arg(d.promptIds[i], d.modelNames[j], sources_[first.file])
                    .arg(first.line));
        }
        owner(i, j) = c;
        const CellValues& v = cell.values;
        d.quality(i, j) = v.quality;
        d.recordedLatency(i, j) = v.latencyS;
        d.recordedCost(i, j) = v.costUsd;
        if (cell.responseIndex >= 0)
            d.responses[static_cast<std::size_t>(j) * n + i] =
                std::move(responses_[cell.responseIndex]);
    }
    // Token estimates need the prompt and response text, so they are filled in per cell here.
    for (int j = 0; j < k; ++j) {
        for (int i = 0; i < n; ++i) {
            const qint64 c = owner(i, j);
            if (c < 0)
                continue;
            const CellValues& v = cells_[c].values;
            if (std::isnan(v.inputTokens)) {
                d.inputTokens(i, j) =
                    estimateTokens(static_cast<qsizetype>(promptInfo_[i].text.size()));
                ++d.estimates.inputTokens;
            } else {
                d.inputTokens(i, j) = v.inputTokens;
            }
            if (std::isnan(v.outputTokens)) {
                const QString& r = d.response(i, j);
                d.outputTokens(i, j) =
                    r.isEmpty() ? Dataset::kDefaultOutputTokens : estimateTokens(r.toUtf8().size());
                ++d.estimates.outputTokens;
            } else {
                d.outputTokens(i, j) = v.outputTokens;
            }
            if (std::isnan(v.latencyS))
                ++d.estimates.latency;
        }
    }
    cells_.clear();
    responses_.clear();
    return d;
}

} // namespace routerlab
