#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"
#include "irt/quiz_study.h"
#include "reward/preference.h"

#include <Eigen/Core>
#include <QString>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace routerlab {

class ChatClient;
class Scorer;
class SimulationSetup;

// What the wizard asks for: a model of the dataset held out (simulated from its recorded
// answers) or a model at an endpoint (asked live and scored against the references).
struct QuizRequest {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const ModelPool> pool;
    int heldOut = -1;                       // a dataset column; -1 for the endpoint model
    std::optional<PoolModel> endpointModel; // set when heldOut is -1
    QString scorer = QStringLiteral("normalised");
    Preference preference;
    int budget = 30;
    std::uint64_t seed = 1;
};

// The slow part of a quiz (the IRT fit and the set policy of the other models), kept between
// runs so that another budget or another endpoint answers in milliseconds.
struct QuizPreparation {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const ModelPool> pool;
    int heldOut = -1;
    Preference preference;
    std::unique_ptr<SimulationSetup> setup; // the study reads its problem
    std::unique_ptr<QuizStudy> study;
    // Predicted P(answers well) of every known model, averaged over each category's prompts:
    // categories x knownModels().
    Eigen::MatrixXd knownCategoryQuality;

    ~QuizPreparation();
    bool serves(const QuizRequest& request) const;
};

// One point of the budget curve. Routing figures are NaN for an endpoint model (no recorded
// outcomes to score against); identitySd is filled for both.
struct BudgetPoint {
    int budget = 0;
    double reward = 0;
    double recovery = 0;
    double predictionRecovery = 0;
    double identitySd = 0; // root of the identity's mean posterior variance
};

struct QuizReport {
    QuizOutcome outcome;
    std::vector<BudgetPoint> curve;              // ascending budgets, the chosen one last
    double priorSd = 0;                          // identitySd before any answer
    std::vector<double> categoryQuality;         // the quizzed identity's, per category
    std::vector<double> recordedCategoryQuality; // the held-out model's records; NaN otherwise
};

// Thrown from the study's callbacks to stop it when the person cancels.
struct QuizCancelled {};

// One run on the worker: prepares (or reuses `preparation`), asks `request.budget` prompts and
// draws the budget curve. Inputs are set before the worker starts; progress is shared through
// atomics and `mutex`.
struct QuizJob {
    QuizRequest request;
    std::shared_ptr<QuizPreparation> preparation; // reused when it serves the request

    std::atomic_bool cancelRequested = false;
    std::atomic_int preparedPermille = 0;
    std::atomic_int answered = 0;
    std::atomic_bool preparing = false;

    std::mutex mutex;
    QString error; // readable; empty on success or cancel
    bool cancelled = false;
    std::optional<QuizReport> report;
    QString lastAnswerNote; // the last live answer, for the status line

    void run();

private:
    void prepare();
    float askEndpoint(int row, ChatClient& client, Scorer& scorer);
};

// The budgets of the curve: 5, 10, 20, 30, 50, 100 up to `budget`, and `budget` itself.
std::vector<int> curveBudgets(int budget);

} // namespace routerlab
