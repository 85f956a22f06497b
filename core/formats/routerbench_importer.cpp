#include "formats/routerbench_importer.h"

#include "common/input_error.h"
#include "formats/csv_reader.h"
#include "formats/text_checks.h"

#include <unordered_map>

namespace routerlab {

namespace {

constexpr std::string_view kCostSuffix = "|total_cost";
constexpr std::string_view kModelResponseSuffix = "|model_response";

struct ModelColumns {
    std::string name;
    int score = -1;
    int cost = -1;
    int response = -1;
};

int indexOf(const std::vector<std::string>& header, std::string_view name) {
    for (int i = 0; i < static_cast<int>(header.size()); ++i)
        if (header[i] == name)
            return i;
    return -1;
}

bool isMetaColumn(const std::string& h) {
    return h.empty() || h == "sample_id" || h == "prompt" || h == "eval_name" ||
           h == "oracle_model_to_route_to" || h.rfind("Unnamed", 0) == 0;
}

double number(const CsvReader& csv, int column, double lo, double hi) {
    if (column < 0)
        return CellValues::kNone;
    double v = 0;
    const std::string_view text = csv.fields()[column];
    switch (parseNumber(text, v)) {
    case NumberStatus::Missing:
        return CellValues::kNone;
    case NumberStatus::Invalid:
        throw InputError(csv.path(), csv.line(), csv.fieldName(column),
                         QStringLiteral("'%1' is not a number").arg(toQString(text).left(40)));
    case NumberStatus::Ok:
        break;
    }
    if (v < lo || v > hi)
        throw InputError(csv.path(), csv.line(), csv.fieldName(column),
                         QStringLiteral("value %1 is outside %2..%3").arg(v).arg(lo).arg(hi));
    return v;
}

} // namespace

int RouterBenchImporter::fitness(const QString& path, const QByteArray& firstLine) const {
    if (!path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        return 0;
    const auto header = splitHeaderLine(firstLine);
    bool suffixed = false;
    for (const std::string& h : header)
        suffixed = suffixed || h.ends_with(kCostSuffix) || h.ends_with(kModelResponseSuffix);
    return suffixed && indexOf(header, "prompt") >= 0 ? 90 : 0;
}

void RouterBenchImporter::read(const QString& path, DatasetBuilder& builder,
                               ImportContext& context) const {
    CsvReader csv(path, context.options().maxRecordBytes);
    const std::vector<std::string>& header = csv.readHeader();
    const int promptColumn = indexOf(header, "prompt");
    const int idColumn = indexOf(header, "sample_id");
    const int categoryColumn = indexOf(header, "eval_name");
    if (promptColumn < 0)
        throw InputError(path, 1, QStringLiteral("prompt"),
                         QStringLiteral("the header has no such column"));

    // Column by name (the first of equal names), so a header of many models is read in
    // linear time.
    std::unordered_map<std::string_view, int> columnOf;
    for (int i = 0; i < static_cast<int>(header.size()); ++i)
        columnOf.emplace(header[i], i);
    const auto column = [&](const std::string& name) {
        const auto found = columnOf.find(name);
        return found == columnOf.end() ? -1 : found->second;
    };
    std::vector<ModelColumns> models;
    for (int i = 0; i < static_cast<int>(header.size()); ++i) {
        const std::string& h = header[i];
        if (isMetaColumn(h) || h.find('|') != std::string::npos)
            continue;
        ModelColumns m;
        m.name = h;
        m.score = i;
        m.cost = column(h + std::string(kCostSuffix));
        m.response = column(h + std::string(kModelResponseSuffix));
        models.push_back(m);
    }
    if (models.empty())
        throw InputError(path, 1, {}, QStringLiteral("no model score columns in the header"));

    const int file = builder.addSource(path, name());
    std::vector<int> modelIndex;
    for (const ModelColumns& m : models)
        modelIndex.push_back(builder.addModel(m.name, {file, 1}, toQString(m.name)));

    const QString idField = idColumn >= 0 ? QStringLiteral("sample_id") : QStringLiteral("prompt");
    const int rowIndexColumn = header.front().empty() ? 0 : -1;
    std::string uniqueId;
    bool any = false;
    while (csv.next()) {
        any = true;
        const auto& f = csv.fields();
        const SourcePosition at{file, csv.line()};
        std::string_view id = trimmed(f[idColumn >= 0 ? idColumn : promptColumn]);
        if (id.empty())
            throw InputError(path, csv.line(), idField, QStringLiteral("empty prompt id"));
        // RouterBench repeats a few sample_ids for different rows (the copies have no scores);
        // the leading row-index column tells them apart.
        const std::string* known = builder.promptText(id);
        if (known && *known != f[promptColumn] && rowIndexColumn >= 0) {
            uniqueId.assign(id);
            uniqueId.append("#").append(trimmed(f[rowIndexColumn]));
            id = uniqueId;
        }
        const std::string_view category =
            categoryColumn >= 0 ? trimmed(f[categoryColumn]) : std::string_view();
        const int prompt = builder.addPrompt(id, f[promptColumn], category, {}, {}, at, idField);
        for (std::size_t m = 0; m < models.size(); ++m) {
            CellValues v;
            v.quality = number(csv, models[m].score, 0.0, 1.0);
            v.costUsd = number(csv, models[m].cost, 0.0, 1e12);
            const std::string_view response =
                models[m].response >= 0 ? f[models[m].response] : std::string_view();
            builder.addCell(prompt, modelIndex[m], v, response, at);
        }
        context.tick(csv.bytesConsumed());
    }
    if (!any)
        throw InputError(path, 2, {}, QStringLiteral("the file has a header but no rows"));
}

} // namespace routerlab
