#include "cli/cli_command.h"

#include "experiment/simulation_arguments.h"
#include "common/input_error.h"
#include "formats/dataset_loader.h"
#include "irt/quiz_study.h"
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

QJsonObject toJson(const QuizRouting& f) {
    return {{QStringLiteral("mean_quality"), f.quality},
            {QStringLiteral("mean_cost_usd"), f.costUsd},
            {QStringLiteral("mean_reward"), f.reward},
            {QStringLiteral("new_model_share"), f.newModelShare}};
}

QJsonValue orNull(double value) {
    return std::isnan(value) ? QJsonValue() : QJsonValue(value);
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
        QuizStudySettings settings;
        settings.dimension = dimension;
        const QuizStudy study(problem, newModel, a.preference, settings);
        const QuizRouting& without = study.withoutNewModel();
        const QuizRouting& withFull = study.withFullIdentity();

        QJsonArray curve;
        QJsonObject last;
        for (const int budget : budgets) {
            const QuizOutcome quiz = study.quiz(budget, data.dataset.promptCategory,
                                                [&](int row) { return study.recordedAnswer(row); });
            QJsonArray ids;
            for (const QuizStep& step : quiz.steps)
                ids.append(data.dataset.promptIds[step.row]);
            last = {{QStringLiteral("budget"), budget},
                    {QStringLiteral("prompt_ids"), ids},
                    {QStringLiteral("identity_quiz"), toJson(quiz.identity)},
                    {QStringLiteral("routing_quiz"), toJson(quiz.routing)},
                    {QStringLiteral("recovery"), orNull(quiz.recovery)},
                    {QStringLiteral("log_likelihood_quiz"), quiz.logLikelihood},
                    {QStringLiteral("prediction_recovery"), quiz.predictionRecovery}};
            curve.append(
                QJsonObject{{QStringLiteral("budget"), budget},
                            {QStringLiteral("mean_reward"), quiz.routing.reward},
                            {QStringLiteral("recovery"), orNull(quiz.recovery)},
                            {QStringLiteral("prediction_recovery"), quiz.predictionRecovery}});
        }

        QJsonObject json = last;
        json.insert(QStringLiteral("new_model"), name);
        json.insert(QStringLiteral("identity_full"), toJson(study.fullIdentity()));
        json.insert(QStringLiteral("routing_full"), toJson(withFull));
        json.insert(QStringLiteral("routing_without"), toJson(without));
        json.insert(QStringLiteral("budget_curve"), curve);
        // Held-out log-likelihood of the new model's answers: from the population prior alone
        // and from its full-data identity; prediction_recovery places the quiz between them.
        json.insert(QStringLiteral("log_likelihood_prior"), study.priorLogLikelihood());
        json.insert(QStringLiteral("log_likelihood_full"), study.fullLogLikelihood());
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
        auto line = [&](const QString& label, const QuizRouting& f) {
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
