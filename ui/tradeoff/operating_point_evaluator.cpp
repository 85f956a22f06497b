#include "ui/tradeoff/operating_point_evaluator.h"

#include "routers/router_registry.h"
#include "ui/charts/interval_text.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QtConcurrent>
#include <cmath>

namespace routerlab {

namespace {

// The slider asks for an evaluation many times a second: fewer resamples than a run's
// thousand keep each one short, and 400 still place the 95% bounds within a few percent.
const BootstrapOptions kOperatingPointBootstrap{400, 1};

RouterOperatingPoint nearestSweepPoint(const QString& name, const Preference& preference,
                                       const QJsonObject& sweep) {
    RouterOperatingPoint out;
    out.router = name;
    out.meanQuality = NAN;
    out.meanCostUsd = NAN;
    out.p95LatencyS = NAN;
    const double costWeight = preference.normalised().cost;
    double best = INFINITY;
    for (const QJsonValue& c : sweep.value(QStringLiteral("routers")).toArray()) {
        if (c.toObject().value(QStringLiteral("name")).toString() != name)
            continue;
        for (const QJsonValue& v : c.toObject().value(QStringLiteral("points")).toArray()) {
            const QJsonObject p = v.toObject();
            if (!p.contains(QStringLiteral("cost_usd")))
                continue;
            const QJsonObject w = p.value(QStringLiteral("preference")).toObject();
            const double distance =
                std::abs(w.value(QStringLiteral("cost")).toDouble() - costWeight);
            if (distance < best) {
                best = distance;
                out.meanQuality = p.value(QStringLiteral("quality")).toDouble();
                out.meanCostUsd = p.value(QStringLiteral("cost_usd")).toDouble();
                out.p95LatencyS = p.value(QStringLiteral("p95_latency_s")).toDouble(NAN);
                out.meanReward = p.value(QStringLiteral("reward")).toDouble(NAN);
                out.at = Preference{w.value(QStringLiteral("quality")).toDouble(),
                                    w.value(QStringLiteral("cost")).toDouble(),
                                    w.value(QStringLiteral("latency")).toDouble()};
                out.qualityCi = intervalOf(p, QStringLiteral("quality"));
                out.costCi = intervalOf(p, QStringLiteral("cost_usd"));
            }
        }
    }
    return out;
}

} // namespace

OperatingPoints evaluateOperatingPoints(const PreparedExperiment& prepared,
                                        const Preference& preference, const QJsonObject& sweep) {
    QElapsedTimer clock;
    clock.start();
    OperatingPoints out;
    out.preference = preference;
    const RouterRegistry& registry = RouterRegistry::instance();
    std::vector<RouterSpec> routers = prepared.experiment.simulate.routers;
    routers.push_back({registry.upperBound().name, {}});
    const RewardTable table = buildRewardTable(*prepared.setup, preference);
    for (const RouterSpec& spec : routers) {
        if (!registry.can(spec, Capability::ServesAnyPreference)) {
            out.routers.push_back(nearestSweepPoint(spec.toString(), preference, sweep));
            continue;
        }
        const CellResult result = runCell(*prepared.setup, {spec, preference, 1}, nullptr, &table);
        RouterOperatingPoint p;
        p.router = spec.toString();
        p.evaluated = true;
        p.meanQuality = result.summary.meanQuality;
        p.meanCostUsd = result.summary.meanCostUsd;
        p.p95LatencyS = result.summary.p95LatencyS;
        p.meanReward = result.summary.meanReward;
        p.at = preference;
        p.qualityCi = meanInterval({result.log.quality.begin(), result.log.quality.end()},
                                   kOperatingPointBootstrap);
        p.costCi = meanInterval({result.log.cost.begin(), result.log.cost.end()},
                                kOperatingPointBootstrap);
        p.share = result.summary.selectionShare;
        out.routers.push_back(std::move(p));
    }
    out.milliseconds = static_cast<double>(clock.nsecsElapsed()) / 1e6;
    return out;
}

OperatingPointEvaluator::OperatingPointEvaluator(QObject* parent) : QObject(parent) {
    connect(&watcher_, &QFutureWatcher<OperatingPoints>::finished, this, [this] {
        ++completed_;
        emit evaluated(watcher_.result());
        startNext();
    });
}

OperatingPointEvaluator::~OperatingPointEvaluator() {
    watcher_.waitForFinished();
}

void OperatingPointEvaluator::setExperiment(std::shared_ptr<const PreparedExperiment> prepared,
                                            QJsonObject sweep) {
    prepared_ = std::move(prepared);
    sweep_ = std::move(sweep);
    emit experimentChanged();
}

void OperatingPointEvaluator::setSweep(QJsonObject sweep) {
    sweep_ = std::move(sweep);
    emit experimentChanged();
}

void OperatingPointEvaluator::request(const Preference& preference) {
    if (!prepared_)
        return;
    pending_ = preference;
    if (!watcher_.isRunning())
        startNext();
}

void OperatingPointEvaluator::startNext() {
    if (!pending_ || !prepared_)
        return;
    const Preference preference = *pending_;
    pending_.reset();
    watcher_.setFuture(QtConcurrent::run([prepared = prepared_, preference, sweep = sweep_] {
        return evaluateOperatingPoints(*prepared, preference, sweep);
    }));
}

} // namespace routerlab
