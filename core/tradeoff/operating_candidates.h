#pragma once

#include "reward/preference.h"
#include "routers/router_registry.h"
#include "stats/bootstrap.h"

#include <QJsonObject>
#include <QString>
#include <atomic>
#include <vector>

namespace routerlab {

class SimulationSetup;

// One way to serve the scored prompts: a router set at a preference, or one model for all.
struct OperatingCandidate {
    enum class Kind {
        Router,      // evaluated at `preference` on the scored prompts (serves any preference)
        SweepPoint,  // a learner's point of the run's sweep, at `preference`
        SingleModel, // every prompt to one model; `preference` is meaningless
    };
    Kind kind = Kind::Router;
    QString name; // router spec or model name
    Preference preference;
    double quality = 0;
    double costPer1kUsd = 0;    // expected USD per 1,000 queries
    double p95LatencyS = 0;     // NaN when unknown (sweep points of older results)
    Interval qualityCi, costCi; // 95%; costCi per 1,000 queries
    std::vector<double> share;  // per model; empty when unknown
};

struct CandidateOptions {
    double latencyWeight = 0;
    // Cost weights evaluated for routers that serve any preference: 0, 1/steps, ..., 1.
    int costSteps = 20;
    int bootstrapResamples = 200; // per candidate interval; 0 leaves intervals invalid
};

// Every deployable operating point of an experiment on its scored prompts: the routers that
// serve any preference at each cost weight, the other routers' sweep points (`sweep` as
// buildResult writes it), and each single model. Hindsight references are left out: they
// cannot be deployed. Deterministic (seed 1); returns early when `cancel` is set.
std::vector<OperatingCandidate> operatingCandidates(const SimulationSetup& setup,
                                                    const std::vector<RouterSpec>& routers,
                                                    const QJsonObject& sweep,
                                                    const CandidateOptions& options,
                                                    const std::atomic_bool* cancel = nullptr);

} // namespace routerlab
