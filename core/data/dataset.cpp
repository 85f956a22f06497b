#include "data/dataset.h"

#include <QHash>

namespace routerlab {

namespace {

// The pool's model for each column (nullptr when absent), looked up through one hash so a
// dataset of many models is priced in linear time.
std::vector<const PoolModel*> poolModelPerColumn(const Dataset& d, const ModelPool& pool) {
    QHash<QString, const PoolModel*> byId;
    byId.reserve(pool.size());
    for (const PoolModel& m : pool.models)
        if (!byId.contains(m.id)) // the first of equal ids, as ModelPool::find
            byId.insert(m.id, &m);
    std::vector<const PoolModel*> out;
    out.reserve(static_cast<std::size_t>(d.modelCount()));
    for (const QString& name : d.modelNames)
        out.push_back(byId.value(name, nullptr));
    return out;
}

} // namespace

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
    const std::vector<const PoolModel*> models = poolModelPerColumn(*this, pool);
    for (int k = 0; k < modelCount(); ++k) {
        const PoolModel* m = models[k];
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
    const std::vector<const PoolModel*> models = poolModelPerColumn(*this, pool);
    for (int k = 0; k < modelCount(); ++k) {
        const PoolModel* m = models[k];
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
