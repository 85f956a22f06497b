#pragma once

#include <Eigen/Core>
#include <QDataStream>
#include <QString>
#include <vector>

namespace routerlab {

// A trainable tensor with its gradient; layers own them, optimisers update them in place.
struct Parameter {
    QString name;
    Eigen::MatrixXf value;
    Eigen::MatrixXf gradient;

    void resize(Eigen::Index rows, Eigen::Index cols) {
        value.setZero(rows, cols);
        gradient.setZero(rows, cols);
    }
};

using ParameterList = std::vector<Parameter*>;

void zeroGradients(const ParameterList& parameters);
// Scales all gradients together so their joint L2 norm is at most maxNorm; returns the norm
// before clipping.
float clipGradientNorm(const ParameterList& parameters, float maxNorm);

// Values as little-endian float32, shapes first, so a file reads the same on any machine.
// readParameters throws std::runtime_error naming the parameter whose shape does not match.
void writeParameters(QDataStream& stream, const ParameterList& parameters);
void readParameters(QDataStream& stream, const ParameterList& parameters);

} // namespace routerlab
