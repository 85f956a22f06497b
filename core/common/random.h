#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

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

// Shuffles so that items[0, count) are a uniform random draw, in random order, and returns
// that front's size. Covering them all, it is the backward Fisher-Yates shuffle over the whole
// vector; otherwise only `count` draws, so a training epoch that visits a part of large data
// does not pay for all of it.
template <typename T>
std::size_t shuffleFront(std::vector<T>& items, std::size_t count, Random& random) {
    const std::size_t n = items.size();
    if (count >= n) {
        for (std::size_t i = n; i > 1; --i)
            std::swap(items[i - 1], items[static_cast<std::size_t>(random.uniformInt(int(i)))]);
        return n;
    }
    for (std::size_t i = 0; i < count; ++i)
        std::swap(items[i], items[i + static_cast<std::size_t>(random.uniformInt(int(n - i)))]);
    return count;
}

} // namespace routerlab
