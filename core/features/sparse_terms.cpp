#include "features/sparse_terms.h"

namespace routerlab {

float SparseTerms::dot(const SparseTerms& other) const {
    float sum = 0;
    std::size_t i = 0, j = 0;
    while (i < indices.size() && j < other.indices.size()) {
        if (indices[i] < other.indices[j]) {
            ++i;
        } else if (other.indices[j] < indices[i]) {
            ++j;
        } else {
            sum += weights[i++] * other.weights[j++];
        }
    }
    return sum;
}

} // namespace routerlab
