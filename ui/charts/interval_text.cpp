#include "ui/charts/interval_text.h"

#include <QJsonArray>
#include <algorithm>
#include <array>
#include <cmath>

namespace routerlab {

Interval intervalOf(const QJsonObject& object, const QString& key) {
    return intervalFrom(object.value(key + QStringLiteral("_ci95")));
}

Interval intervalFrom(const QJsonValue& value) {
    const QJsonArray pair = value.toArray();
    Interval out;
    if (pair.size() == 2 && pair[0].isDouble() && pair[1].isDouble() &&
        pair[0].toDouble() <= pair[1].toDouble()) {
        out.low = pair[0].toDouble();
        out.high = pair[1].toDouble();
    }
    return out;
}

QString withInterval(double value, const Interval& interval, char format, int precision,
                     double scale, const QString& separator) {
    if (!std::isfinite(value))
        return QStringLiteral("–");
    if (!interval.valid())
        return QString::number(value * scale, format, precision);
    // The ends at the value's decimals: "1.120 [0.950, 1.320]", not "1.12 [0.9497, 1.32]".
    if (format == 'g' && value != 0) {
        const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(value * scale))));
        precision = std::clamp(precision - 1 - magnitude, 0, 12);
        format = 'f';
    }
    const auto text = [&](double v) { return QString::number(v * scale, format, precision); };
    return QStringLiteral("%1%2[%3, %4]")
        .arg(text(value), separator, text(interval.low), text(interval.high));
}

double studentT975(int df) {
    // Two-sided 95% critical values; beyond 30 degrees of freedom the normal's is close.
    static constexpr std::array<double, 30> kTable{
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
    if (df < 1)
        return NAN;
    return df <= static_cast<int>(kTable.size()) ? kTable[static_cast<std::size_t>(df - 1)] : 1.96;
}

std::vector<double> seedHalfWidths(const std::vector<double>& m2, int seeds) {
    std::vector<double> half;
    if (seeds < 2)
        return half;
    const double t = studentT975(seeds - 1);
    half.reserve(m2.size());
    for (const double sumSquares : m2) {
        const double variance = std::max(0.0, sumSquares) / (seeds - 1);
        half.push_back(t * std::sqrt(variance / seeds));
    }
    return half;
}

} // namespace routerlab
