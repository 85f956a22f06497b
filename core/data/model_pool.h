#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <vector>

namespace routerlab {

// Where a model is served. The API key itself never lives in a pool: only the name of the
// environment variable that holds it.
struct Endpoint {
    QString baseUrl;
    QString remoteModel;
    QString apiKeyEnv;

    bool isEmpty() const { return baseUrl.isEmpty(); }
    bool operator==(const Endpoint&) const = default;
};

// Why `url` cannot be an endpoint's base URL (empty when it can): it must be http(s), and may
// carry no user name or password (user:key@) and no query or fragment (?api-key=...), where
// keys would end up stored in workspaces and logs; the message never repeats the URL.
QString baseUrlProblem(const QString& url);

struct PoolModel {
    QString id;
    QString displayName;
    double inputPricePerMTok = 0.0;  // USD per 1,000,000 input tokens
    double outputPricePerMTok = 0.0; // USD per 1,000,000 output tokens
    double feePerCall = 0.0;         // USD added to every call
    Endpoint endpoint;
    int contextWindow = 0; // tokens; 0 when unknown
    QStringList tags;
    // Used to estimate latency where a dataset records none; < 0 means "use the default".
    double firstTokenS = -1.0;
    double outputTokensPerS = -1.0;

    double costOfCall(double inputTokens, double outputTokens) const {
        return (inputTokens * inputPricePerMTok + outputTokens * outputPricePerMTok) * 1e-6 +
               feePerCall;
    }
    // first_token_s + output_tokens / output_tokens_per_s, with 0.5 s and 50 tokens/s as defaults.
    double estimatedLatency(double outputTokens) const;

    bool operator==(const PoolModel&) const = default;
};

// The models a router may choose from, with prices. File format: *.pool.json (README).
class ModelPool {
public:
    QString name;
    std::vector<PoolModel> models;

    int size() const { return static_cast<int>(models.size()); }
    int indexOf(const QString& id) const;
    const PoolModel* find(const QString& id) const;
    QStringList ids() const;

    // Throws InputError naming file, line and field; `file` only labels the messages.
    static ModelPool fromJson(const QByteArray& json, const QString& file);
    static ModelPool load(const QString& path);
    QByteArray toJson() const;
    // Atomic: a crash mid-write leaves the previous file intact.
    void save(const QString& path) const;

    bool operator==(const ModelPool&) const = default;
};

} // namespace routerlab
