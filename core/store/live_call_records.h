#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <limits>

namespace routerlab {

// One live session as recorded: the router, its scorer and preference, and how it ended.
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

} // namespace routerlab
