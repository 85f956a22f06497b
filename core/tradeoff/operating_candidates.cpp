#include "tradeoff/operating_candidates.h"

#include "metrics/series_stats.h"
#include "sim/simulation.h"

#include <QJsonArray>
#include <cmath>

namespace routerlab {

namespace {

constexpr double kPerThousand = 1000.0;

Interval scaled(Interval interval, double factor) {
    interval.low *= factor;
    interval.high *= factor;
    return interval;
}

Interval jsonInterval(const QJsonObject& point, const QString& key) {
    const QJsonArray pair = point.value(key + QStringLiteral("_ci95")).toArray();
    Interval out;
    if (pair.size() == 2 && pair[0].isDouble() && pair[1].isDouble()) {
        out.low = pair[0].toDouble();
        out.high = pair[1].toDouble();
    }
    return out;
}

Interval intervalOfMean(const std::vector<double>& values, int resamples) {
    if (resamples <= 0)
        return {};
    return meanInterval(values, BootstrapOptions{resamples, 1});
}

OperatingCandidate evaluated(const SimulationSetup& setup, const RouterSpec& spec,
                             const Preference& preference, const CandidateOptions& options) {
    const CellResult result = runCell(setup, {spec, preference, 1});
    OperatingCandidate c;
    c.kind = OperatingCandidate::Kind::Router;
    c.name = spec.toString();
    c.preference = preference;
    c.quality = result.summary.meanQuality;
    c.costPer1kUsd = result.summary.meanCostUsd * kPerThousand;
    c.p95LatencyS = result.summary.p95LatencyS;
    c.qualityCi = intervalOfMean({result.log.quality.begin(), result.log.quality.end()},
                                 options.bootstrapResamples);
    c.costCi = scaled(intervalOfMean({result.log.cost.begin(), result.log.cost.end()},
                                     options.bootstrapResamples),
                      kPerThousand);
    c.share = result.summary.selectionShare;
    return c;
}

void appendSweepPoints(const QString& name, const QJsonObject& sweep,
                       std::vector<OperatingCandidate>& out) {
    for (const QJsonValue& r : sweep.value(QStringLiteral("routers")).toArray()) {
        if (r.toObject().value(QStringLiteral("name")).toString() != name)
            continue;
        for (const QJsonValue& v : r.toObject().value(QStringLiteral("points")).toArray()) {
            const QJsonObject p = v.toObject();
            if (!p.value(QStringLiteral("cost_usd")).isDouble())
                continue; // no seed of this point ran
            const QJsonObject w = p.value(QStringLiteral("preference")).toObject();
            OperatingCandidate c;
            c.kind = OperatingCandidate::Kind::SweepPoint;
            c.name = name;
            c.preference = Preference{w.value(QStringLiteral("quality")).toDouble(),
                                      w.value(QStringLiteral("cost")).toDouble(),
                                      w.value(QStringLiteral("latency")).toDouble()};
            c.quality = p.value(QStringLiteral("quality")).toDouble();
            c.costPer1kUsd = p.value(QStringLiteral("cost_usd")).toDouble() * kPerThousand;
            c.p95LatencyS = p.value(QStringLiteral("p95_latency_s")).toDouble(NAN);
            c.qualityCi = jsonInterval(p, QStringLiteral("quality"));
            c.costCi = scaled(jsonInterval(p, QStringLiteral("cost_usd")), kPerThousand);
            out.push_back(std::move(c));
        }
    }
}

void appendSingleModels(const SimulationSetup& setup, const CandidateOptions& options,
                        std::vector<OperatingCandidate>& out) {
    const QStringList& models = setup.problem().modelNames;
    const std::size_t modelCount = static_cast<std::size_t>(models.size());
    const std::size_t steps = setup.scoredRows().size();
    for (std::size_t k = 0; k < modelCount; ++k) {
        std::vector<double> quality(steps), cost(steps), latency(steps);
        for (std::size_t t = 0; t < steps; ++t) {
            quality[t] = setup.stepQuality()[t * modelCount + k];
            cost[t] = setup.stepCost()[t * modelCount + k];
            latency[t] = setup.stepLatency()[t * modelCount + k];
        }
        OperatingCandidate c;
        c.kind = OperatingCandidate::Kind::SingleModel;
        c.name = models[static_cast<int>(k)];
        c.quality = mean(quality);
        c.costPer1kUsd = mean(cost) * kPerThousand;
        c.p95LatencyS = percentile(latency, 95.0);
        c.qualityCi = intervalOfMean(quality, options.bootstrapResamples);
        c.costCi = scaled(intervalOfMean(cost, options.bootstrapResamples), kPerThousand);
        c.share.assign(modelCount, 0.0);
        c.share[k] = 1.0;
        out.push_back(std::move(c));
    }
}

} // namespace

std::vector<OperatingCandidate> operatingCandidates(const SimulationSetup& setup,
                                                    const std::vector<RouterSpec>& routers,
                                                    const QJsonObject& sweep,
                                                    const CandidateOptions& options,
                                                    const std::atomic_bool* cancel) {
    const RouterRegistry& registry = RouterRegistry::instance();
    const int steps = std::max(1, options.costSteps);
    std::vector<OperatingCandidate> out;
    for (const RouterSpec& spec : routers) {
        if (registry.can(spec, Capability::Hindsight))
            continue;
        if (!registry.can(spec, Capability::ServesAnyPreference)) {
            appendSweepPoints(spec.toString(), sweep, out);
            continue;
        }
        for (int i = 0; i <= steps; ++i) {
            if (cancel && cancel->load())
                return out;
            const double costWeight = static_cast<double>(i) / steps;
            out.push_back(evaluated(setup, spec,
                                    Preference{1.0 - costWeight, costWeight, options.latencyWeight},
                                    options));
        }
    }
    appendSingleModels(setup, options, out);
    return out;
}

} // namespace routerlab
