#include "features/embedding_api_featurizer.h"

#include "http/api_key.h"
#include "http/chat_protocol.h"
#include "store/workspace_store.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <curl/curl.h>
#include <stdexcept>
#include <thread>

namespace routerlab {

namespace {

QByteArray textHash(const QString& text) {
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex();
}

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

HttpReply post(const QByteArray& url, const QByteArray& body, const QByteArray& key,
               double timeoutS) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
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

} // namespace

QString EmbeddingApiSettings::source() const {
    return model + QLatin1Char('@') + displayUrl(baseUrl);
}

EmbeddingApiSettings parseEmbeddingApiSpec(const QString& text) {
    auto fail = [&text](const QString& why) {
        return std::invalid_argument(
            QStringLiteral("features 'embeddings-api:%1': %2").arg(text, why).toStdString());
    };
    const QStringList parts = text.split(QLatin1Char(';'));
    EmbeddingApiSettings s;
    const QString target = parts.value(0).trimmed();
    const qsizetype at = target.indexOf(QLatin1Char('@'));
    s.model = target.left(std::max<qsizetype>(at, 0));
    s.baseUrl = at < 0 ? QString() : target.mid(at + 1);
    while (s.baseUrl.endsWith(QLatin1Char('/')))
        s.baseUrl.chop(1);
    const QUrl url(s.baseUrl);
    if (s.model.isEmpty() || !url.isValid() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        throw fail(QStringLiteral("expected MODEL@http(s)://host[:port]/path, e.g. "
                                  "text-embedding-3-small@https://api.example.com/v1"));
    if (!url.userInfo().isEmpty())
        throw fail(QStringLiteral("put the key in the variable named by key-env, not the URL"));
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString key = parts[i].section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = parts[i].section(QLatin1Char('='), 1).trimmed();
        if (key == QLatin1String("key-env")) {
            s.keyEnv = value;
        } else if (key == QLatin1String("cache")) {
            s.cachePath = value;
        } else if (key == QLatin1String("batch")) {
            bool ok = false;
            s.batch = value.toInt(&ok);
            if (!ok || s.batch < 1 || s.batch > 2048)
                throw fail(QStringLiteral("batch must be within 1..2048"));
        } else {
            throw fail(QStringLiteral("unknown option '%1' (known: key-env, cache, batch)")
                           .arg(parts[i].trimmed()));
        }
    }
    return s;
}

EmbeddingApiFeaturizer::EmbeddingApiFeaturizer(EmbeddingApiSettings settings)
    : settings_(std::move(settings)) {}

EmbeddingApiFeaturizer::~EmbeddingApiFeaturizer() = default;

int EmbeddingApiFeaturizer::dimension() const {
    std::lock_guard lock(mutex_);
    if (dimension_ < 0)
        throw std::logic_error("the embeddings' dimension is known once one has been fetched");
    return dimension_ + 1;
}

void EmbeddingApiFeaturizer::fit(const std::vector<const QString*>& trainingPrompts) {
    ensure(trainingPrompts);
    if (dimension_ < 0) { // no training prompts: learn the dimension from one request
        const QString probe = QStringLiteral("dimension probe");
        ensure({&probe});
    }
}

void EmbeddingApiFeaturizer::prepare(const std::vector<const QString*>& prompts) {
    ensure(prompts);
}

Eigen::VectorXf EmbeddingApiFeaturizer::transform(const QString& prompt) const {
    ensure({&prompt});
    std::lock_guard lock(mutex_);
    const std::vector<float>& unit = vectors_.value(textHash(prompt));
    Eigen::VectorXf v(dimension_ + 1);
    v.head(dimension_) = Eigen::Map<const Eigen::VectorXf>(unit.data(), dimension_);
    v[dimension_] = 1.0f;
    return v;
}

QString EmbeddingApiFeaturizer::stateFingerprint() const {
    // A router trained on one embedding model must not be fed another's vectors.
    std::lock_guard lock(mutex_);
    return QString::fromLatin1(
        QCryptographicHash::hash(
            QStringLiteral("%1|%2").arg(settings_.source()).arg(dimension_).toUtf8(),
            QCryptographicHash::Sha256)
            .toHex());
}

void EmbeddingApiFeaturizer::remember(const QByteArray& hash, std::vector<float> vector) const {
    double norm = 0;
    for (const float x : vector)
        norm += double(x) * x;
    norm = std::sqrt(norm);
    if (norm > 0)
        for (float& x : vector)
            x = static_cast<float>(x / norm);
    vectors_.insert(hash, std::move(vector));
}

void EmbeddingApiFeaturizer::ensure(const std::vector<const QString*>& texts) const {
    std::lock_guard lock(mutex_);
    std::vector<const QString*> missing;
    QHash<QByteArray, int> queued;
    for (const QString* text : texts) {
        const QByteArray hash = textHash(*text);
        if (!vectors_.contains(hash) && !queued.contains(hash)) {
            queued.insert(hash, static_cast<int>(missing.size()));
            missing.push_back(text);
        }
    }
    if (missing.empty())
        return;

    const QString source = settings_.source();
    if (!settings_.cachePath.isEmpty()) {
        if (!cache_)
            cache_ = std::make_unique<WorkspaceStore>(settings_.cachePath);
        Statement read(cache_->database(),
                       QStringLiteral("SELECT dimension, vector FROM embedding_cache WHERE "
                                      "source = ?1 AND text_sha256 = ?2"),
                       QStringLiteral("reading cached embeddings"));
        read.bind(1, source);
        std::vector<const QString*> stillMissing;
        for (const QString* text : missing) {
            const QByteArray hash = textHash(*text);
            read.reset();
            read.bind(2, QString::fromLatin1(hash));
            if (!read.step()) {
                stillMissing.push_back(text);
                continue;
            }
            const int d = static_cast<int>(read.columnInt64(0));
            const QByteArray blob = read.columnBlob(1);
            if (d < 1 || blob.size() != qsizetype(d) * qsizetype(sizeof(float)) ||
                (dimension_ >= 0 && d != dimension_)) {
                stillMissing.push_back(text); // damaged or from another model version: refetch
                continue;
            }
            std::vector<float> vector(static_cast<std::size_t>(d));
            std::memcpy(vector.data(), blob.constData(), static_cast<std::size_t>(blob.size()));
            dimension_ = d;
            remember(hash, std::move(vector));
            ++cacheHits_;
        }
        missing = std::move(stillMissing);
    }

    for (std::size_t from = 0; from < missing.size();
         from += static_cast<std::size_t>(settings_.batch)) {
        const std::vector<const QString*> batch(
            missing.begin() + static_cast<std::ptrdiff_t>(from),
            missing.begin() + static_cast<std::ptrdiff_t>(
                                  std::min(missing.size(), from + std::size_t(settings_.batch))));
        std::vector<std::vector<float>> vectors = fetch(batch);
        std::unique_ptr<Transaction> transaction;
        std::unique_ptr<Statement> write;
        if (cache_) {
            transaction = std::make_unique<Transaction>(cache_->database(),
                                                        QStringLiteral("caching embeddings"));
            write = std::make_unique<Statement>(
                cache_->database(),
                QStringLiteral("INSERT OR REPLACE INTO embedding_cache (source, text_sha256, "
                               "dimension, vector, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
                QStringLiteral("caching embeddings"));
        }
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const QByteArray hash = textHash(*batch[i]);
            if (write) {
                write->reset();
                write->bind(1, source)
                    .bind(2, QString::fromLatin1(hash))
                    .bind(3, static_cast<qint64>(vectors[i].size()))
                    .bind(4, QByteArray(reinterpret_cast<const char*>(vectors[i].data()),
                                        qsizetype(vectors[i].size() * sizeof(float))))
                    .bind(5, QDateTime::currentMSecsSinceEpoch());
                write->run();
            }
            remember(hash, std::move(vectors[i]));
        }
        write.reset();
        if (transaction)
            transaction->commit();
        fetched_ += static_cast<qint64>(batch.size());
    }
}

std::vector<std::vector<float>>
EmbeddingApiFeaturizer::fetch(const std::vector<const QString*>& texts) const {
    const QString where = QStringLiteral("embeddings endpoint %1 (model %2)")
                              .arg(displayUrl(settings_.baseUrl), settings_.model);
    const ApiKey key = readApiKey(settings_.keyEnv);
    if (!key.ok())
        throw std::runtime_error(QStringLiteral("%1: %2").arg(where, key.error).toStdString());
    QJsonArray input;
    for (const QString* text : texts)
        input.append(*text);
    const QByteArray body =
        QJsonDocument(QJsonObject{{QStringLiteral("model"), settings_.model},
                                  {QStringLiteral("input"), input},
                                  {QStringLiteral("encoding_format"), QStringLiteral("float")}})
            .toJson(QJsonDocument::Compact);
    const QByteArray url = (settings_.baseUrl + QStringLiteral("/embeddings")).toUtf8();

    QString failure;
    for (int attempt = 0; attempt <= settings_.maxRetries; ++attempt) {
        const HttpReply reply = post(url, body, key.value, settings_.timeoutS);
        const bool retryable = !reply.networkError.isEmpty() || reply.status == 408 ||
                               reply.status == 429 || reply.status >= 500;
        if (reply.status == 200) {
            const QJsonObject json = QJsonDocument::fromJson(reply.body).object();
            const QJsonArray data = json.value(QLatin1String("data")).toArray();
            std::vector<std::vector<float>> vectors(texts.size());
            for (const QJsonValue& item : data) {
                const QJsonObject o = item.toObject();
                const qsizetype index = o.value(QLatin1String("index")).toInteger(-1);
                const QJsonArray values = o.value(QLatin1String("embedding")).toArray();
                if (index < 0 || index >= qsizetype(texts.size()) || values.isEmpty())
                    continue;
                std::vector<float>& v = vectors[static_cast<std::size_t>(index)];
                v.reserve(static_cast<std::size_t>(values.size()));
                for (const QJsonValue& x : values)
                    v.push_back(static_cast<float>(x.toDouble()));
            }
            for (const std::vector<float>& v : vectors) {
                const int d = static_cast<int>(v.size());
                if (d == 0)
                    throw std::runtime_error(
                        QStringLiteral("%1: the answer lacks an embedding for some input")
                            .arg(where)
                            .toStdString());
                if (dimension_ >= 0 && d != dimension_)
                    throw std::runtime_error(
                        QStringLiteral("%1: embeddings of %2 values after %3 before")
                            .arg(where)
                            .arg(d)
                            .arg(dimension_)
                            .toStdString());
                dimension_ = d;
            }
            return vectors;
        }
        failure = reply.networkError.isEmpty()
                      ? QStringLiteral("HTTP %1: %2")
                            .arg(reply.status)
                            .arg(redactKey(serverMessage(reply.body), key.value))
                      : reply.networkError;
        if (!retryable || attempt == settings_.maxRetries)
            break;
        const double backoff = std::min(30.0, 0.5 * std::pow(2.0, attempt));
        const double wait = reply.retryAfterS >= 0 ? std::min(reply.retryAfterS, 60.0) : backoff;
        std::this_thread::sleep_for(std::chrono::duration<double>(wait));
    }
    throw std::runtime_error(QStringLiteral("%1: %2").arg(where, failure).toStdString());
}

} // namespace routerlab
