#include "irt/quiz_report.h"

#include "irt/quiz_continuation.h"

#include "data/dataset.h"
#include "features/prompt_features.h"
#include "routing/router.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <limits>

namespace routerlab {

namespace {

constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();

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

// A quiz's point, with its continuation (`seed` draws the continuation's identities).
BudgetPoint pointOf(int budget, const QuizOutcome& quiz, const QuizStudy& study,
                    std::uint64_t seed) {
    BudgetPoint point;
    point.budget = budget;
    point.reward = quiz.routing.reward;
    point.recovery = quiz.recovery;
    point.predictionRecovery = quiz.predictionRecovery;
    point.identitySd = rootMeanVariance(quiz.identity.variance);
    if (!study.hasRecords()) {
        point.continuationRegret = point.fixedRegret = point.continuationRecovery = kUnknown;
        return point;
    }
    ContinuationSettings settings;
    settings.preference = study.preference();
    settings.seed = seed;
    const ContinuationOutcome continued = continueQuiz(study, quiz.steps, settings, &quiz.choices);
    point.continuationPrompts = continued.routed;
    point.continuationRegret = continued.regret();
    point.fixedRegret = continued.fixedRegret();
    point.continuationRecovery = continued.recovery();
    return point;
}

// The means over a budget's draws, with their intervals.
BudgetPoint meanOverDraws(const std::vector<BudgetPoint>& drawn,
                          const BootstrapOptions& bootstrap) {
    BudgetPoint point;
    point.budget = drawn.front().budget;
    point.draws = int(drawn.size());
    point.reward = point.recovery = point.predictionRecovery = 0;
    point.continuationPrompts = drawn.front().continuationPrompts;
    for (const BudgetPoint& d : drawn) {
        point.continuationRegretDraws.push_back(d.continuationRegret);
        point.fixedRegretDraws.push_back(d.fixedRegret);
        point.continuationRecoveryDraws.push_back(d.continuationRecovery);
        point.continuationRegret += d.continuationRegret / double(drawn.size());
        point.fixedRegret += d.fixedRegret / double(drawn.size());
        point.continuationRecovery += d.continuationRecovery / double(drawn.size());
        point.rewardDraws.push_back(d.reward);
        point.recoveryDraws.push_back(d.recovery);
        point.predictionRecoveryDraws.push_back(d.predictionRecovery);
        point.reward += d.reward;
        point.recovery += d.recovery;
        point.predictionRecovery += d.predictionRecovery;
        point.identitySd += d.identitySd;
    }
    // Sums over n, as the bootstrap's resampled means are: equal draws give the draw itself.
    point.reward /= point.draws;
    point.recovery /= point.draws;
    point.predictionRecovery /= point.draws;
    point.identitySd /= point.draws;
    point.rewardCi95 = drawInterval(point.rewardDraws, bootstrap);
    point.recoveryCi95 = drawInterval(point.recoveryDraws, bootstrap);
    point.predictionRecoveryCi95 = drawInterval(point.predictionRecoveryDraws, bootstrap);
    point.continuationRegretCi95 = drawInterval(point.continuationRegretDraws, bootstrap);
    point.fixedRegretCi95 = drawInterval(point.fixedRegretDraws, bootstrap);
    point.continuationRecoveryCi95 = drawInterval(point.continuationRecoveryDraws, bootstrap);
    return point;
}

// The identity of a quiz's first `budget` answers: what the quiz of that budget with the same
// seed places, since each round's draw and posterior depend only on the rounds before it.
Identity prefixIdentity(int budget, const QuizStudy& study, const QuizOutcome& quiz) {
    std::vector<std::pair<int, float>> answers;
    for (const QuizStep& step : quiz.steps)
        answers.emplace_back(step.row, step.answer);
    answers.resize(std::min<std::size_t>(std::size_t(budget), answers.size()));
    return fitIdentity(study.items(), answers, study.prior()).diagonal();
}

// The curve of a model with records: each draw one quiz of the largest budget (the chosen
// budget's first draw is the report's quiz), each smaller budget judged on its first answers.
// The draws run on worker threads; the study is only read.
std::vector<BudgetPoint> drawnCurve(const QuizStudy& study, const Dataset& dataset,
                                    const std::vector<int>& budgets, const QuizReport& report,
                                    const std::function<void()>& beforeEachPoint,
                                    const QuizDrawOptions& options) {
    const int draws = int(report.drawSeeds.size());
    const int largest = *std::max_element(budgets.begin(), budgets.end());
    const bool reuseFirst = budgets.back() == largest;
    std::vector<std::vector<BudgetPoint>> drawn(budgets.size(), std::vector<BudgetPoint>(draws));
    runQuizTasks(draws, options.threads, [&](int d) {
        QuizOutcome longest;
        if (d == 0 && reuseFirst) {
            longest = report.outcome;
        } else {
            if (beforeEachPoint)
                beforeEachPoint();
            longest = study.quiz(
                largest, dataset.promptCategory, [&](int row) { return study.recordedAnswer(row); },
                report.drawSeeds[d]);
        }
        for (std::size_t b = 0; b < budgets.size(); ++b) {
            const int k = budgets[b];
            if (k == largest) {
                drawn[b][std::size_t(d)] = pointOf(k, longest, study, report.drawSeeds[d]);
                continue;
            }
            const std::size_t asked = std::min<std::size_t>(std::size_t(k), longest.steps.size());
            std::vector<QuizStep> prefix(longest.steps.begin(), longest.steps.begin() + asked);
            drawn[b][std::size_t(d)] =
                pointOf(k, study.judge(std::move(prefix), prefixIdentity(k, study, longest)), study,
                        report.drawSeeds[d]);
        }
    });
    std::vector<BudgetPoint> curve;
    for (const std::vector<BudgetPoint>& points : drawn)
        curve.push_back(meanOverDraws(points, options.bootstrap));
    return curve;
}

// A shorter quiz of a model without records: its identity from the first k answers.
BudgetPoint prefixPoint(int budget, const QuizStudy& study, const QuizOutcome& quiz) {
    BudgetPoint point;
    point.budget = budget;
    point.reward = point.recovery = point.predictionRecovery = kUnknown;
    point.continuationRegret = point.fixedRegret = point.continuationRecovery = kUnknown;
    point.identitySd = rootMeanVariance(prefixIdentity(budget, study, quiz).variance);
    return point;
}

// The quizzed identity's predicted quality per category, and the records' beside it.
void addCategoryQuality(const QuizStudy& study, const Dataset& dataset, QuizReport& report) {
    const RoutingProblem& problem = study.problem();
    const Eigen::MatrixXf& features = problem.features->matrix();
    const Identity& identity = report.outcome.identity;
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
        report.categoryQuality.push_back(rows[c].empty() ? kUnknown
                                                         : predicted / double(rows[c].size()));
        report.recordedCategoryQuality.push_back(recordedCount ? recorded / recordedCount
                                                               : kUnknown);
    }
}

QJsonValue orNull(double value) {
    return std::isnan(value) ? QJsonValue() : QJsonValue(value);
}

QJsonArray toJson(const Eigen::VectorXf& v) {
    QJsonArray a;
    for (const float x : v)
        a.append(double(x));
    return a;
}

QJsonObject toJson(const Identity& identity) {
    return {{QStringLiteral("mean"), toJson(identity.mean)},
            {QStringLiteral("variance"), toJson(identity.variance)}};
}

QJsonObject toJson(const QuizRouting& f) {
    return {{QStringLiteral("mean_quality"), orNull(f.quality)},
            {QStringLiteral("mean_cost_usd"), orNull(f.costUsd)},
            {QStringLiteral("mean_reward"), orNull(f.reward)},
            {QStringLiteral("new_model_share"), orNull(f.newModelShare)}};
}

QJsonArray stepsJson(const std::vector<QuizStep>& steps, const Dataset& dataset) {
    QJsonArray out;
    for (const QuizStep& s : steps)
        out.append(
            QJsonObject{{QStringLiteral("prompt_id"), dataset.promptIds[std::size_t(s.row)]},
                        {QStringLiteral("category"), dataset.categoryNames.value(s.category)},
                        {QStringLiteral("contenders"), s.contenders},
                        {QStringLiteral("variance_reduction"), s.varianceReduction},
                        {QStringLiteral("predicted"), s.predicted},
                        {QStringLiteral("answer"), double(s.answer)}});
    return out;
}

QJsonValue toJson(const Interval& interval) {
    return interval.valid() ? QJsonValue(QJsonArray{interval.low, interval.high}) : QJsonValue();
}

QJsonArray toJson(const std::vector<double>& values) {
    QJsonArray a;
    for (const double x : values)
        a.append(orNull(x));
    return a;
}

QJsonArray curveJson(const std::vector<BudgetPoint>& curve) {
    QJsonArray out;
    for (const BudgetPoint& p : curve)
        out.append(QJsonObject{
            {QStringLiteral("budget"), p.budget},
            {QStringLiteral("draws"), p.draws},
            {QStringLiteral("mean_reward"), orNull(p.reward)},
            {QStringLiteral("mean_reward_ci95"), toJson(p.rewardCi95)},
            {QStringLiteral("mean_reward_draws"), toJson(p.rewardDraws)},
            {QStringLiteral("recovery"), orNull(p.recovery)},
            {QStringLiteral("recovery_ci95"), toJson(p.recoveryCi95)},
            {QStringLiteral("recovery_draws"), toJson(p.recoveryDraws)},
            {QStringLiteral("prediction_recovery"), orNull(p.predictionRecovery)},
            {QStringLiteral("prediction_recovery_ci95"), toJson(p.predictionRecoveryCi95)},
            {QStringLiteral("prediction_recovery_draws"), toJson(p.predictionRecoveryDraws)},
            {QStringLiteral("identity_sd"), p.identitySd},
            {QStringLiteral("continuation_prompts"), p.continuationPrompts},
            {QStringLiteral("continuation_regret"), orNull(p.continuationRegret)},
            {QStringLiteral("continuation_regret_ci95"), toJson(p.continuationRegretCi95)},
            {QStringLiteral("continuation_regret_draws"), toJson(p.continuationRegretDraws)},
            {QStringLiteral("fixed_regret"), orNull(p.fixedRegret)},
            {QStringLiteral("fixed_regret_ci95"), toJson(p.fixedRegretCi95)},
            {QStringLiteral("continuation_recovery"), orNull(p.continuationRecovery)},
            {QStringLiteral("continuation_recovery_ci95"), toJson(p.continuationRecoveryCi95)},
            {QStringLiteral("continuation_recovery_draws"), toJson(p.continuationRecoveryDraws)}});
    return out;
}

// The chosen quiz: what was asked and where it placed the model.
void insertQuiz(const QuizReport& report, const Dataset& dataset, QJsonObject& json) {
    const QuizOutcome& quiz = report.outcome;
    QJsonArray ids;
    for (const QuizStep& step : quiz.steps)
        ids.append(dataset.promptIds[std::size_t(step.row)]);
    QJsonObject categories;
    for (std::size_t c = 0; c < report.categoryQuality.size(); ++c)
        categories.insert(dataset.categoryNames.value(int(c)), orNull(report.categoryQuality[c]));
    json.insert(QStringLiteral("budget"),
                report.curve.empty() ? int(quiz.steps.size()) : report.curve.back().budget);
    json.insert(QStringLiteral("prompt_ids"), ids);
    json.insert(QStringLiteral("steps"), stepsJson(quiz.steps, dataset));
    json.insert(QStringLiteral("identity_quiz"), toJson(quiz.identity));
    json.insert(QStringLiteral("routing_quiz"), toJson(quiz.routing));
    json.insert(QStringLiteral("recovery"), orNull(quiz.recovery));
    json.insert(QStringLiteral("log_likelihood_quiz"), orNull(quiz.logLikelihood));
    json.insert(QStringLiteral("prediction_recovery"), orNull(quiz.predictionRecovery));
    json.insert(QStringLiteral("predicted_quality_per_category"), categories);
    json.insert(QStringLiteral("budget_curve"), curveJson(report.curve));
    QJsonArray adoption;
    for (const AdoptionPoint& a : report.adoption)
        adoption.append(QJsonObject{{QStringLiteral("preference"), a.preference.toString()},
                                    {QStringLiteral("share"), a.share},
                                    {QStringLiteral("reward_change"), a.rewardChange},
                                    {QStringLiteral("quality_change"), a.qualityChange},
                                    {QStringLiteral("cost_change_usd"), a.costChangeUsd}});
    json.insert(QStringLiteral("adoption"), adoption);
    // Seeds as text: JSON numbers lose 64-bit integers.
    QJsonArray seeds;
    for (const std::uint64_t seed : report.drawSeeds)
        seeds.append(QString::number(seed));
    json.insert(QStringLiteral("draw_seeds"), seeds);
}

// What the quiz is judged between: routing without the model and with its full-data identity.
void insertStudy(const QuizStudy& study, QJsonObject& json) {
    const bool records = study.hasRecords();
    json.insert(QStringLiteral("simulated"), records);
    json.insert(QStringLiteral("identity_full"),
                records ? QJsonValue(toJson(study.fullIdentity())) : QJsonValue());
    json.insert(QStringLiteral("routing_full"),
                records ? QJsonValue(toJson(study.withFullIdentity())) : QJsonValue());
    json.insert(QStringLiteral("routing_without"), toJson(study.withoutNewModel()));
    // Held-out log-likelihood of the new model's answers: from the population prior alone
    // and from its full-data identity; prediction_recovery places the quiz between them.
    json.insert(QStringLiteral("log_likelihood_prior"), orNull(study.priorLogLikelihood()));
    json.insert(QStringLiteral("log_likelihood_full"), orNull(study.fullLogLikelihood()));
    json.insert(QStringLiteral("training_prompts"), int(study.problem().trainingRows.size()));
    json.insert(QStringLiteral("scored_prompts"), int(study.problem().scoredRows.size()));
    json.insert(QStringLiteral("router"),
                QStringLiteral("irt-bandit: the set policy trained on the other models, "
                               "not retrained for the new one"));
}

} // namespace

std::vector<int> curveBudgets(int budget) {
    std::vector<int> budgets;
    for (const int k : {5, 10, 20, 30, 50, 100})
        if (k < budget)
            budgets.push_back(k);
    budgets.push_back(budget);
    return budgets;
}

QuizReport buildQuizReport(const QuizStudy& study, const Dataset& dataset,
                           const std::vector<int>& budgets, const std::function<float(int)>& answer,
                           std::uint64_t seed, const std::function<void()>& beforeEachPoint,
                           const QuizDrawOptions& draws) {
    QuizReport report;
    const int chosen = budgets.back();
    if (beforeEachPoint)
        beforeEachPoint();
    report.outcome = study.quiz(chosen, dataset.promptCategory, answer, seed);
    report.priorSd = rootMeanVariance(study.prior().covariance.diagonal());
    if (study.hasRecords()) {
        const int count = std::max(1, draws.draws);
        for (int d = 0; d < count; ++d)
            report.drawSeeds.push_back(quizDrawSeed(seed, d));
        report.curve = drawnCurve(study, dataset, budgets, report, beforeEachPoint, draws);
    } else {
        report.drawSeeds = {seed};
        for (const int k : budgets) {
            if (beforeEachPoint)
                beforeEachPoint();
            const BudgetPoint point = k == chosen ? pointOf(k, report.outcome, study, seed)
                                                  : prefixPoint(k, study, report.outcome);
            report.curve.push_back(meanOverDraws({point}, draws.bootstrap));
        }
    }
    addCategoryQuality(study, dataset, report);
    if (study.hasRecords())
        report.adoption = adoptionSweep(study, report.outcome.identity, adoptionPreferences());
    return report;
}

Eigen::MatrixXd knownCategoryQuality(const QuizStudy& study, const Dataset& dataset) {
    const IrtModel& known = study.knownModels();
    const Eigen::MatrixXf& features = study.problem().features->matrix();
    const std::vector<std::vector<int>> rows = rowsByCategory(dataset, study.problem());
    Eigen::MatrixXd quality =
        Eigen::MatrixXd::Constant(Eigen::Index(rows.size()), known.modelCount(), kUnknown);
    for (std::size_t c = 0; c < rows.size(); ++c) {
        if (rows[c].empty())
            continue;
        Eigen::VectorXd sum = Eigen::VectorXd::Zero(known.modelCount());
        for (const int row : rows[c])
            sum += known.probabilities(features.col(row)).cast<double>();
        quality.row(Eigen::Index(c)) = (sum / double(rows[c].size())).transpose();
    }
    return quality;
}

QJsonObject quizReportJson(const QuizReport& report, const QuizStudy& study, const Dataset& dataset,
                           const QuizReportLabels& labels) {
    QJsonObject json;
    json.insert(QStringLiteral("new_model"), labels.newModel);
    json.insert(QStringLiteral("preference"), labels.preference.toString());
    json.insert(QStringLiteral("setup"), labels.setup);
    json.insert(QStringLiteral("study_seed"), QString::number(labels.studySeed)); // as draw_seeds
    if (!study.hasRecords()) {
        json.insert(QStringLiteral("base_url"), labels.baseUrl);
        json.insert(QStringLiteral("scorer"), labels.scorer);
    }
    insertQuiz(report, dataset, json);
    insertStudy(study, json);
    return json;
}

} // namespace routerlab
