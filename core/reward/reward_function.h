#pragma once

#include "reward/preference.h"

#include <Eigen/Core>
#include <QJsonObject>
#include <cmath>
#include <vector>

namespace routerlab {

// Constants that put cost and latency on the same footing as quality. Derived from the
// training split and recorded with every run, so a run can be reproduced exactly.
struct RewardScales {
    double costReference = 1.0;    // USD: the largest per-model mean cost per call
    double latencyReference = 1.0; // s: the largest per-model mean latency
    double logLatencyMin = -1.0;   // log10 s: the fastest call seen
    double logLatencyMax = 1.0;    // log10 s: the slowest call seen

    QJsonObject toJson() const;
    static RewardScales fromJson(const QJsonObject& json);
};

RewardScales deriveRewardScales(const Eigen::MatrixXd& cost, const Eigen::MatrixXd& latency,
                                const Eigen::MatrixXd& quality, const std::vector<int>& rows);

enum class RewardKind {
    // PickLLM: w_q * quality - w_c * cost / cost_ref - w_l * log-latency mapped onto [0,1].
    PickLlm,
    // BaRP: w_q * quality - w_c * min(cost / tau, 1) - w_l * min(latency / latency_ref, 1).
    Linear,
};

QString rewardKindName(RewardKind kind);
RewardKind rewardKindFromName(const QString& name); // throws std::invalid_argument

// Both families clamp their cost and latency terms to [0, 1], so every reward lies in
// [-(w_c + w_l), w_q] for normalised weights; learning automata use that range to map a
// reward onto [0, 1].
class RewardFunction {
public:
    RewardFunction(RewardKind kind, const RewardScales& scales, const Preference& preference);

    double operator()(double quality, double cost, double latency) const {
        const double c = cost * inverseCost_;
        const double costTerm = c < 1.0 ? c : 1.0;
        double latencyTerm;
        if (kind_ == RewardKind::PickLlm)
            latencyTerm =
                (std::log10(latency > 1e-6 ? latency : 1e-6) - logLatencyMin_) * inverseLogSpan_;
        else
            latencyTerm = latency * inverseLatency_;
        latencyTerm = latencyTerm < 0.0 ? 0.0 : (latencyTerm > 1.0 ? 1.0 : latencyTerm);
        return weights_.quality * quality - weights_.cost * costTerm -
               weights_.latency * latencyTerm;
    }
    double minimum() const { return -(weights_.cost + weights_.latency); }
    double maximum() const { return weights_.quality; }
    // The reward mapped onto [0, 1] (PickLLM's beta).
    double normalise(double reward) const;
    const Preference& weights() const { return weights_; }
    RewardKind kind() const { return kind_; }

private:
    RewardKind kind_;
    Preference weights_;
    double inverseCost_;
    double inverseLatency_;
    double logLatencyMin_;
    double inverseLogSpan_;
};

} // namespace routerlab
