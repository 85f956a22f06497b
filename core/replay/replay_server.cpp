#include "replay/replay_server.h"

#include "common/random.h"
#include "features/featurizer.h"
#include "live/scorer.h"

#include <QDateTime>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <QtEndian>
#include <cmath>

namespace routerlab {

namespace {

constexpr qsizetype kMaxGeneratedChars = 64 * 1024;
// Numbers in one embeddings answer (about 20 bytes of JSON each): bounds the reply to a
// request, as the request limits bound the request.
constexpr qsizetype kMaxEmbeddingValues = 1 << 18;

QByteArray chunked(const QByteArray& bytes) {
    return QByteArray::number(bytes.size(), 16) + "\r\n" + bytes + "\r\n";
}

QByteArray sseEvent(const QJsonObject& o) {
    return "data: " + QJsonDocument(o).toJson(QJsonDocument::Compact) + "\n\n";
}

// Filler of about `tokens` tokens (4 characters each) that ends in an answer line.
QString generatedAnswer(const QString& promptId, const QString& model, double tokens,
                        const QString& finalAnswer) {
    static const char* const kWords[] = {"replayed", "text", "of", "the", "recorded", "length"};
    const qsizetype target =
        std::min<qsizetype>(kMaxGeneratedChars, static_cast<qsizetype>(std::max(1.0, tokens) *
                                                                       Dataset::kCharsPerToken));
    QString text = QStringLiteral("[%1 on %2]").arg(model, promptId);
    const QString ending = QStringLiteral("\nAnswer: ") + finalAnswer;
    for (int i = 0; text.size() + ending.size() < target; ++i)
        text += QLatin1Char(' ') + QLatin1String(kWords[i % 6]);
    return text + ending;
}

} // namespace

struct ReplayServer::Exchange {
    enum class Fault { None, SlowFirstByte, Drop, Malformed };
    bool stream = false;
    bool keepAlive = true;
    QString id;
    QString model;
    QString content;
    QJsonObject usage;
    QJsonObject info;
    double totalMs = 0;
    double firstMs = 0;
    Fault fault = Fault::None;
};

ReplayServer::ReplayServer(const Dataset& dataset, const ModelPool& pool, ReplayOptions options,
                           QObject* parent)
    : HttpServer(options, parent), dataset_(dataset), pool_(pool), options_(std::move(options)),
      latency_(dataset.latencyS(pool)) {
    for (int i = 0; i < dataset.promptCount(); ++i)
        if (!rowOfPrompt_.contains(dataset.promptTexts[i]))
            rowOfPrompt_.insert(dataset.promptTexts[i], i);
    for (int k = 0; k < dataset.modelCount(); ++k)
        columnOfModel_.insert(dataset.modelNames[k], k);
    for (const PoolModel& m : pool.models)
        if (dataset.modelIndex(m.id) >= 0 && !m.endpoint.remoteModel.isEmpty())
            columnOfModel_.insert(m.endpoint.remoteModel, dataset.modelIndex(m.id));
}

ReplayServer::~ReplayServer() = default;

bool ReplayServer::listen(quint16 port) {
    return HttpServer::listen(QHostAddress::LocalHost, port);
}

void ReplayServer::handle(const Reply& to, const HttpRequest& request) {
    ++stats_.requests;
    const QByteArray& method = request.method;
    const QByteArray& path = request.target;

    if (!options_.requireKeyEnv.isEmpty()) {
        const QByteArray expected = "Bearer " + qgetenv(options_.requireKeyEnv.toLocal8Bit());
        if (request.header("authorization") != expected)
            return reject(to, 401, QStringLiteral("missing or wrong API key")); // never echo it
    }
    if (method == "GET" && path.endsWith("/models"))
        return answerModels(to);
    if (method == "POST" && path.endsWith("/embeddings"))
        return answerEmbeddings(to, request.body);
    if (method != "POST" || !path.endsWith("/chat/completions"))
        return reject(to, 404,
                      QStringLiteral("only POST .../chat/completions, POST .../embeddings "
                                     "and GET .../models"));
    answerChat(to, request.body);
}

void ReplayServer::refused(const Reply& to, int status, const QString& message) {
    ++stats_.requests;
    ++stats_.rejected;
    HttpServer::refused(to, status, message);
}

void ReplayServer::reject(const Reply& to, int status, const QString& message) {
    ++stats_.rejected;
    replyJson(to, status, errorJson(message, QStringLiteral("invalid_request_error")));
}

void ReplayServer::replyRateLimited(const Reply& to) {
    ++stats_.faults;
    replyJson(
        to, 429,
        errorJson(QStringLiteral("rate limited (injected)"), QStringLiteral("rate_limit_error")),
        "Retry-After: " + QByteArray::number(options_.retryAfterS) + "\r\n");
}

void ReplayServer::replyServerError(const Reply& to) {
    ++stats_.faults;
    replyJson(to, 500,
              errorJson(QStringLiteral("server error (injected)"), QStringLiteral("server_error")));
}

void ReplayServer::answerModels(const Reply& to) {
    QJsonArray models;
    for (const QString& name : dataset_.modelNames)
        models.append(QJsonObject{{QStringLiteral("id"), name},
                                  {QStringLiteral("object"), QStringLiteral("model")}});
    replyJson(to, 200,
              QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                        {QStringLiteral("data"), models}})
                  .toJson(QJsonDocument::Compact));
}

void ReplayServer::answerEmbeddings(const Reply& to, const QByteArray& body) {
    const QJsonObject request = QJsonDocument::fromJson(body).object();
    const QJsonValue input = request.value(QLatin1String("input"));
    const QJsonArray texts = input.isString() ? QJsonArray{input} : input.toArray();
    if (texts.isEmpty() || request.value(QLatin1String("model")).toString().isEmpty())
        return reject(to, 400,
                      QStringLiteral("expected {\"model\": ..., \"input\": text or [texts]}"));
    // As the OpenAI API: "float" (the default) answers each vector as a JSON array, "base64" as
    // its float32 values' little-endian bytes in base64, which official clients ask for.
    const QJsonValue format = request.value(QLatin1String("encoding_format"));
    const bool base64 = format.toString() == QLatin1String("base64");
    if (!format.isUndefined() && !base64 && format.toString() != QLatin1String("float"))
        return reject(
            to, 400,
            QStringLiteral("encoding_format must be \"float\" (the default) or "
                           "\"base64\", not %1")
                .arg(format.isString()
                         ? QLatin1Char('"') + format.toString().left(40) + QLatin1Char('"')
                         : QStringLiteral("a JSON value other than a string")));
    if (texts.size() * options_.embeddingDimension > kMaxEmbeddingValues)
        return reject(to, 400,
                      QStringLiteral("at most %1 inputs at dimension %2 in one request")
                          .arg(kMaxEmbeddingValues / options_.embeddingDimension)
                          .arg(options_.embeddingDimension));
    Random random(Random::mix(options_.seed, ++requestCounter_));
    const double u = random.uniform();
    if (u < options_.rate429)
        return replyRateLimited(to);
    if (u < options_.rate429 + options_.rate500)
        return replyServerError(to);
    const HashedWordFeaturizer words(options_.embeddingDimension + 1);
    QJsonArray data;
    qint64 tokens = 0;
    for (qsizetype i = 0; i < texts.size(); ++i) {
        if (!texts[i].isString())
            return reject(to, 400, QStringLiteral("input %1 is not a string").arg(i));
        const QString text = texts[i].toString();
        tokens += text.split(QLatin1Char(' '), Qt::SkipEmptyParts).size();
        // The hashed buckets without the bias feature: a vector of the promised size.
        const Eigen::VectorXf v = words.transform(text).head(options_.embeddingDimension);
        QJsonValue embedding;
        if (base64) {
            QByteArray bytes(v.size() * qsizetype(sizeof(float)), Qt::Uninitialized);
            qToLittleEndian<float>(v.data(), v.size(), bytes.data());
            embedding = QString::fromLatin1(bytes.toBase64());
        } else {
            QJsonArray values;
            for (const float x : v)
                values.append(double(x));
            embedding = values;
        }
        data.append(QJsonObject{{QStringLiteral("object"), QStringLiteral("embedding")},
                                {QStringLiteral("index"), i},
                                {QStringLiteral("embedding"), embedding}});
    }
    stats_.embedded += texts.size();
    ++stats_.answered;
    replyJson(
        to, 200,
        QJsonDocument(QJsonObject{{QStringLiteral("object"), QStringLiteral("list")},
                                  {QStringLiteral("model"), request.value(QLatin1String("model"))},
                                  {QStringLiteral("data"), data},
                                  {QStringLiteral("usage"),
                                   QJsonObject{{QStringLiteral("prompt_tokens"), tokens},
                                               {QStringLiteral("total_tokens"), tokens}}}})
            .toJson(QJsonDocument::Compact));
}

void ReplayServer::answerChat(const Reply& to, const QByteArray& body) {
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonObject request = doc.object();
    if (!doc.isObject())
        return reject(to, 400, QStringLiteral("the body is not a JSON object"));
    const QString model = request.value(QLatin1String("model")).toString();
    const auto column = columnOfModel_.constFind(model);
    if (column == columnOfModel_.constEnd())
        return reject(to, 404,
                      QStringLiteral("model '%1' is not in the replayed dataset").arg(model));
    const bool stream = request.value(QLatin1String("stream")).toBool();
    const QString prompt = lastUserMessage(request.value(QLatin1String("messages")).toArray());
    if (const std::optional<ScoreInput> graded = parseJudgePrompt(prompt))
        return answerJudge(to, model, stream, prompt, *graded);
    const auto row = rowOfPrompt_.constFind(prompt);
    if (row == rowOfPrompt_.constEnd())
        return reject(to, 404,
                      QStringLiteral("this prompt is not in the replayed dataset (the replay "
                                     "server answers only the dataset's prompts, by exact "
                                     "text)"));
    const int i = row.value();
    const int k = column.value();
    if (dataset_.isMissing(i, k))
        return reject(to, 404,
                      QStringLiteral("no recorded outcome for model '%1' on prompt '%2'")
                          .arg(model, dataset_.promptIds[i]));
    answerRecorded(to, model, stream, i, k);
}

// A judge's request: graded by rule, never by a model (see the class comment).
void ReplayServer::answerJudge(const Reply& to, const QString& model, bool stream,
                               const QString& prompt, const ScoreInput& graded) {
    const bool agrees = !graded.reference.isEmpty() &&
                        normaliseAnswer(graded.answer).contains(normaliseAnswer(graded.reference));
    Exchange x;
    x.stream = stream;
    x.keepAlive = to.keepAlive;
    x.id = QStringLiteral("chatcmpl-replay-%1").arg(++requestCounter_);
    x.model = model;
    x.content = graded.reference.isEmpty()
                    ? QStringLiteral("No reference to grade against. Score: 5")
                : agrees ? QStringLiteral("The answer states the reference. Score: 10")
                         : QStringLiteral("The answer does not state the reference. Score: 0");
    const qint64 promptTokens = prompt.split(QLatin1Char(' '), Qt::SkipEmptyParts).size();
    const qint64 completionTokens = x.content.split(QLatin1Char(' ')).size();
    x.usage = {{QStringLiteral("prompt_tokens"), promptTokens},
               {QStringLiteral("completion_tokens"), completionTokens},
               {QStringLiteral("total_tokens"), promptTokens + completionTokens}};
    ++stats_.answered;
    answer(to.socket, x);
}

// Prompt i's recorded outcome for model column k, unless this request draws a fault.
void ReplayServer::answerRecorded(const Reply& to, const QString& model, bool stream, int i,
                                  int k) {
    // One uniform draw per request decides its fault, so a seed replays the same faults.
    const quint64 number = ++requestCounter_;
    Random random(Random::mix(options_.seed, number));
    double u = random.uniform();
    auto drawn = [&u](double rate) {
        const bool hit = u < rate;
        u -= rate;
        return hit;
    };
    if (drawn(options_.rate429))
        return replyRateLimited(to);
    if (drawn(options_.rate500))
        return replyServerError(to);
    Exchange x;
    x.fault = drawn(options_.rateSlowFirstByte) ? Exchange::Fault::SlowFirstByte
              : drawn(options_.rateDrop)        ? Exchange::Fault::Drop
              : drawn(options_.rateMalformed)   ? Exchange::Fault::Malformed
                                                : Exchange::Fault::None;
    if (x.fault != Exchange::Fault::None)
        ++stats_.faults;
    x.stream = stream;
    x.keepAlive = to.keepAlive;
    x.id = QStringLiteral("chatcmpl-replay-%1").arg(number);
    x.model = model;
    fillRecorded(x, i, k);
    ++stats_.answered;
    answer(to.socket, x);
}

// The recorded answer, usage and timing of prompt i on model column k.
void ReplayServer::fillRecorded(Exchange& x, int i, int k) const {
    const QString& recorded = dataset_.response(i, k);
    const QString& reference = dataset_.references[i];
    const double quality = dataset_.quality(i, k);
    x.content = !recorded.isEmpty()
                    ? recorded
                    : generatedAnswer(dataset_.promptIds[i], x.model, dataset_.outputTokens(i, k),
                                      quality >= 0.5 && !reference.isEmpty()
                                          ? reference
                                          : QStringLiteral("(no answer)"));
    const qint64 promptTokens = std::llround(dataset_.inputTokens(i, k));
    const qint64 completionTokens = std::llround(dataset_.outputTokens(i, k));
    x.usage = {{QStringLiteral("prompt_tokens"), promptTokens},
               {QStringLiteral("completion_tokens"), completionTokens},
               {QStringLiteral("total_tokens"), promptTokens + completionTokens}};
    x.info = {{QStringLiteral("prompt_id"), dataset_.promptIds[i]},
              {QStringLiteral("quality"), quality},
              {QStringLiteral("latency_s"), latency_(i, k)}};
    const PoolModel* priced = pool_.find(dataset_.modelNames[k]);
    const double firstTokenS = priced && priced->firstTokenS >= 0 ? priced->firstTokenS : 0.5;
    x.totalMs = std::max(0.0, latency_(i, k)) * options_.latencyScale * 1000.0;
    x.firstMs = std::min(x.totalMs, firstTokenS * options_.latencyScale * 1000.0);
    if (x.fault == Exchange::Fault::SlowFirstByte) {
        x.totalMs += options_.slowFirstByteS * 1000.0;
        x.firstMs += options_.slowFirstByteS * 1000.0;
    }
}

void ReplayServer::answer(QTcpSocket* socket, const Exchange& x) {
    // The response as timed pieces: (milliseconds from now, bytes). Empty bytes with a
    // negative time mark "close the connection here" (the drop fault).
    std::vector<std::pair<double, QByteArray>> pieces;
    const qint64 created = QDateTime::currentSecsSinceEpoch();
    const QByteArray connection = x.keepAlive ? "" : "Connection: close\r\n";
    const QByteArray requestId =
        "x-request-id: replay-" + x.id.section(QLatin1Char('-'), -1).toLatin1() + "\r\n";
    bool drop = x.fault == Exchange::Fault::Drop;
    if (!x.stream) {
        const QJsonObject message{{QStringLiteral("role"), QStringLiteral("assistant")},
                                  {QStringLiteral("content"), x.content}};
        QByteArray json =
            QJsonDocument(QJsonObject{{QStringLiteral("id"), x.id},
                                      {QStringLiteral("object"), QStringLiteral("chat.completion")},
                                      {QStringLiteral("created"), created},
                                      {QStringLiteral("model"), x.model},
                                      {QStringLiteral("choices"),
                                       QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                                              {QStringLiteral("message"), message},
                                                              {QStringLiteral("finish_reason"),
                                                               QStringLiteral("stop")}}}},
                                      {QStringLiteral("usage"), x.usage},
                                      {QStringLiteral("routerlab"), x.info}})
                .toJson(QJsonDocument::Compact);
        const qsizetype declared = json.size();
        if (x.fault == Exchange::Fault::Malformed)
            json.truncate(json.size() / 2);
        const QByteArray head =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + requestId +
            "Content-Length: " + QByteArray::number(drop ? declared : json.size()) + "\r\n" +
            connection + "\r\n";
        pieces.emplace_back(x.totalMs, head + (drop ? json.left(json.size() / 2) : json));
    } else {
        auto chunk = [&](const QJsonObject& delta, const QJsonValue& finish) {
            return QJsonObject{
                {QStringLiteral("id"), x.id},
                {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                {QStringLiteral("created"), created},
                {QStringLiteral("model"), x.model},
                {QStringLiteral("choices"),
                 QJsonArray{QJsonObject{{QStringLiteral("index"), 0},
                                        {QStringLiteral("delta"), delta},
                                        {QStringLiteral("finish_reason"), finish}}}}};
        };
        const int parts = std::max(1, std::min<int>(options_.streamChunks, x.content.size()));
        const qsizetype step = (x.content.size() + parts - 1) / parts;
        QByteArray first = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                           "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n" +
                           requestId + connection + "\r\n";
        for (int p = 0; p < parts; ++p) {
            QJsonObject delta{{QStringLiteral("content"), x.content.mid(p * step, step)}};
            if (p == 0)
                delta.insert(QStringLiteral("role"), QStringLiteral("assistant"));
            QByteArray event = sseEvent(chunk(delta, QJsonValue::Null));
            if (x.fault == Exchange::Fault::Malformed && p == parts / 2)
                event = event.left(event.size() / 2) + "\n\n";
            const double at =
                parts == 1 ? x.firstMs
                           : x.firstMs + (x.totalMs - x.firstMs) * p / static_cast<double>(parts);
            pieces.emplace_back(at, (p == 0 ? first : QByteArray()) + chunked(event));
            if (drop && p == parts / 2) {
                pieces.emplace_back(-1.0, QByteArray()); // negative: close now
                break;
            }
        }
        if (!drop) {
            QJsonObject usage{{QStringLiteral("id"), x.id},
                              {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
                              {QStringLiteral("created"), created},
                              {QStringLiteral("model"), x.model},
                              {QStringLiteral("choices"), QJsonArray{}},
                              {QStringLiteral("usage"), x.usage},
                              {QStringLiteral("routerlab"), x.info}};
            pieces.emplace_back(x.totalMs,
                                chunked(sseEvent(chunk(QJsonObject{}, QStringLiteral("stop")))) +
                                    chunked(sseEvent(usage)) + chunked("data: [DONE]\n\n") +
                                    "0\r\n\r\n");
        }
    }
    if (drop && !x.stream)
        pieces.emplace_back(-1.0, QByteArray());

    // Write the pieces in order, each at its time; without latency, all at once.
    writePieces(socket,
                std::make_shared<std::vector<std::pair<double, QByteArray>>>(std::move(pieces)), 0,
                0.0, x.keepAlive && !drop);
}

void ReplayServer::writePieces(QTcpSocket* socket,
                               std::shared_ptr<std::vector<std::pair<double, QByteArray>>> pieces,
                               std::size_t next, double nowMs, bool keepAlive) {
    while (next < pieces->size()) {
        // Named copies, not a structured binding: clang 14 cannot capture one in a lambda.
        const double at = (*pieces)[next].first;
        const QByteArray& bytes = (*pieces)[next].second;
        if (at > nowMs + 0.5) {
            QTimer::singleShot(static_cast<int>(std::lround(at - nowMs)), Qt::PreciseTimer, socket,
                               [this, socket, pieces, next, at, keepAlive] {
                                   writePieces(socket, pieces, next, at, keepAlive);
                               });
            return;
        }
        if (at < 0) { // the drop fault: what was written goes out, then the line goes dead
            socket->flush();
            drop(socket);
            return;
        }
        socket->write(bytes);
        ++next;
    }
    finishExchange(socket, keepAlive);
}

} // namespace routerlab
