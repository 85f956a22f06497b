#include "http/chat_client.h"

#include "common/random.h"
#include "common/version.h"
#include "http/api_key.h"
#include "http/chat_transfer.h"
#include "http/curl_init.h"

#include <QDateTime>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <curl/curl.h>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace routerlab {

namespace {

bool isRetryableCurlError(CURLcode code) {
    switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_OUT_OF_MEMORY:
        return false;
    default:
        return true;
    }
}

} // namespace

struct ChatClient::Worker {
    ClientOptions options;
    CURLM* multi = nullptr;
    std::thread thread;

    std::mutex mutex;
    std::deque<std::unique_ptr<ChatTransfer>> incoming; // guarded by mutex
    bool stopping = false;                              // guarded by mutex
    std::atomic<std::uint64_t> generation{1};

    // Worker thread only.
    std::vector<std::unique_ptr<ChatTransfer>> waiting; // submitted or backing off, in order
    std::map<CURL*, std::unique_ptr<ChatTransfer>> active;
    std::map<QString, int> activePerEndpoint;
    std::map<QString, ApiKey> keys;
    Random jitter{1};

    explicit Worker(const ClientOptions& o)
        : options(o), jitter(Random::mix(o.jitterSeed, 0x11fe)) {
        initialiseCurlOnce();
        multi = curl_multi_init();
        thread = std::thread([this] { run(); });
    }

    ~Worker() {
        {
            const std::lock_guard lock(mutex);
            stopping = true;
        }
        generation.fetch_add(1);
        curl_multi_wakeup(multi);
        thread.join();
        curl_multi_cleanup(multi);
    }

    void finish(std::unique_ptr<ChatTransfer> t, CallStatus status, const QString& error = {}) {
        ChatResult& r = t->result;
        r.status = status;
        // An answer after retries keeps the last failed attempt's reason, for the record.
        if (status != CallStatus::Ok || !error.isEmpty())
            r.error = redactKey(error, t->key);
        r.finishedAtMs = QDateTime::currentMSecsSinceEpoch();
        if (t->done)
            t->done(std::move(r));
    }

    void release(ChatTransfer& t) {
        curl_multi_remove_handle(multi, t.easy);
        curl_easy_cleanup(t.easy);
        curl_slist_free_all(t.headers);
        t.easy = nullptr;
        t.headers = nullptr;
        --activePerEndpoint[t.call.endpoint.baseUrl];
    }

    // False when the call cannot be sent at all (no key, bad URL): it has been finished.
    bool start(std::unique_ptr<ChatTransfer>& owned) {
        ChatTransfer& t = *owned;
        if (t.result.attempts == 0) {
            auto found = keys.find(t.call.endpoint.apiKeyEnv);
            if (found == keys.end())
                found =
                    keys.emplace(t.call.endpoint.apiKeyEnv, readApiKey(t.call.endpoint.apiKeyEnv))
                        .first;
            if (!found->second.ok()) {
                finish(std::move(owned), CallStatus::Failed,
                       QStringLiteral("%1: %2").arg(t.where(), found->second.error));
                return false;
            }
            t.key = found->second.value;
        }
        t.resetAttempt();
        t.easy = curl_easy_init();
        CURL* e = t.easy;
        curl_easy_setopt(e, CURLOPT_URL, t.url.constData());
        curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, t.body.constData());
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t.body.size()));
        t.headers = curl_slist_append(t.headers, "Content-Type: application/json");
        t.headers = curl_slist_append(t.headers, t.call.stream ? "Accept: text/event-stream"
                                                               : "Accept: application/json");
        t.headers = curl_slist_append(t.headers, "Expect:"); // no 100-continue round trip
        if (!t.key.isEmpty())
            t.headers =
                curl_slist_append(t.headers, ("Authorization: Bearer " + t.key).constData());
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t.headers);
        static const QByteArray agent = "RouterLab/" + versionString().toUtf8();
        curl_easy_setopt(e, CURLOPT_USERAGENT, agent.constData());
        curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &ChatTransfer::onBody);
        curl_easy_setopt(e, CURLOPT_WRITEDATA, &t);
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &ChatTransfer::onHeader);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, &t);
        curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t.errorBuffer);
        curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(options.requestTimeoutS * 1000));
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                         static_cast<long>(options.connectTimeoutS * 1000));
        curl_easy_setopt(e, CURLOPT_PRIVATE, &t);
        ++t.result.attempts;
        if (t.result.attempts == 1)
            t.result.startedAtMs = QDateTime::currentMSecsSinceEpoch();
        t.attemptStart = Clock::now();
        ++activePerEndpoint[t.call.endpoint.baseUrl];
        curl_multi_add_handle(multi, e);
        active.emplace(e, std::move(owned));
        return true;
    }

    // After a failed attempt: back off and try again, or give up.
    void retryOrFail(std::unique_ptr<ChatTransfer> t, const QString& why) {
        ChatTransfer& tr = *t;                  // stays valid while t is handed on
        const int attempt = tr.result.attempts; // attempts made so far, >= 1
        if (attempt > options.maxRetries) {
            finish(std::move(t), CallStatus::Failed,
                   QStringLiteral("%1 after %2 attempt(s)").arg(why).arg(attempt));
            return;
        }
        double delay =
            std::min(options.backoffMaxS, options.backoffBaseS * std::pow(2.0, attempt - 1)) *
            jitter.uniform(0.5, 1.0);
        if (tr.retryAfterS >= 0) {
            if (tr.retryAfterS > options.maxRetryAfterS) {
                finish(std::move(t), CallStatus::Failed,
                       QStringLiteral("%1; the server asks to retry after %2 s, longer than %3 s")
                           .arg(why)
                           .arg(tr.retryAfterS)
                           .arg(options.maxRetryAfterS));
                return;
            }
            delay = tr.retryAfterS * jitter.uniform(1.0, 1.1); // never earlier than asked
        }
        tr.notBefore = Clock::now() + std::chrono::microseconds(static_cast<qint64>(delay * 1e6));
        tr.result.error = why; // kept in case the call is cancelled while waiting
        waiting.push_back(std::move(t));
    }

    void completed(CURL* easy, CURLcode code) {
        auto found = active.find(easy);
        if (found == active.end())
            return;
        std::unique_ptr<ChatTransfer> t = std::move(found->second);
        active.erase(found);
        const Clock::time_point now = Clock::now();
        ChatTransfer& tr = *t; // stays valid while t is handed on
        release(tr);
        ChatResult& r = tr.result;
        r.httpStatus = static_cast<int>(tr.status);
        if (!tr.call.clientRequest.isEmpty())
            r.body = tr.responseBody;
        if (code != CURLE_OK) {
            const QString detail = tr.errorBuffer[0] ? QString::fromUtf8(tr.errorBuffer)
                                                     : QString::fromUtf8(curl_easy_strerror(code));
            const QString why = QStringLiteral("%1: network error: %2").arg(tr.where(), detail);
            if (isRetryableCurlError(code))
                retryOrFail(std::move(t), why);
            else
                finish(std::move(t), CallStatus::Failed, why);
            return;
        }
        const ChatTransfer::Verdict verdict = tr.concludeResponse();
        if (!verdict.answered) {
            if (verdict.retryable)
                retryOrFail(std::move(t), verdict.why);
            else
                finish(std::move(t), CallStatus::Failed, verdict.why);
            return;
        }
        r.text = tr.text;
        r.promptTokens = tr.totals.promptTokens;
        r.completionTokens = tr.totals.completionTokens;
        r.latencyS = secondsBetween(tr.attemptStart, now);
        r.firstTokenS = tr.firstTokenS;
        r.requestId = tr.requestIdHeader.isEmpty() ? tr.totals.id : tr.requestIdHeader;
        r.replayInfo = tr.totals.replayInfo;
        finish(std::move(t), CallStatus::Ok);
    }

    void cancelOlderThan(std::uint64_t current) {
        for (auto it = active.begin(); it != active.end();) {
            if (it->second->generation < current) {
                std::unique_ptr<ChatTransfer> t = std::move(it->second);
                it = active.erase(it);
                release(*t);
                finish(std::move(t), CallStatus::Cancelled, QStringLiteral("cancelled"));
            } else {
                ++it;
            }
        }
        for (auto it = waiting.begin(); it != waiting.end();) {
            if ((*it)->generation < current) {
                std::unique_ptr<ChatTransfer> t = std::move(*it);
                it = waiting.erase(it);
                finish(std::move(t), CallStatus::Cancelled, QStringLiteral("cancelled"));
            } else {
                ++it;
            }
        }
    }

    // Starts waiting calls whose time has come, in submission order, up to each endpoint's
    // limit.
    void startWhatMayStart() {
        const Clock::time_point now = Clock::now();
        for (auto it = waiting.begin(); it != waiting.end();) {
            ChatTransfer& t = **it;
            if (t.notBefore <= now && activePerEndpoint[t.call.endpoint.baseUrl] <
                                          std::max(1, options.concurrencyPerEndpoint)) {
                std::unique_ptr<ChatTransfer> owned = std::move(*it);
                it = waiting.erase(it);
                start(owned);
            } else {
                ++it;
            }
        }
    }

    // When the next backing-off call may start (at most a second away, to notice shutdown).
    // Calls that wait only for a free slot are started when a transfer completes.
    Clock::time_point nextDueTime() const {
        const Clock::time_point now = Clock::now();
        Clock::time_point due = now + std::chrono::seconds(1);
        for (const auto& t : waiting)
            if (t->notBefore > now)
                due = std::min(due, t->notBefore);
        return due;
    }

    void run() {
        std::uint64_t seenGeneration = generation.load();
        for (;;) {
            bool stop = false;
            {
                const std::lock_guard lock(mutex);
                while (!incoming.empty()) {
                    waiting.push_back(std::move(incoming.front()));
                    incoming.pop_front();
                }
                stop = stopping;
            }
            const std::uint64_t current = generation.load();
            if (current != seenGeneration) {
                cancelOlderThan(current);
                seenGeneration = current;
            }
            if (stop && active.empty() && waiting.empty())
                return;

            startWhatMayStart();
            int running = 0;
            curl_multi_perform(multi, &running);
            int left = 0;
            bool finishedAny = false;
            while (CURLMsg* message = curl_multi_info_read(multi, &left))
                if (message->msg == CURLMSG_DONE) {
                    completed(message->easy_handle, message->data.result);
                    finishedAny = true;
                }
            if (finishedAny)
                continue; // a freed slot or a retry to schedule: no sleeping first

            // Sleep until a socket is ready, a retry is due, or someone calls wakeup().
            const auto wait =
                std::chrono::duration_cast<std::chrono::milliseconds>(nextDueTime() - Clock::now());
            curl_multi_poll(multi, nullptr, 0,
                            static_cast<int>(std::clamp<qint64>(wait.count(), 0, 1000)), nullptr);
        }
    }
};

ChatClient::ChatClient(ClientOptions options) : worker_(std::make_unique<Worker>(options)) {}

ChatClient::~ChatClient() = default;

const ClientOptions& ChatClient::options() const {
    return worker_->options;
}

void ChatClient::submit(ChatCall call, Callback done) {
    auto t = std::make_unique<ChatTransfer>();
    QString base = call.endpoint.baseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    t->url = (base + QStringLiteral("/chat/completions")).toUtf8();
    t->body = chatRequestBody(call);
    t->call = std::move(call);
    t->done = std::move(done);
    t->notBefore = Clock::now();
    {
        const std::lock_guard lock(worker_->mutex);
        t->generation = worker_->generation.load();
        worker_->incoming.push_back(std::move(t));
    }
    curl_multi_wakeup(worker_->multi);
}

ChatResult ChatClient::call(const ChatCall& call) {
    const std::atomic_bool never{false};
    return this->call(call, never);
}

ChatResult ChatClient::call(const ChatCall& call, const std::atomic_bool& cancel) {
    auto promise = std::make_shared<std::promise<ChatResult>>();
    std::future<ChatResult> future = promise->get_future();
    submit(call, [promise](ChatResult r) { promise->set_value(std::move(r)); });
    while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready)
        if (cancel)
            cancelAll();
    return future.get();
}

void ChatClient::cancelAll() {
    {
        const std::lock_guard lock(worker_->mutex); // orders against submit()'s generation read
        worker_->generation.fetch_add(1);
    }
    curl_multi_wakeup(worker_->multi);
}

} // namespace routerlab
