#pragma once

#include "data/model_pool.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

namespace routerlab {

// One Chat Completions request (the OpenAI-compatible protocol that hosted APIs and local
// servers such as vLLM, llama.cpp server and Ollama speak).
struct ChatCall {
    QString modelId; // the pool's id: what we price and record
    Endpoint endpoint;
    QString system; // optional system message
    QString prompt; // the user message
    bool stream = true;
    int maxTokens = 0;                                             // 0: not sent
    double temperature = std::numeric_limits<double>::quiet_NaN(); // NaN: not sent

    // Pass-through, for the routing proxy: the client's own request, sent with every field it
    // holds but "model" and "stream" as above (and usage asked for in a stream, to price it);
    // each stream event's payload as it arrives, on the client's worker thread; the response
    // body kept in ChatResult::body. Empty: the body is built from the fields above.
    QJsonObject clientRequest;
    std::function<void(const QByteArray& event)> onEvent;
};

enum class CallStatus { Ok, Failed, Cancelled };
QString callStatusName(CallStatus status);

// What came back, after retries. Latency and time to first token are those of the attempt
// that answered (what a router should learn from); `attempts` counts every try.
struct ChatResult {
    CallStatus status = CallStatus::Failed;
    int httpStatus = 0; // of the last attempt; 0 when no response arrived
    QString text;
    qint64 promptTokens = -1; // -1: the server reported no usage
    qint64 completionTokens = -1;
    double latencyS = std::numeric_limits<double>::quiet_NaN();
    double firstTokenS = std::numeric_limits<double>::quiet_NaN(); // streaming only
    int attempts = 0;
    QString requestId; // x-request-id header, else the completion's id
    // Names endpoint and model, never a key. On success: why the last retry was needed.
    QString error;
    QJsonObject replayInfo; // the replay server's "routerlab" object (recorded outcome)
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
    QByteArray body; // pass-through calls: the last plain response body (answer or error)

    bool ok() const { return status == CallStatus::Ok; }
    bool usageReported() const { return promptTokens >= 0 && completionTokens >= 0; }
};

// The text of a request's last user message; its content may be a string or a list of parts.
QString lastUserMessage(const QJsonArray& messages);

// The request body for `call`.
QByteArray chatRequestBody(const ChatCall& call);

// What one response body (or one streamed chunk) says. `malformed` is set when the bytes are
// not the JSON object the protocol promises.
struct ChatChunk {
    bool malformed = false;
    QString id;
    QString content; // message.content, or delta.content when streamed
    qint64 promptTokens = -1;
    qint64 completionTokens = -1;
    QString errorMessage; // the "error" object's message, if any
    QJsonObject replayInfo;
};
ChatChunk parseChatJson(const QByteArray& json);

// Splits a server-sent-event stream into the payloads of its `data:` fields. Feed bytes as
// they arrive; complete events come out, partial ones wait for more bytes.
class SseParser {
public:
    // Appends the payloads of the events completed by `bytes` to `events`.
    void feed(const QByteArray& bytes, std::vector<QByteArray>& events);
    bool hasPartialEvent() const { return !buffer_.trimmed().isEmpty(); }

private:
    QByteArray buffer_;
};

// The base URL as it may appear in messages: no user name or password.
QString displayUrl(const QString& url);

} // namespace routerlab
