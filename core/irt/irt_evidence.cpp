#include "irt/irt_evidence.h"

#include <algorithm>
#include <cmath>

namespace routerlab {

std::vector<IrtObservation> trainingObservations(const RoutingProblem& problem, int skipModel) {
    std::vector<IrtObservation> out;
    out.reserve(problem.trainingRows.size() * static_cast<std::size_t>(problem.modelCount()));
    for (const int row : problem.trainingRows)
        for (int k = 0; k < problem.modelCount(); ++k) {
            const double q = (*problem.quality)(row, k);
            if (k == skipModel || std::isnan(q))
                continue;
            out.push_back({row, skipModel >= 0 && k > skipModel ? k - 1 : k,
                           static_cast<float>(std::clamp(q, 0.0, 1.0))});
        }
    return out;
}

} // namespace routerlab
