#include "ui/quiz/quiz_job.h"

#include "common/error_message.h"
#include "http/chat_client.h"
#include "live/scorer.h"
#include "sim/simulation.h"

#include <QCoreApplication>
#include <QThread>
#include <cmath>

namespace routerlab {

namespace {

QString quizJobTr(const char* text) {
    return QCoreApplication::translate("QuizJob", text);
}

} // namespace

QuizPreparation::~QuizPreparation() = default;

bool QuizPreparation::serves(const QuizRequest& request) const {
    return study && dataset == request.dataset && pool == request.pool &&
           heldOut == request.heldOut && preference == request.preference;
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
    p->study = std::make_unique<QuizStudy>(p->setup->problem(), request.heldOut, request.preference,
                                           QuizStudySettings{}, [this](double f) {
                                               throwIfCancelled();
                                               preparedPermille = int(1000 * f);
                                           });

    p->knownCategoryQuality = knownCategoryQuality(*p->study, *p->dataset);
    preparation = std::move(p);
}

void QuizJob::throwIfCancelled() const {
    if (cancelRequested)
        throw QuizCancelled{};
}

float QuizJob::askEndpoint(int row, ChatClient& client, Scorer& scorer) {
    throwIfCancelled();
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
        throw std::runtime_error(quizJobTr("%1 did not answer prompt %2: %3")
                                     .arg(model.id, promptId, answer.error)
                                     .toStdString());
    const Score score = scorer.score(
        {call.prompt, answer.text, dataset.references[std::size_t(row)], answer.replayInfo});
    const double quality = std::isnan(score.quality) ? 0.0 : score.quality;
    {
        const std::lock_guard lock(mutex);
        lastAnswerNote =
            quizJobTr("%1 answered %2: quality %3").arg(model.id, promptId).arg(quality, 0, 'f', 2);
    }
    ++answered;
    return float(quality);
}

void QuizJob::prepareUnlessServed() {
    if (!preparation || !preparation->serves(request)) {
        preparing = true;
        prepare();
        preparing = false;
    }
    preparedPermille = 1000;
}

QuizReport QuizJob::askAndReport(const QuizStudy& study, const std::function<float(int)>& answer) {
    QuizDrawOptions draws;
    draws.draws = request.draws;
    draws.threads = QThread::idealThreadCount();
    return buildQuizReport(
        study, *request.dataset, curveBudgets(request.budget), answer, request.seed,
        [this] { throwIfCancelled(); }, draws);
}

QuizReport QuizJob::quizEndpoint(const QuizStudy& study) {
    if (!request.endpointModel || request.endpointModel->endpoint.baseUrl.isEmpty())
        throw std::runtime_error(
            quizJobTr("the new model needs an endpoint base URL").toStdString());
    ClientOptions options;
    options.maxRetries = 1;
    options.connectTimeoutS = 5;
    options.requestTimeoutS = 60;
    ChatClient client(options);
    const std::unique_ptr<Scorer> scorer = makeScorer(request.scorer);
    return askAndReport(study, [&](int row) { return askEndpoint(row, client, *scorer); });
}

QuizReport QuizJob::quiz() {
    const QuizStudy& study = *preparation->study;
    if (!study.hasRecords())
        return quizEndpoint(study);
    return askAndReport(study, [&](int row) {
        throwIfCancelled();
        ++answered;
        return study.recordedAnswer(row);
    });
}

void QuizJob::run() {
    try {
        prepareUnlessServed();
        QuizReport placed = quiz();
        const std::lock_guard lock(mutex);
        report = std::move(placed);
    } catch (const QuizCancelled&) {
        const std::lock_guard lock(mutex);
        cancelled = true;
    } catch (...) {
        const std::lock_guard lock(mutex);
        error = currentErrorMessage();
    }
}

} // namespace routerlab
