// An embeddings response through the client's header and body handling, the body once whole
// and once a byte at a time. The first byte says how many texts were sent (0 to 15).
#include "fuzz_support.h"
#include "http/embeddings_client.h"

#include <cmath>

namespace {

routerlab::EmbeddingsReply receive(const routerlab::fuzzing::ResponseBytes& response,
                                   qsizetype piece) {
    routerlab::EmbeddingsReply reply;
    for (const QByteArray& line : response.headerLines)
        reply.addHeaderLine(line);
    for (qsizetype at = 0; at < response.body.size(); at += piece)
        reply.addBody(response.body.mid(at, piece));
    return reply;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    const std::size_t texts = data[0] % 16;
    const routerlab::fuzzing::ResponseBytes response =
        routerlab::fuzzing::splitResponse(routerlab::fuzzing::bytesOf(data + 1, size - 1));
    const routerlab::EmbeddingsReply whole =
        receive(response, std::max<qsizetype>(1, response.body.size()));
    const routerlab::EmbeddingsReply bytewise = receive(response, 1);
    const std::vector<std::vector<float>> vectors = whole.embeddings(texts);
    if (whole.body != bytewise.body || vectors != bytewise.embeddings(texts) ||
        whole.serverMessage() != bytewise.serverMessage() ||
        !(whole.retryAfterS == bytewise.retryAfterS ||
          (std::isnan(whole.retryAfterS) && std::isnan(bytewise.retryAfterS))))
        routerlab::fuzzing::finding("the reply reads differently a byte at a time");
    if (vectors.size() != texts)
        routerlab::fuzzing::finding("not one vector per text");
    for (const std::vector<float>& v : vectors)
        for (const float x : v)
            if (!std::isfinite(x))
                routerlab::fuzzing::finding("an embedding holds a value that is not finite");
    return 0;
}
