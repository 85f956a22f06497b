#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"
#include "reward/preference.h"
#include "routers/router_registry.h"
#include "sim/simulation.h"
#include "stats/bootstrap.h"

#include <QJsonObject>
#include <QStringList>
#include <atomic>
#include <functional>
#include <vector>

namespace routerlab {

// The leaderboard an analyst reads before trusting a router: each router trained on the
// training part and scored in distribution (held-out prompts of the task families it trained
// on) and on whole task families it never saw (leave-one-family-out). Every margin is read
// against the model best on the training part (what a user deploys without a router, known in
// advance) and against the model best on the scored prompts in hindsight (not knowable).

struct EvaluationOptions {
    SimulationOptions simulation; // reward, features, missing policy; split and rows are set here
    // The in-distribution part: a random share of the prompts of the trained families trains
    // (split.trainFraction), or, with test sources, the rows of those files are scored.
    SplitRule inDistribution = SplitRule::parse(QStringLiteral("random:0.7"));
    // Held-out families, each a category or categories joined by '+'; empty: every category
    // in turn.
    QStringList unseenFamilies;
    std::vector<Preference> preferences{Preference{}};
    int seeds = 1;
    // A router that takes a training `seed` and was not given one is trained with seeds 1..N
    // and its figures averaged over them: a margin one seed reached by luck does not lead.
    int trainingSeeds = 1;
    int threads = 1;
    BootstrapOptions bootstrap;
};

// One group of scored prompts: in distribution, or one unseen family.
struct EvaluationPart {
    QString name; // "in distribution" or the family
    bool unseen = false;
    int trainingPrompts = 0;
    int scoredPrompts = 0;
};

// A mean with its 95% interval (paired bootstrap over the part's prompts).
struct EstimatedMean {
    double mean = 0;
    Interval ci95;
};

// One router (or reference) on one part at one preference.
struct EvaluationScore {
    double reward = 0;
    double quality = 0;
    double costUsd = 0;                   // mean per prompt
    EstimatedMean marginOverTrainingBest; // reward points (x100), paired per prompt
    EstimatedMean marginOverHindsightBest;
    // Pays more than twice the training-best model's cost for lower quality than it.
    bool runawaySpending = false;
};

struct EvaluationReferences {
    int trainingBest = 0;  // model index: best mean reward on the training prompts
    int hindsightBest = 0; // best mean reward on the scored prompts themselves
    EvaluationScore trainingBestScore, hindsightBestScore, oracleScore;
};

struct EvaluationPoint {
    Preference preference;
    std::vector<EvaluationReferences> references;     // per part
    std::vector<std::vector<EvaluationScore>> scores; // [router][part]
};

struct Evaluation {
    QStringList models;
    std::vector<RouterSpec> routers;
    std::vector<EvaluationPart> parts; // parts[0] in distribution, then each unseen family
    // Every unseen family's prompts together, prompt-weighted (present with two or more).
    bool hasUnseenTotal = false;
    std::vector<EvaluationPoint> points; // per preference; parts then the unseen total
    QJsonObject toJson() const;
    // What toJson() wrote (a workspace's recorded evaluation); throws std::invalid_argument
    // naming a missing or mistyped field.
    static Evaluation fromJson(const QJsonObject& json);
};

// "+1.4 [0.8, 2.0]": a margin in reward points to one decimal with its interval; a figure that
// rounds to zero reads 0.0, whatever its sign.
QString marginText(const EstimatedMean& margin);
// A part's column heading: "in distribution", or "unseen: " and its family; a group of more
// than three families held out together is named by its first two and its size.
QString partHeading(const EvaluationPart& part);

// Routers evaluate() runs when none is named: every deployable router that trains offline.
std::vector<RouterSpec> learnedRouters();

// Runs the evaluation. `progress(done, total, what)` is called between router trainings;
// throws std::invalid_argument for an unknown family or a part left without prompts.
Evaluation evaluate(const Dataset& dataset, const ModelPool& pool,
                    const std::vector<RouterSpec>& routers, const EvaluationOptions& options,
                    const std::function<void(int, int, const QString&)>& progress = {},
                    const std::atomic_bool* cancel = nullptr);

} // namespace routerlab
