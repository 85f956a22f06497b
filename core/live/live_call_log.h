#pragma once

#include "store/workspace_store.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace routerlab {

// Live sessions and their calls in a workspace, as the runner records them and the console
// reads and rates them. Every write is its own transaction, so a crash keeps every call that
// had ended. Not thread-safe: use it from one thread.
class LiveCallLog {
public:
    explicit LiveCallLog(WorkspaceStore& store) : store_(store) {}

    qint64 startSession(const LiveSessionRecord& session) {
        return store_.startLiveSession(session);
    }
    void finishSession(qint64 sessionId, const QString& status, const QByteArray& summaryJson) {
        store_.finishLiveSession(sessionId, status, summaryJson);
    }
    std::vector<LiveSessionRecord> sessions() { return store_.liveSessions(); }

    qint64 recordCall(const LiveCallRecord& call) { return store_.recordLiveCall(call); }
    // Only the calls recorded after `afterCallId`: a console following a run reads each once.
    std::vector<LiveCallRecord> calls(qint64 sessionId, qint64 afterCallId = 0) {
        return store_.liveCalls(sessionId, afterCallId);
    }

    // Replaces an earlier rating of the same call, and sets the call's quality from it.
    // Throws std::invalid_argument for a rating outside its scale or an unknown call.
    void rate(qint64 callId, const HumanRating& rating) { store_.rateLiveCall(callId, rating); }
    std::optional<HumanRating> rating(qint64 callId) { return store_.liveCallRating(callId); }

private:
    WorkspaceStore& store_;
};

} // namespace routerlab
