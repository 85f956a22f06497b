#include "reward/preference.h"

#include "common/random.h"

#include <QLocale>
#include <QStringList>
#include <cmath>
#include <stdexcept>

namespace routerlab {

Preference Preference::normalised() const {
    const double sum = quality + cost + latency;
    if (sum <= 0)
        return {1.0, 0.0, 0.0};
    return {quality / sum, cost / sum, latency / sum};
}

Preference Preference::parse(const QString& text) {
    Preference p{0, 0, 0};
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString key = part.section(QLatin1Char('='), 0, 0).trimmed().toLower();
        bool ok = false;
        const double value = part.section(QLatin1Char('='), 1).trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(value) || value < 0)
            throw std::invalid_argument(QStringLiteral("preference '%1': '%2' needs a number >= 0")
                                            .arg(text, part)
                                            .toStdString());
        if (key == QLatin1String("quality") || key == QLatin1String("q"))
            p.quality = value;
        else if (key == QLatin1String("cost") || key == QLatin1String("c"))
            p.cost = value;
        else if (key == QLatin1String("latency") || key == QLatin1String("l"))
            p.latency = value;
        else
            throw std::invalid_argument(QStringLiteral("preference '%1': unknown objective '%2' "
                                                       "(quality, cost, latency)")
                                            .arg(text, key)
                                            .toStdString());
    }
    if (p.quality + p.cost + p.latency <= 0)
        throw std::invalid_argument(
            QStringLiteral("preference '%1': at least one weight must be > 0")
                .arg(text)
                .toStdString());
    return p;
}

QString Preference::toString() const {
    // The shortest text that reads back to the same double: shards and stored experiments
    // carry the preference as text, and 1/3 printed to six digits would come back as another
    // preference (another reward table, another run).
    const auto exact = [](double x) {
        return QString::number(x, 'g', QLocale::FloatingPointShortest);
    };
    return QStringLiteral("quality=%1,cost=%2,latency=%3")
        .arg(exact(quality), exact(cost), exact(latency));
}

Preference samplePreference(Random& random, int objectives) {
    double w[3] = {0, 0, 0};
    double sum = 0;
    for (int i = 0; i < objectives; ++i) {
        double u = random.uniform();
        while (u <= 0.0)
            u = random.uniform();
        w[i] = -std::log(u);
        sum += w[i];
    }
    return {w[0] / sum, w[1] / sum, w[2] / sum};
}

} // namespace routerlab
