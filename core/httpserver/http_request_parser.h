#pragma once

#include <QByteArray>
#include <QList>
#include <QtGlobal>
#include <utility>

namespace routerlab {

// How large one request may be. The head counts its final blank line.
struct HttpLimits {
    qsizetype maxHeadBytes = 64 * 1024;
    qsizetype maxBodyBytes = 16 << 20;
};

struct HttpRequest {
    QByteArray method;
    QByteArray target;
    QByteArray version;                               // "HTTP/1.0" or "HTTP/1.1"
    QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
    QByteArray body;
    bool keepAlive = true;        // HTTP/1.1 without "Connection: close"
    bool expectsContinue = false; // "Expect: 100-continue"

    QByteArray header(const QByteArray& lowerCaseName) const;
    bool operator==(const HttpRequest&) const = default;
};

// An HTTP/1.x request parser fed bytes as they arrive, in pieces of any size: the same bytes
// give the same requests and the same error however they are split. It holds at most one
// request: once `state()` is Complete it takes no more bytes until `takeRequest()`, so a
// pipelining client cannot make it buffer more than one head and one body, each within the
// limits. A body needs Content-Length (a chunked request body is refused with 411).
class HttpRequestParser {
public:
    enum class State { Head, Body, Complete, Failed };
    enum class Failure { None, Malformed, HeadTooLarge, BodyTooLarge, LengthRequired };

    explicit HttpRequestParser(HttpLimits limits = {});

    // Takes bytes of `data` up to the end of the current request; returns how many it took.
    // The caller keeps the rest for after `takeRequest()`.
    qsizetype feed(const char* data, qsizetype size);
    qsizetype feed(const QByteArray& bytes) { return feed(bytes.constData(), bytes.size()); }

    State state() const { return state_; }
    Failure failure() const { return failure_; }
    int failureStatus() const; // the HTTP status that answers the failure
    // True from the end of a head that expects 100-continue until its body's first byte.
    bool awaitingContinue() const;
    qsizetype bodyLength() const { return bodyLength_; } // the head's Content-Length, in Body
    // The complete request; the parser starts on the next one.
    HttpRequest takeRequest();

private:
    void feedHead(const char* data, qsizetype size, qsizetype& used);
    void parseHead();
    void fail(Failure f);

    HttpLimits limits_;
    State state_ = State::Head;
    Failure failure_ = Failure::None;
    QByteArray head_;
    qsizetype bodyLength_ = 0;
    HttpRequest request_;
};

} // namespace routerlab
