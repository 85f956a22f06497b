#pragma once

#include "formats/dataset_importer.h"

namespace routerlab {

// RouteLLM's wide CSV: `prompt`, a True/False column per model and optional
// `<model>_response` columns. The file name gives the category (`mmlu_anatomy.csv` ->
// "mmlu_anatomy", `gsm8k_responses.csv` -> "gsm8k") and, with the row, the prompt id.
class RouteLlmImporter : public DatasetImporter {
public:
    QString name() const override { return QStringLiteral("routellm"); }
    int fitness(const QString& path, const QByteArray& firstLine) const override;
    void read(const QString& path, DatasetBuilder& builder, ImportContext& context) const override;

    static QString categoryFromFileName(const QString& path);
};

} // namespace routerlab
