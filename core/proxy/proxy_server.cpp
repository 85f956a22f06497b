#include "proxy/proxy_server.h"

#include "live/live_runner.h"
#include "store/workspace_store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {

const QString kRouterModel = QStringLiteral("routerlab");

QByteArray chunked(const QByteArray& bytes) {
    return QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n";
}

// The JSON `json` with its "model" set to `model`; unchanged when it is not a JSON object.
QByteArray withModel(const QByteArray& json, const QString& model) {
    QJsonDocument doc = QJsonDocument::fromJson(json);
    if (!doc.isObject())
        return json;
    QJsonObject o = doc.object();
    o.insert(QStringLiteral("model"), model);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// Whether the next model may answer instead: the upstream was busy, broken or silent, not the
// request wrong.
bool worthAFallback(const ChatResult& r) {
    return r.httpStatus == 0 || r.httpStatus == 408 || r.httpStatus == 429 || r.httpStatus >= 500 ||
           r.httpStatus == 200;
}

bool keysEqual(const QByteArray& a, const QByteArray& b) { // in time independent of the match
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

} // namespace

struct ProxyServer::Exchange {
    Reply to;
    QJsonObject request;
    bool stream = false;
    Preference preference;
    RoutedRequest routed;
    QString key;    // the client's key id for budgets, never the key
    QString prompt; // the last user message, to estimate tokens a server did not report
    qint64 number = 0;
    std::size_t next = 0; // the attempt in flight, an index into routed.ranking
    bool headWritten = false;
    int model() const { return routed.ranking[next]; }
};

ProxyServer::ProxyServer(ProxyRouting& routing, const ModelPool& pool, ProxyOptions options,
                         WorkspaceStore* store, QObject* parent)
    : HttpServer(options, parent), routing_(routing), pool_(pool), options_(std::move(options)),
      store_(store), limits_(options_.budgetUsdPerDay, options_.keyBudgetUsdPerDay) {
    for (const QString& name : routing.models()) {
        const PoolModel* model = pool.find(name);
        if (!model)
            throw std::invalid_argument(
                QStringLiteral("model '%1' is not in the pool").arg(name).toStdString());
        Endpoint e = model->endpoint;
        if (!options_.baseUrl.isEmpty())
            e.baseUrl = options_.baseUrl;
        if (e.remoteModel.isEmpty())
            e.remoteModel = model->id;
        if (e.baseUrl.isEmpty())
            throw std::invalid_argument(QStringLiteral("pool model '%1' has no endpoint.base_url; "
                                                       "add one to the pool or give --base-url")
                                            .arg(name)
                                            .toStdString());
        models_.push_back(model);
        endpoints_.push_back(e);
    }
    if (!options_.requireKeyEnv.isEmpty()) {
        for (const QString& key : qEnvironmentVariable(options_.requireKeyEnv.toLocal8Bit())
                                      .split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!key.trimmed().isEmpty())
                clientKeys_ << key.trimmed();
        if (clientKeys_.isEmpty())
            throw std::invalid_argument(
                QStringLiteral("the environment variable %1 holds no client "
                               "key (one or more, comma-separated)")
                    .arg(options_.requireKeyEnv)
                    .toStdString());
    }
    // Fallbacks are the proxy's; the client's own retries would resend a half-forwarded stream.
    options_.client.maxRetries = 0;
    client_ = std::make_unique<ChatClient>(options_.client);
    if (store_) {
        LiveSessionRecord session;
        session.router = options_.routerSpec;
        session.scorer = QStringLiteral("proxy");
        session.preferenceJson = options_.preference.toString().toUtf8();
        session.seed = 1;
        session.configJson = options_.configJson.isEmpty() ? QByteArray("{}") : options_.configJson;
        session.budgetUsd = options_.budgetUsdPerDay;
        sessionId_ = store_->startLiveSession(session);
    }
}

ProxyServer::~ProxyServer() {
    client_.reset(); // ends the calls in flight before anything they report to goes
}

bool ProxyServer::listen(const QHostAddress& address, quint16 port) {
    if (!address.isLoopback() && clientKeys_.isEmpty())
        throw std::invalid_argument(
            QStringLiteral("listening on %1 (beyond this machine) needs client keys: "
                           "give --require-key-env NAME")
                .arg(address.toString())
                .toStdString());
    return HttpServer::listen(address, port);
}

void ProxyServer::finish(const QString& status) {
    if (!store_ || sessionId_ == 0)
        return;
    const QJsonObject summary{{QStringLiteral("requests"), stats_.requests},
                              {QStringLiteral("answered"), stats_.answered},
                              {QStringLiteral("failed"), stats_.failed},
                              {QStringLiteral("refused"), stats_.refused},
                              {QStringLiteral("fallbacks"), stats_.fallbacks},
                              {QStringLiteral("spent_usd"), stats_.spentUsd}};
    store_->finishLiveSession(sessionId_, status,
                              QJsonDocument(summary).toJson(QJsonDocument::Compact));
}

void ProxyServer::refused(const Reply& to, int status, const QString& message) {
    ++stats_.requests;
    ++stats_.refused;
    HttpServer::refused(to, status, message);
}

void ProxyServer::reject(const Reply& to, int status, const QString& message, const QString& type) {
    ++stats_.refused;
    replyJson(to, status, errorJson(message, type));
}

QString ProxyServer::clientKey(const HttpRequest& request) const {
    const QByteArray authorization = request.header("authorization");
    if (!authorization.startsWith("Bearer "))
        return clientKeys_.isEmpty() ? QStringLiteral("anonymous") : QString();
    const QByteArray key = authorization.mid(7);
    for (qsizetype i = 0; i < clientKeys_.size(); ++i)
        if (keysEqual(key, clientKeys_[i].toUtf8()))
            return QStringLiteral("key-%1").arg(i + 1);
    if (!clientKeys_.isEmpty())
        return {};
    return QStringLiteral("sha-") +
           QString::fromLatin1(
               QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(12));
}

void ProxyServer::handle(const Reply& to, const HttpRequest& request) {
    ++stats_.requests;
    if (!clientKeys_.isEmpty() && clientKey(request).isEmpty())
        return reject(to, 401, QStringLiteral("missing or wrong API key"),
                      QStringLiteral("invalid_request_error"));
    if (request.method == "GET" && request.target.endsWith("/models"))
        return answerModels(to);
    if (request.method == "POST" && request.target.endsWith("/chat/completions"))
        return answerChat(to, request);
    reject(to, 404, QStringLiteral("only POST .../chat/completions and GET .../models"),
           QStringLiteral("invalid_request_error"));
}

void ProxyServer::answerModels(const Reply& to) {
    QJsonArray data{QJsonObject{{QStringLiteral("id"), kRouterModel},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("owned_by"), QStringLiteral("routerlab")}}};
    for (const PoolModel* m : models_)
        data.append(QJsonObject{{QStringLiteral("id"), m->id},
                                {QStringLiteral("object"), QStringLiteral("model")},
                                {QStringLiteral("owned_by"), QStringLiteral("pool")}});
    replyJson(to, 200,
              QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                        {QStringLiteral("data"), data}})
                  .toJson(QJsonDocument::Compact));
}

void ProxyServer::answerChat(const Reply& to, const HttpRequest& request) {
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (!doc.isObject())
        return reject(to, 400, QStringLiteral("the body is not a JSON object"),
                      QStringLiteral("invalid_request_error"));
    auto x = std::make_shared<Exchange>();
    x->to = to;
    x->request = doc.object();
    x->stream = x->request.value(QLatin1String("stream")).toBool();
    x->key = clientKey(request);
    x->number = ++requestCounter_;
    const QJsonArray messages = x->request.value(QLatin1String("messages")).toArray();
    if (messages.isEmpty())
        return reject(to, 400, QStringLiteral("field 'messages': a non-empty array is required"),
                      QStringLiteral("invalid_request_error"));
    x->prompt = lastUserMessage(messages);

    const QString model = x->request.value(QLatin1String("model")).toString();
    const int named = static_cast<int>(routing_.models().indexOf(model));
    if (named >= 0) { // a pool model by name: no routing, no fallback
        x->preference = options_.preference;
        x->routed.ranking = {named};
        x->routed.promptId = routing_.route(x->prompt, x->preference).promptId;
    } else if (model == kRouterModel || model.startsWith(kRouterModel + QLatin1Char(':'))) {
        try {
            x->preference =
                model == kRouterModel ? options_.preference : Preference::parse(model.mid(10));
        } catch (const std::invalid_argument& e) {
            return reject(to, 400, QStringLiteral("field 'model': %1").arg(e.what()),
                          QStringLiteral("invalid_request_error"));
        }
        x->routed = routing_.route(x->prompt, x->preference);
    } else {
        return reject(to, 404,
                      QStringLiteral("field 'model': '%1' is neither 'routerlab', "
                                     "'routerlab:quality=...,cost=...' nor a pool model (%2)")
                          .arg(model, routing_.models().join(QStringLiteral(", "))),
                      QStringLiteral("invalid_request_error"));
    }
    attempt(x);
}

void ProxyServer::attempt(const std::shared_ptr<Exchange>& x) {
    const int k = x->model();
    const QString refusal =
        limits_.refusal(x->key, routing_.expectedCost(k), QDateTime::currentDateTimeUtc().date());
    if (!refusal.isEmpty()) {
        ++stats_.failed;
        return replyJson(x->to, 429, errorJson(refusal, QStringLiteral("budget_exceeded")),
                         routingHeaders(*x));
    }
    ChatCall call;
    call.modelId = models_[std::size_t(k)]->id;
    call.endpoint = endpoints_[std::size_t(k)];
    call.stream = x->stream;
    call.clientRequest = x->request;
    // Both callbacks run on the client's thread; the server lives on this one, and events and
    // the end of a call keep their order through its queue.
    if (x->stream)
        call.onEvent = [this, x](const QByteArray& event) {
            QMetaObject::invokeMethod(
                this, [this, x, event] { forwardEvent(x, event); }, Qt::QueuedConnection);
        };
    client_->submit(std::move(call), [this, x](ChatResult result) {
        QMetaObject::invokeMethod(
            this, [this, x, result = std::move(result)]() mutable { attemptEnded(x, result); },
            Qt::QueuedConnection);
    });
}

QByteArray ProxyServer::routingHeaders(const Exchange& x) const {
    const double score = x.routed.score;
    return "x-routerlab-model: " + models_[std::size_t(x.model())]->id.toUtf8() +
           "\r\nx-routerlab-score: " +
           (std::isnan(score) ? QByteArray("none") : QByteArray::number(score, 'g', 6)) +
           "\r\nx-routerlab-preference: " + x.preference.toString().toUtf8() +
           "\r\nx-routerlab-fallbacks: " + QByteArray::number(qulonglong(x.next)) + "\r\n";
}

void ProxyServer::forwardEvent(const std::shared_ptr<Exchange>& x, const QByteArray& event) {
    QTcpSocket* socket = x->to.socket;
    if (!isOpen(socket))
        return;
    if (!x->headWritten) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: "
                      "no-cache\r\nTransfer-Encoding: chunked\r\n" +
                      routingHeaders(*x) +
                      (x->to.keepAlive ? QByteArray() : QByteArray("Connection: close\r\n")) +
                      "\r\n");
        x->headWritten = true;
    }
    const QString model = models_[std::size_t(x->model())]->id;
    socket->write(chunked("data: " + withModel(event, model) + "\n\n"));
}

void ProxyServer::attemptEnded(const std::shared_ptr<Exchange>& x, ChatResult result) {
    const int k = x->model();
    const double cost = answerCostUsd(*models_[std::size_t(k)], x->prompt, result);
    stats_.spentUsd += cost;
    limits_.add(x->key, cost, QDateTime::currentDateTimeUtc().date());
    record(*x, result, cost);
    if (!isOpen(x->to.socket))
        return; // the client left; the call is recorded and paid all the same
    if (result.ok()) {
        ++stats_.answered;
        if (!x->stream)
            return answerWhole(x, result);
        if (!x->headWritten) // a stream without a single event
            forwardEvent(x, QJsonDocument(QJsonObject{}).toJson(QJsonDocument::Compact));
        x->to.socket->write(chunked("data: [DONE]\n\n") + "0\r\n\r\n");
        return finishExchange(x->to.socket, x->to.keepAlive);
    }
    if (x->headWritten) { // part of the answer is out: the client sees the stream break
        ++stats_.failed;
        return drop(x->to.socket);
    }
    if (worthAFallback(result) && x->next + 1 < x->routed.ranking.size() &&
        static_cast<int>(x->next) < options_.fallbacks) {
        ++x->next;
        ++stats_.fallbacks;
        return attempt(x);
    }
    answerFailure(x, result);
}

void ProxyServer::answerWhole(const std::shared_ptr<Exchange>& x, const ChatResult& result) {
    replyJson(x->to, 200, withModel(result.body, models_[std::size_t(x->model())]->id),
              routingHeaders(*x) +
                  (result.requestId.isEmpty()
                       ? QByteArray()
                       : "x-request-id: " + result.requestId.toUtf8().left(200) + "\r\n"));
}

// The upstream's own status and error when it sent one; 502 or 504 when it sent nothing.
void ProxyServer::answerFailure(const std::shared_ptr<Exchange>& x, const ChatResult& result) {
    ++stats_.failed;
    int status = result.httpStatus;
    QByteArray body = result.body;
    const QJsonObject upstream = QJsonDocument::fromJson(body).object();
    if (status < 400 || status > 599 || !upstream.value(QLatin1String("error")).isObject()) {
        if (status < 400 || status > 599)
            status = result.error.contains(QLatin1String("timed out")) ||
                             result.error.contains(QLatin1String("Timeout"))
                         ? 504
                         : 502;
        body = errorJson(result.error, QStringLiteral("upstream_error"));
    }
    replyJson(x->to, status, body, routingHeaders(*x));
}

void ProxyServer::record(const Exchange& x, const ChatResult& result, double costUsd) {
    if (!store_)
        return;
    LiveCallRecord r;
    r.sessionId = sessionId_;
    r.step = static_cast<int>(x.number);
    r.promptId = x.routed.promptId;
    r.model = models_[std::size_t(x.model())]->id;
    r.decisionJson =
        QJsonDocument(
            QJsonObject{{QStringLiteral("model"), x.model()},
                        {QStringLiteral("top_probability"),
                         std::isnan(x.routed.score) ? QJsonValue() : QJsonValue(x.routed.score)},
                        {QStringLiteral("fallback"), static_cast<int>(x.next)},
                        {QStringLiteral("preference"), x.preference.toString()},
                        {QStringLiteral("stream"), x.stream}})
            .toJson(QJsonDocument::Compact);
    takeCallFields(result, r);
    if (!result.ok())
        r.latencyS = (result.finishedAtMs - result.startedAtMs) / 1e3;
    r.firstTokenS = result.firstTokenS;
    r.costUsd = costUsd;
    store_->recordLiveCall(r);
}

} // namespace routerlab
