// A chat completion response (status line, headers, then a JSON body or an event stream)
// through the client's libcurl callbacks, the body once whole and once a byte at a time:
// both must reach the same verdict, text, usage and identifiers.
#include "fuzz_support.h"
#include "http/chat_transfer.h"

#include <cmath>
#include <memory>

namespace {

using routerlab::ChatTransfer;

struct Received {
    std::unique_ptr<ChatTransfer> transfer = std::make_unique<ChatTransfer>();
    ChatTransfer::Verdict verdict;
};

Received receive(const routerlab::fuzzing::ResponseBytes& response, qsizetype piece) {
    Received r;
    ChatTransfer& t = *r.transfer;
    t.attemptStart = routerlab::Clock::now();
    for (QByteArray line : response.headerLines)
        ChatTransfer::onHeader(line.data(), 1, static_cast<size_t>(line.size()), &t);
    QByteArray body = response.body;
    for (qsizetype at = 0; at < body.size(); at += piece)
        ChatTransfer::onBody(body.data() + at, 1,
                             static_cast<size_t>(std::min(piece, body.size() - at)), &t);
    r.verdict = t.concludeResponse();
    return r;
}

bool sameNumber(double a, double b) {
    return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool same(const Received& a, const Received& b) {
    const ChatTransfer& x = *a.transfer;
    const ChatTransfer& y = *b.transfer;
    return a.verdict.answered == b.verdict.answered && a.verdict.retryable == b.verdict.retryable &&
           a.verdict.why == b.verdict.why && x.status == y.status &&
           x.eventStream == y.eventStream && x.sawDone == y.sawDone && x.malformed == y.malformed &&
           x.text == y.text && x.totals.id == y.totals.id &&
           x.totals.promptTokens == y.totals.promptTokens &&
           x.totals.completionTokens == y.totals.completionTokens &&
           x.totals.errorMessage == y.totals.errorMessage &&
           x.totals.replayInfo == y.totals.replayInfo && x.requestIdHeader == y.requestIdHeader &&
           sameNumber(x.retryAfterS, y.retryAfterS) &&
           std::isnan(x.firstTokenS) == std::isnan(y.firstTokenS);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const routerlab::fuzzing::ResponseBytes response =
        routerlab::fuzzing::splitResponse(routerlab::fuzzing::bytesOf(data, size));
    const Received whole = receive(response, std::max<qsizetype>(1, response.body.size()));
    const Received bytewise = receive(response, 1);
    if (!same(whole, bytewise))
        routerlab::fuzzing::finding("the response reads differently a byte at a time");
    if (whole.verdict.answered != whole.verdict.why.isEmpty())
        routerlab::fuzzing::finding("a verdict's reason does not match its outcome");
    return 0;
}
