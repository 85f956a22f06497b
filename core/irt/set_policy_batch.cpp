#include "irt/set_policy.h"

#include "common/subnormal_flush.h"
#include "reward/reward_function.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

void SetPolicy::BatchTrace::resize(const std::vector<int>& setSizes, Eigen::Index features) {
    start.assign(1, 0);
    for (const int n : setSizes)
        start.push_back(start.back() + n);
    const auto sets = static_cast<Eigen::Index>(setSizes.size());
    tokens.resize(kPredictionRows, start.back());
    promptFeatures.resize(features, sets);
    preference.resize(3, sets);
    attention.resize(setSizes.size());
}

void SetPolicy::forwardBatch(BatchTrace& tr) const {
    const float scale = 1.0f / std::sqrt(float(shape_.hidden));
    tr.context.noalias() = promptMap_.value * tr.promptFeatures;
    tr.context.noalias() += preferenceMap_.value * tr.preference;
    tr.context.colwise() += tokenBias_.value.col(0);
    tr.t.noalias() = tokenMap_.value * tr.tokens;
    for (Eigen::Index b = 0; b < tr.sets(); ++b)
        tr.t.middleCols(tr.start[std::size_t(b)], tr.size(b)).colwise() += tr.context.col(b);
    tr.t = tr.t.array().tanh();
    tr.q.noalias() = query_.value * tr.t;
    tr.k.noalias() = key_.value * tr.t;
    tr.v.noalias() = value_.value * tr.t;
    tr.z = tr.t;
    for (Eigen::Index b = 0; b < tr.sets(); ++b) {
        const Eigen::Index first = tr.start[std::size_t(b)], n = tr.size(b);
        Eigen::MatrixXf& attention = tr.attention[std::size_t(b)];
        attention.noalias() = (tr.q.middleCols(first, n).transpose() * tr.k.middleCols(first, n));
        attention *= scale;
        for (Eigen::Index m = 0; m < n; ++m) {
            const float top = attention.row(m).maxCoeff();
            attention.row(m) = (attention.row(m).array() - top).exp();
            attention.row(m) /= attention.row(m).sum();
        }
        tr.z.middleCols(first, n).noalias() += tr.v.middleCols(first, n) * attention.transpose();
    }
    tr.h.noalias() = headMap_.value * tr.z;
    tr.h.colwise() += headBias_.value.col(0);
    tr.h = tr.h.array().tanh();
    tr.logits.noalias() = tr.h.transpose() * output_.value.col(0);
    tr.logits += predictedRewardWeight_.value(0, 0) * tr.tokens.row(1).transpose();
    tr.probability.resize(tr.logits.size());
    for (Eigen::Index b = 0; b < tr.sets(); ++b) {
        const auto logits = tr.logits.segment(tr.start[std::size_t(b)], tr.size(b));
        auto p = tr.probability.segment(tr.start[std::size_t(b)], tr.size(b));
        p = (logits.array() - logits.maxCoeff()).exp();
        p /= p.sum();
    }
}

Eigen::MatrixXf SetPolicy::probabilitiesForPrompts(const IrtModel& irt,
                                                   const Eigen::MatrixXf& features,
                                                   const std::vector<ModelToken>& models,
                                                   const RewardFunction& reward) const {
    const SubnormalFlush flush;
    const auto modelCount = static_cast<Eigen::Index>(models.size());
    const Preference& weights = reward.weights();
    Eigen::MatrixXf probabilities(modelCount, features.cols());
    constexpr Eigen::Index kBatch = 512;
    BatchTrace batch;
    for (Eigen::Index first = 0; first < features.cols(); first += kBatch) {
        const Eigen::Index n = std::min(kBatch, features.cols() - first);
        batch.resize(std::vector<int>(std::size_t(n), int(modelCount)), features.rows());
        for (Eigen::Index b = 0; b < n; ++b) {
            const Eigen::VectorXf prompt = features.col(first + b);
            batch.tokens.middleCols(batch.start[std::size_t(b)], modelCount) =
                predictionInputs(irt, prompt, models, reward);
            batch.promptFeatures.col(b) = prompt;
            batch.preference.col(b) << float(weights.quality), float(weights.cost),
                float(weights.latency);
        }
        forwardBatch(batch);
        probabilities.middleCols(first, n) =
            batch.probability.reshaped(modelCount, n); // set b's models are column b
    }
    return probabilities;
}

void SetPolicy::backwardBatch(const BatchTrace& tr, const Eigen::VectorXf& dLogits) {
    const float scale = 1.0f / std::sqrt(float(shape_.hidden));
    output_.gradient.col(0).noalias() += tr.h * dLogits;
    predictedRewardWeight_.gradient(0, 0) += dLogits.dot(tr.tokens.row(1).transpose());
    const Eigen::MatrixXf dHeadPre =
        (output_.value.col(0) * dLogits.transpose()).array() * (1.0f - tr.h.array().square());
    headMap_.gradient.noalias() += dHeadPre * tr.z.transpose();
    headBias_.gradient.col(0) += dHeadPre.rowwise().sum();
    Eigen::MatrixXf dT = headMap_.value.transpose() * dHeadPre; // dZ, then t's share
    Eigen::MatrixXf dQ(dT.rows(), dT.cols()), dK(dT.rows(), dT.cols()), dV(dT.rows(), dT.cols());
    Eigen::MatrixXf dAttention, dScores;
    for (Eigen::Index b = 0; b < tr.sets(); ++b) {
        const Eigen::Index first = tr.start[std::size_t(b)], n = tr.size(b);
        const Eigen::MatrixXf& attention = tr.attention[std::size_t(b)];
        const auto dZ = dT.middleCols(first, n);
        dV.middleCols(first, n).noalias() = dZ * attention;
        dAttention.noalias() = dZ.transpose() * tr.v.middleCols(first, n);
        dScores.resize(n, n);
        for (Eigen::Index m = 0; m < n; ++m) {
            const float inner = attention.row(m).dot(dAttention.row(m));
            dScores.row(m) = attention.row(m).array() * (dAttention.row(m).array() - inner);
        }
        dScores *= scale;
        dQ.middleCols(first, n).noalias() = tr.k.middleCols(first, n) * dScores.transpose();
        dK.middleCols(first, n).noalias() = tr.q.middleCols(first, n) * dScores;
    }
    const Eigen::MatrixXf dTokenPre = addTokenGradients(tr.t, tr.tokens, dQ, dK, dV, dT);
    Eigen::MatrixXf dContext(dTokenPre.rows(), tr.sets());
    for (Eigen::Index b = 0; b < tr.sets(); ++b)
        dContext.col(b) =
            dTokenPre.middleCols(tr.start[std::size_t(b)], tr.size(b)).rowwise().sum();
    tokenBias_.gradient.col(0) += dContext.rowwise().sum();
    promptMap_.gradient.noalias() += dContext * tr.promptFeatures.transpose();
    preferenceMap_.gradient.noalias() += dContext * tr.preference.transpose();
}

} // namespace routerlab
