#pragma once

#include "nn/dense_layer.h"

#include <vector>

namespace routerlab {

// A stack of dense layers: hidden layers share one activation, the last is linear.
// sizes = {inputs, hidden..., outputs}.
class Mlp {
public:
    Mlp(const std::vector<int>& sizes, Activation hidden, Random& random, const QString& name);

    int inputs() const { return layers_.front().inputs(); }
    int outputs() const { return layers_.back().outputs(); }
    std::vector<int> sizes() const;

    const Eigen::MatrixXf& forward(const Eigen::MatrixXf& input);
    Eigen::MatrixXf backward(const Eigen::MatrixXf& outputGradient);
    Eigen::VectorXf apply(const Eigen::VectorXf& input) const;

    ParameterList parameters();

private:
    std::vector<DenseLayer> layers_;
};

} // namespace routerlab
