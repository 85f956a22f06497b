#include "ui/quiz/quiz_job.h"

#include "features/prompt_features.h"
#include "http/chat_client.h"
#include "live/scorer.h"
#include "sim/simulation.h"

#include <QCoreApplication>
#include <cmath>

namespace routerlab {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("QuizJob", text);
}

double rootMeanVariance(const Eigen::VectorXf& variance) {
    return variance.size() ? std::sqrt(double(variance.mean())) : 0.0;
}

// The rows of each category that the problem uses (training or scored).
std::vector<std::vector<int>> rowsByCategory(const Dataset& dataset,
                                             const RoutingProblem& problem) {
    std::vector<std::vector<int>> rows(std::size_t(dataset.categoryNames.size()));
    for (const std::vector<int>* part : {&problem.trainingRows, &problem.scoredRows})
        for (const int row : *part)
            rows[std::size_t(dataset.promptCategory[std::size_t(row)])].push_back(row);
    return rows;
}

} // namespace

QuizPreparation::~QuizPreparation() = default;

bool QuizPreparation::serves(const QuizRequest& request) const {
    return study && dataset == request.dataset && pool == request.pool &&
           heldOut == request.heldOut && preference == request.preference;
}

std::vector<int> curveBudgets(int budget) {
    std::vector<int> budgets;
    for (const int k : {5, 10, 20, 30, 50, 100})
        if (k < budget)
            budgets.push_back(k);
    budgets.push_back(budget);
    return budgets;
}

void QuizJob::prepare() {
    auto p = std::make_shared<QuizPreparation>();
    p->dataset = request.dataset;
    p->pool = request.pool;
    p->heldOut = request.heldOut;
    p->preference = request.preference;
    SimulationOptions options;
    // The quiz asks training prompts and is judged on the others, as the quiz command does.
    options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    p->setup = std::make_unique<SimulationSetup>(*p->dataset, *p->pool, options);
    const RoutingProblem& problem = p->setup->problem();
    p->study = std::make_unique<QuizStudy>(problem, request.heldOut, request.preference,
                                           QuizStudySettings{}, [this](double f) {
                                               if (cancelRequested)
                                                   throw QuizCancelled{};
                                               preparedPermille = int(1000 * f);
                                           });

    const IrtModel& known = p->study->knownModels();
    const Eigen::MatrixXf& features = problem.features->matrix();
    const std::vector<std::vector<int>> rows = rowsByCategory(*p->dataset, problem);
    p->knownCategoryQuality = Eigen::MatrixXd::Constant(
        Eigen::Index(rows.size()), known.modelCount(), std::numeric_limits<double>::quiet_NaN());
    for (std::size_t c = 0; c < rows.size(); ++c) {
        if (rows[c].empty())
            continue;
        Eigen::VectorXd sum = Eigen::VectorXd::Zero(known.modelCount());
        for (const int row : rows[c])
            sum += known.probabilities(features.col(row)).cast<double>();
        p->knownCategoryQuality.row(Eigen::Index(c)) = (sum / double(rows[c].size())).transpose();
    }
    preparation = std::move(p);
}

float QuizJob::askEndpoint(int row, ChatClient& client, Scorer& scorer) {
    if (cancelRequested)
        throw QuizCancelled{};
    const Dataset& dataset = *request.dataset;
    const PoolModel& model = *request.endpointModel;
    ChatCall call;
    call.modelId = model.id;
    call.endpoint = model.endpoint;
    if (call.endpoint.remoteModel.isEmpty())
        call.endpoint.remoteModel = model.id;
    call.prompt = dataset.promptTexts[std::size_t(row)];
    call.stream = false;
    const ChatResult answer = client.call(call, cancelRequested);
    if (answer.status == CallStatus::Cancelled || cancelRequested)
        throw QuizCancelled{};
    const QString promptId = dataset.promptIds[std::size_t(row)];
    // A failed call says nothing about the model: stop rather than record a wrong answer.
    if (!answer.ok())
        throw std::runtime_error(tr("%1 did not answer prompt %2: %3")
                                     .arg(model.id, promptId, answer.error)
                                     .toStdString());
    const Score score = scorer.score(
        {call.prompt, answer.text, dataset.references[std::size_t(row)], answer.replayInfo});
    const double quality = std::isnan(score.quality) ? 0.0 : score.quality;
    {
        const std::lock_guard lock(mutex);
        lastAnswerNote =
            tr("%1 answered %2: quality %3").arg(model.id, promptId).arg(quality, 0, 'f', 2);
    }
    ++answered;
    return float(quality);
}

void QuizJob::run() {
    try {
        if (!preparation || !preparation->serves(request)) {
            preparing = true;
            prepare();
            preparing = false;
        }
        preparedPermille = 1000;
        const QuizStudy& study = *preparation->study;
        const RoutingProblem& problem = preparation->setup->problem();
        const Dataset& dataset = *request.dataset;
        const Eigen::MatrixXf& features = problem.features->matrix();

        std::unique_ptr<ChatClient> client;
        std::unique_ptr<Scorer> scorer;
        std::function<float(int)> answer;
        if (study.hasRecords()) {
            answer = [&](int row) {
                if (cancelRequested)
                    throw QuizCancelled{};
                ++answered;
                return study.recordedAnswer(row);
            };
        } else {
            if (!request.endpointModel || request.endpointModel->endpoint.baseUrl.isEmpty())
                throw std::runtime_error(
                    tr("the new model needs an endpoint base URL").toStdString());
            ClientOptions options;
            options.maxRetries = 1;
            options.connectTimeoutS = 5;
            options.requestTimeoutS = 60;
            client = std::make_unique<ChatClient>(options);
            scorer = makeScorer(request.scorer);
            answer = [&](int row) { return askEndpoint(row, *client, *scorer); };
        }

        QuizReport report;
        report.outcome = study.quiz(request.budget, dataset.promptCategory, answer, request.seed);
        const Identity& identity = report.outcome.identity;

        // The budget curve. With records, each shorter quiz is run and scored (milliseconds);
        // an endpoint's shorter quizzes are the first k answers of this one, since asking
        // again would pay again.
        report.priorSd = rootMeanVariance(study.prior().covariance.diagonal());
        std::vector<std::pair<int, float>> answers;
        for (const QuizStep& step : report.outcome.steps)
            answers.emplace_back(step.row, step.answer);
        for (const int k : curveBudgets(request.budget)) {
            if (cancelRequested)
                throw QuizCancelled{};
            BudgetPoint point;
            point.budget = k;
            if (k == request.budget) {
                point.reward = report.outcome.routing.reward;
                point.recovery = report.outcome.recovery;
                point.predictionRecovery = report.outcome.predictionRecovery;
                point.identitySd = rootMeanVariance(identity.variance);
            } else if (study.hasRecords()) {
                const QuizOutcome shorter = study.quiz(
                    k, dataset.promptCategory, [&](int row) { return study.recordedAnswer(row); },
                    request.seed);
                point.reward = shorter.routing.reward;
                point.recovery = shorter.recovery;
                point.predictionRecovery = shorter.predictionRecovery;
                point.identitySd = rootMeanVariance(shorter.identity.variance);
            } else {
                const std::vector<std::pair<int, float>> prefix(
                    answers.begin(), answers.begin() + std::min<std::size_t>(k, answers.size()));
                const Identity fitted =
                    fitIdentity(study.items(), prefix, study.prior()).diagonal();
                constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
                point.reward = point.recovery = point.predictionRecovery = kUnknown;
                point.identitySd = rootMeanVariance(fitted.variance);
            }
            report.curve.push_back(point);
        }

        const std::vector<std::vector<int>> rows = rowsByCategory(dataset, problem);
        for (std::size_t c = 0; c < rows.size(); ++c) {
            double predicted = 0, recorded = 0;
            int recordedCount = 0;
            for (const int row : rows[c]) {
                predicted += study.knownModels().probability(features.col(row), identity);
                if (study.hasRecords()) {
                    const double q = (*problem.quality)(row, study.newModel());
                    if (!std::isnan(q)) {
                        recorded += q;
                        ++recordedCount;
                    }
                }
            }
            constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
            report.categoryQuality.push_back(rows[c].empty() ? kUnknown
                                                             : predicted / double(rows[c].size()));
            report.recordedCategoryQuality.push_back(recordedCount ? recorded / recordedCount
                                                                   : kUnknown);
        }
        const std::lock_guard lock(mutex);
        this->report = std::move(report);
    } catch (const QuizCancelled&) {
        const std::lock_guard lock(mutex);
        cancelled = true;
    } catch (const std::exception& e) {
        const std::lock_guard lock(mutex);
        error = QString::fromUtf8(e.what());
    }
}

} // namespace routerlab
