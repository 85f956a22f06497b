#include "http/embeddings_client.h"

#include "http/api_key.h"
#include "http/chat_protocol.h"
#include "http/curl_init.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>

namespace routerlab {

namespace {

size_t appendBody(char* data, size_t size, size_t count, void* reply) {
    static_cast<EmbeddingsReply*>(reply)->addBody(
        QByteArray(data, static_cast<qsizetype>(size * count)));
    return size * count;
}

size_t readHeader(char* data, size_t size, size_t count, void* reply) {
    static_cast<EmbeddingsReply*>(reply)->addHeaderLine(
        QByteArray(data, static_cast<qsizetype>(size * count)));
    return size * count;
}

// One blocking JSON POST; a batch of embeddings is one short request, so no multi handle.
EmbeddingsReply post(const QByteArray& url, const QByteArray& body, const QByteArray& key,
                     double timeoutS) {
    initialiseCurlOnce();
    EmbeddingsReply reply;
    CURL* easy = curl_easy_init();
    if (!easy) {
        reply.networkError = QStringLiteral("cannot start a transfer");
        return reply;
    }
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    QByteArray authorization;
    if (!key.isEmpty()) {
        authorization = "Authorization: Bearer " + key;
        headers = curl_slist_append(headers, authorization.constData());
    }
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(easy, CURLOPT_URL, url.constData());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.constData());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &appendBody);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &reply);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &readHeader);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(timeoutS * 1000));
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    const CURLcode code = curl_easy_perform(easy);
    if (code == CURLE_OK)
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &reply.status);
    else
        reply.networkError =
            QString::fromUtf8(errorBuffer[0] ? errorBuffer : curl_easy_strerror(code));
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    if (!authorization.isEmpty())
        authorization.fill('\0'); // the key lives no longer than the request
    return reply;
}

QByteArray requestBody(const QString& model, const std::vector<const QString*>& texts) {
    QJsonArray input;
    for (const QString* text : texts)
        input.append(*text);
    return QJsonDocument(QJsonObject{{QStringLiteral("model"), model},
                                     {QStringLiteral("input"), input},
                                     {QStringLiteral("encoding_format"), QStringLiteral("float")}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

void EmbeddingsReply::addHeaderLine(const QByteArray& bytes) {
    const QByteArray line = bytes.trimmed();
    const qsizetype colon = line.indexOf(':');
    if (colon > 0 && line.left(colon).trimmed().toLower() == "retry-after") {
        bool ok = false;
        const double seconds = line.mid(colon + 1).trimmed().toDouble(&ok);
        if (ok)
            retryAfterS = seconds;
    }
}

std::vector<std::vector<float>> EmbeddingsReply::embeddings(std::size_t texts) const {
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonArray data = json.value(QLatin1String("data")).toArray();
    std::vector<std::vector<float>> vectors(texts);
    for (const QJsonValue& item : data) {
        const QJsonObject o = item.toObject();
        const qsizetype index = o.value(QLatin1String("index")).toInteger(-1);
        const QJsonArray values = o.value(QLatin1String("embedding")).toArray();
        if (index < 0 || index >= qsizetype(texts) || values.isEmpty())
            continue;
        std::vector<float>& v = vectors[static_cast<std::size_t>(index)];
        if (!v.empty())
            continue; // a repeated index: the first item counts, not both end to end
        std::vector<float> read;
        read.reserve(static_cast<std::size_t>(values.size()));
        for (const QJsonValue& x : values) {
            const double value = x.toDouble(std::numeric_limits<double>::quiet_NaN());
            // Not a number, or beyond a float's range: the vector is unusable.
            if (!std::isfinite(value) || std::abs(value) > std::numeric_limits<float>::max()) {
                read.clear();
                break;
            }
            read.push_back(static_cast<float>(value));
        }
        v = std::move(read);
    }
    return vectors;
}

QString EmbeddingsReply::serverMessage() const {
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonValue error = json.value(QLatin1String("error"));
    if (error.isObject())
        return error.toObject().value(QLatin1String("message")).toString();
    if (error.isString())
        return error.toString();
    return QString::fromUtf8(body.left(200)).simplified();
}

QString EmbeddingsEndpoint::where() const {
    return QStringLiteral("embeddings endpoint %1 (model %2)").arg(displayUrl(baseUrl), model);
}

std::vector<std::vector<float>> requestEmbeddings(const EmbeddingsEndpoint& endpoint,
                                                  const std::vector<const QString*>& texts) {
    const QString where = endpoint.where();
    const ApiKey key = readApiKey(endpoint.keyEnv);
    if (!key.ok())
        throw std::runtime_error(QStringLiteral("%1: %2").arg(where, key.error).toStdString());
    const QByteArray body = requestBody(endpoint.model, texts);
    const QByteArray url = (endpoint.baseUrl + QStringLiteral("/embeddings")).toUtf8();

    QString failure;
    for (int attempt = 0; attempt <= endpoint.maxRetries; ++attempt) {
        const EmbeddingsReply reply = post(url, body, key.value, endpoint.timeoutS);
        const bool retryable = !reply.networkError.isEmpty() || reply.status == 408 ||
                               reply.status == 429 || reply.status >= 500;
        if (reply.status == 200)
            return reply.embeddings(texts.size());
        failure = reply.networkError.isEmpty()
                      ? QStringLiteral("HTTP %1: %2")
                            .arg(reply.status)
                            .arg(redactKey(reply.serverMessage(), key.value))
                      : reply.networkError;
        if (!retryable || attempt == endpoint.maxRetries)
            break;
        const double backoff = std::min(30.0, 0.5 * std::pow(2.0, attempt));
        const double wait = reply.retryAfterS >= 0 ? std::min(reply.retryAfterS, 60.0) : backoff;
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
    throw std::runtime_error(QStringLiteral("%1: %2").arg(where, failure).toStdString());
}

} // namespace routerlab
