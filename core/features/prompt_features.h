#pragma once

#include "features/featurizer.h"

#include <Eigen/Core>
#include <QString>
#include <QStringList>
#include <memory>
#include <mutex>
#include <vector>

namespace routerlab {

// A featurizer from its text form: "hashed-words:64" (the default), "tfidf:512",
// "embeddings:FILE". Throws
// std::invalid_argument with the known forms when the text names none of them.
std::unique_ptr<Featurizer> makeFeaturizer(const QString& spec);
QStringList featurizerForms(); // for --help and the GUI
// Empty when makeFeaturizer() accepts the form of `spec`, else what is wrong with it. Reads and
// calls nothing: an embeddings file only has to exist, its rows are checked when it is read.
QString featurizerSpecProblem(const QString& spec);

// The features of every prompt of a dataset, computed on first use only: most routers never
// ask, and featurizing 100k prompts would dominate their runs. Thread-safe; fit() sees the
// training prompts alone.
class PromptFeatures {
public:
    // Ids and texts are the dataset's (one per row) and must outlive this object.
    PromptFeatures(const std::vector<QString>& promptIds, const std::vector<QString>& promptTexts,
                   std::vector<int> trainingRows, const QString& spec);

    const QString& spec() const { return spec_; }
    int dimension() const { return featurizer().dimension(); }
    // dimension x prompts, one column per dataset row.
    const Eigen::MatrixXf& matrix() const;
    // Every prompt as sparse terms, one per dataset row; empty when the featurizer has no terms
    // (Featurizer::termSlots() is 0).
    const std::vector<SparseTerms>& sparseTerms() const;
    int termSlots() const { return featurizer().termSlots(); }
    // What the featurizer learned from the training prompts (Featurizer::stateFingerprint).
    QString stateFingerprint() const { return featurizer().stateFingerprint(); }
    // The fitted featurizer, for prompts that are not in the dataset (live mode).
    const Featurizer& featurizer() const;

private:
    const std::vector<QString>& ids_;
    const std::vector<QString>& texts_;
    std::vector<int> trainingRows_;
    QString spec_;
    std::unique_ptr<Featurizer> featurizer_;
    mutable std::once_flag fitted_, computed_, termsComputed_;
    mutable Eigen::MatrixXf matrix_;
    mutable std::vector<SparseTerms> terms_;
};

} // namespace routerlab
