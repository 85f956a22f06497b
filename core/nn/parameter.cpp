#include "nn/parameter.h"

#include <cmath>
#include <stdexcept>

namespace routerlab {

void zeroGradients(const ParameterList& parameters) {
    for (Parameter* p : parameters)
        p->gradient.setZero();
}

float clipGradientNorm(const ParameterList& parameters, float maxNorm) {
    double squared = 0;
    for (const Parameter* p : parameters)
        squared += static_cast<double>(p->gradient.squaredNorm());
    const float norm = static_cast<float>(std::sqrt(squared));
    if (norm > maxNorm && norm > 0) {
        const float scale = maxNorm / norm;
        for (Parameter* p : parameters)
            p->gradient *= scale;
    }
    return norm;
}

void writeParameters(QDataStream& stream, const ParameterList& parameters) {
    stream.setByteOrder(QDataStream::LittleEndian);
    stream.setFloatingPointPrecision(QDataStream::SinglePrecision);
    for (const Parameter* p : parameters) {
        stream << static_cast<qint32>(p->value.rows()) << static_cast<qint32>(p->value.cols());
        const float* data = p->value.data();
        for (Eigen::Index i = 0; i < p->value.size(); ++i)
            stream << data[i];
    }
}

void readParameters(QDataStream& stream, const ParameterList& parameters) {
    stream.setByteOrder(QDataStream::LittleEndian);
    stream.setFloatingPointPrecision(QDataStream::SinglePrecision);
    for (Parameter* p : parameters) {
        qint32 rows = 0, cols = 0;
        stream >> rows >> cols;
        if (stream.status() != QDataStream::Ok)
            throw std::runtime_error(
                QStringLiteral("weights end before '%1'").arg(p->name).toStdString());
        if (rows != p->value.rows() || cols != p->value.cols())
            throw std::runtime_error(QStringLiteral("'%1' is %2x%3 in the file, expected %4x%5")
                                         .arg(p->name)
                                         .arg(rows)
                                         .arg(cols)
                                         .arg(p->value.rows())
                                         .arg(p->value.cols())
                                         .toStdString());
        float* data = p->value.data();
        for (Eigen::Index i = 0; i < p->value.size(); ++i)
            stream >> data[i];
        if (stream.status() != QDataStream::Ok)
            throw std::runtime_error(
                QStringLiteral("weights of '%1' are cut short").arg(p->name).toStdString());
        p->gradient.setZero(rows, cols);
    }
}

} // namespace routerlab
