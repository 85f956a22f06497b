#pragma once

#include "http/chat_protocol.h"
#include "store/workspace_store.h"

#include <QByteArray>
#include <QString>
#include <limits>
#include <optional>
#include <vector>

namespace routerlab {

struct LiveSessionRecord {
    qint64 id = 0;
    QString router;
    QString scorer;
    QByteArray preferenceJson;
    quint64 seed = 0;
    QByteArray configJson;
    QString status;
    QByteArray summaryJson;
    double budgetUsd = 0; // 0: no cap
    QDateTime startedAt;
    QDateTime finishedAt;
};

// One call as recorded: what was asked of which model, and what came back.
struct LiveCallRecord {
    qint64 id = 0;
    qint64 sessionId = 0;
    int step = 0;
    QString role = QStringLiteral("answer"); // or "judge"
    QString promptId;
    QString model;
    QByteArray decisionJson;
    QString requestId;
    QString status;
    int httpStatus = 0;
    int attempts = 0;
    qint64 promptTokens = -1; // -1: not reported
    qint64 completionTokens = -1;
    double costUsd = 0;
    double latencyS = std::numeric_limits<double>::quiet_NaN();
    double firstTokenS = std::numeric_limits<double>::quiet_NaN();
    double quality = std::numeric_limits<double>::quiet_NaN(); // NaN: not scored (yet)
    double reward = std::numeric_limits<double>::quiet_NaN();
    QString error;
    QString response; // empty unless the session stores responses
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0;
};

// A person's verdict on one answer (the GUI's thumbs or stars).
struct HumanRating {
    enum class Scale { Thumbs, Stars };
    Scale scale = Scale::Thumbs;
    double rating = 0; // thumbs: 0 or 1; stars: 1 to 5
    QString rater;
    QString note;
    double quality() const { return scale == Scale::Thumbs ? rating : (rating - 1.0) / 4.0; }
};

// Live sessions and their calls in a workspace. Every write is its own transaction, so a
// crash keeps every call that had ended. Not thread-safe: use it from one thread.
class LiveCallLog {
public:
    explicit LiveCallLog(WorkspaceStore& store) : db_(store.database()) {}

    qint64 startSession(const LiveSessionRecord& session);
    void finishSession(qint64 sessionId, const QString& status, const QByteArray& summaryJson);
    std::vector<LiveSessionRecord> sessions();

    qint64 recordCall(const LiveCallRecord& call);
    // Only the calls recorded after `afterCallId`: a console following a run reads each once.
    std::vector<LiveCallRecord> calls(qint64 sessionId, qint64 afterCallId = 0);

    // Replaces an earlier rating of the same call, and sets the call's quality from it.
    // Throws std::invalid_argument for a rating outside its scale or an unknown call.
    void rate(qint64 callId, const HumanRating& rating);
    std::optional<HumanRating> rating(qint64 callId);

private:
    Database& db_;
};

} // namespace routerlab
