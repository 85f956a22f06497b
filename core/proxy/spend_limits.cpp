#include "proxy/spend_limits.h"

namespace routerlab {

SpendLimits::SpendLimits(double perDayUsd, double perKeyPerDayUsd)
    : perDayUsd_(perDayUsd), perKeyPerDayUsd_(perKeyPerDayUsd) {}

void SpendLimits::turnTo(QDate day) const {
    if (day == day_)
        return;
    day_ = day;
    total_ = 0;
    perKey_.clear();
}

QString SpendLimits::refusal(const QString& key, double expectedUsd, QDate day) const {
    turnTo(day);
    if (perDayUsd_ > 0 && total_ + expectedUsd > perDayUsd_)
        return QStringLiteral("the proxy's budget of $%1 per day is spent ($%2 so far today, UTC)")
            .arg(perDayUsd_, 0, 'f', 2)
            .arg(total_, 0, 'f', 4);
    const double keySpent = perKey_.value(key);
    if (perKeyPerDayUsd_ > 0 && keySpent + expectedUsd > perKeyPerDayUsd_)
        return QStringLiteral("this key's budget of $%1 per day is spent ($%2 so far today, UTC)")
            .arg(perKeyPerDayUsd_, 0, 'f', 2)
            .arg(keySpent, 0, 'f', 4);
    return {};
}

void SpendLimits::add(const QString& key, double usd, QDate day) {
    turnTo(day);
    total_ += usd;
    perKey_[key] += usd;
}

} // namespace routerlab
