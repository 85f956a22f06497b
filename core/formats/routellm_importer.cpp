#include "formats/routellm_importer.h"

#include "common/input_error.h"
#include "formats/csv_reader.h"
#include "formats/text_checks.h"

#include <QFileInfo>
#include <unordered_map>

namespace routerlab {

namespace {

constexpr std::string_view kResponseSuffix = "_response";

double correctness(const CsvReader& csv, int column) {
    const std::string_view text = trimmed(csv.fields()[column]);
    if (text == "True" || text == "true" || text == "TRUE")
        return 1.0;
    if (text == "False" || text == "false" || text == "FALSE")
        return 0.0;
    double v = 0;
    switch (parseNumber(text, v)) {
    case NumberStatus::Missing:
        return CellValues::kNone;
    case NumberStatus::Ok:
        if (v >= 0.0 && v <= 1.0)
            return v;
        [[fallthrough]];
    case NumberStatus::Invalid:
        break;
    }
    throw InputError(csv.path(), csv.line(), csv.fieldName(column),
                     QStringLiteral("expected True, False or a score within 0..1, got '%1'")
                         .arg(toQString(text).left(40)));
}

} // namespace

QString RouteLlmImporter::categoryFromFileName(const QString& path) {
    QString stem = QFileInfo(path).completeBaseName();
    if (stem.endsWith(QLatin1String("_responses")))
        stem.chop(static_cast<int>(QLatin1String("_responses").size()));
    return stem;
}

int RouteLlmImporter::fitness(const QString& path, const QByteArray& firstLine) const {
    if (!path.endsWith(QLatin1String(".csv"), Qt::CaseInsensitive))
        return 0;
    const auto header = splitHeaderLine(firstLine);
    bool hasPrompt = false;
    int models = 0;
    for (const std::string& h : header) {
        if (h == "prompt")
            hasPrompt = true;
        else if (!h.ends_with(kResponseSuffix) && !h.empty() && h.find('|') == std::string::npos)
            ++models;
    }
    return hasPrompt && models > 0 ? 50 : 0;
}

void RouteLlmImporter::read(const QString& path, DatasetBuilder& builder,
                            ImportContext& context) const {
    CsvReader csv(path, context.options().maxRecordBytes);
    const std::vector<std::string>& header = csv.readHeader();
    int promptColumn = -1;
    // Column by name (the last of equal names), so a header of many models is read in
    // linear time.
    std::unordered_map<std::string_view, int> columnOf;
    for (int i = 0; i < static_cast<int>(header.size()); ++i)
        columnOf[header[i]] = i;
    std::vector<std::pair<int, int>> modelColumns; // score column, response column
    for (int i = 0; i < static_cast<int>(header.size()); ++i) {
        if (header[i] == "prompt") {
            promptColumn = i;
            continue;
        }
        if (header[i].ends_with(kResponseSuffix) || header[i].empty())
            continue;
        const auto response = columnOf.find(header[i] + std::string(kResponseSuffix));
        modelColumns.emplace_back(i, response == columnOf.end() ? -1 : response->second);
    }
    if (promptColumn < 0 || modelColumns.empty())
        throw InputError(path, 1, QStringLiteral("prompt"),
                         QStringLiteral("expected a prompt column and one column per model"));
    const int file = builder.addSource(path, name());
    std::vector<int> modelIndex;
    for (const auto& [score, response] : modelColumns)
        modelIndex.push_back(builder.addModel(header[score], {file, 1}, toQString(header[score])));

    const QByteArray category = categoryFromFileName(path).toUtf8();
    qint64 row = 0;
    std::string id;
    while (csv.next()) {
        ++row;
        const auto& f = csv.fields();
        const SourcePosition at{file, csv.line()};
        // No id column: the category and the row number make one that is stable per file.
        id = category.toStdString() + "-" + std::to_string(row);
        const int prompt = builder.addPrompt(
            id, f[promptColumn], std::string_view(category.constData(), category.size()), {}, {},
            at, QStringLiteral("prompt"));
        for (std::size_t m = 0; m < modelColumns.size(); ++m) {
            CellValues v;
            v.quality = correctness(csv, modelColumns[m].first);
            const int r = modelColumns[m].second;
            builder.addCell(prompt, modelIndex[m], v, r >= 0 ? f[r] : std::string_view(), at);
        }
        context.tick(csv.bytesConsumed());
    }
    if (row == 0)
        throw InputError(path, 2, {}, QStringLiteral("the file has a header but no rows"));
}

} // namespace routerlab
