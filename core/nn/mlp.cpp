#include "nn/mlp.h"

#include <stdexcept>

namespace routerlab {

Mlp::Mlp(const std::vector<int>& sizes, Activation hidden, Random& random, const QString& name) {
    if (sizes.size() < 2)
        throw std::invalid_argument("an MLP needs at least an input and an output size");
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        const bool last = i + 2 == sizes.size();
        layers_.emplace_back(sizes[i], sizes[i + 1], last ? Activation::Identity : hidden, random,
                             QStringLiteral("%1.%2").arg(name).arg(i));
    }
}

std::vector<int> Mlp::sizes() const {
    std::vector<int> out{inputs()};
    for (const DenseLayer& layer : layers_)
        out.push_back(layer.outputs());
    return out;
}

const Eigen::MatrixXf& Mlp::forward(const Eigen::MatrixXf& input) {
    const Eigen::MatrixXf* x = &input;
    for (DenseLayer& layer : layers_)
        x = &layer.forward(*x);
    return *x;
}

Eigen::MatrixXf Mlp::backward(const Eigen::MatrixXf& outputGradient) {
    Eigen::MatrixXf gradient = outputGradient;
    for (auto it = layers_.rbegin(); it != layers_.rend(); ++it)
        gradient = it->backward(gradient);
    return gradient;
}

Eigen::VectorXf Mlp::apply(const Eigen::VectorXf& input) const {
    Eigen::VectorXf x = input;
    for (const DenseLayer& layer : layers_)
        x = layer.apply(x);
    return x;
}

ParameterList Mlp::parameters() {
    ParameterList out;
    for (DenseLayer& layer : layers_)
        for (Parameter* p : layer.parameters())
            out.push_back(p);
    return out;
}

} // namespace routerlab
