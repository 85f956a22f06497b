#pragma once

#include "common/random.h"
#include "nn/parameter.h"

#include <Eigen/Core>

namespace routerlab {

enum class Activation { Identity, Relu, Tanh };

// y = activation(W x + b) over a batch held as columns. forward() keeps what backward()
// needs, so one layer object serves one forward/backward pair at a time; apply() is the
// const, cache-free path for inference.
class DenseLayer {
public:
    // Weights drawn uniformly with the He (ReLU) or Glorot (otherwise) range; biases zero.
    DenseLayer(int inputs, int outputs, Activation activation, Random& random, const QString& name);

    int inputs() const { return static_cast<int>(weight_.value.cols()); }
    int outputs() const { return static_cast<int>(weight_.value.rows()); }
    Activation activation() const { return activation_; }

    const Eigen::MatrixXf& forward(const Eigen::MatrixXf& input);
    // Adds this batch's weight gradients and returns the gradient with respect to the input.
    Eigen::MatrixXf backward(const Eigen::MatrixXf& outputGradient);
    Eigen::VectorXf apply(const Eigen::VectorXf& input) const;

    ParameterList parameters() { return {&weight_, &bias_}; }

private:
    void activate(Eigen::MatrixXf& values) const;

    Parameter weight_;
    Parameter bias_;
    Activation activation_;
    Eigen::MatrixXf input_;
    Eigen::MatrixXf output_;
};

} // namespace routerlab
