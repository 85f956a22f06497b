#include "reward/reward_function.h"

#include <cmath>
#include <stdexcept>

namespace routerlab {

QJsonObject RewardScales::toJson() const {
    return {{QStringLiteral("cost_reference_usd"), costReference},
            {QStringLiteral("latency_reference_s"), latencyReference},
            {QStringLiteral("log10_latency_min"), logLatencyMin},
            {QStringLiteral("log10_latency_max"), logLatencyMax}};
}

RewardScales RewardScales::fromJson(const QJsonObject& json) {
    RewardScales s;
    s.costReference = json.value(QStringLiteral("cost_reference_usd")).toDouble(1.0);
    s.latencyReference = json.value(QStringLiteral("latency_reference_s")).toDouble(1.0);
    s.logLatencyMin = json.value(QStringLiteral("log10_latency_min")).toDouble(-1.0);
    s.logLatencyMax = json.value(QStringLiteral("log10_latency_max")).toDouble(1.0);
    return s;
}

RewardScales deriveRewardScales(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& latency,
                                const Eigen::MatrixXd& quality, const std::vector<int>& rows) {
    RewardScales s;
    double maxMeanCost = 0, maxMeanLatency = 0;
    double minLatency = INFINITY, maxLatency = 0;
    for (int k = 0; k < cost.cols(); ++k) {
        double c = 0, l = 0;
        int n = 0;
        for (const int i : rows) {
            if (std::isnan(quality(i, k)))
                continue;
            c += cost(i, k);
            l += latency(i, k);
            minLatency = std::min(minLatency, latency(i, k));
            maxLatency = std::max(maxLatency, latency(i, k));
            ++n;
        }
        if (n > 0) {
            maxMeanCost = std::max(maxMeanCost, c / n);
            maxMeanLatency = std::max(maxMeanLatency, l / n);
        }
    }
    if (maxMeanCost > 0)
        s.costReference = maxMeanCost;
    if (maxMeanLatency > 0)
        s.latencyReference = maxMeanLatency;
    if (std::isfinite(minLatency) && maxLatency > 0) {
        s.logLatencyMin = std::log10(std::max(minLatency, 1e-3));
        s.logLatencyMax = std::log10(std::max(maxLatency, 1e-3));
        if (s.logLatencyMax - s.logLatencyMin < 1e-9)
            s.logLatencyMax = s.logLatencyMin + 1.0;
    }
    return s;
}

QString rewardKindName(RewardKind kind) {
    return kind == RewardKind::PickLlm ? QStringLiteral("pickllm") : QStringLiteral("linear");
}

RewardKind rewardKindFromName(const QString& name) {
    if (name == QLatin1String("pickllm"))
        return RewardKind::PickLlm;
    if (name == QLatin1String("linear"))
        return RewardKind::Linear;
    throw std::invalid_argument(
        QStringLiteral("unknown reward '%1' (pickllm, linear)").arg(name).toStdString());
}

RewardFunction::RewardFunction(RewardKind kind, const RewardScales& scales,
                               const Preference& preference)
    : kind_(kind), weights_(preference.normalised()), inverseCost_(1.0 / scales.costReference),
      inverseLatency_(1.0 / scales.latencyReference), logLatencyMin_(scales.logLatencyMin),
      inverseLogSpan_(1.0 / (scales.logLatencyMax - scales.logLatencyMin)) {}

double RewardFunction::normalise(double reward) const {
    const double span = maximum() - minimum();
    if (span <= 0)
        return 0.5;
    const double beta = (reward - minimum()) / span;
    return beta < 0 ? 0 : (beta > 1 ? 1 : beta);
}

} // namespace routerlab
