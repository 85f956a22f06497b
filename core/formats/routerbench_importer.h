#pragma once

#include "formats/dataset_importer.h"

namespace routerlab {

// RouterBench's wide CSV: one row per prompt (`sample_id`, `prompt`, `eval_name`), a score
// column per model, and `<model>|total_cost` / `<model>|model_response` beside it.
class RouterBenchImporter : public DatasetImporter {
public:
    QString name() const override { return QStringLiteral("routerbench"); }
    int fitness(const QString& path, const QByteArray& firstLine) const override;
    void read(const QString& path, DatasetBuilder& builder, ImportContext& context) const override;
};

} // namespace routerlab
