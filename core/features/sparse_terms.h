#pragma once

#include <vector>

namespace routerlab {

// A prompt as weighted terms: distinct term slots in ascending order and their weights, with
// an L2 norm of 1 (empty for a prompt without terms). Routers that compare prompts by the
// terms they share search these through an inverted index instead of dense vectors, which
// would have to fold hundreds of thousands of terms into a few hundred dimensions.
struct SparseTerms {
    std::vector<int> indices;
    std::vector<float> weights;

    float dot(const SparseTerms& other) const;
};

} // namespace routerlab
