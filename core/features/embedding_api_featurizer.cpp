#include "features/embedding_api_featurizer.h"

#include "http/chat_protocol.h"
#include "http/embeddings_client.h"
#include "store/workspace_store.h"

#include <QCryptographicHash>
#include <QUrl>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {

QByteArray textHash(const QString& text) {
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex();
}

EmbeddingsEndpoint endpointOf(const EmbeddingApiSettings& settings) {
    EmbeddingsEndpoint endpoint;
    endpoint.baseUrl = settings.baseUrl;
    endpoint.model = settings.model;
    endpoint.keyEnv = settings.keyEnv;
    endpoint.timeoutS = settings.timeoutS;
    endpoint.maxRetries = settings.maxRetries;
    return endpoint;
}

} // namespace

QString EmbeddingApiSettings::source() const {
    return model + QLatin1Char('@') + displayUrl(baseUrl);
}

EmbeddingApiSettings parseEmbeddingApiSpec(const QString& text) {
    auto fail = [&text](const QString& why) {
        return std::invalid_argument(
            QStringLiteral("features 'embeddings-api:%1': %2").arg(text, why).toStdString());
    };
    const QStringList parts = text.split(QLatin1Char(';'));
    EmbeddingApiSettings s;
    const QString target = parts.value(0).trimmed();
    const qsizetype at = target.indexOf(QLatin1Char('@'));
    s.model = target.left(std::max<qsizetype>(at, 0));
    s.baseUrl = at < 0 ? QString() : target.mid(at + 1);
    while (s.baseUrl.endsWith(QLatin1Char('/')))
        s.baseUrl.chop(1);
    const QUrl url(s.baseUrl);
    if (s.model.isEmpty() || !url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        throw fail(QStringLiteral("expected MODEL@http(s)://host[:port]/path, e.g. "
                                  "text-embedding-3-small@https://api.example.com/v1"));
    if (!url.userInfo().isEmpty())
        throw fail(QStringLiteral("put the key in the variable named by key-env, not the URL"));
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString key = parts[i].section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = parts[i].section(QLatin1Char('='), 1).trimmed();
        if (key == QLatin1String("key-env")) {
            s.keyEnv = value;
        } else if (key == QLatin1String("cache")) {
            s.cachePath = value;
        } else if (key == QLatin1String("batch")) {
            bool ok = false;
            s.batch = value.toInt(&ok);
            if (!ok || s.batch < 1 || s.batch > 2048)
                throw fail(QStringLiteral("batch must be within 1..2048"));
        } else {
            throw fail(QStringLiteral("unknown option '%1' (known: key-env, cache, batch)")
                           .arg(parts[i].trimmed()));
        }
    }
    return s;
}

EmbeddingApiFeaturizer::EmbeddingApiFeaturizer(EmbeddingApiSettings settings)
    : settings_(std::move(settings)) {}

EmbeddingApiFeaturizer::~EmbeddingApiFeaturizer() = default;

int EmbeddingApiFeaturizer::dimension() const {
    std::lock_guard lock(mutex_);
    if (dimension_ < 0)
        throw std::logic_error("the embeddings' dimension is known once one has been fetched");
    return dimension_ + 1;
}

void EmbeddingApiFeaturizer::fit(const std::vector<const QString*>& trainingPrompts) {
    ensure(trainingPrompts);
    if (dimension_ < 0) { // no training prompts: learn the dimension from one request
        const QString probe = QStringLiteral("dimension probe");
        ensure({&probe});
    }
}

void EmbeddingApiFeaturizer::prepare(const std::vector<const QString*>& prompts) {
    ensure(prompts);
}

Eigen::VectorXf EmbeddingApiFeaturizer::transform(const QString& prompt) const {
    ensure({&prompt});
    std::lock_guard lock(mutex_);
    const std::vector<float>& unit = vectors_.value(textHash(prompt));
    Eigen::VectorXf v(dimension_ + 1);
    v.head(dimension_) = Eigen::Map<const Eigen::VectorXf>(unit.data(), dimension_);
    v[dimension_] = 1.0f;
    return v;
}

QString EmbeddingApiFeaturizer::stateFingerprint() const {
    // A router trained on one embedding model must not be fed another's vectors.
    std::lock_guard lock(mutex_);
    return QString::fromLatin1(
        QCryptographicHash::hash(
            QStringLiteral("%1|%2").arg(settings_.source()).arg(dimension_).toUtf8(),
            QCryptographicHash::Sha256)
            .toHex());
}

void EmbeddingApiFeaturizer::remember(const QByteArray& hash, std::vector<float> vector) const {
    double norm = 0;
    for (const float x : vector)
        norm += double(x) * x;
    norm = std::sqrt(norm);
    if (norm > 0)
        for (float& x : vector)
            x = static_cast<float>(x / norm);
    vectors_.insert(hash, std::move(vector));
}

void EmbeddingApiFeaturizer::ensure(const std::vector<const QString*>& texts) const {
    std::lock_guard lock(mutex_);
    std::vector<const QString*> missing;
    QHash<QByteArray, int> queued;
    for (const QString* text : texts) {
        const QByteArray hash = textHash(*text);
        if (!vectors_.contains(hash) && !queued.contains(hash)) {
            queued.insert(hash, static_cast<int>(missing.size()));
            missing.push_back(text);
        }
    }
    if (missing.empty())
        return;
    if (!settings_.cachePath.isEmpty()) {
        if (!cache_)
            cache_ = std::make_unique<WorkspaceStore>(settings_.cachePath);
        missing = readCached(missing);
    }
    for (std::size_t from = 0; from < missing.size();
         from += static_cast<std::size_t>(settings_.batch)) {
        const std::vector<const QString*> batch(
            missing.begin() + static_cast<std::ptrdiff_t>(from),
            missing.begin() + static_cast<std::ptrdiff_t>(
                                  std::min(missing.size(), from + std::size_t(settings_.batch))));
        fetchBatch(batch);
    }
}

std::vector<const QString*>
EmbeddingApiFeaturizer::readCached(const std::vector<const QString*>& texts) const {
    std::vector<QByteArray> hashes;
    hashes.reserve(texts.size());
    for (const QString* text : texts)
        hashes.push_back(textHash(*text));
    std::vector<std::vector<float>> cached = cache_->cachedEmbeddings(settings_.source(), hashes);
    std::vector<const QString*> stillMissing;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const int d = static_cast<int>(cached[i].size());
        if (d == 0 || (dimension_ >= 0 && d != dimension_)) {
            stillMissing.push_back(texts[i]); // absent, damaged or of another model version
            continue;
        }
        dimension_ = d;
        remember(hashes[i], std::move(cached[i]));
        ++cacheHits_;
    }
    return stillMissing;
}

void EmbeddingApiFeaturizer::fetchBatch(const std::vector<const QString*>& batch) const {
    std::vector<std::vector<float>> vectors = fetch(batch);
    std::vector<QByteArray> hashes;
    hashes.reserve(batch.size());
    for (const QString* text : batch)
        hashes.push_back(textHash(*text));
    if (cache_)
        cache_->cacheEmbeddings(settings_.source(), hashes, vectors); // as fetched, not normalised
    for (std::size_t i = 0; i < batch.size(); ++i)
        remember(hashes[i], std::move(vectors[i]));
    fetched_ += static_cast<qint64>(batch.size());
}

std::vector<std::vector<float>>
EmbeddingApiFeaturizer::fetch(const std::vector<const QString*>& texts) const {
    const EmbeddingsEndpoint endpoint = endpointOf(settings_);
    std::vector<std::vector<float>> vectors = requestEmbeddings(endpoint, texts);
    for (const std::vector<float>& v : vectors) {
        const int d = static_cast<int>(v.size());
        if (d == 0)
            throw std::runtime_error(
                QStringLiteral("%1: the answer lacks an embedding for some input")
                    .arg(endpoint.where())
                    .toStdString());
        if (dimension_ >= 0 && d != dimension_)
            throw std::runtime_error(QStringLiteral("%1: embeddings of %2 values after %3 before")
                                         .arg(endpoint.where())
                                         .arg(d)
                                         .arg(dimension_)
                                         .toStdString());
        dimension_ = d;
    }
    return vectors;
}

} // namespace routerlab
