#include "ui/experiment/experiment_results.h"

#include "experiment/experiment_plan.h"

#include <QJsonArray>

namespace routerlab {

namespace {

QString runSeparator() {
    return QStringLiteral(" · ");
}

} // namespace

QString overlayName(const QString& runLabel, const QString& router) {
    return runLabel + runSeparator() + router;
}

QString routerOfName(const QString& name) {
    // Router specs never hold the separator (name:key=value,...), so its first place is the
    // end of the label.
    const qsizetype at = name.indexOf(runSeparator());
    return at < 0 ? name : name.mid(at + runSeparator().size());
}

std::vector<QJsonObject> ExperimentResults::simulateRows() const {
    std::vector<QJsonObject> rows;
    for (const QJsonValue& v : simulate.value(QStringLiteral("routers")).toArray())
        rows.push_back(v.toObject());
    for (const QString& router : simulateReferenceRouters())
        if (simulate.contains(resultKeyOf(router)))
            rows.push_back(simulate.value(resultKeyOf(router)).toObject());
    return rows;
}

std::vector<QJsonObject> ExperimentResults::sweepCurves() const {
    std::vector<QJsonObject> curves;
    for (const QJsonValue& v : sweep.value(QStringLiteral("routers")).toArray())
        curves.push_back(v.toObject());
    if (sweep.contains(sweepUpperBoundKey()))
        curves.push_back(sweep.value(sweepUpperBoundKey()).toObject());
    return curves;
}

} // namespace routerlab
