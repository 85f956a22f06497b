#include "irt/quiz_adoption.h"

#include "irt/quiz_study.h"

#include <QStringList>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {

constexpr double kNoTraffic = 0.005;

// "quality 0.75 / cost 0.25", "quality 1", "cost 1".
QString weightsText(const Preference& preference) {
    const Preference n = preference.normalised();
    QStringList parts;
    const auto add = [&](const char* name, double weight) {
        if (weight > 1e-9)
            parts << QStringLiteral("%1 %2").arg(QLatin1String(name)).arg(weight, 0, 'g', 3);
    };
    add("quality", n.quality);
    add("cost", n.cost);
    add("latency", n.latency);
    return parts.join(QStringLiteral(" / "));
}

QString signedNumber(double value) {
    return QStringLiteral("%1%2")
        .arg(value >= 0 ? QStringLiteral("+") : QString())
        .arg(value, 0, 'f', 3);
}

QString takesText(const AdoptionPoint& p) {
    const double per1000 = 1000 * p.costChangeUsd;
    const QString cost = per1000 >= 0 ? QStringLiteral("$%1 more").arg(per1000, 0, 'f', 2)
                                      : QStringLiteral("$%1 less").arg(-per1000, 0, 'f', 2);
    // Below the figure's last digit the reward is as good as unchanged.
    const QString reward =
        std::abs(p.rewardChange) < 0.0005
            ? QStringLiteral("leaves the reward as it is")
            : QStringLiteral("%1 the reward by %2")
                  .arg(p.rewardChange > 0 ? QStringLiteral("raises") : QStringLiteral("lowers"))
                  .arg(std::abs(p.rewardChange), 0, 'f', 3);
    return QStringLiteral("at %1 it takes %2% of the prompts and %3 (quality %4, %5 per 1,000 "
                          "queries)")
        .arg(weightsText(p.preference))
        .arg(std::round(100 * p.share), 0, 'f', 0)
        .arg(reward, signedNumber(p.qualityChange), cost);
}

} // namespace

std::vector<Preference> adoptionPreferences(int points) {
    std::vector<Preference> out;
    for (int i = 0; i < points; ++i) {
        const double cost = points > 1 ? double(i) / (points - 1) : 0.0;
        out.push_back({1.0 - cost, cost, 0.0});
    }
    return out;
}

std::vector<AdoptionPoint> adoptionSweep(const QuizStudy& study, const Identity& identity,
                                         const std::vector<Preference>& preferences) {
    if (!study.hasRecords())
        throw std::invalid_argument("adoption is judged on the new model's recorded answers");
    std::vector<AdoptionPoint> out;
    for (const Preference& preference : preferences) {
        const QuizRouting with = study.route(&identity, preference);
        const QuizRouting without = study.route(nullptr, preference);
        out.push_back({preference, with.newModelShare, with.reward - without.reward,
                       with.quality - without.quality, with.costUsd - without.costUsd});
    }
    return out;
}

QString adoptionSentence(const QString& model, const std::vector<AdoptionPoint>& points) {
    QStringList takes, none;
    for (const AdoptionPoint& p : points)
        if (p.share < kNoTraffic)
            none << weightsText(p.preference);
    for (const AdoptionPoint& p : points)
        if (p.share >= kNoTraffic)
            takes << takesText(p);
    if (takes.isEmpty())
        return QStringLiteral("%1 would take no traffic at any of %2: routing stays as it is.")
            .arg(model, none.join(QStringLiteral(", ")));
    QString sentence = takes.join(QStringLiteral("; "));
    if (!none.isEmpty())
        sentence += QStringLiteral("; at %1 it takes none").arg(none.join(QStringLiteral(", ")));
    sentence[0] = sentence[0].toUpper();
    return sentence + QLatin1Char('.');
}

} // namespace routerlab
