#include "live/live_session.h"

#include "common/error_message.h"
#include "common/version.h"
#include "live/prompt_file.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <iterator>
#include <stdexcept>

namespace routerlab {

QString defaultLiveRouter() {
    return QStringLiteral("pickllm-ga");
}

QByteArray LiveSessionInput::configJson(const QString& command, const QString& poolShown) const {
    const char* const sourceNames[] = {"prompt", "file", "dataset"};
    const QJsonObject config{
        {QStringLiteral("command"), command},
        {QStringLiteral("version"), versionString()},
        {QStringLiteral("prompts"), QString::fromLatin1(sourceNames[int(source)])},
        {QStringLiteral("prompts_file"),
         source == LivePromptSource::File ? promptsFile : QString()},
        {QStringLiteral("pool"), poolShown},
        {QStringLiteral("router"), options.router.toString()},
        {QStringLiteral("scorer"), options.scorer},
        {QStringLiteral("preference"), options.preference.toString()},
        {QStringLiteral("base_url"), displayUrl(options.baseUrl)},
        {QStringLiteral("limit"), options.limit},
        {QStringLiteral("retries"), client.maxRetries}};
    return QJsonDocument(config).toJson(QJsonDocument::Compact);
}

// Reads what the runner has recorded since it last looked, once each, and keeps count of what
// the answers say about the endpoint.
class LiveSession::CallFollower {
public:
    explicit CallFollower(WorkspaceStore& store) : store_(store) {}

    // `knownSession` once the runner has told it; until then the session of the last call
    // this connection recorded (the runner's own).
    std::vector<LiveCallRecord> takeNew(qint64 knownSession) {
        if (sessionId_ == 0)
            sessionId_ = knownSession > 0 ? knownSession : store_.sessionOfLastLiveCall();
        if (sessionId_ == 0)
            return {};
        std::vector<LiveCallRecord> fresh = store_.liveCalls(sessionId_, lastCallId_);
        if (!fresh.empty())
            lastCallId_ = fresh.back().id;
        for (const LiveCallRecord& c : fresh)
            count(c);
        return fresh;
    }

    qint64 sessionId() const { return sessionId_; }
    bool endpointLooksDead() const { return !answered_ && failures_ >= kGiveUpAfterFailures; }
    const QString& lastError() const { return lastError_; }

private:
    void count(const LiveCallRecord& c) {
        if (c.role != QLatin1String("answer"))
            return;
        if (c.status == QLatin1String("ok")) {
            answered_ = true;
        } else if (c.status == QLatin1String("failed")) {
            ++failures_;
            lastError_ = c.error;
        }
    }

    WorkspaceStore& store_;
    qint64 sessionId_ = 0;
    qint64 lastCallId_ = 0;
    int failures_ = 0;
    bool answered_ = false;
    QString lastError_;
};

LiveSession::LiveSession(LiveSessionInput input) : input_(std::move(input)) {}

void LiveSession::run() {
    try {
        const std::shared_ptr<const ModelPool> pool = loadPool();
        SimulationOptions simulation;
        const std::shared_ptr<const Dataset> dataset = readPrompts(*pool, simulation);
        const SimulationSetup setup(*dataset, *pool, simulation);
        {
            const std::lock_guard lock(mutex_);
            progress_.dataset = dataset;
        }
        route(setup, *pool);
    } catch (...) {
        const std::lock_guard lock(mutex_);
        outcome_.error = currentErrorMessage();
    }
}

void LiveSession::cancel() {
    const std::lock_guard lock(mutex_);
    cancelRequested_ = true;
    if (runner_)
        runner_->cancel();
}

LiveSessionProgress LiveSession::takeProgress() {
    const std::lock_guard lock(mutex_);
    LiveSessionProgress taken;
    taken.dataset = progress_.dataset;
    taken.arrived.swap(progress_.arrived);
    taken.done = progress_.done;
    taken.total = progress_.total;
    taken.sessionId = progress_.sessionId;
    return taken;
}

LiveSessionOutcome LiveSession::outcome() const {
    const std::lock_guard lock(mutex_);
    return outcome_;
}

std::shared_ptr<const ModelPool> LiveSession::loadPool() const {
    if (!input_.poolPath.isEmpty())
        return std::make_shared<const ModelPool>(ModelPool::load(input_.poolPath));
    if (!input_.pool)
        throw std::invalid_argument("choose a pool file: it prices the models and names "
                                    "their endpoints");
    return input_.pool;
}

std::shared_ptr<const Dataset> LiveSession::readPrompts(const ModelPool& pool,
                                                        SimulationOptions& simulation) const {
    switch (input_.source) {
    case LivePromptSource::Prompt: {
        // One prompt is a prompts file of one line: the same rules as the CLI's --prompts.
        if (input_.promptText.trimmed().isEmpty())
            throw std::invalid_argument("type a prompt first");
        const QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("prompt.jsonl"));
        QFile file(path);
        if (!dir.isValid() || !file.open(QIODevice::WriteOnly))
            throw std::invalid_argument("cannot write a temporary file for the prompt");
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("id"), QStringLiteral("prompt")},
                                             {QStringLiteral("prompt"), input_.promptText}})
                       .toJson(QJsonDocument::Compact) +
                   '\n');
        file.close();
        simulation.missing = MissingPolicy::Failure; // nothing is recorded
        return std::make_shared<const Dataset>(loadPromptFile(path, pool));
    }
    case LivePromptSource::File:
        if (input_.promptsFile.isEmpty())
            throw std::invalid_argument("choose a prompts file first");
        simulation.missing = MissingPolicy::Failure;
        return std::make_shared<const Dataset>(loadPromptFile(input_.promptsFile, pool));
    case LivePromptSource::Dataset:
        if (!input_.dataset)
            throw std::invalid_argument("the window has no dataset open");
        return input_.dataset;
    }
    return {};
}

void LiveSession::route(const SimulationSetup& setup, const ModelPool& pool) {
    WorkspaceStore store(input_.workspacePath);
    ChatClient client(input_.client);
    LiveRunner runner(setup, pool, client, &store);
    struct Registration { // unregisters before the runner goes, exceptions included
        LiveSession& session;
        ~Registration() { session.registerRunner(nullptr); }
    } registration{*this};
    registerRunner(&runner);

    CallFollower follower(store);
    const auto progress = [&](int done, int total) {
        publish(follower.takeNew(0), follower, done, total);
        if (follower.endpointLooksDead())
            giveUp(follower.lastError(), runner);
    };
    // The human scorer asks nobody here: a run must not wait for a person. The answer is
    // recorded unscored (quality NULL) and the router learns from it as from quality 0, as the
    // runner treats any missing verdict; a person rates it later, which sets the stored
    // quality (the router has moved on by then).
    const LiveResult result =
        runner.run(input_.options, progress, [](const ScoreInput&) { return std::nullopt; });
    // The cancelled call, and anything recorded after the last progress.
    std::vector<LiveCallRecord> last = follower.takeNew(result.sessionId);
    const std::lock_guard lock(mutex_);
    progress_.arrived.insert(progress_.arrived.end(), std::make_move_iterator(last.begin()),
                             std::make_move_iterator(last.end()));
    progress_.sessionId = result.sessionId;
    outcome_.sessionId = result.sessionId;
    outcome_.result = result;
}

void LiveSession::registerRunner(LiveRunner* runner) {
    const std::lock_guard lock(mutex_);
    runner_ = runner;
    if (runner_ && cancelRequested_)
        runner_->requestCancel();
}

void LiveSession::publish(std::vector<LiveCallRecord> fresh, const CallFollower& follower, int done,
                          int total) {
    const std::lock_guard lock(mutex_);
    if (follower.sessionId() > 0)
        progress_.sessionId = follower.sessionId();
    progress_.arrived.insert(progress_.arrived.end(), std::make_move_iterator(fresh.begin()),
                             std::make_move_iterator(fresh.end()));
    progress_.done = done;
    progress_.total = total;
}

void LiveSession::giveUp(const QString& lastError, LiveRunner& runner) {
    const std::lock_guard lock(mutex_);
    if (!outcome_.gaveUp.isEmpty())
        return;
    outcome_.gaveUp = lastError;
    runner.requestCancel();
}

} // namespace routerlab
