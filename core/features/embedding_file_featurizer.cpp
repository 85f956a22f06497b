#include "features/embedding_file_featurizer.h"

#include "common/input_error.h"
#include "formats/csv_reader.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace routerlab {

namespace {
constexpr qint64 kMaxLineBytes = qint64(16) << 20;
}

EmbeddingFileFeaturizer::EmbeddingFileFeaturizer(const QString& path) : path_(path) {
    if (!QFile::exists(path))
        throw InputError(path, 0, {}, QStringLiteral("the embeddings file does not exist"));
    if (path.endsWith(QLatin1String(".jsonl"), Qt::CaseInsensitive) ||
        path.endsWith(QLatin1String(".ndjson"), Qt::CaseInsensitive))
        readJsonLines();
    else
        readCsv();
    if (rowOf_.isEmpty())
        throw InputError(path, 0, {}, QStringLiteral("no embeddings in the file"));
}

void EmbeddingFileFeaturizer::add(const QString& id, std::vector<float>&& values, qint64 line,
                                  const QString& field) {
    if (id.isEmpty())
        throw InputError(path_, line, QStringLiteral("prompt_id"), QStringLiteral("is empty"));
    if (values.empty())
        throw InputError(path_, line, field, QStringLiteral("has no values"));
    if (dimension_ < 0)
        dimension_ = static_cast<int>(values.size());
    if (static_cast<int>(values.size()) != dimension_)
        throw InputError(path_, line, field,
                         QStringLiteral("has %1 values, earlier rows have %2")
                             .arg(values.size())
                             .arg(dimension_));
    if (rowOf_.contains(id))
        throw InputError(path_, line, QStringLiteral("prompt_id"),
                         QStringLiteral("'%1' appears twice").arg(id));
    rowOf_.insert(id, static_cast<int>(rowOf_.size()));
    values_.insert(values_.end(), values.begin(), values.end());
}

void EmbeddingFileFeaturizer::readCsv() {
    CsvReader reader(path_, kMaxLineBytes);
    const std::vector<std::string>& header = reader.readHeader();
    if (header.empty() || header.front() != "prompt_id")
        throw InputError(path_, 1, QStringLiteral("prompt_id"),
                         QStringLiteral("the header must start with prompt_id, then v1..vD"));
    while (reader.next()) {
        const std::vector<std::string_view>& fields = reader.fields();
        std::vector<float> values(fields.size() - 1);
        for (std::size_t j = 1; j < fields.size(); ++j) {
            const std::string_view text = fields[j];
            float x = 0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), x);
            if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(x))
                throw InputError(
                    path_, reader.line(), reader.fieldName(static_cast<int>(j)),
                    QStringLiteral("'%1' is not a finite number")
                        .arg(QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()))));
            values[j - 1] = x;
        }
        add(QString::fromUtf8(fields[0].data(), static_cast<qsizetype>(fields[0].size())),
            std::move(values), reader.line(), reader.fieldName(1));
    }
}

void EmbeddingFileFeaturizer::readJsonLines() {
    QFile file(path_);
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path_, 0, {}, file.errorString());
    qint64 line = 0;
    while (!file.atEnd()) {
        const QByteArray bytes = file.readLine(kMaxLineBytes).trimmed();
        ++line;
        if (bytes.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
        if (!document.isObject())
            throw InputError(path_, line, {},
                             error.error != QJsonParseError::NoError
                                 ? error.errorString()
                                 : QStringLiteral("a line must be a JSON object"));
        const QJsonObject object = document.object();
        const QJsonValue id = object.value(QStringLiteral("prompt_id"));
        if (!id.isString() && !id.isDouble())
            throw InputError(path_, line, QStringLiteral("prompt_id"),
                             QStringLiteral("missing, or not a string"));
        const QJsonValue embedding = object.value(QStringLiteral("embedding"));
        if (!embedding.isArray())
            throw InputError(path_, line, QStringLiteral("embedding"),
                             QStringLiteral("missing, or not an array of numbers"));
        const QJsonArray array = embedding.toArray();
        std::vector<float> values;
        values.reserve(static_cast<std::size_t>(array.size()));
        for (qsizetype j = 0; j < array.size(); ++j) {
            if (!array[j].isDouble())
                throw InputError(path_, line, QStringLiteral("embedding"),
                                 QStringLiteral("element %1 is not a number").arg(j + 1));
            const double x = array[j].toDouble();
            if (!std::isfinite(x) || std::abs(x) > std::numeric_limits<float>::max())
                throw InputError(
                    path_, line, QStringLiteral("embedding"),
                    QStringLiteral("element %1 (%2) is beyond a float's range").arg(j + 1).arg(x));
            values.push_back(static_cast<float>(x));
        }
        add(id.isString() ? id.toString() : QString::number(id.toDouble(), 'g', 17),
            std::move(values), line, QStringLiteral("embedding"));
    }
}

Eigen::VectorXf EmbeddingFileFeaturizer::transform(const QString&) const {
    throw std::invalid_argument(
        QStringLiteral("features 'embeddings:%1' look prompts up by id; a prompt without one "
                       "cannot be featurized")
            .arg(path_)
            .toStdString());
}

Eigen::VectorXf EmbeddingFileFeaturizer::transformDatasetPrompt(const QString& promptId,
                                                                const QString&) const {
    const auto it = rowOf_.constFind(promptId);
    if (it == rowOf_.constEnd())
        throw InputError(path_, 0, QStringLiteral("prompt_id"),
                         QStringLiteral("no embedding for prompt '%1'").arg(promptId));
    Eigen::VectorXf v(dimension_ + 1);
    v.head(dimension_) = Eigen::Map<const Eigen::VectorXf>(
        values_.data() + static_cast<std::size_t>(*it) * dimension_, dimension_);
    v[dimension_] = 1.0f;
    return v;
}

} // namespace routerlab
