#pragma once

#include "features/featurizer.h"

#include <QByteArray>
#include <QHash>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace routerlab {

class WorkspaceStore;

// Where prompt embeddings come from: an OpenAI-compatible embeddings endpoint
// (POST {baseUrl}/embeddings), as served by hosted APIs and local servers alike.
struct EmbeddingApiSettings {
    QString model;
    QString baseUrl;   // e.g. http://127.0.0.1:8000/v1
    QString keyEnv;    // the variable holding the API key (see readApiKey); empty: none
    QString cachePath; // a workspace file caching every vector fetched; empty: no cache
    int batch = 64;    // prompts per request
    double timeoutS = 60;
    int maxRetries = 3; // on 429, 5xx and network errors, with backoff and Retry-After

    // "model@base URL" without credentials: what the cache and trained routers key on.
    QString source() const;
};

// "MODEL@BASE_URL[;key-env=VAR][;cache=FILE][;batch=N]", the part after "embeddings-api:".
// Throws std::invalid_argument naming the part that is wrong.
EmbeddingApiSettings parseEmbeddingApiSpec(const QString& text);

// Prompt features fetched from an embeddings endpoint, L2-normalised (so routers see one
// scale whichever model embedded), plus a constant bias feature. Every vector is cached in
// memory and, when a cache file is given, in the workspace (table embedding_cache, keyed by
// source and the text's SHA-256): a re-run fetches nothing and gives the same features even
// offline. The dimension is learned from the first vector. Errors throw std::runtime_error
// naming the endpoint and the model, never the key.
class EmbeddingApiFeaturizer : public Featurizer {
public:
    explicit EmbeddingApiFeaturizer(EmbeddingApiSettings settings);
    ~EmbeddingApiFeaturizer() override;

    // Known once a vector has been fetched or read from the cache (fit() does it).
    int dimension() const override;
    void fit(const std::vector<const QString*>& trainingPrompts) override;
    void prepare(const std::vector<const QString*>& prompts) override;
    Eigen::VectorXf transform(const QString& prompt) const override;
    QString stateFingerprint() const override;

    // Vectors fetched over HTTP and found in the workspace cache so far.
    qint64 fetchedCount() const { return fetched_; }
    qint64 cacheHitCount() const { return cacheHits_; }

private:
    // Makes sure every text has a vector in memory: cache first, then the endpoint in batches.
    void ensure(const std::vector<const QString*>& texts) const;
    // Remembers the usable cached vectors; returns the texts that still need fetching.
    std::vector<const QString*> readCached(const std::vector<const QString*>& texts) const;
    // Fetches one request's worth, caches it in the workspace and remembers it.
    void fetchBatch(const std::vector<const QString*>& batch) const;
    // The endpoint's vectors for `texts`, checked for one dimension throughout.
    std::vector<std::vector<float>> fetch(const std::vector<const QString*>& texts) const;
    void remember(const QByteArray& hash, std::vector<float> vector) const;

    EmbeddingApiSettings settings_;
    mutable std::mutex mutex_;
    mutable std::unique_ptr<WorkspaceStore> cache_;
    mutable QHash<QByteArray, std::vector<float>> vectors_; // text SHA-256 -> unit vector
    mutable int dimension_ = -1;
    mutable std::atomic<qint64> fetched_{0};
    mutable std::atomic<qint64> cacheHits_{0};
};

} // namespace routerlab
