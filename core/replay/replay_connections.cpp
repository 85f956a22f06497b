// The replay server's connections: accepting within the connection limit, reading requests
// through HttpRequestParser within the size limits, the idle timeout and the bound on replies
// a client has not read. Answering is in replay_server.cpp.
#include "replay/replay_server.h"

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

struct ReplayServer::Connection {
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

void ReplayServer::accept() {
    while (server_->hasPendingConnections()) {
        if (connections_.size() >= options_.maxConnections && !evictIdlest()) {
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

void ReplayServer::open(QTcpSocket* socket) {
    const auto c = std::make_shared<Connection>(options_.requestLimits);
    connections_.insert(socket, c);
    socket->setReadBufferSize(kReadChunkBytes);
    c->idle = new QTimer(socket);
    c->idle->setSingleShot(true);
    c->idle->setInterval(static_cast<int>(std::lround(options_.idleTimeoutS * 1000)));
    connect(c->idle, &QTimer::timeout, this, [this, socket] { drop(socket); });
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
    connect(socket, &QTcpSocket::bytesWritten, this, [this, socket] {
        const std::shared_ptr<Connection> c = connections_.value(socket);
        if (c && !c->busy) {
            c->idle->start(); // the client reads: progress
            if (socket->bytesToWrite() <= options_.maxQueuedBytes)
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
int ReplayServer::evictGraceMs() const {
    return static_cast<int>(std::lround(std::min(1.0, options_.idleTimeoutS / 10) * 1000));
}

// Closes the connection that has waited longest with no answer being prepared for it, if it
// has waited at least evictGraceMs().
bool ReplayServer::evictIdlest() {
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

void ReplayServer::read(QTcpSocket* socket) {
    const std::shared_ptr<Connection> c = connections_.value(socket);
    if (!c)
        return;
    while (!c->busy && !c->waitingForBody && socket->bytesToWrite() <= options_.maxQueuedBytes) {
        if (c->inbox.isEmpty())
            c->inbox = socket->read(kReadChunkBytes);
        if (c->inbox.isEmpty())
            return;
        c->inbox.remove(0, c->parser.feed(c->inbox));
        if (c->parser.state() == HttpRequestParser::State::Failed)
            return refuse(socket, c->parser.failureStatus());
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
        handle(socket, request);
        if (!connections_.contains(socket))
            return; // closed while answering
    }
}

// A body being received counts against maxBufferedBodyBytes from its head on; when the server
// holds too much already, the connection is not read until another body is released.
bool ReplayServer::reserveBody(QTcpSocket* socket, Connection& c) {
    if (c.parser.state() != HttpRequestParser::State::Body || c.reserved > 0)
        return true;
    const qsizetype need = c.parser.bodyLength();
    if (bodyBytesReserved_ > 0 && bodyBytesReserved_ + need > options_.maxBufferedBodyBytes) {
        c.waitingForBody = true;
        waitingForBody_.append(socket);
        return false;
    }
    c.reserved = need;
    bodyBytesReserved_ += need;
    return true;
}

void ReplayServer::releaseBody(Connection& c) {
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

// A request the parser refused: its status, then the connection closes (what follows the
// refused bytes cannot be told apart from them).
void ReplayServer::refuse(QTcpSocket* socket, int status) {
    ++stats_.requests;
    reject(Reply{socket, false}, status, failureMessage(status));
}

void ReplayServer::finishExchange(QTcpSocket* socket, bool keepAlive) {
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

void ReplayServer::becomeIdle(Connection& c) {
    c.idleSinceMs = clock_.elapsed();
    c.idle->start();
}

void ReplayServer::drop(QTcpSocket* socket) {
    if (!connections_.contains(socket))
        return;
    forget(socket);
    socket->abort();
    socket->deleteLater(); // in case abort() emits no disconnected()
}

void ReplayServer::forget(QTcpSocket* socket) {
    const std::shared_ptr<Connection> c = connections_.take(socket);
    if (!c)
        return;
    c->idle->stop();
    waitingForBody_.removeAll(socket);
    releaseBody(*c);
    if (connections_.size() < options_.maxConnections) {
        server_->resumeAccepting();
        if (server_->hasPendingConnections())
            QTimer::singleShot(0, this, &ReplayServer::accept);
    }
}

} // namespace routerlab
