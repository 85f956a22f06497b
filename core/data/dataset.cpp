#include "data/dataset.h"

namespace routerlab {

qint64 Dataset::missingCells() const {
    return quality.array().isNaN().count();
}

qint64 Dataset::missingCells(int model) const {
    return quality.col(model).array().isNaN().count();
}

bool Dataset::hasRecordedCost() const {
    return !recordedCost.array().isNaN().all();
}

const QString& Dataset::response(int prompt, int model) const {
    static const QString none;
    if (responses.empty())
        return none;
    return responses[static_cast<std::size_t>(model) * promptCount() + prompt];
}

Eigen::MatrixXd Dataset::costUsd(const ModelPool& pool) const {
    Eigen::MatrixXd cost(promptCount(), modelCount());
    for (int k = 0; k < modelCount(); ++k) {
        const PoolModel* m = pool.find(modelNames[k]);
        for (int i = 0; i < promptCount(); ++i) {
            const double recorded = recordedCost(i, k);
            if (!std::isnan(recorded))
                cost(i, k) = recorded;
            else if (m)
                cost(i, k) = m->costOfCall(inputTokens(i, k), outputTokens(i, k));
            else
                cost(i, k) = std::nan("");
        }
    }
    return cost;
}

Eigen::MatrixXd Dataset::latencyS(const ModelPool& pool) const {
    Eigen::MatrixXd latency = recordedLatency;
    const PoolModel fallback;
    for (int k = 0; k < modelCount(); ++k) {
        const PoolModel* m = pool.find(modelNames[k]);
        const PoolModel& model = m ? *m : fallback;
        for (int i = 0; i < promptCount(); ++i)
            if (std::isnan(latency(i, k)))
                latency(i, k) = model.estimatedLatency(outputTokens(i, k));
    }
    return latency;
}

ModelPool Dataset::derivedPool() const {
    ModelPool pool;
    pool.name = name.isEmpty() ? QStringLiteral("derived") : name + QStringLiteral(" (derived)");
    for (int k = 0; k < modelCount(); ++k) {
        double cost = 0, tokens = 0;
        for (int i = 0; i < promptCount(); ++i) {
            if (std::isnan(recordedCost(i, k)))
                continue;
            cost += recordedCost(i, k);
            tokens += inputTokens(i, k) + outputTokens(i, k);
        }
        PoolModel m;
        m.id = modelNames[k];
        m.displayName = modelNames[k];
        // One blended price per token: the data records totals, not the input/output split.
        const double perMTok = tokens > 0 ? cost / tokens * 1e6 : 0.0;
        m.inputPricePerMTok = perMTok;
        m.outputPricePerMTok = perMTok;
        m.tags << QStringLiteral("derived");
        pool.models.push_back(m);
    }
    return pool;
}

} // namespace routerlab
