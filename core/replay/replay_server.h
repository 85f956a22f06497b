#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"
#include "httpserver/http_server.h"

#include <QHash>
#include <QString>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

class QTcpSocket;

namespace routerlab {

struct ScoreInput;

// Faults and timing of the replay server. Fault rates are per request, drawn in this order
// from one uniform number, so they add up (0.2 in total means one request in five). The
// connection and request limits are HttpServerLimits'.
struct ReplayOptions : HttpServerLimits {
    double latencyScale = 1.0; // multiplies the recorded latency; 0 answers at once
    double rate429 = 0;        // 429 Too Many Requests with Retry-After
    double rate500 = 0;        // 500 Internal Server Error
    double rateSlowFirstByte = 0;
    double rateDrop = 0;      // connection closed half-way through the answer
    double rateMalformed = 0; // a 200 whose JSON (or one stream event) is cut short
    double retryAfterS = 1;
    double slowFirstByteS = 2;
    std::uint64_t seed = 1;
    QString requireKeyEnv;       // when set, requests must carry "Authorization: Bearer $VAR"
    int streamChunks = 8;        // content events per streamed answer, at most
    int embeddingDimension = 64; // of the vectors POST .../embeddings answers with
};

struct ReplayStats {
    qint64 requests = 0;
    qint64 answered = 0;
    qint64 faults = 0;
    qint64 rejected = 0; // unknown prompt or model, bad request, wrong key
    qint64 embedded = 0; // texts answered by POST .../embeddings
};

// A stand-in for an LLM provider, for demos and tests without network: an HTTP/1.1 server on
// 127.0.0.1 that speaks the Chat Completions protocol (streaming and not) and answers each
// model with the dataset's recorded outcome for the prompt whose text it receives: the
// recorded response (else a generated text of the recorded length that ends in the reference
// answer when the recorded quality is >= 0.5), after the recorded latency, with usage from the
// recorded tokens. It adds a non-standard "routerlab" object (prompt id, recorded quality and
// latency) that the "replay" scorer reads. It is not a model: it knows only the dataset.
// POST .../embeddings answers any text with its hashed-word vector (a deterministic function
// of the words, not a learned embedding), so the embeddings-api featurizer runs offline.
class ReplayServer : public HttpServer {
    Q_OBJECT

public:
    ReplayServer(const Dataset& dataset, const ModelPool& pool, ReplayOptions options,
                 QObject* parent = nullptr);
    ~ReplayServer() override;

    bool listen(quint16 port); // 0 picks a free port; loopback only
    const ReplayStats& stats() const { return stats_; }

protected:
    void handle(const Reply& to, const HttpRequest& request) override;
    void refused(const Reply& to, int status, const QString& message) override;

private:
    struct Exchange;
    void reject(const Reply& to, int status, const QString& message);
    void replyRateLimited(const Reply& to);
    void replyServerError(const Reply& to);
    void answerModels(const Reply& to);
    void answerEmbeddings(const Reply& to, const QByteArray& body);
    void answerChat(const Reply& to, const QByteArray& body);
    void answerJudge(const Reply& to, const QString& model, bool stream, const QString& prompt,
                     const ScoreInput& graded);
    void answerRecorded(const Reply& to, const QString& model, bool stream, int i, int k);
    void fillRecorded(Exchange& x, int i, int k) const;
    void answer(QTcpSocket* socket, const Exchange& exchange);
    void writePieces(QTcpSocket* socket,
                     std::shared_ptr<std::vector<std::pair<double, QByteArray>>> pieces,
                     std::size_t next, double nowMs, bool keepAlive);

    const Dataset& dataset_;
    const ModelPool& pool_;
    ReplayOptions options_;
    Eigen::MatrixXd latency_;
    QHash<QString, int> rowOfPrompt_;
    QHash<QString, int> columnOfModel_;
    ReplayStats stats_;
    quint64 requestCounter_ = 0;
};

} // namespace routerlab
