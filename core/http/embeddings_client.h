#pragma once

#include <QByteArray>
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

// One embeddings response as libcurl delivers it (header lines, body pieces), and what it says.
struct EmbeddingsReply {
    long status = 0;
    QByteArray body;
    double retryAfterS = -1;
    QString networkError; // set when no response arrived

    void addHeaderLine(const QByteArray& line); // notes Retry-After
    void addBody(const QByteArray& bytes) { body.append(bytes); }
    // The answer's "data" items placed by their "index", one vector per text; empty where the
    // answer has none or only one holding something other than finite float values. Items
    // with an index out of range are ignored; of a repeated index, the first counts.
    std::vector<std::vector<float>> embeddings(std::size_t texts) const;
    QString serverMessage() const; // the "error" message, else the body's start
};

// Asks the endpoint to embed `texts` in one request and waits for the answer. Returns one
// vector per text, in order, empty where the answer lacks one. Throws std::runtime_error
// naming the endpoint and the model, never the key.
std::vector<std::vector<float>> requestEmbeddings(const EmbeddingsEndpoint& endpoint,
                                                  const std::vector<const QString*>& texts);

} // namespace routerlab
