#pragma once

#include "live/live_runner.h"

#include <QString>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace routerlab {

// The router a live session routes with until someone picks another: it learns from each
// answer's score, so it suits a run nobody has tuned.
QString defaultLiveRouter();

// Where a live session's prompts come from.
enum class LivePromptSource { Prompt, File, Dataset };

// What a live session needs, all set before it runs.
struct LiveSessionInput {
    LivePromptSource source = LivePromptSource::Prompt;
    QString promptText;                     // Prompt: read as a prompts file of one line
    QString promptsFile;                    // File: JSONL or one prompt per line
    std::shared_ptr<const Dataset> dataset; // Dataset
    std::shared_ptr<const ModelPool> pool;  // used when poolPath is empty
    QString poolPath;
    QString workspacePath; // where the session and every call are recorded
    LiveOptions options;
    ClientOptions client;

    // The configuration as recorded with the session: names, paths and URLs, never a key.
    // `command` names the caller; `poolShown` is the pool as the person gave it.
    QByteArray configJson(const QString& command, const QString& poolShown) const;
};

// What a session has done since it was last sampled.
struct LiveSessionProgress {
    std::shared_ptr<const Dataset> dataset; // the prompts' texts, once read
    std::vector<LiveCallRecord> arrived;    // recorded since the last sample, in order
    int done = 0;
    int total = 0;
    qint64 sessionId = 0; // 0 until the first call is recorded
};

// How a session ended.
struct LiveSessionOutcome {
    QString error;  // the session could not start or broke off
    QString gaveUp; // the first calls all failed; the last of their errors
    std::optional<LiveResult> result;
    qint64 sessionId = 0;
};

// One live run as the Live Console starts it: reads the prompts and the pool, routes every
// prompt through a LiveRunner recording into the workspace, and follows the recorded calls so
// that another thread can sample them while it runs. The human scorer asks nobody: answers
// stay unscored until a person rates them. A run whose first calls all fail stops (a wrong
// base URL or a missing key would otherwise pay the retries of every prompt).
//
// run() blocks on the calling thread; cancel(), takeProgress() and outcome() may be called
// from any other thread meanwhile.
class LiveSession {
public:
    static constexpr int kGiveUpAfterFailures = 3;

    explicit LiveSession(LiveSessionInput input);

    // Never throws: a failure ends in outcome().error.
    void run();
    // Ends the call in flight within a second; also before run() has started.
    void cancel();
    // The calls recorded since the last call of takeProgress(), and where the run stands.
    LiveSessionProgress takeProgress();
    LiveSessionOutcome outcome() const;

private:
    class CallFollower;

    std::shared_ptr<const ModelPool> loadPool() const;
    std::shared_ptr<const Dataset> readPrompts(const ModelPool& pool,
                                               SimulationOptions& simulation) const;
    void route(const SimulationSetup& setup, const ModelPool& pool);
    void registerRunner(LiveRunner* runner);
    void publish(std::vector<LiveCallRecord> fresh, const CallFollower& follower, int done,
                 int total);
    void giveUp(const QString& lastError, LiveRunner& runner);

    const LiveSessionInput input_;

    mutable std::mutex mutex_;     // guards everything below
    LiveRunner* runner_ = nullptr; // set while the run may be cancelled through it
    bool cancelRequested_ = false;
    LiveSessionProgress progress_;
    LiveSessionOutcome outcome_;
};

} // namespace routerlab
