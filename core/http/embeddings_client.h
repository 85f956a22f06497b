#pragma once

#include <QString>
#include <vector>

namespace routerlab {

// An OpenAI-compatible embeddings endpoint (POST {baseUrl}/embeddings), as served by hosted
// APIs and local servers alike.
struct EmbeddingsEndpoint {
    QString baseUrl; // e.g. http://127.0.0.1:8000/v1
    QString model;
    QString keyEnv; // the variable holding the API key (see readApiKey); empty: none
    double timeoutS = 60;
    int maxRetries = 3; // on 408, 429, 5xx and network errors, with backoff and Retry-After

    // "embeddings endpoint URL (model M)", without credentials: how messages name it.
    QString where() const;
};

// Asks the endpoint to embed `texts` in one request and waits for the answer. Returns one
// vector per text, in order, empty where the answer lacks one. Throws std::runtime_error
// naming the endpoint and the model, never the key.
std::vector<std::vector<float>> requestEmbeddings(const EmbeddingsEndpoint& endpoint,
                                                  const std::vector<const QString*>& texts);

} // namespace routerlab
