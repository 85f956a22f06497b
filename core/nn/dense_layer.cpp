#include "nn/dense_layer.h"

#include <cmath>

namespace routerlab {

DenseLayer::DenseLayer(int inputs, int outputs, Activation activation, Random& random,
                       const QString& name)
    : activation_(activation) {
    weight_.name = name + QStringLiteral(".weight");
    bias_.name = name + QStringLiteral(".bias");
    weight_.resize(outputs, inputs);
    bias_.resize(outputs, 1);
    const double limit = activation == Activation::Relu ? std::sqrt(6.0 / inputs)
                                                        : std::sqrt(6.0 / (inputs + outputs));
    // Column-major fill order is part of the format: the same seed gives the same network.
    for (Eigen::Index i = 0; i < weight_.value.size(); ++i)
        weight_.value.data()[i] = static_cast<float>(random.uniform(-limit, limit));
}

void DenseLayer::activate(Eigen::MatrixXf& values) const {
    switch (activation_) {
    case Activation::Relu:
        values = values.cwiseMax(0.0f);
        break;
    case Activation::Tanh:
        values = values.array().tanh().matrix();
        break;
    case Activation::Identity:
        break;
    }
}

const Eigen::MatrixXf& DenseLayer::forward(const Eigen::MatrixXf& input) {
    input_ = input;
    output_.noalias() = weight_.value * input;
    output_.colwise() += bias_.value.col(0);
    activate(output_);
    return output_;
}

Eigen::MatrixXf DenseLayer::backward(const Eigen::MatrixXf& outputGradient) {
    Eigen::MatrixXf preActivation;
    switch (activation_) {
    case Activation::Relu:
        preActivation = (output_.array() > 0.0f).select(outputGradient, 0.0f);
        break;
    case Activation::Tanh:
        preActivation = outputGradient.array() * (1.0f - output_.array().square());
        break;
    case Activation::Identity:
        preActivation = outputGradient;
        break;
    }
    weight_.gradient.noalias() += preActivation * input_.transpose();
    bias_.gradient.col(0) += preActivation.rowwise().sum();
    Eigen::MatrixXf inputGradient;
    inputGradient.noalias() = weight_.value.transpose() * preActivation;
    return inputGradient;
}

Eigen::VectorXf DenseLayer::apply(const Eigen::VectorXf& input) const {
    Eigen::MatrixXf values = weight_.value * input + bias_.value;
    activate(values);
    return values.col(0);
}

} // namespace routerlab
