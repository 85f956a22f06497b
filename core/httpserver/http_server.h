#pragma once

#include "httpserver/http_request_parser.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <memory>

class QTcpServer;
class QHostAddress;
class QTcpSocket;

namespace routerlab {

// Limits that keep a hostile or broken client from holding a server's memory or sockets.
struct HttpServerLimits {
    int maxConnections = 4096; // beyond it the longest-idle connection goes, else accepting waits
    double idleTimeoutS = 30;  // a request must arrive whole within this of the connection
                               // opening or its last answer; a stuck reader is closed after it
    HttpLimits requestLimits;  // one request's head and body
    qsizetype maxQueuedBytes = 1 << 20;        // replies a client has not read; then reading waits
    qsizetype maxBufferedBodyBytes = 64 << 20; // bodies being received, over all connections
};

// An HTTP/1.1 server's connections, for servers that answer one request at a time per
// connection: accepting within the connection limit, reading requests through
// HttpRequestParser within the size limits, the idle timeout and the bound on replies a client
// has not read. A subclass answers each request in handle(), at once or later, and ends every
// answer with finishExchange(); the connection reads nothing more until then.
class HttpServer : public QObject {
    Q_OBJECT

public:
    explicit HttpServer(HttpServerLimits limits, QObject* parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress& address, quint16 port); // port 0 picks a free one
    quint16 port() const;
    QString errorString() const;

    static QByteArray reasonPhrase(int status);
    // {"error": {"message": ..., "type": ...}}, the shape OpenAI-compatible clients read.
    static QByteArray errorJson(const QString& message, const QString& type);

protected:
    // Where an answer goes: the socket, and whether the connection stays open after it.
    struct Reply {
        QTcpSocket* socket;
        bool keepAlive;
    };
    virtual void handle(const Reply& to, const HttpRequest& request) = 0;
    // The parser refused a request with `status` (411, 413, 431, 400); the connection closes
    // after the answer, since what follows the refused bytes cannot be told apart from them.
    virtual void refused(const Reply& to, int status, const QString& message);

    // A whole JSON answer; ends the exchange.
    void replyJson(const Reply& to, int status, const QByteArray& json,
                   const QByteArray& extraHeaders = {});
    void finishExchange(QTcpSocket* socket, bool keepAlive);
    void drop(QTcpSocket* socket); // closes at once, unanswered
    bool isOpen(QTcpSocket* socket) const { return connections_.contains(socket); }

private:
    struct Connection;
    void accept();
    void open(QTcpSocket* socket);
    int evictGraceMs() const;
    bool evictIdlest();
    void read(QTcpSocket* socket);
    bool reserveBody(QTcpSocket* socket, Connection& c);
    void releaseBody(Connection& c);
    void becomeIdle(Connection& c);
    void forget(QTcpSocket* socket);

    HttpServerLimits limits_;
    std::unique_ptr<QTcpServer> server_;
    QHash<QTcpSocket*, std::shared_ptr<Connection>> connections_;
    QList<QTcpSocket*> waitingForBody_; // connections that wait for maxBufferedBodyBytes
    qsizetype bodyBytesReserved_ = 0;
    bool acceptRetryPending_ = false;
    QElapsedTimer clock_;
};

} // namespace routerlab
