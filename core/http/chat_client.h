#pragma once

#include "http/chat_protocol.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace routerlab {

struct ClientOptions {
    int concurrencyPerEndpoint = 4; // calls in flight per base URL; more wait in line
    double requestTimeoutS = 120;   // whole attempt, first byte to last
    double connectTimeoutS = 10;
    int maxRetries = 3; // after the first attempt, on 429, 408, 5xx, network errors, bad bodies
    double backoffBaseS = 0.5; // attempt n waits base * 2^n, jittered to [50%, 100%]
    double backoffMaxS = 30;
    double maxRetryAfterS = 120; // a longer Retry-After fails the call instead of stalling
    std::uint64_t jitterSeed = 1;
};

// An OpenAI-compatible Chat Completions client over libcurl's multi interface: one worker
// thread drives every transfer, so hundreds of calls in flight cost no threads. Keys come
// from readApiKey() per endpoint and never appear in results or messages.
class ChatClient {
public:
    // Runs on the client's worker thread: keep it short (record, signal, return).
    using Callback = std::function<void(ChatResult)>;

    explicit ChatClient(ClientOptions options = {});
    ~ChatClient(); // cancels whatever is in flight or waiting, then joins the worker
    ChatClient(const ChatClient&) = delete;
    ChatClient& operator=(const ChatClient&) = delete;

    void submit(ChatCall call, Callback done);
    ChatResult call(const ChatCall& call); // blocks until answered, failed or cancelled
    // The same, checking `cancel` every 100 ms: once it is set, every call is cancelled (a
    // cancel that raced the submission still reaches this one).
    ChatResult call(const ChatCall& call, const std::atomic_bool& cancel);
    // Every call submitted before this returns ends as Cancelled, in-flight transfers
    // included, within milliseconds. Later calls run normally.
    void cancelAll();
    const ClientOptions& options() const;

private:
    struct Worker;
    std::unique_ptr<Worker> worker_;
};

} // namespace routerlab
