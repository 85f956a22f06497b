#include "cli/cli_command.h"

#include "common/input_error.h"
#include "experiment/simulation_arguments.h"
#include "formats/dataset_loader.h"
#include "irt/quiz_report.h"
#include "irt/quiz_study.h"
#include "sim/simulation.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

void describeQuizOptions(QCommandLineParser& p) {
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
                 QStringLiteral("Size of the identity vectors (default 8)."), QStringLiteral("d"),
                 QStringLiteral("8")});
}

// The quiz's own options, checked; false (with the message written) on a usage error.
struct QuizArguments {
    std::vector<int> budgets; // the last one is the quiz reported in full
    int dimension = 8;
};

bool parseQuizArguments(const QCommandLineParser& p, QuizArguments& q, QTextStream& err) {
    for (const QString& part : p.value(QStringLiteral("budget")).split(QLatin1Char(','))) {
        bool ok = false;
        const int k = part.trimmed().toInt(&ok);
        if (!ok || k < 1 || k > 100000) {
            err << "routerlab-cli quiz: --budget takes whole numbers >= 1 (e.g. 30 or "
                   "5,10,20,30,50,100)\n";
            return false;
        }
        q.budgets.push_back(k);
    }
    bool ok = false;
    q.dimension = p.value(QStringLiteral("dimension")).toInt(&ok);
    if (!ok || q.dimension < 1 || q.dimension > 64) {
        err << "routerlab-cli quiz: --dimension must be within 1..64\n";
        return false;
    }
    return true;
}

void printRouting(QTextStream& out, const QString& label, const QString& name,
                  const QuizRouting& f) {
    out << QStringLiteral("%1 reward %2  quality %3  cost $%4  %5 share %6%\n")
               .arg(label, -26)
               .arg(f.reward, 0, 'f', 4)
               .arg(f.quality, 0, 'f', 3)
               .arg(f.costUsd, 0, 'g', 4)
               .arg(name)
               .arg(100 * f.newModelShare, 0, 'f', 1);
}

void printReport(QTextStream& out, const QString& name, const QuizStudy& study,
                 const QuizReport& report, const Preference& preference) {
    const RoutingProblem& problem = study.problem();
    out << QStringLiteral("Quiz for %1: IRT fit of the other %2 models on %3 training "
                          "prompts; routing scored on %4 prompts at %5\n")
               .arg(name)
               .arg(problem.modelCount() - 1)
               .arg(problem.trainingRows.size())
               .arg(problem.scoredRows.size())
               .arg(preference.toString());
    printRouting(out, QStringLiteral("without it"), name, study.withoutNewModel());
    printRouting(out, QStringLiteral("full-data identity"), name, study.withFullIdentity());
    for (const BudgetPoint& point : report.curve) {
        out << QStringLiteral("quiz of %1 prompts            reward %2  recovers %3 of the "
                              "routing gain, %4 of the prediction gain\n")
                   .arg(point.budget, 3)
                   .arg(point.reward, 0, 'f', 4)
                   .arg(std::isnan(point.recovery)
                            ? QStringLiteral("n/a")
                            : QStringLiteral("%1%").arg(100 * point.recovery, 0, 'f', 0))
                   .arg(QStringLiteral("%1%").arg(100 * point.predictionRecovery, 0, 'f', 0));
    }
}

int runQuizCommand(const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
    SimulationArguments a;
    if (!parseSimulationArguments(p, QStringLiteral("quiz"), a, err))
        return kExitUsage;
    // The quiz asks training prompts and is judged on the others: a split is needed.
    if (a.options.split.kind == SplitRule::Kind::None)
        a.options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    QuizArguments q;
    if (!parseQuizArguments(p, q, err))
        return kExitUsage;
    const PricedDataset data = loadPricedDataset(a.allDatasets(), a.pool);
    const QString name = p.value(QStringLiteral("new-model"));
    const int newModel = data.dataset.modelIndex(name);
    if (name.isEmpty() || newModel < 0) {
        err << "routerlab-cli quiz: --new-model must name one of the dataset's models: "
            << data.dataset.modelNames.join(QStringLiteral(", ")) << "\n";
        return kExitUsage;
    }
    const SimulationSetup setup(data.dataset, data.pool, a.options);
    QuizStudySettings settings;
    settings.dimension = q.dimension;
    const QuizStudy study(setup.problem(), newModel, a.preference, settings);
    const QuizReport report = buildQuizReport(study, data.dataset, q.budgets,
                                              [&](int row) { return study.recordedAnswer(row); });
    if (p.isSet(QStringLiteral("json"))) {
        const QuizReportLabels labels{name, a.preference, setup.describe(), {}, {}};
        out << QJsonDocument(quizReportJson(report, study, data.dataset, labels))
                   .toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    printReport(out, name, study, report, a.preference);
    return kExitOk;
}

} // namespace

CliCommand quizCommand() {
    CliCommand c;
    c.name = QStringLiteral("quiz");
    c.summary = QStringLiteral("Place a model new to the pool from a few prompts (IRT cold-start "
                               "quiz) and compare routing with its full-data identity.");
    c.describe = describeQuizOptions;
    c.run = runQuizCommand;
    return c;
}

} // namespace routerlab
