// The server-sent-event splitter: the same events whether the stream arrives in one piece,
// one byte at a time or in small pieces; each event then goes through the chunk parser.
#include "fuzz_support.h"
#include "http/chat_protocol.h"

#include <vector>

namespace {

struct Split {
    std::vector<QByteArray> events;
    bool partial = false;
};

Split feedInPieces(const QByteArray& bytes, qsizetype piece) {
    routerlab::SseParser parser;
    Split out;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        parser.feed(bytes.mid(at, piece), out.events);
    out.partial = parser.hasPartialEvent();
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QByteArray bytes = routerlab::fuzzing::bytesOf(data, size);
    const Split whole = feedInPieces(bytes, std::max<qsizetype>(1, bytes.size()));
    for (const qsizetype piece : {1, 3}) {
        const Split split = feedInPieces(bytes, piece);
        if (split.events != whole.events || split.partial != whole.partial)
            routerlab::fuzzing::finding("events depend on how the stream was split");
    }
    for (const QByteArray& event : whole.events) {
        const routerlab::ChatChunk chunk = routerlab::parseChatJson(event);
        if (chunk.malformed && !chunk.content.isEmpty())
            routerlab::fuzzing::finding("a malformed chunk carries content");
    }
    return 0;
}
