// The replay server under hostile clients, as a separate `routerlab-cli serve` process: its
// memory (/proc/PID/status) and sockets stay bounded, and a normal client is answered after.
// Also the request parser on its own: the same bytes in any pieces give the same requests.
#include "formats/dataset_loader.h"
#include "httpserver/http_request_parser.h"
#include "raw_http.h"
#include "replay_process.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <vector>

using namespace routerlab;
using namespace routerlab::testing;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr int kSlowdown = 5;
constexpr int kSanitizerMemory = 3; // redzones and shadow: building a large answer costs 3.5x
#else
constexpr int kSlowdown = 1;
constexpr int kSanitizerMemory = 1;
#endif

// How much the server's peak resident memory may grow during an attack (14 MB measured for
// the largest, 50 MB under AddressSanitizer). Without the limits the attacks below grow it by
// 150-430 MB.
constexpr qint64 kGrowthBoundKb = 48 * 1024 * kSanitizerMemory;

QString samplePath(const char* name) {
    return QDir(QStringLiteral(ROUTERLAB_SOURCE_SAMPLE_DIR)).filePath(QString::fromLatin1(name));
}

// The server's environment: under AddressSanitizer freed memory is held back (256 MB by
// default) and would count as the server's; a small quarantine keeps the figure the server's.
QProcessEnvironment serverEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
#if defined(__SANITIZE_ADDRESS__)
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               (asan.isEmpty() ? QString() : asan + QLatin1Char(':')) +
                   QStringLiteral("quarantine_size_mb=8"));
#endif
    return env;
}

std::unique_ptr<ReplayProcess> startServer(const QStringList& extra) {
    return std::make_unique<ReplayProcess>(
        QStringList{QStringLiteral("--dataset"), samplePath("sample.csv"), QStringLiteral("--pool"),
                    samplePath("sample.pool.json"), QStringLiteral("--latency-scale"),
                    QStringLiteral("0")} +
            extra,
        serverEnvironment());
}

QByteArray chatBody(const QString& model, const QString& prompt) {
    const QJsonObject message{{QStringLiteral("role"), QStringLiteral("user")},
                              {QStringLiteral("content"), prompt}};
    return QJsonDocument(QJsonObject{{QStringLiteral("model"), model},
                                     {QStringLiteral("messages"), QJsonArray{message}}})
        .toJson(QJsonDocument::Compact);
}

// A request whose answer is about 50 times its size: 4096 one-word texts to embed.
QByteArray embeddingsRequest() {
    QJsonArray texts;
    for (int i = 0; i < 4096; ++i)
        texts.append(QStringLiteral("a"));
    const QByteArray body =
        QJsonDocument(QJsonObject{{QStringLiteral("model"), QStringLiteral("e")},
                                  {QStringLiteral("input"), texts}})
            .toJson(QJsonDocument::Compact);
    return "POST /v1/embeddings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
           QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

// Feeds `bytes` in pieces of `piece` bytes (0: whole); the requests and how parsing ended.
struct Parsed {
    std::vector<HttpRequest> requests;
    HttpRequestParser::State state;
    int status;
};
Parsed parseInPieces(const QByteArray& bytes, qsizetype piece, HttpLimits limits) {
    HttpRequestParser parser(limits);
    Parsed out;
    qsizetype at = 0;
    QByteArray pending;
    while (true) {
        if (pending.isEmpty() && at < bytes.size()) {
            const qsizetype n = piece > 0 ? piece : bytes.size();
            pending = bytes.mid(at, n);
            at += pending.size();
        }
        pending.remove(0, parser.feed(pending));
        if (parser.state() == HttpRequestParser::State::Complete)
            out.requests.push_back(parser.takeRequest());
        else if (parser.state() == HttpRequestParser::State::Failed ||
                 (pending.isEmpty() && at >= bytes.size()))
            break;
    }
    out.state = parser.state();
    out.status = parser.failureStatus();
    return out;
}

} // namespace

class TestReplayLimits : public QObject {
    Q_OBJECT

    QString model_;
    QString prompt_;

    // A normal client: the models list and a recorded answer, each on its own connection.
    void normalClientIsAnswered(int port) {
        const QByteArray models = exchange(port, "GET", "/v1/models", {}, 10000 * kSlowdown);
        QVERIFY2(models.startsWith("HTTP/1.1 200"), models.left(200).constData());
        const QByteArray chat = exchange(port, "POST", "/v1/chat/completions",
                                         chatBody(model_, prompt_), 10000 * kSlowdown);
        QVERIFY2(chat.startsWith("HTTP/1.1 200") && chat.contains("chat.completion"),
                 chat.left(200).constData());
    }

    static void checkGrowth(const char* attack, qint64 pid, qint64 peakBeforeKb) {
        const qint64 peakKb = procStatusKb(pid, "VmHWM");
        qInfo("%s: server peak %lld kB, was %lld kB before (bound +%lld kB)", attack, peakKb,
              peakBeforeKb, kGrowthBoundKb);
        QVERIFY(peakKb > 0 && peakBeforeKb > 0);
        QVERIFY2(peakKb - peakBeforeKb < kGrowthBoundKb, attack);
    }

private slots:
    void initTestCase() {
        const PricedDataset data =
            loadPricedDataset({samplePath("sample.csv")}, samplePath("sample.pool.json"));
        QVERIFY(data.dataset.promptCount() > 0 && data.dataset.modelCount() > 0);
        model_ = data.dataset.modelNames[0];
        prompt_ = data.dataset.promptTexts[0];
        raiseFileLimit();
    }

    void parserGivesTheSameRequestsInAnyPieces_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("requests");
        QTest::addColumn<int>("status"); // 200: ended between requests
        QTest::newRow("pipelined") << QByteArray("GET /v1/models HTTP/1.1\r\nHost: a\r\n\r\n"
                                                 "POST /x HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")
                                   << 2 << 200;
        QTest::newRow("no request line") << QByteArray("\r\n\r\n") << 0 << 400;
        QTest::newRow("bare LF") << QByteArray("GET / HTTP/1.1\nHost: a\r\n\r\n") << 0 << 400;
        QTest::newRow("folded header")
            << QByteArray("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n") << 0 << 400;
        QTest::newRow("two lengths")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") << 0
            << 400;
        QTest::newRow("signed length")
            << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 0 << 400;
        QTest::newRow("chunked") << QByteArray(
                                        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                                 << 0 << 411;
        QTest::newRow("body over the limit")
            << QByteArray("GET / HTTP/1.1\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n")
            << 1 << 413;
        QTest::newRow("head over the limit")
            << QByteArray("GET /" + QByteArray(200, 'a') + " HTTP/1.1\r\n\r\n") << 0 << 431;
        QTest::newRow("HTTP/2") << QByteArray("GET / HTTP/2\r\n\r\n") << 0 << 400;
    }

    void parserGivesTheSameRequestsInAnyPieces() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, requests);
        QFETCH(int, status);
        const HttpLimits small{128, 64};
        const Parsed whole = parseInPieces(bytes, 0, small);
        QCOMPARE(int(whole.requests.size()), requests);
        QCOMPARE(whole.status, status);
        for (const qsizetype piece : {1, 2, 7}) {
            const Parsed split = parseInPieces(bytes, piece, small);
            QVERIFY(split.requests == whole.requests);
            QCOMPARE(split.state, whole.state);
            QCOMPARE(split.status, whole.status);
        }
    }

    void parserReadsHeadersAndKeepAlive() {
        const Parsed p = parseInPieces("POST /v1/embeddings HTTP/1.1\r\nHOST:  a b \r\nExpect: "
                                       "100-continue\r\nConnection: Close\r\nContent-Length: "
                                       "2\r\n\r\n{}GET / HTTP/1.0\r\n\r\n",
                                       5, {});
        QCOMPARE(int(p.requests.size()), 2);
        QCOMPARE(p.requests[0].header("host"), QByteArray("a b"));
        QCOMPARE(p.requests[0].body, QByteArray("{}"));
        QVERIFY(p.requests[0].expectsContinue);
        QVERIFY(!p.requests[0].keepAlive);
        QVERIFY(!p.requests[1].keepAlive); // HTTP/1.0
        QCOMPARE(p.requests[1].target, QByteArray("/"));
    }

    // Limits out of range are refused by name before anything listens.
    void badLimitOptionsAreRefused() {
        for (const QStringList& option :
             {QStringList{QStringLiteral("--idle-timeout"), QStringLiteral("0")},
              QStringList{QStringLiteral("--idle-timeout"), QStringLiteral("soon")},
              QStringList{QStringLiteral("--max-connections"), QStringLiteral("0")}}) {
            QProcess cli;
            cli.start(QStringLiteral(ROUTERLAB_CLI_PATH),
                      QStringList{QStringLiteral("serve"), QStringLiteral("--dataset"),
                                  samplePath("sample.csv")} +
                          option);
            QVERIFY(cli.waitForFinished(30000 * kSlowdown));
            const QByteArray err = cli.readAllStandardError();
            QVERIFY2(cli.exitCode() != 0 && err.contains(option[0].toLatin1()), err.constData());
            QVERIFY(!cli.readAllStandardOutput().contains("listening"));
        }
    }

    // Malformed HTTP, a traversal path and a 100 MB body are refused; the server stays up.
    void badRequestsAreRefused() {
        const auto server = startServer({});
        QVERIFY(server->port() > 0);
        const int port = server->port();
        const int fd = connectLoopback(port);
        QVERIFY(fd >= 0 && sendAll(fd, "GARBAGE\r\n\r\n"));
        QVERIFY(readUntilClosed(fd, 10000 * kSlowdown).startsWith("HTTP/1.1 400"));
        ::close(fd);
        QVERIFY(exchange(port, "GET", "/../../etc/passwd").startsWith("HTTP/1.1 404"));
        const int big = connectLoopback(port);
        QVERIFY(big >= 0 && sendAll(big, "POST /v1/chat/completions HTTP/1.1\r\n"
                                         "Content-Length: 100000000\r\n\r\n"));
        QVERIFY(readUntilClosed(big, 10000 * kSlowdown).startsWith("HTTP/1.1 413"));
        ::close(big);
        normalClientIsAnswered(port);
    }

    // A 400 MiB body sent while the previous request's answer is pending (2 s late): the
    // server does not read it until the answer is out, then refuses it by its head.
    void bodyBehindAPendingAnswerStaysUnread() {
        const auto server = startServer({QStringLiteral("--fault-slow"), QStringLiteral("1"),
                                         QStringLiteral("--slow-first-byte"), QStringLiteral("2")});
        QVERIFY(server->port() > 0);
        const qint64 peakBefore = procStatusKb(server->pid(), "VmHWM");
        const int fd = connectLoopback(server->port());
        const QByteArray first = chatBody(model_, prompt_);
        QVERIFY(fd >= 0 &&
                sendAll(fd, "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: " +
                                QByteArray::number(first.size()) + "\r\n\r\n" + first +
                                "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: " +
                                QByteArray::number(400 << 20) + "\r\n\r\n"));
        // Push the body as fast as the server takes it until the connection ends.
        const QByteArray chunk(1 << 20, 'x');
        QByteArray received;
        qint64 pushed = 0;
        QElapsedTimer clock;
        clock.start();
        bool open = true;
        while (open && pushed < (400 << 20) && clock.elapsed() < 30000 * kSlowdown) {
            const ssize_t n = ::send(fd, chunk.constData(), chunk.size(), MSG_NOSIGNAL);
            if (n > 0)
                pushed += n;
            else if (errno != EAGAIN && errno != EWOULDBLOCK)
                open = false;
            char buffer[65536];
            for (ssize_t r; (r = ::recv(fd, buffer, sizeof buffer, 0)) != 0;) {
                if (r < 0) {
                    open = open && (errno == EAGAIN || errno == EWOULDBLOCK);
                    break;
                }
                received.append(buffer, r);
            }
            pollfd p{fd, POLLIN | POLLOUT, 0};
            ::poll(&p, 1, 50);
        }
        ::close(fd);
        qInfo("the client pushed %lld MiB of body", pushed >> 20);
        QVERIFY2(received.startsWith("HTTP/1.1 200"), received.left(200).constData());
        QVERIFY2(!open, "the server kept reading a body beyond its limit");
        checkGrowth("a 400 MiB body behind a pending answer", server->pid(), peakBefore);
        normalClientIsAnswered(server->port());
    }

    // 1,000 connections that send nothing or half a head: the server holds at most
    // --max-connections of them and closes each within --idle-timeout.
    void idleConnectionsAreClosed() {
        const int maxConnections = 64;
        const auto server =
            startServer({QStringLiteral("--max-connections"), QString::number(maxConnections),
                         QStringLiteral("--idle-timeout"), QStringLiteral("1")});
        QVERIFY(server->port() > 0);
        const qint64 peakBefore = procStatusKb(server->pid(), "VmHWM");
        std::vector<int> idle;
        int mostHeld = 0;
        for (int i = 0; i < 1000; ++i) {
            const int fd = connectLoopback(server->port(), 0, false);
            QVERIFY2(fd >= 0, "cannot open 1,000 client sockets");
            static const char kHalfHead[] = "POST /v1/chat/completions HTTP/1.1\r\nContent-Le";
            if (i % 2 == 1) // half a head, if the connection is up already
                ::send(fd, kHalfHead, sizeof kHalfHead - 1, MSG_NOSIGNAL);
            idle.push_back(fd);
            if (i % 50 == 0)
                mostHeld = std::max(mostHeld, socketCount(server->pid()) - 1);
        }
        // Every one of them ends closed by the server (end of file or reset when read).
        QElapsedTimer clock;
        clock.start();
        std::size_t closed = 0;
        while (closed < idle.size() && clock.elapsed() < 60000 * kSlowdown) {
            mostHeld = std::max(mostHeld, socketCount(server->pid()) - 1);
            closed = 0;
            for (const int fd : idle) {
                char byte;
                const ssize_t r = ::recv(fd, &byte, 1, MSG_PEEK);
                closed += r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
            }
            if (closed < idle.size())
                QTest::qWait(100);
        }
        for (const int fd : idle)
            ::close(fd);
        qInfo("at most %d connections held; %zu of 1000 closed by the server in %lld ms", mostHeld,
              closed, clock.elapsed());
        QCOMPARE(closed, idle.size());
        // The connection Qt has accepted and evicting one makes room for counts for a moment.
        QVERIFY(mostHeld <= maxConnections + 1);
        checkGrowth("1,000 idle connections", server->pid(), peakBefore);
        normalClientIsAnswered(server->port());
    }

    // A client that pipelines 200 requests with 0.8 MB answers and reads none: the server
    // stops reading once 1 MiB of replies waits, and closes the line after the idle timeout.
    void repliesToAClientThatDoesNotReadAreBounded() {
        const auto server = startServer({QStringLiteral("--idle-timeout"), QStringLiteral("1")});
        QVERIFY(server->port() > 0);
        const qint64 peakBefore = procStatusKb(server->pid(), "VmHWM");
        const int fd = connectLoopback(server->port(), 4096);
        QVERIFY(fd >= 0);
        const QByteArray request = embeddingsRequest();
        QByteArray all;
        for (int i = 0; i < 200; ++i)
            all += request;
        qsizetype sent = 0;
        QElapsedTimer clock;
        clock.start();
        // Until the server closes the connection: a send fails, or only the listener is left.
        bool open = true;
        bool accepted = false;
        while (open && clock.elapsed() < 60000 * kSlowdown) {
            const ssize_t n = sent < all.size() ? ::send(fd, all.constData() + sent,
                                                         all.size() - sent, MSG_NOSIGNAL)
                                                : 0;
            if (n > 0)
                sent += n;
            else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                open = false;
            const int sockets = socketCount(server->pid());
            accepted = accepted || sockets == 2;
            if (accepted && sockets == 1)
                open = false;
            if (open)
                QTest::qWait(50);
        }
        ::close(fd);
        qInfo("the client sent %lld of %lld request bytes before the server closed the line",
              qint64(sent), qint64(all.size()));
        QVERIFY2(!open, "the server never closed a connection that did not read");
        checkGrowth("200 pipelined answers never read", server->pid(), peakBefore);
        normalClientIsAnswered(server->port());
    }

    // 2,000 clients at once (within --max-connections' default): all answered.
    void twoThousandConcurrentRequestsAreAnswered() {
        if (raiseFileLimit() < 2200)
            QSKIP("the open-file limit is below 2,200: cannot hold 2,000 client sockets");
        const auto server = startServer({});
        QVERIFY(server->port() > 0);
        std::vector<pollfd> clients;
        std::vector<QByteArray> answers(2000);
        const QByteArray request =
            "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        for (int i = 0; i < 2000; ++i) {
            const int fd = connectLoopback(server->port(), 0, false);
            QVERIFY(fd >= 0);
            clients.push_back({fd, POLLOUT, 0});
        }
        QElapsedTimer clock;
        clock.start();
        int open = 2000;
        while (open > 0 && clock.elapsed() < 60000 * kSlowdown) {
            ::poll(clients.data(), clients.size(), 100);
            for (std::size_t i = 0; i < clients.size(); ++i) {
                pollfd& c = clients[i];
                if (c.fd < 0 || c.revents == 0)
                    continue;
                if (c.events == POLLOUT) {
                    if (::send(c.fd, request.constData(), request.size(), MSG_NOSIGNAL) ==
                        request.size())
                        c.events = POLLIN;
                    continue;
                }
                char buffer[4096];
                const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
                if (n > 0) {
                    answers[i].append(buffer, n);
                } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    ::close(c.fd);
                    c.fd = -1;
                    --open;
                }
            }
        }
        for (const pollfd& c : clients)
            if (c.fd >= 0)
                ::close(c.fd);
        int answered = 0;
        for (const QByteArray& a : answers)
            answered += a.startsWith("HTTP/1.1 200") && a.contains("\"object\":\"list\"");
        qInfo("2,000 concurrent requests: %d answered in %lld ms", answered, clock.elapsed());
        QCOMPARE(answered, 2000);
    }
};

QTEST_GUILESS_MAIN(TestReplayLimits)
#include "test_replay_limits.moc"
