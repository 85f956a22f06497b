#pragma once

#include "irt/irt_model.h"
#include "routing/router.h"

#include <vector>

namespace routerlab {

// The recorded scores of the training rows as IRT evidence (missing cells left out). With
// `skipModel` >= 0 that model's answers are left out too and later models move down one
// index, as in an IRT fit that never saw it (a model about to be quizzed).
std::vector<IrtObservation> trainingObservations(const RoutingProblem& problem, int skipModel = -1);

} // namespace routerlab
