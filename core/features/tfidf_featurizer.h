#pragma once

#include "features/featurizer.h"

#include <QByteArray>
#include <cstdint>
#include <vector>

namespace routerlab {

// TF-IDF over hashed terms: word unigrams, word bigrams and character 3-5-grams of each word
// (with word-boundary marks). Each term's 64-bit FNV-1a hash picks an IDF slot (document
// frequencies counted by fit() on the training prompts only), a bucket among `dimension - 2`
// and a sign, so colliding terms cancel instead of piling up. The term part is L2-normalised;
// the last two features are log(prompt length) scaled to about [0, 1] (cost grows with it)
// and a constant bias. sparseTerms() gives the same terms unfolded, one per IDF slot, for
// routers that search them through an inverted index. ASCII case folding, no locale, no std::hash:
// the same on every machine.
class TfidfFeaturizer : public Featurizer {
public:
    static constexpr int kIdfSlots = 1 << 18;

    explicit TfidfFeaturizer(int dimension = 512);
    int dimension() const override { return dimension_; }
    void fit(const std::vector<const QString*>& trainingPrompts) override;
    Eigen::VectorXf transform(const QString& prompt) const override;
    QString stateFingerprint() const override;
    // Every term in its IDF slot, with sublinear term frequency (1 + ln count) times its IDF.
    int termSlots() const override { return kIdfSlots; }
    SparseTerms sparseTerms(const QString& prompt) const override;

    // For tests: the IDF a term of this text would get (its first term).
    float idfOfFirstTerm(const QString& text) const;
    int fittedDocuments() const { return documents_; }

private:
    template <typename Visit> static void forEachTerm(const QByteArray& text, Visit&& visit);

    int dimension_;
    int documents_ = 0;
    std::vector<float> idf_; // per slot; before fit() every term weighs 1
};

} // namespace routerlab
