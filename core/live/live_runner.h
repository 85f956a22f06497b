#pragma once

#include "http/chat_client.h"
#include "live/scorer.h"
#include "sim/simulation.h"
#include "store/workspace_store.h"

#include <QJsonObject>
#include <atomic>
#include <functional>
#include <optional>

namespace routerlab {

struct LiveOptions {
    RouterSpec router;
    Preference preference;
    std::uint64_t seed = 1;
    QString scorer = QStringLiteral("replay");
    double budgetUsd = 0; // stop before a call that would take the session past it; 0: no cap
    bool storeResponses = false;
    bool stream = true;
    int maxTokens = 0;
    QString system;
    // Feed routers the latency the replay server recorded instead of the measured one, so a
    // replayed run at zero delay reproduces the simulation's latency terms.
    bool latencyFromReplay = false;
    QString baseUrl;       // replaces every model's endpoint base URL (e.g. the replay server)
    int limit = 0;         // at most this many prompts; 0: all scored prompts
    QByteArray configJson; // recorded with the session
};

struct LiveResult {
    CellSummary summary; // as simulate's, over the prompts that ran
    StepLog log;
    qint64 sessionId = 0; // 0 without a workspace
    int answered = 0;
    int failed = 0;
    double spentUsd = 0; // answers and judges
    double judgeCostUsd = 0;
    double meanFirstTokenS = std::numeric_limits<double>::quiet_NaN();
    QString stopReason = QStringLiteral("complete"); // complete, budget, cancelled
    QString firstError; // of the first failed answer, "model: error"; empty when none failed

    QJsonObject toJson(const QString& routerName, const QStringList& models) const;
};

// What a record keeps of any call (answer or judge): request id, status, attempts, tokens,
// latency, error and times. Cost, quality and reward are the caller's.
void takeCallFields(const ChatResult& call, LiveCallRecord& record);
// What an answer cost: from the usage the server reported, else estimated from the texts at
// Dataset::kCharsPerToken. A failed call costs nothing we can know of.
double answerCostUsd(const PoolModel& model, const QString& prompt, const ChatResult& answer);

// Drives a registry router over a dataset's scored prompts, in the simulation's session order
// and with its reward function, but each answer comes from a real Chat Completions call and
// is scored live. Against the replay server with the replay scorer it reproduces runCell().
class LiveRunner {
public:
    // `store` may be null (nothing recorded). `askPerson` serves the human scorer.
    LiveRunner(const SimulationSetup& setup, const ModelPool& pool, ChatClient& client,
               WorkspaceStore* store = nullptr);

    // Throws std::invalid_argument for a model without an endpoint or a bad scorer.
    LiveResult run(const LiveOptions& options,
                   const std::function<void(int done, int total)>& progress = {},
                   const std::function<std::optional<double>(const ScoreInput&)>& askPerson = {});
    // From any thread: stops the run; the call in flight ends as cancelled within a second.
    void cancel();
    // Only raises the flag (async-signal-safe); the run cancels its call within 0.1 s.
    void requestCancel() { cancelled_ = true; }

    Endpoint endpointOf(const PoolModel& model, const LiveOptions& options) const;

private:
    class Run;

    const SimulationSetup& setup_;
    const ModelPool& pool_;
    ChatClient& client_;
    WorkspaceStore* store_;
    std::atomic_bool cancelled_{false};
};

} // namespace routerlab
