#pragma once

#include "formats/dataset_importer.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace routerlab {

// The long layout: one row (or JSON object) per prompt and model. Columns are matched by
// name, case-insensitively, through the aliases below, so files from other tools load as
// they are.
enum class LongColumn {
    PromptId,
    Prompt,
    Category,
    Model,
    Quality,
    InputTokens,
    OutputTokens,
    Latency,
    Cost,
    Response,
    Reference,
    Session,
    Count
};
constexpr int kLongColumnCount = static_cast<int>(LongColumn::Count);

// The canonical name first, then accepted aliases.
const std::vector<std::string>& longColumnAliases(LongColumn column);
// Column index per LongColumn (-1 when absent) for a header.
std::array<int, kLongColumnCount> mapLongColumns(const std::vector<std::string>& header);

// One row's values, by role; `present` says whether the file has that column at all.
struct LongRow {
    std::array<std::string_view, kLongColumnCount> value{};
    std::array<bool, kLongColumnCount> present{};
    std::array<QString, kLongColumnCount> fieldName{};
};
// Validates one row and adds it to the builder. Throws InputError naming the field.
void addLongRow(const LongRow& row, DatasetBuilder& builder, SourcePosition at);

class LongCsvImporter : public DatasetImporter {
public:
    QString name() const override { return QStringLiteral("long-csv"); }
    int fitness(const QString& path, const QByteArray& firstLine) const override;
    void read(const QString& path, DatasetBuilder& builder, ImportContext& context) const override;
};

class JsonlImporter : public DatasetImporter {
public:
    QString name() const override { return QStringLiteral("jsonl"); }
    int fitness(const QString& path, const QByteArray& firstLine) const override;
    void read(const QString& path, DatasetBuilder& builder, ImportContext& context) const override;
};

} // namespace routerlab
