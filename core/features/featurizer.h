#pragma once

#include "features/sparse_terms.h"

#include <Eigen/Core>
#include <QString>
#include <memory>
#include <vector>

namespace routerlab {

// Turns a prompt into a fixed-size vector for contextual routers. Deterministic across runs
// and machines; fit() sees only the training prompts.
class Featurizer {
public:
    virtual ~Featurizer() = default;
    virtual int dimension() const = 0;
    virtual void fit(const std::vector<const QString*>& trainingPrompts) = 0;
    virtual Eigen::VectorXf transform(const QString& prompt) const = 0;
    // A hash of what fit() learned (empty when it learns nothing): a trained router records it,
    // so it is never fed features fitted on other training prompts.
    virtual QString stateFingerprint() const { return {}; }
    // About to transform these prompts one by one: featurizers that fetch vectors from a
    // server fetch them here in batches instead of one request a prompt.
    virtual void prepare(const std::vector<const QString*>& prompts) { Q_UNUSED(prompts); }
    // A dataset prompt: featurizers that look prompts up by id (precomputed embeddings) use
    // the id, the others the text.
    virtual Eigen::VectorXf transformDatasetPrompt(const QString& promptId,
                                                   const QString& prompt) const {
        Q_UNUSED(promptId);
        return transform(prompt);
    }
    // Featurizers that know their terms also give a prompt as sparse terms (SparseTerms), over
    // `termSlots()` slots; the others give nothing.
    virtual int termSlots() const { return 0; }
    virtual SparseTerms sparseTerms(const QString& prompt) const {
        Q_UNUSED(prompt);
        return {};
    }
};

// Word unigrams and bigrams hashed (FNV-1a) into `dimension - 1` buckets, log-scaled counts,
// L2-normalised, plus a constant bias feature. Needs no fitting.
class HashedWordFeaturizer : public Featurizer {
public:
    explicit HashedWordFeaturizer(int dimension = 64) : dimension_(dimension) {}
    int dimension() const override { return dimension_; }
    void fit(const std::vector<const QString*>&) override {}
    Eigen::VectorXf transform(const QString& prompt) const override;

private:
    int dimension_;
};

} // namespace routerlab
