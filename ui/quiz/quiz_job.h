#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"
#include "irt/quiz_report.h"
#include "irt/quiz_study.h"
#include "reward/preference.h"

#include <Eigen/Core>
#include <QString>
#include <atomic>
#include <functional>
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
    // Quizzes per budget with other draws of their prompts, for a model with records (an
    // endpoint's is asked once: each draw would pay for its answers).
    int draws = 10;
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

// Thrown from the study's callbacks to stop it when the person cancels.
struct QuizCancelled {};

// One run in the wizard's background job: prepares (or reuses `preparation`), asks
// `request.budget` prompts and draws the budget curve. Inputs are set before the job starts;
// progress is shared through atomics and `mutex`.
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
    void prepareUnlessServed();
    void prepare();
    QuizReport quiz();
    QuizReport quizEndpoint(const QuizStudy& study);
    QuizReport askAndReport(const QuizStudy& study, const std::function<float(int row)>& answer);
    void throwIfCancelled() const;
    float askEndpoint(int row, ChatClient& client, Scorer& scorer);
};

} // namespace routerlab
