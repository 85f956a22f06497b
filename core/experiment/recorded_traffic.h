#pragma once

#include "data/dataset.h"
#include "sim/simulation.h"
#include "store/live_call_records.h"

#include <QJsonObject>
#include <QString>
#include <vector>

namespace routerlab {

// Where recorded traffic comes from: a workspace and one of its live sessions.
struct TrafficSource {
    QString workspace;
    qint64 session = 0; // 0: the latest session whose scorer is "proxy", else the latest
    // "WS" or "WS:SESSION". Throws std::invalid_argument naming the text when it is empty.
    static TrafficSource parse(const QString& text);
    QString toString() const;
};

// The answers a live session (a proxy's, or a `live` run's) got, in the order they arrived.
struct RecordedTraffic {
    QString workspace;
    LiveSessionRecord session;
    std::vector<LiveCallRecord> calls; // role "answer", status "ok", by call id
};

// Reads the traffic; never creates a workspace. Throws InputError naming the workspace when it
// is absent, empty, not a workspace, or has no such session or no session at all.
RecordedTraffic readRecordedTraffic(const TrafficSource& source);

// Each call's dataset row, or -1 when the dataset lacks its prompt. A call carries the
// dataset's prompt id, or "sha-" and the first 16 hex digits of its text's SHA-256 when the
// recording side did not know the prompt; such a call matches a row with that text.
std::vector<int> trafficRows(const RecordedTraffic& traffic, const Dataset& dataset);
// The scored rows for SimulationOptions::scoredRows: the matched calls' rows, in order.
std::vector<int> matchedRows(const std::vector<int>& rows);

// What the traffic was and what its recorded router did: on all its calls (spend, latency,
// model shares, quality where scored) and on the calls the simulation scores, also priced and
// rated by the dataset's outcomes, so the recorded router stands beside the simulated ones.
QJsonObject describeTraffic(const RecordedTraffic& traffic, const std::vector<int>& rows,
                            const SimulationSetup& setup);

} // namespace routerlab
