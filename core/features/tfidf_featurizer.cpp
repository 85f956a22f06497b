#include "features/tfidf_featurizer.h"

#include <QCryptographicHash>
#include <QtEndian>
#include <bit>

#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;
// Distinct starting points keep the three kinds of term apart in hash space.
constexpr std::uint64_t kWordBasis = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kBigramBasis = 0x84222325cbf29ce4ULL;
constexpr std::uint64_t kCharBasis = 0x9e3779b97f4a7c15ULL;
constexpr int kMaxWordBytes = 48; // longer words: the n-grams of their first 48 bytes

bool isWordByte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

std::uint64_t mixBits(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

QByteArray foldedUtf8(const QString& prompt) {
    QByteArray text = prompt.toUtf8();
    for (char& c : text)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return text;
}

} // namespace

TfidfFeaturizer::TfidfFeaturizer(int dimension)
    : dimension_(std::max(dimension, 4)), idf_(kIdfSlots, 1.0f) {}

// Calls visit(hash) for every term of the case-folded UTF-8 text, already bit-mixed.
template <typename Visit> void TfidfFeaturizer::forEachTerm(const QByteArray& text, Visit&& visit) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(text.constData());
    const qsizetype size = text.size();
    std::uint64_t previousWord = 0;
    bool havePrevious = false;
    unsigned char padded[kMaxWordBytes + 2];
    qsizetype i = 0;
    while (i < size) {
        while (i < size && !isWordByte(bytes[i]))
            ++i;
        const qsizetype start = i;
        while (i < size && isWordByte(bytes[i]))
            ++i;
        if (i == start)
            break;
        std::uint64_t word = kWordBasis;
        for (qsizetype j = start; j < i; ++j)
            word = (word ^ bytes[j]) * kFnvPrime;
        visit(mixBits(word));
        if (havePrevious)
            visit(mixBits((previousWord ^ word) * kFnvPrime + kBigramBasis));
        previousWord = word;
        havePrevious = true;

        const int length = static_cast<int>(std::min<qsizetype>(i - start, kMaxWordBytes));
        padded[0] = '<';
        std::copy(bytes + start, bytes + start + length, padded + 1);
        padded[length + 1] = '>';
        const int paddedLength = length + 2;
        for (int s = 0; s + 3 <= paddedLength; ++s) {
            std::uint64_t h = kCharBasis;
            const int end = std::min(s + 5, paddedLength);
            for (int j = s; j < end; ++j) {
                h = (h ^ padded[j]) * kFnvPrime;
                if (j - s >= 2)
                    visit(mixBits(h));
            }
        }
    }
}

void TfidfFeaturizer::fit(const std::vector<const QString*>& trainingPrompts) {
    std::vector<int> documentFrequency(kIdfSlots, 0);
    std::vector<int> lastDocument(kIdfSlots, -1);
    int document = 0;
    for (const QString* prompt : trainingPrompts) {
        forEachTerm(foldedUtf8(*prompt), [&](std::uint64_t h) {
            const auto slot = static_cast<std::size_t>(h & (kIdfSlots - 1));
            if (lastDocument[slot] != document) {
                lastDocument[slot] = document;
                ++documentFrequency[slot];
            }
        });
        ++document;
    }
    documents_ = document;
    // Smoothed IDF: a term in every document still weighs 1, an unseen term the most.
    const double n = static_cast<double>(documents_);
    for (std::size_t s = 0; s < idf_.size(); ++s)
        idf_[s] = static_cast<float>(std::log((1.0 + n) / (1.0 + documentFrequency[s])) + 1.0);
}

Eigen::VectorXf TfidfFeaturizer::transform(const QString& prompt) const {
    const int buckets = dimension_ - 2;
    Eigen::VectorXf v = Eigen::VectorXf::Zero(dimension_);
    const QByteArray text = foldedUtf8(prompt);
    float* out = v.data();
    const float* idf = idf_.data();
    forEachTerm(text, [&](std::uint64_t h) {
        const float weight = idf[h & (kIdfSlots - 1)];
        const auto bucket = static_cast<int>((h >> 20) % static_cast<std::uint64_t>(buckets));
        out[bucket] += (h >> 63) ? -weight : weight;
    });
    const float norm = v.head(buckets).norm();
    if (norm > 0)
        v.head(buckets) /= norm;
    // ln(1 + bytes) / ln(1 + 10,000): about 0.75 for a 1,000-byte prompt, 1 at 10 kB.
    v[buckets] =
        static_cast<float>(std::log1p(static_cast<double>(text.size())) / std::log1p(10000.0));
    v[buckets + 1] = 1.0f;
    return v;
}

SparseTerms TfidfFeaturizer::sparseTerms(const QString& prompt) const {
    std::vector<int> slotOfTerm;
    forEachTerm(foldedUtf8(prompt), [&](std::uint64_t h) {
        slotOfTerm.push_back(static_cast<int>(h & (kIdfSlots - 1)));
    });
    std::sort(slotOfTerm.begin(), slotOfTerm.end());
    SparseTerms terms;
    double squares = 0;
    for (std::size_t i = 0; i < slotOfTerm.size();) {
        std::size_t j = i;
        while (j < slotOfTerm.size() && slotOfTerm[j] == slotOfTerm[i])
            ++j;
        const double weight = (1.0 + std::log(static_cast<double>(j - i))) *
                              idf_[static_cast<std::size_t>(slotOfTerm[i])];
        terms.indices.push_back(slotOfTerm[i]);
        terms.weights.push_back(static_cast<float>(weight));
        squares += weight * weight;
        i = j;
    }
    if (squares > 0) {
        const auto scale = static_cast<float>(1.0 / std::sqrt(squares));
        for (float& w : terms.weights)
            w *= scale;
    }
    return terms;
}

float TfidfFeaturizer::idfOfFirstTerm(const QString& text) const {
    float value = 0;
    bool first = true;
    forEachTerm(foldedUtf8(text), [&](std::uint64_t h) {
        if (first)
            value = idf_[h & (kIdfSlots - 1)];
        first = false;
    });
    return value;
}

QString TfidfFeaturizer::stateFingerprint() const {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const float weight : idf_) {
        const quint32 bits = qToLittleEndian(std::bit_cast<quint32>(weight));
        hash.addData(QByteArrayView(reinterpret_cast<const char*>(&bits), sizeof bits));
    }
    return QString::fromLatin1(hash.result().toHex().left(16));
}

} // namespace routerlab
