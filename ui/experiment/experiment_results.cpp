#include "ui/experiment/experiment_results.h"

#include <QJsonArray>

namespace routerlab {

std::vector<QJsonObject> ExperimentResults::simulateRows() const {
    std::vector<QJsonObject> rows;
    for (const QJsonValue& v : simulate.value(QStringLiteral("routers")).toArray())
        rows.push_back(v.toObject());
    for (const char* key : {"oracle", "random", "best_single"})
        if (simulate.contains(QLatin1String(key)))
            rows.push_back(simulate.value(QLatin1String(key)).toObject());
    return rows;
}

std::vector<QJsonObject> ExperimentResults::sweepCurves() const {
    std::vector<QJsonObject> curves;
    for (const QJsonValue& v : sweep.value(QStringLiteral("routers")).toArray())
        curves.push_back(v.toObject());
    if (sweep.contains(QStringLiteral("oracle")))
        curves.push_back(sweep.value(QStringLiteral("oracle")).toObject());
    return curves;
}

} // namespace routerlab
