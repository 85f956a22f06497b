#include "formats/dataset_importer.h"

#include "formats/long_table_importer.h"
#include "formats/routellm_importer.h"
#include "formats/routerbench_importer.h"
#include "formats/text_checks.h"

namespace routerlab {

const std::vector<std::unique_ptr<DatasetImporter>>& datasetImporters() {
    static const auto importers = [] {
        std::vector<std::unique_ptr<DatasetImporter>> list;
        list.push_back(std::make_unique<LongCsvImporter>());
        list.push_back(std::make_unique<JsonlImporter>());
        list.push_back(std::make_unique<RouterBenchImporter>());
        list.push_back(std::make_unique<RouteLlmImporter>());
        return list;
    }();
    return importers;
}

const DatasetImporter* importerFor(const QString& path, const QByteArray& firstLine) {
    const DatasetImporter* best = nullptr;
    int bestFitness = 0;
    for (const auto& importer : datasetImporters()) {
        const int f = importer->fitness(path, firstLine);
        if (f > bestFitness) {
            bestFitness = f;
            best = importer.get();
        }
    }
    return best;
}

std::vector<std::string> splitHeaderLine(const QByteArray& firstLine) {
    std::vector<std::string> names;
    std::string current;
    bool quoted = false;
    for (const char c : firstLine) {
        if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            names.emplace_back(trimmed(current));
            current.clear();
        } else if (c != '\n' && c != '\r') {
            current += c;
        }
    }
    names.emplace_back(trimmed(current));
    if (!names.empty() && names.front().rfind("\xEF\xBB\xBF", 0) == 0)
        names.front().erase(0, 3);
    return names;
}

} // namespace routerlab
