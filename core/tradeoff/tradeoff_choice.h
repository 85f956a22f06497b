#pragma once

#include "tradeoff/operating_candidates.h"

#include <QStringList>
#include <optional>

namespace routerlab {

// What the product owner asks of the trade-off.
enum class TradeoffGoal {
    BestQualityUnderCost,    // the highest quality at most `limit` USD per 1,000 queries
    CheapestAtQuality,       // the lowest cost with quality at least `limit`
    BestQualityUnderLatency, // the highest quality with p95 latency at most `limit` seconds
};

struct TradeoffConstraint {
    TradeoffGoal goal = TradeoffGoal::BestQualityUnderCost;
    double limit = 0;
};

struct TradeoffChoice {
    std::optional<std::size_t> chosen; // index into the candidates; empty when none qualifies
    int qualifying = 0;                // candidates that meet the constraint
    int unknown = 0;                   // candidates left out for want of the constrained figure
};

// The best candidate under the constraint. Ties (equal to the displayed precision is not
// a tie: exact values) go to the cheaper, then the better, then the earlier candidate, so the
// answer is deterministic.
TradeoffChoice chooseOperatingPoint(const std::vector<OperatingCandidate>& candidates,
                                    const TradeoffConstraint& constraint);

// "barp at quality 0.65 · cost 0.35: 0.782 quality at $1.10 per 1,000 queries; 62%
// gpt-4o-mini, 30% claude-3-5-haiku, 8% others." The mix names up to three models in full.
QString describeCandidate(const OperatingCandidate& candidate, const QStringList& models);
// The one-sentence answer to a constraint, or why there is none.
QString answerSentence(const std::vector<OperatingCandidate>& candidates,
                       const TradeoffConstraint& constraint, const TradeoffChoice& choice,
                       const QStringList& models);
// "quality 0.65 · cost 0.35" (latency left out when its weight is zero).
QString preferenceText(const Preference& preference);

} // namespace routerlab
