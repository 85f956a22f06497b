#include "http/chat_protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace routerlab {

QString callStatusName(CallStatus status) {
    switch (status) {
    case CallStatus::Ok:
        return QStringLiteral("ok");
    case CallStatus::Cancelled:
        return QStringLiteral("cancelled");
    case CallStatus::Failed:
        break;
    }
    return QStringLiteral("failed");
}

QString lastUserMessage(const QJsonArray& messages) {
    for (qsizetype i = messages.size() - 1; i >= 0; --i) {
        const QJsonObject m = messages[i].toObject();
        if (m.value(QLatin1String("role")).toString() != QLatin1String("user"))
            continue;
        const QJsonValue content = m.value(QLatin1String("content"));
        if (content.isString())
            return content.toString();
        QString text;
        for (const QJsonValue& part : content.toArray())
            text += part.toObject().value(QLatin1String("text")).toString();
        return text;
    }
    return {};
}

QByteArray chatRequestBody(const ChatCall& call) {
    const QString model =
        call.endpoint.remoteModel.isEmpty() ? call.modelId : call.endpoint.remoteModel;
    if (!call.clientRequest.isEmpty()) {
        QJsonObject body = call.clientRequest;
        body.insert(QStringLiteral("model"), model);
        body.insert(QStringLiteral("stream"), call.stream);
        if (call.stream) {
            QJsonObject options = body.value(QLatin1String("stream_options")).toObject();
            options.insert(QStringLiteral("include_usage"), true);
            body.insert(QStringLiteral("stream_options"), options);
        }
        return QJsonDocument(body).toJson(QJsonDocument::Compact);
    }
    QJsonArray messages;
    if (!call.system.isEmpty())
        messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("system")},
                                    {QStringLiteral("content"), call.system}});
    messages.append(QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("content"), call.prompt}});
    QJsonObject body{{QStringLiteral("model"), model},
                     {QStringLiteral("messages"), messages},
                     {QStringLiteral("stream"), call.stream}};
    // Without this, OpenAI-style servers leave usage out of a stream and the call is unpriced.
    if (call.stream)
        body.insert(QStringLiteral("stream_options"),
                    QJsonObject{{QStringLiteral("include_usage"), true}});
    if (call.maxTokens > 0)
        body.insert(QStringLiteral("max_tokens"), call.maxTokens);
    if (!std::isnan(call.temperature))
        body.insert(QStringLiteral("temperature"), call.temperature);
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

ChatChunk parseChatJson(const QByteArray& json) {
    ChatChunk chunk;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        chunk.malformed = true;
        return chunk;
    }
    const QJsonObject o = doc.object();
    chunk.id = o.value(QLatin1String("id")).toString();
    const QJsonValue errorValue = o.value(QLatin1String("error"));
    if (errorValue.isObject())
        chunk.errorMessage = errorValue.toObject().value(QLatin1String("message")).toString();
    else if (errorValue.isString())
        chunk.errorMessage = errorValue.toString();
    const QJsonArray choices = o.value(QLatin1String("choices")).toArray();
    if (!choices.isEmpty()) {
        const QJsonObject choice = choices.first().toObject();
        const QJsonObject part = choice.contains(QLatin1String("delta"))
                                     ? choice.value(QLatin1String("delta")).toObject()
                                     : choice.value(QLatin1String("message")).toObject();
        chunk.content = part.value(QLatin1String("content")).toString();
    } else if (!o.contains(QLatin1String("usage")) && chunk.errorMessage.isEmpty()) {
        chunk.malformed = !o.contains(QLatin1String("choices")); // a completion has choices
    }
    const QJsonObject usage = o.value(QLatin1String("usage")).toObject();
    if (usage.contains(QLatin1String("prompt_tokens")))
        chunk.promptTokens = usage.value(QLatin1String("prompt_tokens")).toInteger(-1);
    if (usage.contains(QLatin1String("completion_tokens")))
        chunk.completionTokens = usage.value(QLatin1String("completion_tokens")).toInteger(-1);
    chunk.replayInfo = o.value(QLatin1String("routerlab")).toObject();
    return chunk;
}

void SseParser::feed(const QByteArray& bytes, std::vector<QByteArray>& events) {
    buffer_.append(bytes);
    for (;;) {
        // Events end with a blank line; servers use \n or \r\n.
        qsizetype end = buffer_.indexOf("\n\n");
        qsizetype skip = 2;
        const qsizetype crlf = buffer_.indexOf("\r\n\r\n");
        if (crlf >= 0 && (end < 0 || crlf < end)) {
            end = crlf;
            skip = 4;
        }
        if (end < 0)
            return;
        const QByteArray event = buffer_.left(end);
        buffer_.remove(0, end + skip);
        QByteArray data;
        bool hasData = false;
        for (QByteArray line : event.split('\n')) {
            if (line.endsWith('\r'))
                line.chop(1);
            if (!line.startsWith("data:"))
                continue; // comments (": keep-alive"), event:, id:, retry:
            QByteArray value = line.mid(5);
            if (value.startsWith(' '))
                value.remove(0, 1);
            if (hasData)
                data.append('\n');
            data.append(value);
            hasData = true;
        }
        if (hasData)
            events.push_back(data);
    }
}

QString displayUrl(const QString& url) {
    return QUrl(url).toDisplayString(QUrl::RemoveUserInfo);
}

} // namespace routerlab
