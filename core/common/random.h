#pragma once

#include <cstdint>
#include <random>

namespace routerlab {

// A random source whose numbers are the same on every machine and standard library:
// std::mt19937_64 is specified bit for bit, but std's distributions are not, so we derive
// uniforms and normals ourselves.
class Random {
public:
    explicit Random(std::uint64_t seed) : engine_(seed) {}

    // Seed for a child stream (a cell, a model, a prompt) that does not depend on draw order.
    static std::uint64_t mix(std::uint64_t seed, std::uint64_t stream);

    std::uint64_t nextU64() { return engine_(); }
    double uniform(); // [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int uniformInt(int n); // 0..n-1
    double normal();       // standard normal (Box-Muller, no cached pair)
    double normal(double mean, double sd) { return mean + sd * normal(); }
    bool bernoulli(double p) { return uniform() < p; }

private:
    std::mt19937_64 engine_;
};

} // namespace routerlab
