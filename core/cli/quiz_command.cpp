#include "cli/cli_command.h"

#include "cli/simulation_arguments.h"
#include "common/input_error.h"
#include "formats/dataset_loader.h"
#include "irt/irt_evidence.h"
#include "irt/irt_model.h"
#include "irt/set_policy.h"
#include "reward/reward_function.h"
#include "sim/simulation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

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

struct RoutingFigures {
    double quality = 0;
    double costUsd = 0;
    double reward = 0;
    double newModelShare = 0;
    QJsonObject toJson() const {
        return {{QStringLiteral("mean_quality"), quality},
                {QStringLiteral("mean_cost_usd"), costUsd},
                {QStringLiteral("mean_reward"), reward},
                {QStringLiteral("new_model_share"), newModelShare}};
    }
};

// Routes every scored prompt with the set policy (trained on the known models only) over the
// known models and, when `newModel` is given, the new one as one more token: the policy is
// not retrained for it. Scores the choices with the recorded outcomes.
RoutingFigures routeWithPolicy(const RoutingProblem& problem, const SetPolicy& policy,
                               std::vector<ModelToken> tokens, const ModelToken* newModel,
                               const Preference& preference) {
    if (newModel)
        tokens.push_back(*newModel);
    const Eigen::MatrixXf inputs = policy.tokenInputs(tokens);
    const Eigen::MatrixXf& features = problem.features->matrix();
    const RewardFunction reward(problem.rewardKind, problem.scales, preference);
    SetPolicy::Trace trace;
    RoutingFigures f;
    for (const int row : problem.scoredRows) {
        policy.forward(features.col(row), preference, inputs, trace);
        Eigen::Index pick = 0;
        trace.probability.maxCoeff(&pick);
        const int best = tokens[std::size_t(pick)].column;
        const double q = (*problem.quality)(row, best);
        const double quality = std::isnan(q) ? 0.0 : q; // a missing answer counts as a failure
        const double cost = (*problem.cost)(row, best);
        f.quality += quality;
        f.costUsd += cost;
        f.reward += reward(quality, cost, (*problem.latency)(row, best));
        f.newModelShare += newModel && best == newModel->column;
    }
    const double n = double(std::max<std::size_t>(1, problem.scoredRows.size()));
    f.quality /= n;
    f.costUsd /= n;
    f.reward /= n;
    f.newModelShare /= n;
    return f;
}

// Mean log-likelihood of the new model's recorded answers on the scored prompts under an
// identity: how well the identity predicts it, whatever the routing makes of it.
double heldOutLogLikelihood(const RoutingProblem& problem, const IrtModel& known, int newModel,
                            const Identity& identity) {
    const Eigen::MatrixXf& features = problem.features->matrix();
    double sum = 0;
    int n = 0;
    for (const int row : problem.scoredRows) {
        const double y = (*problem.quality)(row, newModel);
        if (std::isnan(y))
            continue;
        const double p = std::clamp(known.probability(features.col(row), identity), 1e-9, 1 - 1e-9);
        sum += y * std::log(p) + (1 - y) * std::log1p(-p);
        ++n;
    }
    return n ? sum / n : std::nan("");
}

} // namespace

CliCommand quizCommand() {
    CliCommand c;
    c.name = QStringLiteral("quiz");
    c.summary = QStringLiteral("Place a model new to the pool from a few prompts (IRT cold-start "
                               "quiz) and compare routing with its full-data identity.");
    c.describe = [](QCommandLineParser& p) {
        describeSimulationOptions(p, QStringLiteral("quiz"));
        p.addOption({QStringLiteral("new-model"),
                     QStringLiteral("The dataset's model to treat as new: left out of the IRT "
                                    "fit, then quizzed."),
                     QStringLiteral("name")});
        p.addOption({QStringLiteral("budget"),
                     QStringLiteral("Prompts in the quiz; a comma list (5,10,20,30,50,100) "
                                    "reports the budget curve (default 30)."),
                     QStringLiteral("K"), QStringLiteral("30")});
        p.addOption({QStringLiteral("dimension"),
                     QStringLiteral("Size of the identity vectors (default 8)."),
                     QStringLiteral("d"), QStringLiteral("8")});
    };
    c.run = [](const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
        SimulationArguments a;
        if (!parseSimulationArguments(p, QStringLiteral("quiz"), a, err))
            return kExitUsage;
        // The quiz asks training prompts and is judged on the others: a split is needed.
        if (a.options.split.kind == SplitRule::Kind::None)
            a.options.split = SplitRule::parse(QStringLiteral("random:0.7"));
        std::vector<int> budgets;
        for (const QString& part : p.value(QStringLiteral("budget")).split(QLatin1Char(','))) {
            bool ok = false;
            const int k = part.trimmed().toInt(&ok);
            if (!ok || k < 1 || k > 100000) {
                err << "routerlab-cli quiz: --budget takes whole numbers >= 1 (e.g. 30 or "
                       "5,10,20,30,50,100)\n";
                return kExitUsage;
            }
            budgets.push_back(k);
        }
        bool ok = false;
        const int dimension = p.value(QStringLiteral("dimension")).toInt(&ok);
        if (!ok || dimension < 1 || dimension > 64) {
            err << "routerlab-cli quiz: --dimension must be within 1..64\n";
            return kExitUsage;
        }
        const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
        const QString name = p.value(QStringLiteral("new-model"));
        const auto found =
            std::find(data.dataset.modelNames.begin(), data.dataset.modelNames.end(), name);
        if (name.isEmpty() || found == data.dataset.modelNames.end()) {
            err << "routerlab-cli quiz: --new-model must name one of the dataset's models: "
                << data.dataset.modelNames.join(QStringLiteral(", ")) << "\n";
            return kExitUsage;
        }
        const int newModel = int(found - data.dataset.modelNames.begin());
        const SimulationSetup setup(data.dataset, data.pool, a.options);
        const RoutingProblem& problem = setup.problem();
        const Eigen::MatrixXf& features = problem.features->matrix();

        // The pool as it was before the new model arrived.
        IrtSettings settings;
        settings.dimension = dimension;
        IrtModel known(int(features.rows()), problem.modelCount() - 1, settings);
        known.fit(features, trainingObservations(problem, newModel));
        std::vector<int> datasetModelOf;
        for (int k = 0; k < problem.modelCount(); ++k)
            if (k != newModel)
                datasetModelOf.push_back(k);

        const IdentityPrior prior = populationPrior(known);
        std::vector<std::pair<int, float>> allAnswers;
        for (const int row : problem.trainingRows) {
            const double q = (*problem.quality)(row, newModel);
            if (!std::isnan(q))
                allAnswers.emplace_back(row, float(q));
        }
        const Identity full = fitIdentity(known, features, allAnswers, prior).diagonal();
        const Identity priorOnly{prior.mean, prior.covariance.diagonal()};
        const double priorLl = heldOutLogLikelihood(problem, known, newModel, priorOnly);
        const double fullLl = heldOutLogLikelihood(problem, known, newModel, full);
        // Prices and latencies as the policy sees them, from the training rows.
        std::vector<double> meanCost(problem.modelCount(), 0), meanLatency(problem.modelCount(), 0);
        for (int k = 0; k < problem.modelCount(); ++k) {
            for (const int i : problem.trainingRows) {
                meanCost[k] += (*problem.cost)(i, k);
                meanLatency[k] += (*problem.latency)(i, k);
            }
            meanCost[k] /= double(std::max<std::size_t>(1, problem.trainingRows.size()));
            meanLatency[k] /= double(std::max<std::size_t>(1, problem.trainingRows.size()));
        }
        std::vector<ModelToken> knownTokens;
        for (int j = 0; j < known.modelCount(); ++j) {
            const int k = datasetModelOf[std::size_t(j)];
            knownTokens.push_back({known.identity(j), meanCost[k], meanLatency[k], k});
        }
        SetPolicySettings policySettings;
        const SetPolicy policy = trainSetPolicy(problem, known, knownTokens, policySettings);
        auto tokenOf = [&](const Identity& identity) {
            return ModelToken{identity, meanCost[newModel], meanLatency[newModel], newModel};
        };
        const ModelToken fullToken = tokenOf(full);
        const RoutingFigures without =
            routeWithPolicy(problem, policy, knownTokens, nullptr, a.preference);
        const RoutingFigures withFull =
            routeWithPolicy(problem, policy, knownTokens, &fullToken, a.preference);

        QJsonArray curve;
        QJsonObject last;
        for (const int budget : budgets) {
            IdentityPosterior posterior;
            const std::vector<int> asked = runQuiz(
                known, features, problem.trainingRows, data.dataset.promptCategory, budget,
                [&](int row) {
                    const double q = (*problem.quality)(row, newModel);
                    return float(std::isnan(q) ? 0.0 : q); // no answer recorded: a failure
                },
                posterior);
            const Identity quizzed = posterior.diagonal();
            const ModelToken quizToken = tokenOf(quizzed);
            const RoutingFigures withQuiz =
                routeWithPolicy(problem, policy, knownTokens, &quizToken, a.preference);
            const double gain = withFull.reward - without.reward;
            const double recovery =
                gain > 1e-12 ? (withQuiz.reward - without.reward) / gain : std::nan("");
            const double quizLl = heldOutLogLikelihood(problem, known, newModel, quizzed);
            const double predictionRecovery = (quizLl - priorLl) / (fullLl - priorLl);
            QJsonArray ids;
            for (const int row : asked)
                ids.append(data.dataset.promptIds[row]);
            last = {{QStringLiteral("budget"), budget},
                    {QStringLiteral("prompt_ids"), ids},
                    {QStringLiteral("identity_quiz"), toJson(quizzed)},
                    {QStringLiteral("routing_quiz"), withQuiz.toJson()},
                    {QStringLiteral("recovery"),
                     std::isnan(recovery) ? QJsonValue() : QJsonValue(recovery)},
                    {QStringLiteral("log_likelihood_quiz"), quizLl},
                    {QStringLiteral("prediction_recovery"), predictionRecovery}};
            curve.append(QJsonObject{{QStringLiteral("budget"), budget},
                                     {QStringLiteral("mean_reward"), withQuiz.reward},
                                     {QStringLiteral("recovery"), last.value("recovery")},
                                     {QStringLiteral("prediction_recovery"), predictionRecovery}});
        }

        QJsonObject json = last;
        json.insert(QStringLiteral("new_model"), name);
        json.insert(QStringLiteral("identity_full"), toJson(full));
        json.insert(QStringLiteral("routing_full"), withFull.toJson());
        json.insert(QStringLiteral("routing_without"), without.toJson());
        json.insert(QStringLiteral("budget_curve"), curve);
        // Held-out log-likelihood of the new model's answers: from the population prior alone
        // and from its full-data identity; prediction_recovery places the quiz between them.
        json.insert(QStringLiteral("log_likelihood_prior"), priorLl);
        json.insert(QStringLiteral("log_likelihood_full"), fullLl);
        json.insert(QStringLiteral("preference"), a.preference.toString());
        json.insert(QStringLiteral("training_prompts"), int(problem.trainingRows.size()));
        json.insert(QStringLiteral("scored_prompts"), int(problem.scoredRows.size()));
        json.insert(QStringLiteral("router"),
                    QStringLiteral("irt-bandit: the set policy trained on the other models, "
                                   "not retrained for the new one"));
        json.insert(QStringLiteral("setup"), setup.describe());
        if (p.isSet(QStringLiteral("json"))) {
            out << QJsonDocument(json).toJson(QJsonDocument::Indented);
            return kExitOk;
        }
        out << QStringLiteral("Quiz for %1: IRT fit of the other %2 models on %3 training "
                              "prompts; routing scored on %4 prompts at %5\n")
                   .arg(name)
                   .arg(problem.modelCount() - 1)
                   .arg(problem.trainingRows.size())
                   .arg(problem.scoredRows.size())
                   .arg(a.preference.toString());
        auto line = [&](const QString& label, const RoutingFigures& f) {
            out << QStringLiteral("%1 reward %2  quality %3  cost $%4  %5 share %6%\n")
                       .arg(label, -26)
                       .arg(f.reward, 0, 'f', 4)
                       .arg(f.quality, 0, 'f', 3)
                       .arg(f.costUsd, 0, 'g', 4)
                       .arg(name)
                       .arg(100 * f.newModelShare, 0, 'f', 1);
        };
        line(QStringLiteral("without it"), without);
        line(QStringLiteral("full-data identity"), withFull);
        for (const QJsonValue& v : curve) {
            const QJsonObject o = v.toObject();
            out << QStringLiteral("quiz of %1 prompts            reward %2  recovers %3 of the "
                                  "routing gain, %4 of the prediction gain\n")
                       .arg(o.value("budget").toInt(), 3)
                       .arg(o.value("mean_reward").toDouble(), 0, 'f', 4)
                       .arg(o.value("recovery").isNull()
                                ? QStringLiteral("n/a")
                                : QStringLiteral("%1%").arg(100 * o.value("recovery").toDouble(), 0,
                                                            'f', 0))
                       .arg(QStringLiteral("%1%").arg(
                           100 * o.value("prediction_recovery").toDouble(), 0, 'f', 0));
        }
        return kExitOk;
    };
    return c;
}

} // namespace routerlab
