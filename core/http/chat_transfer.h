#pragma once

// Internal to ChatClient: one call's state across its attempts, and the libcurl callbacks
// that parse what arrives. Not part of the public API.

#include "http/chat_client.h"

#include <QString>
#include <chrono>
#include <curl/curl.h>
#include <limits>

namespace routerlab {

using Clock = std::chrono::steady_clock;

inline double secondsBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
}

// One call from submission to its callback; an attempt owns a curl easy handle.
struct ChatTransfer {
    ChatCall call;
    ChatClient::Callback done;
    std::uint64_t generation = 0;
    QByteArray body;
    QByteArray url;
    QByteArray key;
    ChatResult result;
    Clock::time_point notBefore;

    // Per attempt.
    CURL* easy = nullptr;
    curl_slist* headers = nullptr;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    Clock::time_point attemptStart;
    long status = 0;
    bool eventStream = false;
    QByteArray responseBody; // a plain body, up to kMaxResponseBytes
    static constexpr qsizetype kMaxResponseBytes = 16 << 20;
    SseParser sse;
    bool sawDone = false;
    bool malformed = false;
    QString text;
    ChatChunk totals; // id, usage, replay info, error as they arrive
    QString requestIdHeader;
    double retryAfterS = -1;
    double firstTokenS = std::numeric_limits<double>::quiet_NaN();

    QString where() const; // "base URL (model id)" for messages
    void resetAttempt();
    void absorb(const ChatChunk& chunk); // one parsed body or stream event

    // What a response that arrived whole (curl reported no error) says about the attempt.
    // Depends on the headers and bytes received, never on how the bytes were split.
    struct Verdict {
        bool answered = false; // else failed, because of `why`
        bool retryable = false;
        QString why;
    };
    Verdict concludeResponse(); // parses a plain body into text and totals first
    // libcurl's write and header callbacks; `self` is the transfer.
    static size_t onBody(char* data, size_t size, size_t count, void* self);
    static size_t onHeader(char* data, size_t size, size_t count, void* self);
};

} // namespace routerlab
