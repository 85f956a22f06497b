#include "http/chat_transfer.h"

#include "http/api_key.h"

#include <QDateTime>
#include <QList>
#include <algorithm>

namespace routerlab {

QString ChatTransfer::where() const {
    return QStringLiteral("%1 (model %2)").arg(displayUrl(call.endpoint.baseUrl), call.modelId);
}

void ChatTransfer::resetAttempt() {
    status = 0;
    eventStream = false;
    responseBody.clear();
    sse = SseParser();
    sawDone = malformed = false;
    text.clear();
    totals = ChatChunk();
    requestIdHeader.clear();
    retryAfterS = -1;
    firstTokenS = std::numeric_limits<double>::quiet_NaN();
    errorBuffer[0] = 0;
}

void ChatTransfer::absorb(const ChatChunk& chunk) {
    if (chunk.malformed) {
        malformed = true;
        return;
    }
    if (!chunk.content.isEmpty() && std::isnan(firstTokenS))
        firstTokenS = secondsBetween(attemptStart, Clock::now());
    text += chunk.content;
    if (!chunk.id.isEmpty())
        totals.id = chunk.id;
    if (chunk.promptTokens >= 0)
        totals.promptTokens = chunk.promptTokens;
    if (chunk.completionTokens >= 0)
        totals.completionTokens = chunk.completionTokens;
    if (!chunk.errorMessage.isEmpty())
        totals.errorMessage = chunk.errorMessage;
    if (!chunk.replayInfo.isEmpty())
        totals.replayInfo = chunk.replayInfo;
}

namespace {

bool isRetryableStatus(long status) {
    return status == 408 || status == 425 || status == 429 || status >= 500;
}

} // namespace

ChatTransfer::Verdict ChatTransfer::concludeResponse() {
    if (status != 200) {
        const ChatChunk error = parseChatJson(responseBody);
        const QString message = !error.errorMessage.isEmpty()
                                    ? error.errorMessage
                                    : QString::fromUtf8(responseBody.left(300));
        return {false, isRetryableStatus(status),
                QStringLiteral("%1: HTTP %2: %3")
                    .arg(where())
                    .arg(status)
                    .arg(redactKey(message.simplified(), key))};
    }
    if (eventStream) {
        if (malformed || !sawDone)
            return {false, true,
                    QStringLiteral("%1: %2").arg(
                        where(), malformed ? QStringLiteral("malformed stream event")
                                           : QStringLiteral("stream ended before [DONE]"))};
    } else {
        absorb(parseChatJson(responseBody));
        if (malformed)
            return {false, true, QStringLiteral("%1: malformed JSON response").arg(where())};
        firstTokenS = std::numeric_limits<double>::quiet_NaN();
    }
    if (!totals.errorMessage.isEmpty()) // an error reported inside a 200
        return {false, true,
                QStringLiteral("%1: %2").arg(where(), redactKey(totals.errorMessage, key))};
    return {true, false, {}};
}

size_t ChatTransfer::onBody(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<ChatTransfer*>(self);
    const QByteArray bytes(data, static_cast<qsizetype>(size * count));
    if (t->eventStream && t->status == 200) {
        std::vector<QByteArray> events;
        t->sse.feed(bytes, events);
        for (const QByteArray& e : events) {
            if (e.trimmed() == "[DONE]") {
                t->sawDone = true;
                continue;
            }
            t->absorb(parseChatJson(e));
            if (t->call.onEvent && !t->malformed)
                t->call.onEvent(e);
        }
    } else {
        // Kept to the same prefix however the body was split.
        t->responseBody.append(bytes.left(kMaxResponseBytes - t->responseBody.size()));
    }
    return size * count;
}

size_t ChatTransfer::onHeader(char* data, size_t size, size_t count, void* self) {
    auto* t = static_cast<ChatTransfer*>(self);
    const QByteArray line = QByteArray(data, static_cast<qsizetype>(size * count)).trimmed();
    if (line.startsWith("HTTP/")) { // a new response (after 100 Continue or a redirect)
        const QList<QByteArray> parts = line.split(' ');
        t->status = parts.size() > 1 ? parts[1].toLong() : 0;
        t->eventStream = false;
        return size * count;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0)
        return size * count;
    const QByteArray name = line.left(colon).trimmed().toLower();
    const QByteArray value = line.mid(colon + 1).trimmed();
    if (name == "content-type") {
        t->eventStream = value.toLower().startsWith("text/event-stream");
    } else if (name == "x-request-id" || name == "request-id") {
        t->requestIdHeader = QString::fromLatin1(value.left(200));
    } else if (name == "retry-after-ms") {
        bool ok = false;
        const double ms = value.toDouble(&ok);
        if (ok && ms >= 0)
            t->retryAfterS = ms / 1000.0;
    } else if (name == "retry-after" && t->retryAfterS < 0) {
        bool ok = false;
        const double s = value.toDouble(&ok);
        if (ok && s >= 0) {
            t->retryAfterS = s;
        } else { // an HTTP date
            const QDateTime at = QDateTime::fromString(QString::fromLatin1(value), Qt::RFC2822Date);
            if (at.isValid())
                t->retryAfterS =
                    std::max<qint64>(0, QDateTime::currentDateTimeUtc().msecsTo(at)) / 1000.0;
        }
    }
    return size * count;
}

} // namespace routerlab
