// Property: the request parser gives the same requests, the same end state and the same
// refusal whether the bytes come whole, one at a time or split where the input says; and what
// it gives is within its limits.
#include "httpserver/http_request_parser.h"

#include <QByteArray>
#include <cstdint>
#include <vector>

namespace {

using routerlab::HttpRequest;
using routerlab::HttpRequestParser;

// Small limits, so that the fuzzer reaches them.
constexpr routerlab::HttpLimits kLimits{512, 1024};

struct Parse {
    std::vector<HttpRequest> requests;
    HttpRequestParser::State state;
    HttpRequestParser::Failure failure;
    qsizetype consumed = 0;
    bool operator==(const Parse&) const = default;
};

// Feeds `bytes` in pieces of `piece` bytes (the first piece `first` bytes long).
Parse parse(const QByteArray& bytes, qsizetype first, qsizetype piece) {
    HttpRequestParser parser(kLimits);
    Parse out;
    QByteArray pending;
    qsizetype at = 0;
    while (true) {
        if (pending.isEmpty() && at < bytes.size()) {
            pending = bytes.mid(at, at == 0 ? first : piece);
            at += pending.size();
        }
        const qsizetype used = parser.feed(pending);
        if (used < 0 || used > pending.size())
            __builtin_trap();
        out.consumed += used;
        pending.remove(0, used);
        if (parser.state() == HttpRequestParser::State::Complete) {
            HttpRequest r = parser.takeRequest();
            if (r.body.size() > kLimits.maxBodyBytes || r.method.isEmpty() || r.target.isEmpty() ||
                (r.version != "HTTP/1.1" && r.version != "HTTP/1.0") ||
                (r.version == "HTTP/1.0" && r.keepAlive))
                __builtin_trap();
            out.requests.push_back(std::move(r));
        } else if (parser.state() == HttpRequestParser::State::Failed ||
                   (pending.isEmpty() && at >= bytes.size())) {
            break;
        }
    }
    out.state = parser.state();
    out.failure = parser.failure();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const qsizetype whole = std::max<qsizetype>(1, bytes.size());
    const Parse reference = parse(bytes, whole, whole);
    if (reference.consumed > bytes.size())
        __builtin_trap();
    // A split point and a piece size drawn from the input itself.
    const qsizetype split = size > 0 ? 1 + data[0] % whole : 1;
    const qsizetype piece = size > 1 ? 1 + data[size - 1] % 7 : 1;
    if (!(parse(bytes, 1, 1) == reference) || !(parse(bytes, split, piece) == reference))
        __builtin_trap();
    return 0;
}
