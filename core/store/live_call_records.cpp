// The "live calls" section of WorkspaceStore: live sessions, their calls and the ratings people
// give the answers.
#include "store/workspace_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSysInfo>
#include <QTimeZone>
#include <cmath>
#include <stdexcept>
#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#endif

namespace routerlab {

namespace {

void bindOptionalDouble(Statement& s, int index, double value) {
    if (std::isnan(value))
        s.bindNull(index);
    else
        s.bind(index, value);
}

void bindOptionalCount(Statement& s, int index, qint64 value) {
    if (value < 0)
        s.bindNull(index);
    else
        s.bind(index, value);
}

void bindOptionalText(Statement& s, int index, const QString& value) {
    if (value.isEmpty())
        s.bindNull(index);
    else
        s.bind(index, value);
}

double optionalDouble(const Statement& s, int column) {
    return s.isNull(column) ? std::numeric_limits<double>::quiet_NaN() : s.columnDouble(column);
}

QDateTime optionalTime(const Statement& s, int column) {
    return s.isNull(column)
               ? QDateTime()
               : QDateTime::fromMSecsSinceEpoch(s.columnInt64(column), QTimeZone::utc());
}

// Whether process `pid` of this machine still runs. Where that cannot be asked, it is
// assumed to run: a session is never marked interrupted on a guess.
bool processRuns(qint64 pid) {
#ifdef Q_OS_UNIX
    return pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
#else
    Q_UNUSED(pid);
    return true;
#endif
}

} // namespace

void WorkspaceStore::markInterruptedLiveSessions() {
    Statement running(db_,
                      QStringLiteral("SELECT id, owner_pid FROM live_sessions WHERE status = "
                                     "'running' AND owner_host = ? AND owner_pid IS NOT NULL"),
                      QStringLiteral("finding live sessions whose process has gone"));
    running.bind(1, QSysInfo::machineHostName());
    std::vector<qint64> gone;
    while (running.step())
        if (!processRuns(running.columnInt64(1)))
            gone.push_back(running.columnInt64(0));
    for (const qint64 id : gone) {
        // It ended, at the latest, when its last call did.
        Statement mark(db_,
                       QStringLiteral("UPDATE live_sessions SET status = 'interrupted', "
                                      "finished_at = COALESCE((SELECT max(finished_at) FROM "
                                      "live_calls WHERE session_id = ?1), started_at) "
                                      "WHERE id = ?1 AND status = 'running'"),
                       QStringLiteral("marking live session %1 interrupted").arg(id));
        mark.bind(1, id).run();
    }
}

qint64 WorkspaceStore::startLiveSession(const LiveSessionRecord& r) {
    markInterruptedLiveSessions();
    Statement s(db_,
                QStringLiteral("INSERT INTO live_sessions (router, scorer, preference_json, seed, "
                               "config_json, status, budget_usd, started_at, owner_host, "
                               "owner_pid) VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)"),
                QStringLiteral("recording a live session"));
    s.bind(1, r.router).bind(2, r.scorer).bindText(3, r.preferenceJson);
    s.bind(4, static_cast<qint64>(r.seed)).bindText(5, r.configJson);
    bindOptionalDouble(s, 6, r.budgetUsd > 0 ? r.budgetUsd : std::nan(""));
    s.bind(7, QDateTime::currentMSecsSinceEpoch());
    s.bind(8, QSysInfo::machineHostName()).bind(9, QCoreApplication::applicationPid());
    s.run();
    return db_.lastInsertId();
}

void WorkspaceStore::finishLiveSession(qint64 sessionId, const QString& status,
                                       const QByteArray& summaryJson) {
    Statement s(db_,
                QStringLiteral("UPDATE live_sessions SET status = ?, summary_json = ?, "
                               "finished_at = ? WHERE id = ?"),
                QStringLiteral("finishing live session %1").arg(sessionId));
    s.bind(1, status).bindText(2, summaryJson).bind(3, QDateTime::currentMSecsSinceEpoch());
    s.bind(4, sessionId).run();
}

std::vector<LiveSessionRecord> WorkspaceStore::liveSessions() {
    markInterruptedLiveSessions();
    Statement s(db_,
                QStringLiteral("SELECT id, router, scorer, preference_json, seed, config_json, "
                               "status, summary_json, budget_usd, started_at, finished_at "
                               "FROM live_sessions ORDER BY id"),
                QStringLiteral("listing live sessions"));
    std::vector<LiveSessionRecord> out;
    while (s.step()) {
        LiveSessionRecord r;
        r.id = s.columnInt64(0);
        r.router = s.columnText(1);
        r.scorer = s.columnText(2);
        r.preferenceJson = s.columnBlob(3);
        r.seed = static_cast<quint64>(s.columnInt64(4));
        r.configJson = s.columnBlob(5);
        r.status = s.columnText(6);
        r.summaryJson = s.columnBlob(7);
        r.budgetUsd = s.isNull(8) ? 0 : s.columnDouble(8);
        r.startedAt = optionalTime(s, 9);
        r.finishedAt = optionalTime(s, 10);
        out.push_back(r);
    }
    return out;
}

qint64 WorkspaceStore::recordLiveCall(const LiveCallRecord& c) {
    Statement s(
        db_,
        QStringLiteral("INSERT INTO live_calls (session_id, step, role, prompt_id, model, "
                       "decision_json, request_id, status, http_status, attempts, prompt_tokens, "
                       "completion_tokens, cost_usd, latency_s, first_token_s, quality, reward, "
                       "error, response, started_at, finished_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        QStringLiteral("recording a live call to %1").arg(c.model));
    s.bind(1, c.sessionId).bind(2, c.step).bind(3, c.role).bind(4, c.promptId).bind(5, c.model);
    if (c.decisionJson.isEmpty())
        s.bindNull(6);
    else
        s.bindText(6, c.decisionJson);
    bindOptionalText(s, 7, c.requestId);
    s.bind(8, c.status);
    if (c.httpStatus > 0)
        s.bind(9, c.httpStatus);
    else
        s.bindNull(9);
    s.bind(10, c.attempts);
    bindOptionalCount(s, 11, c.promptTokens);
    bindOptionalCount(s, 12, c.completionTokens);
    s.bind(13, c.costUsd);
    bindOptionalDouble(s, 14, c.latencyS);
    bindOptionalDouble(s, 15, c.firstTokenS);
    bindOptionalDouble(s, 16, c.quality);
    bindOptionalDouble(s, 17, c.reward);
    bindOptionalText(s, 18, c.error);
    bindOptionalText(s, 19, c.response);
    s.bind(20, c.startedAtMs).bind(21, c.finishedAtMs);
    s.run(); // autocommit: durable once this returns
    return db_.lastInsertId();
}

std::vector<LiveCallRecord> WorkspaceStore::liveCalls(qint64 sessionId, qint64 afterCallId) {
    Statement s(
        db_,
        QStringLiteral("SELECT id, session_id, step, role, prompt_id, model, decision_json, "
                       "request_id, status, http_status, attempts, prompt_tokens, "
                       "completion_tokens, cost_usd, latency_s, first_token_s, quality, "
                       "reward, error, response, started_at, finished_at "
                       "FROM live_calls WHERE session_id = ? AND id > ? ORDER BY id"),
        QStringLiteral("listing the calls of live session %1").arg(sessionId));
    s.bind(1, sessionId).bind(2, afterCallId);
    std::vector<LiveCallRecord> out;
    while (s.step()) {
        LiveCallRecord c;
        c.id = s.columnInt64(0);
        c.sessionId = s.columnInt64(1);
        c.step = static_cast<int>(s.columnInt64(2));
        c.role = s.columnText(3);
        c.promptId = s.columnText(4);
        c.model = s.columnText(5);
        c.decisionJson = s.columnBlob(6);
        c.requestId = s.columnText(7);
        c.status = s.columnText(8);
        c.httpStatus = s.isNull(9) ? 0 : static_cast<int>(s.columnInt64(9));
        c.attempts = static_cast<int>(s.columnInt64(10));
        c.promptTokens = s.isNull(11) ? -1 : s.columnInt64(11);
        c.completionTokens = s.isNull(12) ? -1 : s.columnInt64(12);
        c.costUsd = s.columnDouble(13);
        c.latencyS = optionalDouble(s, 14);
        c.firstTokenS = optionalDouble(s, 15);
        c.quality = optionalDouble(s, 16);
        c.reward = optionalDouble(s, 17);
        c.error = s.columnText(18);
        c.response = s.columnText(19);
        c.startedAtMs = s.columnInt64(20);
        c.finishedAtMs = s.columnInt64(21);
        out.push_back(c);
    }
    return out;
}

// The session of the calls this connection recorded last (a runner's own).
qint64 WorkspaceStore::sessionOfLastLiveCall() {
    Statement s(db_, QStringLiteral("SELECT session_id FROM live_calls WHERE id = ?"),
                QStringLiteral("finding the live session"));
    s.bind(1, db_.lastInsertId());
    return s.step() ? s.columnInt64(0) : 0;
}

void WorkspaceStore::rateLiveCall(qint64 callId, const HumanRating& r) {
    const bool thumbs = r.scale == HumanRating::Scale::Thumbs;
    if (thumbs ? (r.rating != 0 && r.rating != 1) : (r.rating < 1 || r.rating > 5))
        throw std::invalid_argument(
            QStringLiteral("rating %1 is outside its scale (%2)")
                .arg(r.rating)
                .arg(thumbs ? QStringLiteral("thumbs: 0 or 1") : QStringLiteral("stars: 1 to 5"))
                .toStdString());
    Transaction transaction(db_, QStringLiteral("rating live call %1").arg(callId));
    Statement update(db_, QStringLiteral("UPDATE live_calls SET quality = ? WHERE id = ?"),
                     QStringLiteral("setting the quality of live call %1").arg(callId));
    update.bind(1, r.quality()).bind(2, callId).run();
    if (db_.changes() == 0)
        throw std::invalid_argument(
            QStringLiteral("there is no live call %1 to rate").arg(callId).toStdString());
    Statement s(
        db_,
        QStringLiteral("INSERT OR REPLACE INTO live_ratings (call_id, scale, rating, rater, "
                       "note, rated_at) VALUES (?, ?, ?, ?, ?, ?)"),
        QStringLiteral("rating live call %1").arg(callId));
    s.bind(1, callId).bind(2, thumbs ? QStringLiteral("thumbs") : QStringLiteral("stars"));
    s.bind(3, r.rating);
    bindOptionalText(s, 4, r.rater);
    bindOptionalText(s, 5, r.note);
    s.bind(6, QDateTime::currentMSecsSinceEpoch()).run();
    transaction.commit();
}

std::optional<HumanRating> WorkspaceStore::liveCallRating(qint64 callId) {
    Statement s(
        db_,
        QStringLiteral("SELECT scale, rating, rater, note FROM live_ratings WHERE call_id = ?"),
        QStringLiteral("reading the rating of live call %1").arg(callId));
    s.bind(1, callId);
    if (!s.step())
        return std::nullopt;
    HumanRating r;
    r.scale = s.columnText(0) == QLatin1String("stars") ? HumanRating::Scale::Stars
                                                        : HumanRating::Scale::Thumbs;
    r.rating = s.columnDouble(1);
    r.rater = s.columnText(2);
    r.note = s.columnText(3);
    return r;
}

} // namespace routerlab
