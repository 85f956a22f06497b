#include "cli/cli_command.h"
#include "cli/terminal_progress.h"

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
#include <mutex>

namespace routerlab {

namespace {

// The quiz's own numeric options.
std::vector<NumberOption> quizNumbers() {
    return {NumberOption::whole(QStringLiteral("budget"),
                                QStringLiteral("Prompts in the quiz; a comma list (5,10,20,30,50,"
                                               "100) reports the budget curve (default 30)."),
                                QStringLiteral("K"), QStringLiteral("30"), 1, 100000)
                .acceptingList(),
            NumberOption::whole(QStringLiteral("dimension"),
                                QStringLiteral("Size of the identity vectors (default 8)."),
                                QStringLiteral("d"), QStringLiteral("8"), 1, 64),
            NumberOption::whole(QStringLiteral("draws"),
                                QStringLiteral("Quizzes per budget with other draws of their "
                                               "prompts, reported as the mean with a 95% "
                                               "interval (default 10; 1: one quiz, no interval)."),
                                QStringLiteral("N"), QStringLiteral("10"), 1, 1000),
            NumberOption::whole(QStringLiteral("study-seed"),
                                QStringLiteral("Seed of the preparation, the other models' IRT "
                                               "fit and policy (default 1): another seed shows "
                                               "how much a recovery owes to one preparation."),
                                QStringLiteral("S"), QStringLiteral("1"), 1, 1000000000)};
}

void describeQuizOptions(QCommandLineParser& p) {
    describeSimulationOptions(p, QStringLiteral("quiz"));
    addQuietOption(p);
    p.addOption({QStringLiteral("new-model"),
                 QStringLiteral("The dataset's model to treat as new: left out of the IRT "
                                "fit, then quizzed."),
                 QStringLiteral("name")});
    addNumberOptions(p, quizNumbers());
}

// The quiz's own options, read after runCli checked them.
struct QuizArguments {
    std::vector<int> budgets; // the last one is the quiz reported in full
    int dimension = 8;
    int draws = 10;
    std::uint64_t studySeed = 1;
};

QuizArguments readQuizArguments(const QCommandLineParser& p) {
    QuizArguments q;
    const std::vector<NumberOption> numbers = quizNumbers();
    const NumberOption& budget = *findNumberOption(numbers, QStringLiteral("budget"));
    for (const QString& part : p.value(QStringLiteral("budget")).split(QLatin1Char(',')))
        q.budgets.push_back(static_cast<int>(budget.toWhole(part.trimmed())));
    q.dimension = static_cast<int>(wholeValue(numbers, p, QStringLiteral("dimension")));
    q.draws = static_cast<int>(wholeValue(numbers, p, QStringLiteral("draws")));
    q.studySeed = wholeValue(numbers, p, QStringLiteral("study-seed"));
    return q;
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
                 const QuizReport& report, const Preference& preference, std::uint64_t studySeed) {
    const RoutingProblem& problem = study.problem();
    out << QStringLiteral("Quiz for %1: IRT fit of the other %2 models on %3 training "
                          "prompts%4; routing scored on %5 prompts at %6\n")
               .arg(name)
               .arg(problem.modelCount() - 1)
               .arg(problem.trainingRows.size())
               .arg(studySeed == 1 ? QString() : QStringLiteral(" (study seed %1)").arg(studySeed))
               .arg(problem.scoredRows.size())
               .arg(preference.toString());
    printRouting(out, QStringLiteral("without it"), name, study.withoutNewModel());
    printRouting(out, QStringLiteral("full-data identity"), name, study.withFullIdentity());
    for (const BudgetPoint& point : report.curve) {
        out << QStringLiteral("quiz of %1 prompts            reward %2  recovery %3, "
                              "prediction recovery %4 %5\n")
                   .arg(point.budget, 3)
                   .arg(point.reward, 0, 'f', 4)
                   .arg(percentWithInterval(point.recovery, point.recoveryCi95),
                        percentWithInterval(point.predictionRecovery, point.predictionRecoveryCi95),
                        point.draws == 1 ? QStringLiteral("(one draw)")
                                         : QStringLiteral("over %1 draws").arg(point.draws));
        if (!std::isnan(point.continuationRegret))
            out << QStringLiteral("  then learning over %1 routed prompts: recovery %2, regret "
                                  "%3 (%4 with the quizzed identity fixed)\n")
                       .arg(point.continuationPrompts)
                       .arg(percentWithInterval(point.continuationRecovery,
                                                point.continuationRecoveryCi95),
                            numberWithInterval(point.continuationRegret,
                                               point.continuationRegretCi95),
                            numberWithInterval(point.fixedRegret, point.fixedRegretCi95));
    }
    if (!report.adoption.empty())
        out << QStringLiteral("Recommendation from the quiz shown (%1 prompts, its first "
                              "draw): %2\n")
                   .arg(report.outcome.steps.size())
                   .arg(adoptionSentence(name, report.adoption));
}

int runQuizCommand(const QCommandLineParser& p, QTextStream& out, QTextStream& err) {
    const char* keep = "use --json to keep the report";
    const char* noSessions = "a quiz routes every scored prompt in one pass";
    if (!refuseOptionsNotTaken(
            p, QStringLiteral("quiz"),
            {{"router", "the quiz routes with the IRT bandit's policy of the other models"},
             {"seeds", "--draws N asks N quizzes per budget, --study-seed S prepares them"},
             {"sessions", noSessions},
             {"session-length", noSessions},
             {"workspace", keep},
             {"resume", keep},
             {"shard", keep},
             {"out", keep},
             {"save-experiment", keep}},
            err))
        return kExitUsage;
    SimulationArguments a;
    if (!parseSimulationArguments(p, QStringLiteral("quiz"), a, err))
        return kExitUsage;
    // The quiz asks training prompts and is judged on the others: a split is needed.
    if (a.options.split.kind == SplitRule::Kind::None)
        a.options.split = SplitRule::parse(QStringLiteral("random:0.7"));
    const QuizArguments q = readQuizArguments(p);
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
    settings.seed = q.studySeed;
    // The fit of the other models, then one step per quiz of the curve: the draws of each
    // budget (or, without records, its points), which run on worker threads.
    err.flush();
    const int largest = *std::max_element(q.budgets.begin(), q.budgets.end());
    const int quizzes = std::max(q.draws, static_cast<int>(q.budgets.size()));
    TerminalProgress progress(p, QStringLiteral("quiz"), QStringLiteral("steps"), quizzes + 1);
    progress.advance(0, QStringLiteral("IRT fit without %1").arg(name));
    const QuizStudy study(setup.problem(), newModel, a.preference, settings);
    QuizDrawOptions draws;
    draws.draws = q.draws;
    draws.threads = a.threads;
    std::mutex progressMutex;
    int started = 0;
    const QuizReport report = buildQuizReport(
        study, data.dataset, q.budgets, [&](int row) { return study.recordedAnswer(row); }, 1,
        [&] {
            const std::lock_guard<std::mutex> lock(progressMutex);
            started = std::min(started + 1, quizzes);
            progress.advance(started, QStringLiteral("quiz %1 of %2, up to %3 prompts")
                                          .arg(started)
                                          .arg(quizzes)
                                          .arg(largest));
        },
        draws);
    progress.advance(progress.total(), {});
    progress.finish();
    if (p.isSet(QStringLiteral("json"))) {
        const QuizReportLabels labels{name, a.preference, setup.describe(), {}, {}, q.studySeed};
        out << QJsonDocument(quizReportJson(report, study, data.dataset, labels))
                   .toJson(QJsonDocument::Indented);
        return kExitOk;
    }
    printReport(out, name, study, report, a.preference, q.studySeed);
    return kExitOk;
}

} // namespace

CliCommand quizCommand() {
    CliCommand c;
    c.name = QStringLiteral("quiz");
    c.summary = QStringLiteral("Place a model new to the pool from a few prompts (IRT cold-start "
                               "quiz) and compare routing with its full-data identity.");
    c.numbers = simulationNumberOptions(QStringLiteral("quiz"));
    for (const NumberOption& o : quizNumbers())
        c.numbers.push_back(o);
    c.describe = describeQuizOptions;
    c.run = runQuizCommand;
    return c;
}

} // namespace routerlab
