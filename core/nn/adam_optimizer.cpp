#include "nn/adam_optimizer.h"

#include <cmath>

namespace routerlab {

AdamOptimizer::AdamOptimizer(ParameterList parameters, Settings settings)
    : parameters_(std::move(parameters)), settings_(settings) {
    for (const Parameter* p : parameters_) {
        firstMoment_.push_back(Eigen::MatrixXf::Zero(p->value.rows(), p->value.cols()));
        secondMoment_.push_back(Eigen::MatrixXf::Zero(p->value.rows(), p->value.cols()));
    }
}

void AdamOptimizer::step() {
    ++steps_;
    const double t = static_cast<double>(steps_);
    const float correction1 = static_cast<float>(1.0 - std::pow(settings_.beta1, t));
    const float correction2 = static_cast<float>(1.0 - std::pow(settings_.beta2, t));
    const float stepSize = settings_.learningRate * std::sqrt(correction2) / correction1;
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        Parameter& p = *parameters_[i];
        Eigen::MatrixXf& m = firstMoment_[i];
        Eigen::MatrixXf& v = secondMoment_[i];
        m = settings_.beta1 * m + (1.0f - settings_.beta1) * p.gradient;
        v = settings_.beta2 * v + (1.0f - settings_.beta2) * p.gradient.cwiseAbs2();
        p.value.array() -= stepSize * m.array() / (v.array().sqrt() + settings_.epsilon);
    }
}

} // namespace routerlab
