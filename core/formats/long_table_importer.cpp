#include "formats/long_table_importer.h"

#include "common/input_error.h"
#include "formats/csv_reader.h"
#include "formats/text_checks.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>

namespace routerlab {

namespace {

std::string lowered(std::string_view s) {
    std::string out(trimmed(s));
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

double parseBounded(const LongRow& row, LongColumn column, const DatasetBuilder& builder,
                    SourcePosition at, double lo, double hi, const char* what) {
    const int c = static_cast<int>(column);
    if (!row.present[c])
        return CellValues::kNone;
    double v = 0;
    switch (parseNumber(row.value[c], v)) {
    case NumberStatus::Missing:
        return CellValues::kNone;
    case NumberStatus::Invalid:
        throw InputError(
            builder.sourcePath(at.file), at.line, row.fieldName[c],
            QStringLiteral("'%1' is not a number").arg(toQString(row.value[c]).left(40)));
    case NumberStatus::Ok:
        break;
    }
    if (v < lo || v > hi)
        throw InputError(builder.sourcePath(at.file), at.line, row.fieldName[c],
                         QStringLiteral("%1 must be %2, got %3")
                             .arg(QLatin1String(what), hi > 1e300 ? QStringLiteral(">= 0")
                                                                  : QStringLiteral("within 0..1"))
                             .arg(v));
    return v;
}

} // namespace

const std::vector<std::string>& longColumnAliases(LongColumn column) {
    static const std::array<std::vector<std::string>, kLongColumnCount> aliases = {{
        {"prompt_id", "id", "sample_id", "question_id", "qid", "item_id"},
        {"prompt", "question", "query", "input", "instruction"},
        {"category", "eval_name", "task", "subject", "domain", "dataset"},
        {"model", "model_name", "llm", "model_id"},
        {"quality", "score", "correct", "is_correct", "accuracy", "performance"},
        {"input_tokens", "prompt_tokens", "tokens_in", "n_input_tokens"},
        {"output_tokens", "completion_tokens", "tokens_out", "n_output_tokens"},
        {"latency_s", "latency", "latency_seconds", "duration_s"},
        {"cost_usd", "cost", "total_cost", "price_usd"},
        {"response", "model_response", "output", "completion", "answer"},
        {"reference", "gold", "target", "expected", "ground_truth", "reference_answer"},
        {"session", "session_id", "conversation_id"},
    }};
    return aliases[static_cast<int>(column)];
}

std::array<int, kLongColumnCount> mapLongColumns(const std::vector<std::string>& header) {
    std::array<int, kLongColumnCount> map;
    map.fill(-1);
    std::vector<std::string> names;
    for (const std::string& h : header)
        names.push_back(lowered(h));
    for (int c = 0; c < kLongColumnCount; ++c) {
        for (const std::string& alias : longColumnAliases(static_cast<LongColumn>(c))) {
            for (int i = 0; i < static_cast<int>(names.size()); ++i) {
                if (names[i] != alias)
                    continue;
                bool taken = false;
                for (int other = 0; other < c; ++other)
                    taken = taken || map[other] == i;
                if (!taken) {
                    map[c] = i;
                    break;
                }
            }
            if (map[c] >= 0)
                break;
        }
    }
    return map;
}

void addLongRow(const LongRow& row, DatasetBuilder& builder, SourcePosition at) {
    auto value = [&](LongColumn c) { return row.value[static_cast<int>(c)]; };
    auto has = [&](LongColumn c) { return row.present[static_cast<int>(c)]; };
    auto field = [&](LongColumn c) { return row.fieldName[static_cast<int>(c)]; };

    const LongColumn idColumn =
        has(LongColumn::PromptId) ? LongColumn::PromptId : LongColumn::Prompt;
    const std::string_view id = trimmed(value(idColumn));
    if (id.empty())
        throw InputError(builder.sourcePath(at.file), at.line, field(idColumn),
                         QStringLiteral("empty prompt id"));
    const int prompt = builder.addPrompt(
        id, value(LongColumn::Prompt), trimmed(value(LongColumn::Category)),
        value(LongColumn::Reference), trimmed(value(LongColumn::Session)), at, field(idColumn));
    const int model =
        builder.addModel(trimmed(value(LongColumn::Model)), at, field(LongColumn::Model));

    CellValues v;
    const std::string_view q = trimmed(value(LongColumn::Quality));
    const std::string lq = q.size() <= 5 ? lowered(q) : std::string();
    if (lq == "true")
        v.quality = 1.0;
    else if (lq == "false")
        v.quality = 0.0;
    else
        v.quality = parseBounded(row, LongColumn::Quality, builder, at, 0.0, 1.0, "quality");
    constexpr double kNoLimit = 1e308;
    v.inputTokens =
        parseBounded(row, LongColumn::InputTokens, builder, at, 0.0, kNoLimit, "tokens");
    v.outputTokens =
        parseBounded(row, LongColumn::OutputTokens, builder, at, 0.0, kNoLimit, "tokens");
    v.latencyS = parseBounded(row, LongColumn::Latency, builder, at, 0.0, kNoLimit, "latency");
    v.costUsd = parseBounded(row, LongColumn::Cost, builder, at, 0.0, kNoLimit, "cost");
    builder.addCell(prompt, model, v, value(LongColumn::Response), at);
}

int LongCsvImporter::fitness(const QString& path, const QByteArray& firstLine) const {
    if (!path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive) &&
        !path.endsWith(QLatin1String(".tsv"), Qt::CaseInsensitive) && !path.contains('.'))
        return 0;
    const auto map = mapLongColumns(splitHeaderLine(firstLine));
    const bool hasKey = map[int(LongColumn::PromptId)] >= 0 || map[int(LongColumn::Prompt)] >= 0;
    return hasKey && map[int(LongColumn::Model)] >= 0 && map[int(LongColumn::Quality)] >= 0 ? 80
                                                                                            : 0;
}

void LongCsvImporter::read(const QString& path, DatasetBuilder& builder,
                           ImportContext& context) const {
    CsvReader csv(path, context.options().maxRecordBytes);
    const std::vector<std::string>& header = csv.readHeader();
    const auto map = mapLongColumns(header);
    LongRow row;
    for (int c = 0; c < kLongColumnCount; ++c) {
        row.present[c] = map[c] >= 0;
        row.fieldName[c] = map[c] >= 0
                               ? QString::fromStdString(header[map[c]])
                               : QString::fromStdString(longColumnAliases(LongColumn(c)).front());
    }
    for (LongColumn required : {LongColumn::Model, LongColumn::Quality})
        if (!row.present[int(required)])
            throw InputError(path, csv.line(),
                             QString::fromStdString(longColumnAliases(required).front()),
                             QStringLiteral("the header has no such column"));
    const int file = builder.addSource(path, name());
    bool any = false;
    while (csv.next()) {
        any = true;
        const auto& fields = csv.fields();
        for (int c = 0; c < kLongColumnCount; ++c)
            row.value[c] = map[c] >= 0 ? fields[map[c]] : std::string_view();
        addLongRow(row, builder, {file, csv.line()});
        context.tick(csv.bytesConsumed());
    }
    if (!any)
        throw InputError(path, 2, {}, QStringLiteral("the file has a header but no rows"));
}

int JsonlImporter::fitness(const QString& path, const QByteArray& firstLine) const {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("jsonl") || suffix == QLatin1String("ndjson"))
        return 100;
    return firstLine.trimmed().startsWith('{') && suffix == QLatin1String("json") ? 40 : 0;
}

void JsonlImporter::read(const QString& path, DatasetBuilder& builder,
                         ImportContext& context) const {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot open: %1").arg(f.errorString()));
    if (f.size() == 0)
        throw InputError(path, 0, {}, QStringLiteral("file is empty"));
    const int file = builder.addSource(path, name());
    const qint64 limit = context.options().maxRecordBytes;
    std::vector<char> chunk(1 << 16);
    QByteArray line;
    qint64 lineNumber = 0;
    bool any = false;
    std::array<std::string, kLongColumnCount> storage;
    while (!f.atEnd()) {
        // Read a line piecewise so that a line without an end cannot exhaust memory.
        line.clear();
        ++lineNumber;
        for (;;) {
            const qint64 got = f.readLine(chunk.data(), static_cast<qint64>(chunk.size()));
            if (got <= 0)
                break;
            line.append(chunk.data(), got);
            if (line.size() - (line.endsWith('\n') ? 1 : 0) > limit)
                throw InputError(path, lineNumber, {},
                                 QStringLiteral("line is longer than %1, the limit for one "
                                                "line; is this a JSONL file?")
                                     .arg(describeRecordLimit(limit)));
            if (line.endsWith('\n'))
                break;
        }
        const QByteArray text = line.trimmed();
        if (text.isEmpty())
            continue;
        if (firstInvalidUtf8(std::string_view(text.constData(), text.size())) !=
            std::string_view::npos)
            throw InputError(path, lineNumber, {}, QStringLiteral("text is not valid UTF-8"));
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            throw InputError(path, lineNumber, {},
                             QStringLiteral("not a JSON object: %1")
                                 .arg(error.error != QJsonParseError::NoError
                                          ? error.errorString()
                                          : QStringLiteral("wrong type")));
        const QJsonObject object = doc.object();
        LongRow row;
        std::vector<std::string> keys;
        for (auto it = object.begin(); it != object.end(); ++it)
            keys.push_back(it.key().toStdString());
        const auto map = mapLongColumns(keys);
        for (int c = 0; c < kLongColumnCount; ++c) {
            row.present[c] = map[c] >= 0;
            row.fieldName[c] = QString::fromStdString(
                map[c] >= 0 ? keys[map[c]] : longColumnAliases(LongColumn(c)).front());
            storage[c].clear();
            if (map[c] < 0)
                continue;
            const QJsonValue v = object.value(QString::fromStdString(keys[map[c]]));
            if (v.isString())
                storage[c] = v.toString().toStdString();
            else if (v.isBool())
                storage[c] = v.toBool() ? "true" : "false";
            else if (v.isDouble())
                storage[c] = QByteArray::number(v.toDouble(), 'g', 17).toStdString();
            else if (!v.isNull())
                throw InputError(path, lineNumber, row.fieldName[c],
                                 QStringLiteral("must be a string, number or boolean"));
            row.value[c] = storage[c];
        }
        for (LongColumn required : {LongColumn::Model, LongColumn::Quality})
            if (!row.present[int(required)])
                throw InputError(path, lineNumber, row.fieldName[int(required)],
                                 QStringLiteral("missing"));
        if (!row.present[int(LongColumn::PromptId)] && !row.present[int(LongColumn::Prompt)])
            throw InputError(path, lineNumber, QStringLiteral("prompt_id"),
                             QStringLiteral("missing"));
        addLongRow(row, builder, {file, lineNumber});
        any = true;
        context.tick(f.pos());
    }
    if (!any)
        throw InputError(path, 0, {}, QStringLiteral("file has no records"));
}

} // namespace routerlab
