#include "httpserver/http_server.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <utility>

namespace routerlab {

namespace {

// Bytes taken from a socket at a time; also Qt's read buffer, so that a connection that is not
// being read leaves the rest in the kernel, where TCP slows the sender down.
constexpr qsizetype kReadChunkBytes = 64 * 1024;

QString failureMessage(int status) {
    switch (status) {
    case 411:
        return QStringLiteral("a request body needs Content-Length (chunked bodies are refused)");
    case 413:
        return QStringLiteral("the request body is larger than the server accepts");
    case 431:
        return QStringLiteral("the request head is larger than the server accepts");
    default:
        break;
    }
    return QStringLiteral("malformed HTTP request");
}

} // namespace

HttpServer::HttpServer(HttpServerLimits limits, QObject* parent)
    : QObject(parent), limits_(std::move(limits)), server_(std::make_unique<QTcpServer>()) {
    connect(server_.get(), &QTcpServer::newConnection, this, &HttpServer::accept);
}

bool HttpServer::listen(const QHostAddress& address, quint16 port) {
#if QT_VERSION >= QT_VERSION_CHECK(6, 3, 0)
    // Connections beyond maxConnections wait here (the kernel caps it at somaxconn).
    server_->setListenBacklogSize(4096);
#endif
    server_->setMaxPendingConnections(1); // so that at most one beyond maxConnections is open
    clock_.start();
    return server_->listen(address, port);
}

quint16 HttpServer::port() const {
    return server_->serverPort();
}

QString HttpServer::errorString() const {
    return server_->errorString();
}

QByteArray HttpServer::reasonPhrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Payload Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 429:
        return "Too Many Requests";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        break;
    }
    return status >= 500 ? "Internal Server Error" : "Error";
}

QByteArray HttpServer::errorJson(const QString& message, const QString& type) {
    return QJsonDocument(QJsonObject{{QStringLiteral("error"),
                                      QJsonObject{{QStringLiteral("message"), message},
                                                  {QStringLiteral("type"), type}}}})
        .toJson(QJsonDocument::Compact);
}

void HttpServer::replyJson(const Reply& to, int status, const QByteArray& json,
                           const QByteArray& extraHeaders) {
    to.socket->write(
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(json.size()) +
        "\r\n" + extraHeaders + (to.keepAlive ? "" : "Connection: close\r\n") + "\r\n" + json);
    finishExchange(to.socket, to.keepAlive);
}

void HttpServer::refused(const Reply& to, int status, const QString& message) {
    replyJson(to, status, errorJson(message, QStringLiteral("invalid_request_error")));
}

struct HttpServer::Connection {
    explicit Connection(const HttpLimits& limits) : parser(limits) {}
    HttpRequestParser parser;
    QByteArray inbox;       // read from the socket, not yet taken by the parser
    QTimer* idle = nullptr; // the socket's child; runs while no answer is being prepared
    qint64 idleSinceMs = 0; // on the server's clock, to choose whom to evict
    qsizetype reserved = 0; // of maxBufferedBodyBytes, for the body being received
    bool busy = false;      // an answer is being prepared; the next request waits unread
    bool continueSent = false;
    bool waitingForBody = false;
};

HttpServer::~HttpServer() {
    // Sockets outlive this object's members (they are the QTcpServer's children): what they
    // signal while being torn down must not reach a half-destroyed server.
    for (auto it = connections_.cbegin(); it != connections_.cend(); ++it) {
        it.key()->disconnect(this);
        it.value()->idle->disconnect(this);
    }
}

void HttpServer::accept() {
    while (server_->hasPendingConnections()) {
        if (connections_.size() >= limits_.maxConnections && !evictIdlest()) {
            // forget() resumes once a connection ends; else try again when one may be evictable.
            server_->pauseAccepting();
            if (!acceptRetryPending_) {
                acceptRetryPending_ = true;
                QTimer::singleShot(evictGraceMs(), this, [this] {
                    acceptRetryPending_ = false;
                    server_->resumeAccepting();
                    accept();
                });
            }
            return;
        }
        open(server_->nextPendingConnection());
    }
}

void HttpServer::open(QTcpSocket* socket) {
    const auto c = std::make_shared<Connection>(limits_.requestLimits);
    connections_.insert(socket, c);
    socket->setReadBufferSize(kReadChunkBytes);
    c->idle = new QTimer(socket);
    c->idle->setSingleShot(true);
    c->idle->setInterval(static_cast<int>(std::lround(limits_.idleTimeoutS * 1000)));
    connect(c->idle, &QTimer::timeout, this, [this, socket] { drop(socket); });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
        const std::shared_ptr<Connection> c = connections_.value(socket);
        if (c && !c->busy) {
            c->idle->start(); // the client reads: progress
            if (socket->bytesToWrite() <= limits_.maxQueuedBytes)
                read(socket);
        }
    });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        forget(socket);
        socket->deleteLater();
    });
    becomeIdle(*c);
}

// A connection idle this long may make room for a new one: long enough for a client that has
// just connected to send its request, short next to the idle timeout.
int HttpServer::evictGraceMs() const {
    return static_cast<int>(std::lround(std::min(1.0, limits_.idleTimeoutS / 10) * 1000));
}

// Closes the connection that has waited longest with no answer being prepared for it, if it
// has waited at least evictGraceMs().
bool HttpServer::evictIdlest() {
    QTcpSocket* idlest = nullptr;
    qint64 since = clock_.elapsed() - evictGraceMs();
    for (auto it = connections_.cbegin(); it != connections_.cend(); ++it)
        if (!it.value()->busy && it.value()->idleSinceMs <= since) {
            idlest = it.key();
            since = it.value()->idleSinceMs;
        }
    if (idlest)
        drop(idlest);
    return idlest != nullptr;
}

void HttpServer::read(QTcpSocket* socket) {
    const std::shared_ptr<Connection> c = connections_.value(socket);
    if (!c)
        return;
    while (!c->busy && !c->waitingForBody && socket->bytesToWrite() <= limits_.maxQueuedBytes) {
        if (c->inbox.isEmpty())
            c->inbox = socket->read(kReadChunkBytes);
        if (c->inbox.isEmpty())
            return;
        c->inbox.remove(0, c->parser.feed(c->inbox));
        if (c->parser.state() == HttpRequestParser::State::Failed)
            return refused(Reply{socket, false}, c->parser.failureStatus(),
                           failureMessage(c->parser.failureStatus()));
        if (c->parser.awaitingContinue() && !c->continueSent) {
            socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            c->continueSent = true;
        }
        if (!reserveBody(socket, *c))
            return;
        if (c->parser.state() != HttpRequestParser::State::Complete)
            continue;
        const HttpRequest request = c->parser.takeRequest();
        releaseBody(*c);
        c->continueSent = false;
        c->busy = true;
        c->idle->stop();
        handle(Reply{socket, request.keepAlive}, request);
        if (!connections_.contains(socket))
            return; // closed while answering
    }
}

// A body being received counts against maxBufferedBodyBytes from its head on; when the server
// holds too much already, the connection is not read until another body is released.
bool HttpServer::reserveBody(QTcpSocket* socket, Connection& c) {
    if (c.parser.state() != HttpRequestParser::State::Body || c.reserved > 0)
        return true;
    const qsizetype need = c.parser.bodyLength();
    if (bodyBytesReserved_ > 0 && bodyBytesReserved_ + need > limits_.maxBufferedBodyBytes) {
        c.waitingForBody = true;
        waitingForBody_.append(socket);
        return false;
    }
    c.reserved = need;
    bodyBytesReserved_ += need;
    return true;
}

void HttpServer::releaseBody(Connection& c) {
    if (c.reserved == 0)
        return;
    bodyBytesReserved_ -= c.reserved;
    c.reserved = 0;
    for (QTcpSocket* socket : std::exchange(waitingForBody_, {}))
        if (const std::shared_ptr<Connection> waiting = connections_.value(socket)) {
            waiting->waitingForBody = false;
            QTimer::singleShot(0, socket, [this, socket] { read(socket); });
        }
}

void HttpServer::finishExchange(QTcpSocket* socket, bool keepAlive) {
    const std::shared_ptr<Connection> c = connections_.value(socket);
    if (!c)
        return;
    c->busy = false;
    if (!keepAlive) {
        c->busy = true;   // nothing more is read from a closing connection,
        c->idle->start(); // and a client that never reads its last reply does not hold it
        socket->disconnectFromHost();
        return;
    }
    becomeIdle(*c);
    if (!c->inbox.isEmpty() || socket->bytesAvailable() > 0)
        QTimer::singleShot(0, socket, [this, socket] { read(socket); });
}

void HttpServer::becomeIdle(Connection& c) {
    c.idleSinceMs = clock_.elapsed();
    c.idle->start();
}

void HttpServer::drop(QTcpSocket* socket) {
    if (!connections_.contains(socket))
        return;
    forget(socket);
    socket->abort();
    socket->deleteLater(); // in case abort() emits no disconnected()
}

void HttpServer::forget(QTcpSocket* socket) {
    const std::shared_ptr<Connection> c = connections_.take(socket);
    if (!c)
        return;
    c->idle->stop();
    waitingForBody_.removeAll(socket);
    releaseBody(*c);
    if (connections_.size() < limits_.maxConnections) {
        server_->resumeAccepting();
        if (server_->hasPendingConnections())
            QTimer::singleShot(0, this, &HttpServer::accept);
    }
}

} // namespace routerlab
