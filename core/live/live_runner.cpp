#include "live/live_runner.h"

#include "metrics/series_stats.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <stdexcept>

namespace routerlab {

void takeCallFields(const ChatResult& call, LiveCallRecord& record) {
    record.requestId = call.requestId;
    record.status = callStatusName(call.status);
    record.httpStatus = call.httpStatus;
    record.attempts = call.attempts;
    record.promptTokens = call.promptTokens;
    record.completionTokens = call.completionTokens;
    record.latencyS = call.latencyS;
    record.error = call.error;
    record.startedAtMs = call.startedAtMs;
    record.finishedAtMs = call.finishedAtMs;
}

double answerCostUsd(const PoolModel& model, const QString& prompt, const ChatResult& answer) {
    if (!answer.ok())
        return 0;
    if (answer.usageReported())
        return model.costOfCall(static_cast<double>(answer.promptTokens),
                                static_cast<double>(answer.completionTokens));
    return model.costOfCall(std::ceil(prompt.toUtf8().size() / Dataset::kCharsPerToken),
                            std::ceil(answer.text.toUtf8().size() / Dataset::kCharsPerToken));
}

namespace {

void append(StepLog& log, int model, double reward, double oracle, double quality, double cost,
            double latency, double top) {
    log.model.push_back(model);
    log.reward.push_back(static_cast<float>(reward));
    log.oracleReward.push_back(static_cast<float>(oracle));
    log.quality.push_back(static_cast<float>(quality));
    log.cost.push_back(static_cast<float>(cost));
    log.latency.push_back(static_cast<float>(latency));
    log.topProbability.push_back(static_cast<float>(top));
}

} // namespace

QJsonObject LiveResult::toJson(const QString& routerName, const QStringList& models) const {
    QJsonObject router = summary.toJson(models);
    router.insert(QStringLiteral("name"), routerName);
    QJsonObject live{{QStringLiteral("answered"), answered},
                     {QStringLiteral("failed"), failed},
                     {QStringLiteral("spent_usd"), spentUsd},
                     {QStringLiteral("judge_cost_usd"), judgeCostUsd},
                     {QStringLiteral("stop_reason"), stopReason}};
    if (!firstError.isEmpty())
        live.insert(QStringLiteral("first_error"), firstError);
    if (!std::isnan(meanFirstTokenS))
        live.insert(QStringLiteral("mean_first_token_s"), meanFirstTokenS);
    if (sessionId > 0)
        live.insert(QStringLiteral("session_id"), sessionId);
    return {{QStringLiteral("routers"), QJsonArray{router}}, {QStringLiteral("live"), live}};
}

LiveRunner::LiveRunner(const SimulationSetup& setup, const ModelPool& pool, ChatClient& client,
                       WorkspaceStore* store)
    : setup_(setup), pool_(pool), client_(client), store_(store) {}

void LiveRunner::cancel() {
    cancelled_ = true;
    client_.cancelAll();
}

Endpoint LiveRunner::endpointOf(const PoolModel& model, const LiveOptions& options) const {
    Endpoint e = model.endpoint;
    if (!options.baseUrl.isEmpty())
        e.baseUrl = options.baseUrl;
    if (e.remoteModel.isEmpty())
        e.remoteModel = model.id;
    return e;
}

// One call of run(): the router with its scorer and reward, and what the run has found so far.
class LiveRunner::Run {
public:
    using AskPerson = std::function<std::optional<double>(const ScoreInput&)>;

    Run(LiveRunner& runner, const LiveOptions& options, const AskPerson& askPerson)
        : runner_(runner), options_(options), problem_(runner.setup_.problem()),
          dataset_(runner.setup_.dataset()), models_(pricedEndpoints()),
          scorer_(makeScorer(options.scorer, scorerContext(askPerson))),
          reward_(problem_.rewardKind, problem_.scales, options.preference),
          table_(buildRewardTable(runner.setup_, options.preference)),
          router_(RouterRegistry::instance().create(options.router, problem_)) {
        router_->reset(options.seed);
    }

    LiveResult go(const std::function<void(int, int)>& progress) {
        result_.sessionId = startSession();
        const std::vector<int>& starts = runner_.setup_.sessionStarts();
        const int scored = static_cast<int>(runner_.setup_.scoredRows().size());
        const int total = options_.limit > 0 ? std::min(options_.limit, scored) : scored;
        std::size_t nextSession = 0;
        for (int t = 0; t < total; ++t) {
            if (nextSession < starts.size() && starts[nextSession] == t) {
                router_->startSession();
                ++nextSession;
            }
            if (!step(t))
                break;
            if (progress)
                progress(t + 1, total);
        }
        finish();
        return result_;
    }

private:
    struct PricedEndpoint {
        const PoolModel* model = nullptr; // prices the answers
        Endpoint endpoint;
    };

    std::vector<PricedEndpoint> pricedEndpoints() const {
        std::vector<PricedEndpoint> models(problem_.modelCount());
        for (int k = 0; k < problem_.modelCount(); ++k) {
            const QString& name = problem_.modelNames[k];
            models[k].model = runner_.pool_.find(name);
            if (!models[k].model)
                throw std::invalid_argument(
                    QStringLiteral("model '%1' is not in the pool").arg(name).toStdString());
            models[k].endpoint = runner_.endpointOf(*models[k].model, options_);
            if (models[k].endpoint.baseUrl.isEmpty())
                throw std::invalid_argument(
                    QStringLiteral("pool model '%1' has no endpoint.base_url; "
                                   "add one to the pool or give a base URL")
                        .arg(name)
                        .toStdString());
        }
        return models;
    }

    ScorerContext scorerContext(const AskPerson& askPerson) const {
        ScorerContext context;
        context.client = &runner_.client_;
        context.pool = &runner_.pool_;
        context.endpointOf = [runner = &runner_, options = &options_](const PoolModel& m) {
            return runner->endpointOf(m, *options);
        };
        context.askPerson = askPerson;
        return context;
    }

    qint64 startSession() {
        if (!runner_.store_)
            return 0;
        LiveSessionRecord session;
        session.router = options_.router.toString();
        session.scorer = options_.scorer;
        session.preferenceJson = options_.preference.toString().toUtf8();
        session.seed = options_.seed;
        session.configJson = options_.configJson.isEmpty() ? QByteArray("{}") : options_.configJson;
        session.budgetUsd = options_.budgetUsd;
        return runner_.store_->startLiveSession(session);
    }

    // Routes, calls and learns from prompt `t`; false when the run stops before or during it.
    bool step(int t) {
        if (runner_.cancelled_)
            return stop(QStringLiteral("cancelled"));
        const int row = runner_.setup_.scoredRows()[t];
        const Query query{row, dataset_.promptCategory[row]};
        const Decision decision = router_->route(query, reward_);
        const int k = decision.model;
        if (options_.budgetUsd > 0 && result_.spentUsd + problem_.meanCost[k] > options_.budgetUsd)
            return stop(QStringLiteral("budget"));

        const ChatCall call = callFor(row, k);
        const ChatResult answer = runner_.client_.call(call, runner_.cancelled_);
        LiveCallRecord record = answerRecord(t, row, decision, call, answer);
        if (answer.status == CallStatus::Cancelled) {
            if (runner_.store_)
                runner_.store_->recordLiveCall(record);
            return stop(QStringLiteral("cancelled"));
        }
        const Score score = scoreOf(row, call, answer);
        const Feedback feedback = feedbackOf(k, call, answer, score);
        router_->observe(query, k, feedback);
        append(result_.log, k, feedback.reward, table_.oracle[t], feedback.quality, feedback.cost,
               feedback.latency, decision.topProbability);
        result_.spentUsd += feedback.cost + score.judgeCostUsd;
        result_.judgeCostUsd += score.judgeCostUsd;
        recordAnswer(record, answer, score, feedback);
        return true;
    }

    bool stop(const QString& reason) {
        result_.stopReason = reason;
        return false;
    }

    ChatCall callFor(int row, int k) const {
        ChatCall call;
        call.modelId = problem_.modelNames[k];
        call.endpoint = models_[k].endpoint;
        call.system = options_.system;
        call.prompt = dataset_.promptTexts[row];
        call.stream = options_.stream;
        call.maxTokens = options_.maxTokens;
        return call;
    }

    LiveCallRecord answerRecord(int t, int row, const Decision& decision, const ChatCall& call,
                                const ChatResult& answer) const {
        LiveCallRecord record;
        record.sessionId = result_.sessionId;
        record.step = t;
        record.promptId = dataset_.promptIds[row];
        record.model = call.modelId;
        record.decisionJson =
            QJsonDocument(QJsonObject{{QStringLiteral("model"), decision.model},
                                      {QStringLiteral("top_probability"),
                                       std::isnan(decision.topProbability)
                                           ? QJsonValue()
                                           : QJsonValue(decision.topProbability)}})
                .toJson(QJsonDocument::Compact);
        takeCallFields(answer, record);
        record.firstTokenS = answer.firstTokenS;
        return record;
    }

    // The scorer's verdict on an answer; a failed call has none (and counts as failed).
    Score scoreOf(int row, const ChatCall& call, const ChatResult& answer) {
        if (!answer.ok()) {
            if (++result_.failed == 1)
                result_.firstError = QStringLiteral("%1: %2").arg(call.modelId, answer.error);
            return {};
        }
        ++result_.answered;
        if (!std::isnan(answer.firstTokenS)) {
            firstTokenSum_ += answer.firstTokenS;
            ++firstTokenCount_;
        }
        return scorer_->score(
            {call.prompt, answer.text, dataset_.references[row], answer.replayInfo});
    }

    Feedback feedbackOf(int k, const ChatCall& call, const ChatResult& answer,
                        const Score& score) const {
        Feedback feedback;
        // A failed call is a failed answer; a missing verdict teaches as quality 0.
        feedback.quality = answer.ok() && !std::isnan(score.quality) ? score.quality : 0.0;
        feedback.cost = answerCostUsd(*models_[k].model, call.prompt, answer);
        feedback.latency =
            answer.ok() ? answer.latencyS : (answer.finishedAtMs - answer.startedAtMs) / 1000.0;
        if (options_.latencyFromReplay && answer.replayInfo.contains(QLatin1String("latency_s")))
            feedback.latency = answer.replayInfo.value(QLatin1String("latency_s")).toDouble();
        feedback.reward = reward_(feedback.quality, feedback.cost, feedback.latency);
        feedback.normalisedReward = reward_.normalise(feedback.reward);
        return feedback;
    }

    void recordAnswer(LiveCallRecord& record, const ChatResult& answer, const Score& score,
                      const Feedback& feedback) {
        if (!runner_.store_)
            return;
        record.costUsd = feedback.cost;
        record.quality = answer.ok() ? score.quality : 0.0;
        record.reward = feedback.reward;
        if (options_.storeResponses)
            record.response = answer.text;
        runner_.store_->recordLiveCall(record);
        if (!score.judgeCall)
            return;
        const ChatResult& j = *score.judgeCall;
        LiveCallRecord judge;
        judge.sessionId = result_.sessionId;
        judge.step = record.step;
        judge.role = QStringLiteral("judge");
        judge.promptId = record.promptId;
        judge.model = score.judgeModel;
        takeCallFields(j, judge);
        judge.costUsd = score.judgeCostUsd;
        judge.quality = score.quality;
        if (options_.storeResponses)
            judge.response = j.text;
        runner_.store_->recordLiveCall(judge);
    }

    void finish() {
        result_.summary =
            summariseStepLog(result_.log, runner_.setup_.sessionStarts(), problem_.modelCount());
        result_.summary.complete = result_.stopReason == QLatin1String("complete");
        result_.meanFirstTokenS =
            firstTokenCount_ > 0 ? firstTokenSum_ / firstTokenCount_ : std::nan("");
        if (runner_.store_)
            runner_.store_->finishLiveSession(
                result_.sessionId, result_.stopReason,
                QJsonDocument(result_.toJson(options_.router.toString(), problem_.modelNames))
                    .toJson(QJsonDocument::Compact));
    }

    LiveRunner& runner_;
    const LiveOptions& options_;
    const RoutingProblem& problem_;
    const Dataset& dataset_;
    const std::vector<PricedEndpoint> models_;
    const std::unique_ptr<Scorer> scorer_;
    const RewardFunction reward_;
    const RewardTable table_; // the recorded oracle
    const std::unique_ptr<Router> router_;
    LiveResult result_;
    double firstTokenSum_ = 0;
    int firstTokenCount_ = 0;
};

LiveResult
LiveRunner::run(const LiveOptions& options, const std::function<void(int, int)>& progress,
                const std::function<std::optional<double>(const ScoreInput&)>& askPerson) {
    return Run(*this, options, askPerson).go(progress);
}

} // namespace routerlab
