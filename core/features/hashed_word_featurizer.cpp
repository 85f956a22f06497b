#include "features/featurizer.h"

#include <cmath>
#include <cstdint>

namespace routerlab {

namespace {

std::uint64_t fnv1a(const char* data, std::size_t size,
                    std::uint64_t hash = 0xcbf29ce484222325ULL) {
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

// ASCII letters and digits, and every byte of a multi-byte UTF-8 character; no locale involved.
bool isWordByte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

} // namespace

Eigen::VectorXf HashedWordFeaturizer::transform(const QString& prompt) const {
    const int buckets = dimension_ - 1;
    Eigen::VectorXf v = Eigen::VectorXf::Zero(dimension_);
    const QByteArray text = prompt.toLower().toUtf8();
    std::uint64_t previous = 0;
    bool havePrevious = false;
    qsizetype i = 0;
    while (i < text.size()) {
        while (i < text.size() && !isWordByte(static_cast<unsigned char>(text[i])))
            ++i;
        const qsizetype start = i;
        while (i < text.size() && isWordByte(static_cast<unsigned char>(text[i])))
            ++i;
        if (i == start)
            break;
        const std::uint64_t word =
            fnv1a(text.constData() + start, static_cast<std::size_t>(i - start));
        v[static_cast<int>(word % buckets)] += 1.0f;
        if (havePrevious) {
            char bytes[8]; // little-endian whatever the machine, so hashes agree everywhere
            for (int b = 0; b < 8; ++b)
                bytes[b] = static_cast<char>((word >> (8 * b)) & 0xff);
            const std::uint64_t pair = fnv1a(bytes, sizeof bytes, previous);
            v[static_cast<int>(pair % buckets)] += 1.0f;
        }
        previous = word;
        havePrevious = true;
    }
    for (int k = 0; k < buckets; ++k)
        v[k] = std::log1p(v[k]);
    const float norm = v.head(buckets).norm();
    if (norm > 0)
        v.head(buckets) /= norm;
    v[buckets] = 1.0f; // bias: lets a linear model learn each arm's base rate
    return v;
}

} // namespace routerlab
