#include "live/traffic_summary.h"

#include "metrics/series_stats.h"

#include <QHash>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <limits>

namespace routerlab {

TrafficSummary summarizeTraffic(const std::vector<LiveCallRecord>& calls) {
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    TrafficSummary s;
    QSet<int> steps;
    QHash<QString, int> modelIndex;
    std::vector<double> latencies;
    double ratingSum = 0;
    for (const LiveCallRecord& c : calls) {
        if (c.role != QLatin1String("answer")) {
            s.judgeUsd += c.costUsd;
            continue;
        }
        ++s.calls;
        steps.insert(c.step);
        s.spentUsd += c.costUsd;
        auto at = modelIndex.constFind(c.model);
        if (at == modelIndex.cend()) {
            at = modelIndex.insert(c.model, static_cast<int>(s.models.size()));
            s.models.push_back({c.model});
        }
        ModelTraffic& m = s.models[static_cast<std::size_t>(*at)];
        ++m.calls;
        m.spentUsd += c.costUsd;
        if (c.status == QLatin1String("failed")) {
            ++s.failed;
            ++m.failed;
            continue;
        }
        if (c.status != QLatin1String("ok"))
            continue;
        ++s.answered;
        if (std::isfinite(c.latencyS))
            latencies.push_back(c.latencyS);
        if (!std::isnan(c.quality)) {
            ++s.rated;
            ratingSum += c.quality;
        }
    }
    s.requests = static_cast<int>(steps.size());
    for (ModelTraffic& m : s.models)
        m.share = static_cast<double>(m.calls) / s.calls;
    std::sort(s.models.begin(), s.models.end(), [](const ModelTraffic& a, const ModelTraffic& b) {
        return a.calls != b.calls ? a.calls > b.calls : a.model < b.model;
    });
    s.meanLatencyS = mean(latencies);
    s.p95LatencyS = percentile(latencies, 95.0);
    s.ratedShare = s.answered > 0 ? static_cast<double>(s.rated) / s.answered : kNaN;
    s.meanRating = s.rated > 0 ? ratingSum / s.rated : kNaN;
    return s;
}

} // namespace routerlab
