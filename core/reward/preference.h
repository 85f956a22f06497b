#pragma once

#include <QString>

namespace routerlab {

class Random;

// Non-negative weights over the objectives; what the GUI's slider sets. Routers receive it at
// decision time, so one trained router serves every trade-off.
struct Preference {
    double quality = 1.0;
    double cost = 0.0;
    double latency = 0.0;

    // Weights scaled to sum to one (all-zero becomes quality only).
    Preference normalised() const;
    // "quality=0.7,cost=0.3" (any subset, any order; missing weights are 0).
    // Throws std::invalid_argument with a readable message.
    static Preference parse(const QString& text);
    // "quality=0.7,cost=0.3,latency=0": the shortest form that parse() reads back exactly.
    QString toString() const;
    bool operator==(const Preference&) const = default;
};

// A point drawn uniformly from the simplex of the first `objectives` weights (Dirichlet(1, ...,
// 1)); the rest are 0. How routers trained for any preference draw theirs.
Preference samplePreference(Random& random, int objectives);

} // namespace routerlab
