#include "common/random.h"

#include <cmath>
#include <numbers>

namespace routerlab {

std::uint64_t Random::mix(std::uint64_t seed, std::uint64_t stream) {
    // splitmix64 finaliser over the pair: cheap, well spread, portable.
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double Random::uniform() {
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

int Random::uniformInt(int n) {
    return n <= 1 ? 0 : static_cast<int>(engine_() % static_cast<std::uint64_t>(n));
}

double Random::normal() {
    double u1 = uniform();
    while (u1 <= 0.0)
        u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

} // namespace routerlab
