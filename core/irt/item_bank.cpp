#include "irt/item_bank.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <stdexcept>

namespace routerlab {

ItemBank::ItemBank(const IrtModel& model, const Eigen::MatrixXf& features,
                   const std::vector<IrtObservation>& observations,
                   const ItemCalibration& calibration) {
    if (features.rows() != model.featureDimension())
        throw std::invalid_argument("the features do not match the IRT model's dimension");
    const int d = model.dimension();
    const Eigen::Index rows = features.cols();
    discrimination_.resize(d, rows);
    difficulty_.resize(rows);
    calibrated_.assign(static_cast<std::size_t>(rows), 0);
    for (Eigen::Index r = 0; r < rows; ++r) {
        discrimination_.col(r) = model.discrimination(features.col(r));
        difficulty_[r] = model.difficulty(features.col(r));
    }
    predicted_.resize(d + 1, rows);
    predicted_.topRows(d) = discrimination_;
    predicted_.row(d) = difficulty_.transpose();

    std::vector<std::vector<const IrtObservation*>> answersOf(static_cast<std::size_t>(rows));
    for (const IrtObservation& o : observations) {
        if (o.row < 0 || o.row >= rows || o.model < 0 || o.model >= model.modelCount())
            throw std::out_of_range("an observation outside the IRT fit's prompts or models");
        answersOf[static_cast<std::size_t>(o.row)].push_back(&o);
    }
    std::vector<Eigen::VectorXd> identities; // (theta_m, -1): the item's logit is v . u
    for (int m = 0; m < model.modelCount(); ++m) {
        Eigen::VectorXd u(d + 1);
        u.head(d) = model.identity(m).mean.cast<double>();
        u[d] = -1;
        identities.push_back(u);
    }
    Eigen::VectorXd priorPrecision(d + 1);
    priorPrecision.head(d).setConstant(
        1.0 / (double(calibration.discriminationSd) * calibration.discriminationSd));
    priorPrecision[d] = 1.0 / (double(calibration.difficultySd) * calibration.difficultySd);

    Eigen::VectorXd item(d + 1), predicted(d + 1), gradient(d + 1);
    Eigen::MatrixXd hessian(d + 1, d + 1);
    for (Eigen::Index r = 0; r < rows; ++r) {
        const auto& answers = answersOf[static_cast<std::size_t>(r)];
        if (answers.empty())
            continue;
        predicted.head(d) = discrimination_.col(r).cast<double>();
        predicted[d] = difficulty_[r];
        item = predicted;
        // Newton's method on the posterior of (alpha, b): a logistic regression of the
        // answers on the known identities, with the prediction as its prior mean.
        for (int iteration = 0; iteration < 30; ++iteration) {
            gradient = priorPrecision.cwiseProduct(item - predicted);
            hessian = priorPrecision.asDiagonal();
            for (const IrtObservation* o : answers) {
                const Eigen::VectorXd& u = identities[static_cast<std::size_t>(o->model)];
                const double p = logistic(item.dot(u));
                gradient += (p - o->score) * u;
                hessian.noalias() += p * (1 - p) * u * u.transpose();
            }
            const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
            item -= step;
            if (step.norm() < 1e-8)
                break;
        }
        discrimination_.col(r) = item.head(d).cast<float>();
        difficulty_[r] = static_cast<float>(item[d]);
        calibrated_[static_cast<std::size_t>(r)] = 1;
    }
}

IdentityPosterior fitIdentity(const ItemBank& items,
                              const std::vector<std::pair<int, float>>& answers,
                              const IdentityPrior& prior) {
    std::vector<AnsweredItem> calibrated, predicted;
    calibrated.reserve(answers.size());
    predicted.reserve(answers.size());
    for (const auto& [row, score] : answers) {
        calibrated.push_back({items.discrimination(row), items.difficulty(row), score});
        predicted.push_back(
            {items.predictedDiscrimination(row), items.predictedDifficulty(row), score});
    }
    IdentityPosterior posterior = fitIdentity(calibrated, prior);
    const Eigen::VectorXf floor = fitIdentity(predicted, prior).covariance.diagonal();
    // Scale rows and columns alike, so the covariance stays one.
    const Eigen::VectorXf scale =
        (floor.array() / posterior.covariance.diagonal().array()).max(1.0f).sqrt();
    posterior.covariance = scale.asDiagonal() * posterior.covariance * scale.asDiagonal();
    return posterior;
}

} // namespace routerlab
