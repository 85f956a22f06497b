#pragma once

#include <QDate>
#include <QHash>
#include <QString>

namespace routerlab {

// Daily spending caps of the routing proxy: one over all traffic and one for each client key,
// by UTC day. A call is refused when its expected cost would take a day's spend past a cap;
// what a call actually cost is added when it ends.
class SpendLimits {
public:
    SpendLimits(double perDayUsd, double perKeyPerDayUsd); // 0: no cap

    // Why a call expected to cost `expectedUsd` may not start on `day`; empty when it may.
    QString refusal(const QString& key, double expectedUsd, QDate day) const;
    void add(const QString& key, double usd, QDate day);
    double spentToday(QDate day) const { return day == day_ ? total_ : 0.0; }

private:
    void turnTo(QDate day) const;

    double perDayUsd_;
    double perKeyPerDayUsd_;
    mutable QDate day_;
    mutable double total_ = 0;
    mutable QHash<QString, double> perKey_;
};

} // namespace routerlab
