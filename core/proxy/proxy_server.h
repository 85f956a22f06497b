#pragma once

#include "data/model_pool.h"
#include "http/chat_client.h"
#include "httpserver/http_server.h"
#include "proxy/proxy_routing.h"
#include "proxy/spend_limits.h"

#include <QStringList>
#include <memory>

class QHostAddress;

namespace routerlab {

class WorkspaceStore;

struct ProxyOptions : HttpServerLimits {
    Preference preference;         // for requests whose model is "routerlab"
    int fallbacks = 2;             // further models tried after a failed one, by the router's order
    double budgetUsdPerDay = 0;    // over all traffic, UTC days; 0: no cap
    double keyBudgetUsdPerDay = 0; // per client key
    // When set, requests must carry "Authorization: Bearer K" for one of the comma-separated
    // keys in this environment variable. Keys are compared, never logged or recorded.
    QString requireKeyEnv;
    QString baseUrl; // replaces every model's endpoint base URL (e.g. the replay server's)
    ClientOptions client;
    QString routerSpec;    // recorded with the session
    QByteArray configJson; // recorded with the session: names, paths and URLs, never a key
};

struct ProxyStats {
    qint64 requests = 0;
    qint64 answered = 0;
    qint64 failed = 0;    // answered with an upstream's error after every fallback
    qint64 refused = 0;   // bad request, wrong key, budget
    qint64 fallbacks = 0; // upstream attempts after the first of a request
    double spentUsd = 0;
};

// An OpenAI-compatible front door to a model pool: POST .../chat/completions (streamed or
// not) is routed by a ProxyRouting to one of the pool's models and forwarded to its endpoint
// with the ChatClient that live mode uses; the answer comes back unchanged but for its
// "model" (the pool model that answered), with x-routerlab-* headers naming the choice and
// its score. A model of "routerlab" uses the default preference, "routerlab:quality=0.8,..."
// its own, a pool model id goes to that model. On 429, 5xx, timeouts and broken answers
// before the first byte reached the client, the next model in the router's order answers.
// Every upstream attempt is recorded in the workspace as a live call when a store is given.
class ProxyServer : public HttpServer {
    Q_OBJECT

public:
    // `routing`, `pool` and `store` (may be null) must outlive the server.
    ProxyServer(ProxyRouting& routing, const ModelPool& pool, ProxyOptions options,
                WorkspaceStore* store, QObject* parent = nullptr);
    ~ProxyServer() override;

    // Loopback unless `address` says otherwise; throws std::invalid_argument for a non-loopback
    // address without requireKeyEnv, or a key variable that is unset or empty.
    bool listen(const QHostAddress& address, quint16 port);
    const ProxyStats& stats() const { return stats_; }
    qint64 sessionId() const { return sessionId_; }
    // Records the session as ended (the workspace's Live Console then shows it finished).
    void finish(const QString& status);

protected:
    void handle(const Reply& to, const HttpRequest& request) override;
    void refused(const Reply& to, int status, const QString& message) override;

private:
    struct Exchange;
    void reject(const Reply& to, int status, const QString& message, const QString& type);
    void answerModels(const Reply& to);
    void answerChat(const Reply& to, const HttpRequest& request);
    QString clientKey(const HttpRequest& request) const;
    void attempt(const std::shared_ptr<Exchange>& x);
    void forwardEvent(const std::shared_ptr<Exchange>& x, const QByteArray& event);
    void attemptEnded(const std::shared_ptr<Exchange>& x, ChatResult result);
    void answerWhole(const std::shared_ptr<Exchange>& x, const ChatResult& result);
    void answerFailure(const std::shared_ptr<Exchange>& x, const ChatResult& result);
    QByteArray routingHeaders(const Exchange& x) const;
    void record(const Exchange& x, const ChatResult& result, double costUsd);

    ProxyRouting& routing_;
    const ModelPool& pool_;
    ProxyOptions options_;
    WorkspaceStore* store_;
    std::vector<const PoolModel*> models_; // routing's models, in its order
    std::vector<Endpoint> endpoints_;
    QStringList clientKeys_;
    SpendLimits limits_;
    std::unique_ptr<ChatClient> client_;
    qint64 sessionId_ = 0;
    qint64 requestCounter_ = 0;
    ProxyStats stats_;
};

} // namespace routerlab
