#pragma once

#include "features/featurizer.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace routerlab {

// Precomputed prompt embeddings from a side file, looked up by prompt_id, plus a constant
// bias feature. Two formats, chosen by extension:
//   .csv:   a header `prompt_id,v1,...,vD`, then one row per prompt;
//   .jsonl: one object per line, {"prompt_id": "...", "embedding": [v1, ..., vD]}.
// Every row must have the same D. Errors are InputErrors naming file, line and field.
class EmbeddingFileFeaturizer : public Featurizer {
public:
    explicit EmbeddingFileFeaturizer(const QString& path);
    int dimension() const override { return dimension_ + 1; }
    void fit(const std::vector<const QString*>&) override {}
    // A prompt with no id cannot be looked up: throws std::invalid_argument.
    Eigen::VectorXf transform(const QString& prompt) const override;
    Eigen::VectorXf transformDatasetPrompt(const QString& promptId,
                                           const QString& prompt) const override;
    int embeddingCount() const { return static_cast<int>(rowOf_.size()); }
    QStringList promptIds() const { return rowOf_.keys(); }

private:
    void readCsv();
    void readJsonLines();
    void add(const QString& id, std::vector<float>&& values, qint64 line, const QString& field);

    QString path_;
    int dimension_ = -1;
    QHash<QString, int> rowOf_;
    std::vector<float> values_; // embeddingCount x dimension_, row after row
};

} // namespace routerlab
