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
#include <stdexcept>
#include <thread>

namespace routerlab {

namespace {

struct HttpReply {
    long status = 0;
    QByteArray body;
    double retryAfterS = -1;
    QString networkError; // set when no response arrived
};

size_t appendBody(char* data, size_t size, size_t count, void* reply) {
    static_cast<HttpReply*>(reply)->body.append(data, static_cast<qsizetype>(size * count));
    return size * count;
}

size_t readHeader(char* data, size_t size, size_t count, void* reply) {
    const QByteArray line = QByteArray(data, static_cast<qsizetype>(size * count)).trimmed();
    const qsizetype colon = line.indexOf(':');
    if (colon > 0 && line.left(colon).trimmed().toLower() == "retry-after") {
        bool ok = false;
        const double seconds = line.mid(colon + 1).trimmed().toDouble(&ok);
        if (ok)
            static_cast<HttpReply*>(reply)->retryAfterS = seconds;
    }
    return size * count;
}

// One blocking JSON POST; a batch of embeddings is one short request, so no multi handle.
HttpReply post(const QByteArray& url, const QByteArray& body, const QByteArray& key,
               double timeoutS) {
    initialiseCurlOnce();
    HttpReply reply;
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

QString serverMessage(const QByteArray& body) {
    const QJsonObject json = QJsonDocument::fromJson(body).object();
    const QJsonValue error = json.value(QLatin1String("error"));
    if (error.isObject())
        return error.toObject().value(QLatin1String("message")).toString();
    if (error.isString())
        return error.toString();
    return QString::fromUtf8(body.left(200)).simplified();
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

// The answer's "data" items, placed by their "index"; items out of range are ignored.
std::vector<std::vector<float>> embeddingsOf(const QByteArray& body, std::size_t texts) {
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
        v.reserve(static_cast<std::size_t>(values.size()));
        for (const QJsonValue& x : values)
            v.push_back(static_cast<float>(x.toDouble()));
    }
    return vectors;
}

} // namespace

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
        const HttpReply reply = post(url, body, key.value, endpoint.timeoutS);
        const bool retryable = !reply.networkError.isEmpty() || reply.status == 408 ||
                               reply.status == 429 || reply.status >= 500;
        if (reply.status == 200)
            return embeddingsOf(reply.body, texts.size());
        failure = reply.networkError.isEmpty()
                      ? QStringLiteral("HTTP %1: %2")
                            .arg(reply.status)
                            .arg(redactKey(serverMessage(reply.body), key.value))
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
