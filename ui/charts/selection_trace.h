#pragma once

#include "sim/simulation.h"

#include <vector>

namespace routerlab {

// A router's model mix over a run, sampled at a few hundred steps: the probabilities the
// router itself reports (Router::snapshot()) when they are a distribution over the models,
// else the share of each model among its recent choices.
struct SelectionTrace {
    std::vector<int> steps;                  // step index of each sample
    std::vector<std::vector<double>> shares; // per sample, one value per model, summing to 1
    bool fromRouter = false;                 // true: the router's own probabilities
};

// Replays `cell` exactly as runCell does (same seed, same feedback), reading the router's
// snapshot at `samples` evenly spaced steps. `log` is that cell's step log: when the snapshot
// is not a distribution (Q-values, scores, nothing) the shares come from it instead.
SelectionTrace traceSelection(const SimulationSetup& setup, const Cell& cell,
                              const RewardTable& table, const StepLog& log, int samples);

} // namespace routerlab
