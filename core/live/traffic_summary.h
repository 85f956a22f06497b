#pragma once

#include "store/live_call_records.h"

#include <QString>
#include <vector>

namespace routerlab {

// One model's part of the traffic: its answer calls (every attempt, fallbacks included).
struct ModelTraffic {
    QString model;
    int calls = 0;
    double share = 0; // of all answer calls
    int failed = 0;
    double spentUsd = 0;
};

// What a recorded session (the proxy's production traffic, or a console run) amounts to. Read
// over the answer calls; judge calls only add their cost to judgeUsd.
struct TrafficSummary {
    int requests = 0; // distinct steps: a request's fallbacks are one request
    int calls = 0;
    std::vector<ModelTraffic> models; // most calls first, then by name
    double spentUsd = 0;
    double judgeUsd = 0;
    double meanLatencyS = 0; // over the answered calls; NaN when none has a latency
    double p95LatencyS = 0;
    int answered = 0;      // calls with status ok
    int failed = 0;        // calls with status failed
    int rated = 0;         // answered calls with a quality (a rating or a score)
    double ratedShare = 0; // of the answered calls; NaN when none was answered
    double meanRating = 0; // mean quality of the rated calls; NaN when none is rated
};

TrafficSummary summarizeTraffic(const std::vector<LiveCallRecord>& calls);

} // namespace routerlab
