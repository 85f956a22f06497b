#include "tradeoff/tradeoff_choice.h"

#include <QLocale>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace routerlab {

namespace {

// Quality is the objective of two goals and cost of the third; the other figure breaks ties.
bool better(const OperatingCandidate& a, const OperatingCandidate& b, TradeoffGoal goal) {
    if (goal == TradeoffGoal::CheapestAtQuality) {
        if (a.costPer1kUsd != b.costPer1kUsd)
            return a.costPer1kUsd < b.costPer1kUsd;
        return a.quality > b.quality;
    }
    if (a.quality != b.quality)
        return a.quality > b.quality;
    return a.costPer1kUsd < b.costPer1kUsd;
}

// NaN: the candidate does not report the constrained figure.
double constrained(const OperatingCandidate& c, TradeoffGoal goal) {
    switch (goal) {
    case TradeoffGoal::BestQualityUnderCost:
        return c.costPer1kUsd;
    case TradeoffGoal::CheapestAtQuality:
        return c.quality;
    case TradeoffGoal::BestQualityUnderLatency:
        return c.p95LatencyS;
    }
    return NAN;
}

bool meets(double value, const TradeoffConstraint& constraint) {
    return constraint.goal == TradeoffGoal::CheapestAtQuality ? value >= constraint.limit
                                                              : value <= constraint.limit;
}

QString dollars(double usd) {
    return QStringLiteral("$") + QLocale::c().toString(usd, 'f', usd < 0.1 ? 4 : 2);
}

QString constraintText(const TradeoffConstraint& constraint) {
    switch (constraint.goal) {
    case TradeoffGoal::BestQualityUnderCost:
        return QStringLiteral("at most %1 per 1,000 queries").arg(dollars(constraint.limit));
    case TradeoffGoal::CheapestAtQuality:
        return QStringLiteral("quality at least %1").arg(constraint.limit, 0, 'f', 3);
    case TradeoffGoal::BestQualityUnderLatency:
        return QStringLiteral("p95 latency at most %1 s").arg(constraint.limit, 0, 'f', 2);
    }
    return {};
}

QString mixText(const std::vector<double>& share, const QStringList& models) {
    std::vector<std::size_t> order(share.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return share[a] > share[b]; });
    QStringList parts;
    double named = 0;
    for (const std::size_t k : order) {
        if (parts.size() == 3 || share[k] < 0.005)
            break;
        const QString model = k < static_cast<std::size_t>(models.size())
                                  ? models[static_cast<int>(k)]
                                  : QString::number(k);
        parts << QStringLiteral("%1% %2").arg(qRound(share[k] * 100)).arg(model);
        named += share[k];
    }
    if (1.0 - named >= 0.005)
        parts << QStringLiteral("%1% others").arg(qRound((1.0 - named) * 100));
    return parts.join(QStringLiteral(", "));
}

} // namespace

TradeoffChoice chooseOperatingPoint(const std::vector<OperatingCandidate>& candidates,
                                    const TradeoffConstraint& constraint) {
    TradeoffChoice out;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const double value = constrained(candidates[i], constraint.goal);
        if (std::isnan(value) || std::isnan(candidates[i].quality)) {
            ++out.unknown;
            continue;
        }
        if (!meets(value, constraint))
            continue;
        ++out.qualifying;
        if (!out.chosen || better(candidates[i], candidates[*out.chosen], constraint.goal))
            out.chosen = i;
    }
    return out;
}

QString preferenceText(const Preference& preference) {
    const Preference n = preference.normalised();
    QString text =
        QStringLiteral("quality %1 · cost %2").arg(n.quality, 0, 'f', 2).arg(n.cost, 0, 'f', 2);
    if (n.latency > 0)
        text += QStringLiteral(" · latency %1").arg(n.latency, 0, 'f', 2);
    return text;
}

QString describeCandidate(const OperatingCandidate& candidate, const QStringList& models) {
    QString who;
    switch (candidate.kind) {
    case OperatingCandidate::Kind::SingleModel:
        who = QStringLiteral("%1 alone").arg(candidate.name);
        break;
    case OperatingCandidate::Kind::Router:
        who = QStringLiteral("%1 at %2").arg(candidate.name, preferenceText(candidate.preference));
        break;
    case OperatingCandidate::Kind::SweepPoint:
        who = QStringLiteral("%1 run at %2")
                  .arg(candidate.name, preferenceText(candidate.preference));
        break;
    }
    QString text = QStringLiteral("%1: %2 quality at %3 per 1,000 queries")
                       .arg(who)
                       .arg(candidate.quality, 0, 'f', 3)
                       .arg(dollars(candidate.costPer1kUsd));
    if (!std::isnan(candidate.p95LatencyS))
        text += QStringLiteral(", p95 latency %1 s").arg(candidate.p95LatencyS, 0, 'f', 2);
    if (candidate.kind != OperatingCandidate::Kind::SingleModel && !candidate.share.empty())
        text += QStringLiteral("; ") + mixText(candidate.share, models);
    return text + QLatin1Char('.');
}

QString answerSentence(const std::vector<OperatingCandidate>& candidates,
                       const TradeoffConstraint& constraint, const TradeoffChoice& choice,
                       const QStringList& models) {
    if (!choice.chosen) {
        QString text = QStringLiteral("Nothing meets %1").arg(constraintText(constraint));
        if (choice.unknown > 0)
            text += QStringLiteral(" (%1 points do not report it)").arg(choice.unknown);
        return text + QLatin1Char('.');
    }
    return describeCandidate(candidates[*choice.chosen], models);
}

} // namespace routerlab
