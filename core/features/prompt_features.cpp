#include "features/prompt_features.h"

#include "features/embedding_api_featurizer.h"
#include "features/embedding_file_featurizer.h"
#include "features/tfidf_featurizer.h"

#include <QFileInfo>
#include <stdexcept>

namespace routerlab {

namespace {

// "name:number" -> number, or `fallback` when the text is just "name".
int dimensionOf(const QString& spec, const QString& name, int fallback) {
    if (spec == name)
        return fallback;
    bool ok = false;
    const int d = spec.mid(name.size() + 1).toInt(&ok);
    if (!ok || d < 2 || d > 65536)
        throw std::invalid_argument(
            QStringLiteral("features '%1': the dimension must be a whole number within 2..65536")
                .arg(spec)
                .toStdString());
    return d;
}

} // namespace

QStringList featurizerForms() {
    return {QStringLiteral("hashed-words[:D]"), QStringLiteral("tfidf[:D]"),
            QStringLiteral("embeddings:FILE"),
            QStringLiteral("embeddings-api:MODEL@BASE_URL[;key-env=VAR][;cache=WORKSPACE]")};
}

QString featurizerSpecProblem(const QString& spec) {
    const QString name = spec.section(QLatin1Char(':'), 0, 0);
    try {
        if (name == QLatin1String("hashed-words") || name == QLatin1String("tfidf")) {
            dimensionOf(spec, name, 0);
            return {};
        }
        if (name == QLatin1String("embeddings-api")) {
            parseEmbeddingApiSpec(spec.mid(name.size() + 1));
            return {};
        }
    } catch (const std::invalid_argument& e) {
        return QString::fromUtf8(e.what());
    }
    if (name == QLatin1String("embeddings")) {
        const QString file = spec.mid(name.size() + 1);
        if (file.isEmpty())
            return QStringLiteral("features 'embeddings:FILE': name the embeddings file");
        if (!QFileInfo(file).isFile())
            return QStringLiteral("features '%1': there is no file %2").arg(spec, file);
        return {};
    }
    return QStringLiteral("unknown features '%1' (known: %2)")
        .arg(spec, featurizerForms().join(QStringLiteral(", ")));
}

std::unique_ptr<Featurizer> makeFeaturizer(const QString& spec) {
    const QString name = spec.section(QLatin1Char(':'), 0, 0);
    if (name == QLatin1String("hashed-words"))
        return std::make_unique<HashedWordFeaturizer>(dimensionOf(spec, name, 64));
    if (name == QLatin1String("tfidf"))
        return std::make_unique<TfidfFeaturizer>(dimensionOf(spec, name, 512));
    if (name == QLatin1String("embeddings-api"))
        return std::make_unique<EmbeddingApiFeaturizer>(
            parseEmbeddingApiSpec(spec.mid(name.size() + 1)));
    if (name == QLatin1String("embeddings")) {
        const QString file = spec.mid(name.size() + 1);
        if (file.isEmpty())
            throw std::invalid_argument("features 'embeddings:FILE': name the embeddings file");
        return std::make_unique<EmbeddingFileFeaturizer>(file);
    }
    throw std::invalid_argument(QStringLiteral("unknown features '%1' (known: %2)")
                                    .arg(spec, featurizerForms().join(QStringLiteral(", ")))
                                    .toStdString());
}

PromptFeatures::PromptFeatures(const std::vector<QString>& promptIds,
                               const std::vector<QString>& promptTexts,
                               std::vector<int> trainingRows, const QString& spec)
    : ids_(promptIds), texts_(promptTexts), trainingRows_(std::move(trainingRows)), spec_(spec),
      featurizer_(makeFeaturizer(spec)) {}

const Featurizer& PromptFeatures::featurizer() const {
    std::call_once(fitted_, [this] {
        std::vector<const QString*> training;
        training.reserve(trainingRows_.size());
        for (const int i : trainingRows_)
            training.push_back(&texts_[static_cast<std::size_t>(i)]);
        featurizer_->fit(training);
    });
    return *featurizer_;
}

const Eigen::MatrixXf& PromptFeatures::matrix() const {
    std::call_once(computed_, [this] {
        featurizer();
        std::vector<const QString*> all;
        all.reserve(texts_.size());
        for (const QString& text : texts_)
            all.push_back(&text);
        featurizer_->prepare(all);
        const Featurizer& f = *featurizer_;
        matrix_.resize(f.dimension(), static_cast<Eigen::Index>(texts_.size()));
        for (std::size_t i = 0; i < texts_.size(); ++i)
            matrix_.col(static_cast<Eigen::Index>(i)) =
                f.transformDatasetPrompt(i < ids_.size() ? ids_[i] : QString(), texts_[i]);
    });
    return matrix_;
}

const std::vector<SparseTerms>& PromptFeatures::sparseTerms() const {
    std::call_once(termsComputed_, [this] {
        const Featurizer& f = featurizer();
        if (f.termSlots() == 0)
            return;
        terms_.reserve(texts_.size());
        for (const QString& text : texts_)
            terms_.push_back(f.sparseTerms(text));
    });
    return terms_;
}

} // namespace routerlab
