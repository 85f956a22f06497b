#pragma once

#include "nn/parameter.h"

namespace routerlab {

// Adam (Kingma and Ba 2015) with bias correction, over a fixed list of parameters.
class AdamOptimizer {
public:
    struct Settings {
        float learningRate = 1e-3f;
        float beta1 = 0.9f;
        float beta2 = 0.999f;
        float epsilon = 1e-8f;
    };

    AdamOptimizer(ParameterList parameters, Settings settings);
    // One update from the current gradients; the gradients are left as they are.
    void step();
    void setLearningRate(float rate) { settings_.learningRate = rate; }
    long long steps() const { return steps_; }

private:
    ParameterList parameters_;
    Settings settings_;
    std::vector<Eigen::MatrixXf> firstMoment_;
    std::vector<Eigen::MatrixXf> secondMoment_;
    long long steps_ = 0;
};

} // namespace routerlab
