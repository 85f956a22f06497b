#pragma once

#include "irt/irt_model.h"

#include <Eigen/Core>
#include <utility>
#include <vector>

namespace routerlab {

// How far a calibrated item may move from the item maps' prediction: the standard deviations
// of its Gaussian prior around that prediction. A prompt's discrimination rests on the few
// known models' answers; the quiz picks the prompts that look most discriminating, so a looser
// prior let it pick those whose discrimination the answers overstate. At 0.5 instead of 1,
// 30-prompt quizzes aimed at the level recovered 63% of the routing gain on RouterBench instead
// of 52% (the sample 53% against 41%; five-point cost sweep, 20 draws).
struct ItemCalibration {
    float discriminationSd = 0.5f;
    float difficultySd = 2.0f;
};

// The item (discrimination, difficulty) of every prompt of a feature matrix: the IRT fit's
// prediction from the prompt's features, refined on each prompt the known models answered by
// those answers (the posterior mode, their identities fixed). A quiz asks such prompts; chosen
// and read with calibrated items, its answers say more about a new model, whose identity then
// routes by predicted items like every other's. Measured with the earlier quiz (prompts chosen
// for the predictive variance over all prompts; k = 30, five quizzes) on the models whose
// full-data identity brings a gain: RouterBench 59% of that gain recovered, against 3% with
// predicted items; the sample 44%, against 34%.
class ItemBank {
public:
    ItemBank() = default;
    ItemBank(const IrtModel& model, const Eigen::MatrixXf& features,
             const std::vector<IrtObservation>& observations,
             const ItemCalibration& calibration = {});

    Eigen::VectorXf discrimination(int row) const { return discrimination_.col(row); }
    float difficulty(int row) const { return difficulty_[row]; }
    // The IRT fit's prediction, before calibration.
    Eigen::VectorXf predictedDiscrimination(int row) const {
        return predicted_.col(row).head(dimension());
    }
    float predictedDifficulty(int row) const { return predicted_(dimension(), row); }
    int dimension() const { return static_cast<int>(discrimination_.rows()); }
    bool isCalibrated(int row) const { return calibrated_[static_cast<std::size_t>(row)] != 0; }
    double probability(int row, const Identity& identity) const {
        return IrtModel::probability(discrimination(row), difficulty(row), identity);
    }

private:
    Eigen::MatrixXf discrimination_; // d x rows
    Eigen::VectorXf difficulty_;
    Eigen::MatrixXf predicted_; // (d + 1) x rows: discrimination, then difficulty
    std::vector<char> calibrated_;
};

// A new model's identity from its answers on the bank's prompts: the posterior mode on the
// calibrated items, with a variance no smaller than the predicted items give. Routing reads
// the identity through predicted items, where the calibration's extra certainty does not
// hold: on the same quizzes of the sample's models that bring no gain (their full-data
// identities draw little traffic), the calibrated variance alone cost 0.054 in reward summed
// over a five-point sweep, the wider one 0.038.
IdentityPosterior fitIdentity(const ItemBank& items,
                              const std::vector<std::pair<int, float>>& answers,
                              const IdentityPrior& prior);

} // namespace routerlab
