#include "httpserver/http_request_parser.h"

#include <algorithm>
#include <cstring>

namespace routerlab {

namespace {

constexpr char kHeadEnd[] = "\r\n\r\n";

// RFC 9110's token characters: methods and header names.
bool isTokenChar(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken(const QByteArray& s) {
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

// A header value: visible ASCII, spaces, tabs and bytes >= 0x80 (obsolete but harmless).
bool isFieldValue(const QByteArray& s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\t' || (u >= 0x20 && u != 0x7f);
    });
}

bool isTarget(const QByteArray& s) {
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f;
    });
}

QByteArray trimmedValue(const QByteArray& s) {
    qsizetype from = 0;
    qsizetype to = s.size();
    while (from < to && (s[from] == ' ' || s[from] == '\t'))
        ++from;
    while (to > from && (s[to - 1] == ' ' || s[to - 1] == '\t'))
        --to;
    return s.mid(from, to - from);
}

// A Content-Length value: decimal digits only; -1 when it is not one.
qint64 parseLength(const QByteArray& s) {
    if (s.isEmpty() || s.size() > 18)
        return -1;
    qint64 n = 0;
    for (const char c : s) {
        if (c < '0' || c > '9')
            return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

bool listHas(const QByteArray& value, const char* token) {
    for (const QByteArray& part : value.split(','))
        if (trimmedValue(part).toLower() == token)
            return true;
    return false;
}

} // namespace

QByteArray HttpRequest::header(const QByteArray& lowerCaseName) const {
    for (const auto& [name, value] : headers)
        if (name == lowerCaseName)
            return value;
    return {};
}

HttpRequestParser::HttpRequestParser(HttpLimits limits) : limits_(limits) {}

qsizetype HttpRequestParser::feed(const char* data, qsizetype size) {
    qsizetype used = 0;
    if (state_ == State::Head)
        feedHead(data, size, used);
    if (state_ == State::Body) {
        const qsizetype take = std::min(size - used, bodyLength_ - request_.body.size());
        request_.body.append(data + used, take);
        used += take;
        if (request_.body.size() == bodyLength_)
            state_ = State::Complete;
    }
    return used;
}

// Takes head bytes until the blank line; never holds more than the head limit.
void HttpRequestParser::feedHead(const char* data, qsizetype size, qsizetype& used) {
    while (state_ == State::Head && used < size) {
        const qsizetype room = limits_.maxHeadBytes - head_.size();
        if (room <= 0)
            return fail(Failure::HeadTooLarge);
        const qsizetype before = head_.size();
        const qsizetype take = std::min(size - used, room);
        head_.append(data + used, take);
        const qsizetype end = head_.indexOf(kHeadEnd, std::max<qsizetype>(0, before - 3));
        if (end < 0) {
            used += take;
            continue;
        }
        const qsizetype headSize = end + 4;
        used += headSize - before;
        head_.truncate(headSize);
        parseHead();
    }
}

void HttpRequestParser::parseHead() {
    // Lines end in CRLF; a bare CR or LF inside one is refused rather than guessed at.
    QList<QByteArray> lines;
    qsizetype from = 0;
    const qsizetype headEnd = head_.size() - 2; // the last line's CRLF ends the blank line
    while (from < headEnd) {
        const qsizetype eol = head_.indexOf("\r\n", from);
        lines.append(head_.mid(from, eol - from));
        from = eol + 2;
    }
    head_.clear();
    for (const QByteArray& line : lines)
        if (line.contains('\r') || line.contains('\n'))
            return fail(Failure::Malformed);
    const QList<QByteArray> requestLine = lines.value(0).split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]) || !isTarget(requestLine[1]) ||
        (requestLine[2] != "HTTP/1.1" && requestLine[2] != "HTTP/1.0"))
        return fail(Failure::Malformed);
    request_ = HttpRequest{};
    request_.method = requestLine[0];
    request_.target = requestLine[1];
    request_.version = requestLine[2];
    qint64 length = -1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        const QByteArray name = lines[i].left(colon).toLower();
        const QByteArray value = trimmedValue(lines[i].mid(colon + 1));
        if (colon <= 0 || !isToken(name) || !isFieldValue(value))
            return fail(Failure::Malformed); // also a folded line, which starts with a space
        if (name == "content-length") {
            const qint64 n = parseLength(value);
            if (n < 0 || (length >= 0 && n != length))
                return fail(Failure::Malformed);
            length = n;
        } else if (name == "transfer-encoding") {
            return fail(Failure::LengthRequired);
        }
        request_.headers.append({name, value});
    }
    if (length > limits_.maxBodyBytes)
        return fail(Failure::BodyTooLarge);
    request_.keepAlive =
        request_.version == "HTTP/1.1" && !listHas(request_.header("connection"), "close");
    request_.expectsContinue = listHas(request_.header("expect"), "100-continue");
    bodyLength_ = std::max<qint64>(0, length);
    state_ = bodyLength_ > 0 ? State::Body : State::Complete;
}

void HttpRequestParser::fail(Failure f) {
    state_ = State::Failed;
    failure_ = f;
    head_.clear();
    request_ = HttpRequest{};
}

int HttpRequestParser::failureStatus() const {
    switch (failure_) {
    case Failure::None:
        return 200;
    case Failure::Malformed:
        return 400;
    case Failure::HeadTooLarge:
        return 431;
    case Failure::BodyTooLarge:
        return 413;
    case Failure::LengthRequired:
        return 411;
    }
    return 400;
}

bool HttpRequestParser::awaitingContinue() const {
    return state_ == State::Body && request_.expectsContinue && request_.body.isEmpty();
}

HttpRequest HttpRequestParser::takeRequest() {
    if (state_ != State::Complete)
        return {};
    HttpRequest done = std::move(request_);
    request_ = HttpRequest{};
    bodyLength_ = 0;
    state_ = State::Head;
    return done;
}

} // namespace routerlab
