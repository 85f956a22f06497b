#include "live/live_runner.h"

#include "metrics/series_stats.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {

// What a record keeps of any call, answer or judge.
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
    if (!std::isnan(meanFirstTokenS))
        live.insert(QStringLiteral("mean_first_token_s"), meanFirstTokenS);
    if (sessionId > 0)
        live.insert(QStringLiteral("session_id"), sessionId);
    return {{QStringLiteral("routers"), QJsonArray{router}}, {QStringLiteral("live"), live}};
}

LiveRunner::LiveRunner(const SimulationSetup& setup, const ModelPool& pool, ChatClient& client,
                       LiveCallLog* log)
    : setup_(setup), pool_(pool), client_(client), log_(log) {}

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

LiveResult
LiveRunner::run(const LiveOptions& options, const std::function<void(int, int)>& progress,
                const std::function<std::optional<double>(const ScoreInput&)>& askPerson) {
    const RoutingProblem& problem = setup_.problem();
    const Dataset& dataset = setup_.dataset();
    const int models = problem.modelCount();
    std::vector<const PoolModel*> priced(models, nullptr);
    std::vector<Endpoint> endpoints(models);
    for (int k = 0; k < models; ++k) {
        priced[k] = pool_.find(problem.modelNames[k]);
        if (!priced[k])
            throw std::invalid_argument(QStringLiteral("model '%1' is not in the pool")
                                            .arg(problem.modelNames[k])
                                            .toStdString());
        endpoints[k] = endpointOf(*priced[k], options);
        if (endpoints[k].baseUrl.isEmpty())
            throw std::invalid_argument(QStringLiteral("pool model '%1' has no endpoint.base_url; "
                                                       "add one to the pool or give a base URL")
                                            .arg(problem.modelNames[k])
                                            .toStdString());
    }
    ScorerContext context;
    context.client = &client_;
    context.pool = &pool_;
    context.endpointOf = [this, &options](const PoolModel& m) { return endpointOf(m, options); };
    context.askPerson = askPerson;
    const std::unique_ptr<Scorer> scorer = makeScorer(options.scorer, context);

    const RewardFunction reward(problem.rewardKind, problem.scales, options.preference);
    const RewardTable table = buildRewardTable(setup_, options.preference); // recorded oracle
    std::unique_ptr<Router> router = RouterRegistry::instance().create(options.router, problem);
    router->reset(options.seed);

    LiveResult result;
    if (log_) {
        LiveSessionRecord session;
        session.router = options.router.toString();
        session.scorer = options.scorer;
        session.preferenceJson = options.preference.toString().toUtf8();
        session.seed = options.seed;
        session.configJson = options.configJson.isEmpty() ? QByteArray("{}") : options.configJson;
        session.budgetUsd = options.budgetUsd;
        result.sessionId = log_->startSession(session);
    }

    const std::vector<int>& rows = setup_.scoredRows();
    const std::vector<int>& starts = setup_.sessionStarts();
    const int total = options.limit > 0
                          ? std::min<int>(options.limit, static_cast<int>(rows.size()))
                          : static_cast<int>(rows.size());
    double firstTokenSum = 0;
    int firstTokenCount = 0;
    std::size_t nextSession = 0;
    for (int t = 0; t < total; ++t) {
        if (nextSession < starts.size() && starts[nextSession] == t) {
            router->startSession();
            ++nextSession;
        }
        if (cancelled_) {
            result.stopReason = QStringLiteral("cancelled");
            break;
        }
        const int row = rows[t];
        const Query query{row, dataset.promptCategory[row]};
        const Decision decision = router->route(query, reward);
        const int k = decision.model;
        if (options.budgetUsd > 0 && result.spentUsd + problem.meanCost[k] > options.budgetUsd) {
            result.stopReason = QStringLiteral("budget");
            break;
        }

        ChatCall call;
        call.modelId = problem.modelNames[k];
        call.endpoint = endpoints[k];
        call.system = options.system;
        call.prompt = dataset.promptTexts[row];
        call.stream = options.stream;
        call.maxTokens = options.maxTokens;
        const ChatResult answer = client_.call(call, cancelled_);

        LiveCallRecord record;
        record.sessionId = result.sessionId;
        record.step = t;
        record.promptId = dataset.promptIds[row];
        record.model = call.modelId;
        record.decisionJson =
            QJsonDocument(QJsonObject{{QStringLiteral("model"), k},
                                      {QStringLiteral("top_probability"),
                                       std::isnan(decision.topProbability)
                                           ? QJsonValue()
                                           : QJsonValue(decision.topProbability)}})
                .toJson(QJsonDocument::Compact);
        takeCallFields(answer, record);
        record.firstTokenS = answer.firstTokenS;
        if (answer.status == CallStatus::Cancelled) {
            if (log_)
                log_->recordCall(record);
            result.stopReason = QStringLiteral("cancelled");
            break;
        }

        // Only the answering attempt is paid for; a failed call costs nothing we can know of.
        double cost = 0;
        if (answer.ok() && answer.usageReported())
            cost = priced[k]->costOfCall(static_cast<double>(answer.promptTokens),
                                         static_cast<double>(answer.completionTokens));
        else if (answer.ok()) // no usage: estimate as the importers do, 4 characters a token
            cost = priced[k]->costOfCall(
                std::ceil(call.prompt.toUtf8().size() / Dataset::kCharsPerToken),
                std::ceil(answer.text.toUtf8().size() / Dataset::kCharsPerToken));
        double latency =
            answer.ok() ? answer.latencyS : (answer.finishedAtMs - answer.startedAtMs) / 1000.0;
        if (options.latencyFromReplay && answer.replayInfo.contains(QLatin1String("latency_s")))
            latency = answer.replayInfo.value(QLatin1String("latency_s")).toDouble();
        double quality = 0; // a failed call is a failed answer
        Score score;
        if (answer.ok()) {
            score = scorer->score(
                {call.prompt, answer.text, dataset.references[row], answer.replayInfo});
            quality = std::isnan(score.quality) ? 0.0 : score.quality;
            ++result.answered;
            if (!std::isnan(answer.firstTokenS)) {
                firstTokenSum += answer.firstTokenS;
                ++firstTokenCount;
            }
        } else {
            ++result.failed;
        }
        Feedback feedback;
        feedback.quality = quality;
        feedback.cost = cost;
        feedback.latency = latency;
        feedback.reward = reward(quality, cost, latency);
        feedback.normalisedReward = reward.normalise(feedback.reward);
        router->observe(query, k, feedback);
        append(result.log, k, feedback.reward, table.oracle[t], quality, cost, latency,
               decision.topProbability);
        result.spentUsd += cost + score.judgeCostUsd;
        result.judgeCostUsd += score.judgeCostUsd;

        if (log_) {
            record.costUsd = cost;
            record.quality = answer.ok() ? score.quality : 0.0;
            record.reward = feedback.reward;
            if (options.storeResponses)
                record.response = answer.text;
            log_->recordCall(record);
            if (score.judgeCall) {
                const ChatResult& j = *score.judgeCall;
                LiveCallRecord judge;
                judge.sessionId = result.sessionId;
                judge.step = t;
                judge.role = QStringLiteral("judge");
                judge.promptId = record.promptId;
                judge.model = score.judgeModel;
                takeCallFields(j, judge);
                judge.costUsd = score.judgeCostUsd;
                judge.quality = score.quality;
                if (options.storeResponses)
                    judge.response = j.text;
                log_->recordCall(judge);
            }
        }
        if (progress)
            progress(t + 1, total);
    }
    result.summary = summariseStepLog(result.log, starts, models);
    result.summary.complete = result.stopReason == QLatin1String("complete");
    result.meanFirstTokenS = firstTokenCount > 0 ? firstTokenSum / firstTokenCount : std::nan("");
    if (log_)
        log_->finishSession(
            result.sessionId, result.stopReason,
            QJsonDocument(result.toJson(options.router.toString(), problem.modelNames))
                .toJson(QJsonDocument::Compact));
    return result;
}

} // namespace routerlab
