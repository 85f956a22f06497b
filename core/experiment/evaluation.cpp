#include "experiment/evaluation.h"

#include "common/random.h"
#include "routing/familiarity_gate.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {

// One training and one simulation: the rows it trains on and the rows of its part it scores
// (fold f scores part f of Evaluation::parts).
struct Fold {
    std::vector<int> training;
    std::vector<int> scored;
};

// A family's categories ("a+b" is the union of a and b), by index.
std::vector<char> familyMembers(const Dataset& dataset, const QString& family) {
    std::vector<char> member(static_cast<std::size_t>(dataset.categoryNames.size()), 0);
    for (const QString& name : family.split(QLatin1Char('+'), Qt::SkipEmptyParts)) {
        const int c = static_cast<int>(dataset.categoryNames.indexOf(name.trimmed()));
        if (c < 0)
            throw std::invalid_argument(
                QStringLiteral("evaluate: no task family '%1' among the dataset's categories (%2)")
                    .arg(name.trimmed(), dataset.categoryNames.join(QStringLiteral(", ")))
                    .toStdString());
        member[static_cast<std::size_t>(c)] = 1;
    }
    return member;
}

// Whether each row trains when its family is not held out: the in-distribution split.
std::vector<char> trainingSide(const Dataset& dataset, const EvaluationOptions& options) {
    std::vector<char> trains(static_cast<std::size_t>(dataset.promptCount()), 0);
    Random rng(Random::mix(options.simulation.splitSeed, 0x5117));
    for (int i = 0; i < dataset.promptCount(); ++i) {
        if (options.inDistribution.kind == SplitRule::Kind::Sources)
            trains[i] = !options.inDistribution.testSources.contains(
                dataset.sources[dataset.promptSource[i]]);
        else
            trains[i] = rng.uniform() < options.inDistribution.trainFraction;
    }
    return trains;
}

std::vector<Fold> makeFolds(const Dataset& dataset, const QStringList& families,
                            const std::vector<char>& trains) {
    std::vector<Fold> folds(1);
    for (int i = 0; i < dataset.promptCount(); ++i)
        (trains[i] ? folds[0].training : folds[0].scored).push_back(i);
    for (int f = 0; f < families.size(); ++f) {
        const std::vector<char> member = familyMembers(dataset, families[f]);
        Fold fold;
        for (int i = 0; i < dataset.promptCount(); ++i) {
            if (member[dataset.promptCategory[i]])
                fold.scored.push_back(i);
            else if (trains[i])
                fold.training.push_back(i);
        }
        if (fold.scored.empty() || fold.training.empty())
            throw std::invalid_argument(
                QStringLiteral("evaluate: holding out '%1' leaves %2")
                    .arg(families[f], fold.scored.empty() ? QStringLiteral("no prompt to score")
                                                          : QStringLiteral("nothing to train on"))
                    .toStdString());
        folds.push_back(std::move(fold));
    }
    return folds;
}

// Per-step figures of one router (seeds averaged) or reference over a fold's scored prompts.
struct StepFigures {
    std::vector<double> reward, quality, cost;
};

StepFigures modelFigures(const SimulationSetup& setup, const RewardTable& table, int model) {
    const std::size_t k = static_cast<std::size_t>(setup.problem().modelCount());
    const std::size_t steps = setup.scoredRows().size();
    StepFigures f;
    for (std::size_t t = 0; t < steps; ++t) {
        f.reward.push_back(table.reward[t * k + model]);
        f.quality.push_back(setup.stepQuality()[t * k + model]);
        f.cost.push_back(setup.stepCost()[t * k + model]);
    }
    return f;
}

StepFigures oracleFigures(const SimulationSetup& setup, const RewardTable& table) {
    const std::size_t k = static_cast<std::size_t>(setup.problem().modelCount());
    StepFigures f;
    for (std::size_t t = 0; t < table.oracle.size(); ++t) {
        std::size_t best = 0;
        for (std::size_t j = 1; j < k; ++j)
            if (table.reward[t * k + j] > table.reward[t * k + best])
                best = j;
        f.reward.push_back(table.oracle[t]);
        f.quality.push_back(setup.stepQuality()[t * k + best]);
        f.cost.push_back(setup.stepCost()[t * k + best]);
    }
    return f;
}

StepFigures averageLogs(const std::vector<const StepLog*>& logs) {
    StepFigures f;
    const std::size_t steps = logs.front()->reward.size();
    f.reward.assign(steps, 0.0);
    f.quality.assign(steps, 0.0);
    f.cost.assign(steps, 0.0);
    for (const StepLog* log : logs)
        for (std::size_t t = 0; t < steps; ++t) {
            f.reward[t] += log->reward[t] / static_cast<double>(logs.size());
            f.quality[t] += log->quality[t] / static_cast<double>(logs.size());
            f.cost[t] += log->cost[t] / static_cast<double>(logs.size());
        }
    return f;
}

void append(const StepFigures& from, StepFigures& to) {
    to.reward.insert(to.reward.end(), from.reward.begin(), from.reward.end());
    to.quality.insert(to.quality.end(), from.quality.begin(), from.quality.end());
    to.cost.insert(to.cost.end(), from.cost.begin(), from.cost.end());
}

double mean(const std::vector<double>& values) {
    double sum = 0;
    for (const double v : values)
        sum += v;
    return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

EstimatedMean marginPoints(const std::vector<double>& reward, const std::vector<double>& baseline,
                           const BootstrapOptions& bootstrap) {
    std::vector<double> difference(reward.size());
    for (std::size_t t = 0; t < reward.size(); ++t)
        difference[t] = 100.0 * (reward[t] - baseline[t]);
    return {mean(difference),
            bootstrap.resamples > 0 ? meanInterval(difference, bootstrap) : Interval{}};
}

EvaluationScore score(const StepFigures& f, const StepFigures& trainingBest,
                      const StepFigures& hindsightBest, const BootstrapOptions& bootstrap) {
    EvaluationScore s;
    s.reward = mean(f.reward);
    s.quality = mean(f.quality);
    s.costUsd = mean(f.cost);
    s.marginOverTrainingBest = marginPoints(f.reward, trainingBest.reward, bootstrap);
    s.marginOverHindsightBest = marginPoints(f.reward, hindsightBest.reward, bootstrap);
    const double fallbackQuality = mean(trainingBest.quality);
    const double fallbackCost = mean(trainingBest.cost);
    s.runawaySpending = s.costUsd > 2.0 * fallbackCost && s.quality < fallbackQuality;
    return s;
}

int bestOnRows(const RoutingProblem& problem, const std::vector<int>& rows,
               const Preference& preference) {
    return bestModelOn(problem, rows,
                       RewardFunction(problem.rewardKind, problem.scales, preference));
}

// Every figure of one part at one preference, gathered over the folds that score it.
struct PartSteps {
    std::vector<StepFigures> router; // per router, seeds averaged
    std::vector<StepFigures> model;  // per model: the hindsight best is chosen from these
    StepFigures oracle;
    StepFigures trainingBest;   // each fold's own training-best model
    int trainingBestModel = -1; // -1 when the folds pooled here chose different models
    int folds = 0;
};

void appendFold(const SimulationSetup& setup, const RewardTable& table,
                const std::vector<StepFigures>& routers, int trainingBest, PartSteps& to) {
    for (std::size_t r = 0; r < routers.size(); ++r)
        append(routers[r], to.router[r]);
    for (std::size_t k = 0; k < to.model.size(); ++k)
        append(modelFigures(setup, table, static_cast<int>(k)), to.model[k]);
    append(oracleFigures(setup, table), to.oracle);
    append(modelFigures(setup, table, trainingBest), to.trainingBest);
    to.trainingBestModel =
        to.folds == 0 || to.trainingBestModel == trainingBest ? trainingBest : -1;
    ++to.folds;
}

void scorePart(const PartSteps& steps, const BootstrapOptions& bootstrap,
               EvaluationReferences& references, std::vector<EvaluationScore>& routerScores) {
    int hindsight = 0;
    for (std::size_t k = 1; k < steps.model.size(); ++k)
        if (mean(steps.model[k].reward) > mean(steps.model[hindsight].reward))
            hindsight = static_cast<int>(k);
    const StepFigures& hindsightSteps = steps.model[hindsight];
    references.trainingBest = steps.trainingBestModel;
    references.hindsightBest = hindsight;
    references.trainingBestScore =
        score(steps.trainingBest, steps.trainingBest, hindsightSteps, bootstrap);
    references.hindsightBestScore =
        score(hindsightSteps, steps.trainingBest, hindsightSteps, bootstrap);
    references.oracleScore = score(steps.oracle, steps.trainingBest, hindsightSteps, bootstrap);
    for (const StepFigures& router : steps.router)
        routerScores.push_back(score(router, steps.trainingBest, hindsightSteps, bootstrap));
}

QJsonObject scoreJson(const EvaluationScore& s) {
    auto estimate = [](const EstimatedMean& m) {
        QJsonObject json{{QStringLiteral("mean"), m.mean}};
        if (m.ci95.valid())
            json.insert(QStringLiteral("ci95"), QJsonArray{m.ci95.low, m.ci95.high});
        return json;
    };
    return {{QStringLiteral("reward"), s.reward},
            {QStringLiteral("quality"), s.quality},
            {QStringLiteral("mean_cost_usd"), s.costUsd},
            {QStringLiteral("margin_over_training_best"), estimate(s.marginOverTrainingBest)},
            {QStringLiteral("margin_over_hindsight_best"), estimate(s.marginOverHindsightBest)},
            {QStringLiteral("runaway_spending"), s.runawaySpending}};
}

} // namespace

namespace {
QString pointsText(double value, bool withSign) {
    const double shown = std::abs(value) < 0.05 ? 0.0 : value;
    return QStringLiteral("%1%2").arg(withSign && shown > 0 ? "+" : "").arg(shown, 0, 'f', 1);
}
} // namespace

QString partHeading(const EvaluationPart& part) {
    if (!part.unseen)
        return part.name;
    const QStringList families = part.name.split(QLatin1Char('+'));
    if (families.size() <= 3)
        return QStringLiteral("unseen: ") + part.name;
    return QStringLiteral("unseen: %1+%2+... (%3 families)")
        .arg(families[0], families[1])
        .arg(families.size());
}

QString marginText(const EstimatedMean& margin) {
    QString text = pointsText(margin.mean, true);
    if (margin.ci95.valid())
        text += QStringLiteral(" [%1, %2]")
                    .arg(pointsText(margin.ci95.low, false), pointsText(margin.ci95.high, false));
    return text;
}

// The specs a router is trained as: itself, or with training seeds 1..n when it takes a seed
// and its spec names none.
std::vector<RouterSpec> trainingVariants(const RouterSpec& router, int n) {
    const QString seed = QStringLiteral("seed");
    const RouterType* type = RouterRegistry::instance().find(router.name);
    const bool seeded =
        type && std::any_of(type->parameters.begin(), type->parameters.end(),
                            [&](const RouterParameter& p) { return p.name == seed; });
    if (n <= 1 || !seeded || router.parameters.count(seed))
        return {router};
    std::vector<RouterSpec> variants;
    for (int s = 1; s <= n; ++s) {
        RouterSpec variant = router;
        variant.parameters[seed] = QString::number(s);
        variants.push_back(variant);
    }
    return variants;
}

std::vector<RouterSpec> learnedRouters() {
    std::vector<RouterSpec> routers;
    for (const RouterType& type : RouterRegistry::instance().types())
        if (type.can(Capability::TrainsOffline) && !type.can(Capability::Hindsight))
            routers.push_back(RouterSpec{type.name, {}});
    return routers;
}

Evaluation evaluate(const Dataset& dataset, const ModelPool& pool,
                    const std::vector<RouterSpec>& routers, const EvaluationOptions& options,
                    const std::function<void(int, int, const QString&)>& progress,
                    const std::atomic_bool* cancel) {
    QStringList families = options.unseenFamilies;
    if (families.isEmpty())
        families = dataset.categoryNames;
    const std::vector<Fold> folds = makeFolds(dataset, families, trainingSide(dataset, options));
    Evaluation result;
    result.models = dataset.modelNames;
    result.routers = routers;
    result.parts.push_back({QStringLiteral("in distribution"), false, 0, 0});
    for (const QString& family : families)
        result.parts.push_back({family, true, 0, 0});
    result.hasUnseenTotal = families.size() > 1;
    const int partCount = static_cast<int>(result.parts.size()) + (result.hasUnseenTotal ? 1 : 0);
    const std::size_t models = static_cast<std::size_t>(dataset.modelCount());
    std::vector<std::vector<PartSteps>> steps(options.preferences.size(),
                                              std::vector<PartSteps>(partCount));
    for (auto& perPreference : steps)
        for (PartSteps& part : perPreference) {
            part.router.resize(routers.size());
            part.model.resize(models);
        }
    std::vector<std::vector<RouterSpec>> variants;
    for (const RouterSpec& router : routers)
        variants.push_back(trainingVariants(router, options.trainingSeeds));
    for (std::size_t f = 0; f < folds.size(); ++f) {
        const Fold& fold = folds[f];
        if (progress)
            progress(static_cast<int>(f), static_cast<int>(folds.size()),
                     f == 0 ? QStringLiteral("in distribution")
                            : QStringLiteral("unseen: %1").arg(families[f - 1]));
        SimulationOptions simulation = options.simulation;
        simulation.split = {};
        simulation.sessions = SessionRule::parse(QStringLiteral("single"));
        simulation.scoredRows = fold.scored;
        simulation.trainingRows = fold.training;
        const SimulationSetup setup(dataset, pool, simulation);
        // cellsOf[p][r]: the cells of router r at preference p, every training variant and seed.
        std::vector<Cell> cells;
        std::vector<std::vector<std::vector<std::size_t>>> cellsOf(options.preferences.size());
        for (std::size_t p = 0; p < options.preferences.size(); ++p)
            for (std::size_t r = 0; r < routers.size(); ++r) {
                cellsOf[p].emplace_back();
                for (const RouterSpec& variant : variants[r])
                    for (int seed = 1; seed <= options.seeds; ++seed) {
                        cellsOf[p].back().push_back(cells.size());
                        cells.push_back(
                            {variant, options.preferences[p], static_cast<std::uint64_t>(seed)});
                    }
            }
        const std::vector<CellResult> results = runCells(setup, cells, options.threads, cancel);
        if (cancel && cancel->load())
            throw std::runtime_error("evaluate: cancelled");
        for (std::size_t p = 0; p < options.preferences.size(); ++p) {
            const RewardTable table = buildRewardTable(setup, options.preferences[p]);
            std::vector<StepFigures> routerSteps;
            for (std::size_t r = 0; r < routers.size(); ++r) {
                std::vector<const StepLog*> logs;
                for (const std::size_t c : cellsOf[p][r])
                    logs.push_back(&results[c].log);
                routerSteps.push_back(averageLogs(logs));
            }
            const int fallback =
                bestOnRows(setup.problem(), setup.problem().trainingRows, options.preferences[p]);
            appendFold(setup, table, routerSteps, fallback, steps[p][f]);
            if (f > 0 && result.hasUnseenTotal)
                appendFold(setup, table, routerSteps, fallback, steps[p][partCount - 1]);
        }
        result.parts[f].trainingPrompts = static_cast<int>(setup.problem().trainingRows.size());
        result.parts[f].scoredPrompts = static_cast<int>(setup.scoredRows().size());
    }
    if (progress)
        progress(static_cast<int>(folds.size()), static_cast<int>(folds.size()), {});
    for (std::size_t p = 0; p < options.preferences.size(); ++p) {
        EvaluationPoint point;
        point.preference = options.preferences[p];
        point.references.resize(partCount);
        point.scores.assign(routers.size(), {});
        for (int part = 0; part < partCount; ++part) {
            std::vector<EvaluationScore> routerScores;
            scorePart(steps[p][part], options.bootstrap, point.references[part], routerScores);
            for (std::size_t r = 0; r < routers.size(); ++r)
                point.scores[r].push_back(routerScores[r]);
        }
        result.points.push_back(std::move(point));
    }
    return result;
}

QJsonObject Evaluation::toJson() const {
    QJsonArray partsJson;
    for (const EvaluationPart& part : parts)
        partsJson.append(QJsonObject{{QStringLiteral("name"), part.name},
                                     {QStringLiteral("unseen"), part.unseen},
                                     {QStringLiteral("training_prompts"), part.trainingPrompts},
                                     {QStringLiteral("scored_prompts"), part.scoredPrompts}});
    if (hasUnseenTotal)
        partsJson.append(QJsonObject{{QStringLiteral("name"), QStringLiteral("unseen, all")},
                                     {QStringLiteral("unseen"), true}});
    QJsonArray pointsJson;
    for (const EvaluationPoint& point : points) {
        QJsonArray referencesJson;
        for (const EvaluationReferences& r : point.references)
            referencesJson.append(QJsonObject{
                {QStringLiteral("training_best"),
                 r.trainingBest < 0 ? QStringLiteral("(per family)") : models[r.trainingBest]},
                {QStringLiteral("hindsight_best"), models[r.hindsightBest]},
                {QStringLiteral("training_best_score"), scoreJson(r.trainingBestScore)},
                {QStringLiteral("hindsight_best_score"), scoreJson(r.hindsightBestScore)},
                {QStringLiteral("oracle"), scoreJson(r.oracleScore)}});
        QJsonObject routersJson;
        for (std::size_t r = 0; r < routers.size(); ++r) {
            QJsonArray perPart;
            for (const EvaluationScore& s : point.scores[r])
                perPart.append(scoreJson(s));
            routersJson.insert(routers[r].toString(), perPart);
        }
        pointsJson.append(QJsonObject{{QStringLiteral("preference"), point.preference.toString()},
                                      {QStringLiteral("references"), referencesJson},
                                      {QStringLiteral("routers"), routersJson}});
    }
    QStringList routerNames;
    for (const RouterSpec& router : routers)
        routerNames << router.toString();
    return {{QStringLiteral("models"), QJsonArray::fromStringList(models)},
            {QStringLiteral("router_order"), QJsonArray::fromStringList(routerNames)},
            {QStringLiteral("parts"), partsJson},
            {QStringLiteral("margins"), QStringLiteral("reward points (x100) per prompt")},
            {QStringLiteral("points"), pointsJson}};
}

namespace {

// Reading back what toJson() wrote (a workspace's recorded evaluation): a missing or mistyped
// field throws, naming it.
QJsonValue field(const QJsonObject& object, const char* name, QJsonValue::Type type,
                 const QString& where) {
    const QJsonValue value = object.value(QLatin1String(name));
    if (value.type() != type)
        throw std::invalid_argument(
            QStringLiteral("evaluation JSON: %1: field '%2' is missing or of the wrong type")
                .arg(where, QLatin1String(name))
                .toStdString());
    return value;
}

EstimatedMean estimateFromJson(const QJsonObject& json, const QString& where) {
    EstimatedMean m;
    m.mean = field(json, "mean", QJsonValue::Double, where).toDouble();
    const QJsonArray ci = json.value(QLatin1String("ci95")).toArray();
    if (ci.size() == 2)
        m.ci95 = {ci[0].toDouble(), ci[1].toDouble()};
    return m;
}

EvaluationScore scoreFromJson(const QJsonObject& json, const QString& where) {
    EvaluationScore s;
    s.reward = field(json, "reward", QJsonValue::Double, where).toDouble();
    s.quality = field(json, "quality", QJsonValue::Double, where).toDouble();
    s.costUsd = field(json, "mean_cost_usd", QJsonValue::Double, where).toDouble();
    s.marginOverTrainingBest = estimateFromJson(
        field(json, "margin_over_training_best", QJsonValue::Object, where).toObject(), where);
    s.marginOverHindsightBest = estimateFromJson(
        field(json, "margin_over_hindsight_best", QJsonValue::Object, where).toObject(), where);
    s.runawaySpending = json.value(QLatin1String("runaway_spending")).toBool();
    return s;
}

std::vector<EvaluationScore> scoresFromJson(const QJsonArray& array, std::size_t parts,
                                            const QString& where) {
    if (static_cast<std::size_t>(array.size()) != parts)
        throw std::invalid_argument(QStringLiteral("evaluation JSON: %1: %2 scores for %3 parts")
                                        .arg(where)
                                        .arg(array.size())
                                        .arg(parts)
                                        .toStdString());
    std::vector<EvaluationScore> out;
    for (const QJsonValue& v : array)
        out.push_back(scoreFromJson(v.toObject(), where));
    return out;
}

} // namespace

Evaluation Evaluation::fromJson(const QJsonObject& json) {
    Evaluation e;
    for (const QJsonValue& v : field(json, "models", QJsonValue::Array, {}).toArray())
        e.models << v.toString();
    for (const QJsonValue& v : field(json, "router_order", QJsonValue::Array, {}).toArray())
        e.routers.push_back(RouterSpec::parse(v.toString()));
    for (const QJsonValue& v : field(json, "parts", QJsonValue::Array, {}).toArray()) {
        const QJsonObject part = v.toObject();
        if (part.contains(QLatin1String("training_prompts")))
            e.parts.push_back({part.value(QLatin1String("name")).toString(),
                               part.value(QLatin1String("unseen")).toBool(),
                               part.value(QLatin1String("training_prompts")).toInt(),
                               part.value(QLatin1String("scored_prompts")).toInt()});
        else
            e.hasUnseenTotal = true;
    }
    const std::size_t columns = e.parts.size() + (e.hasUnseenTotal ? 1 : 0);
    for (const QJsonValue& v : field(json, "points", QJsonValue::Array, {}).toArray()) {
        const QJsonObject pointJson = v.toObject();
        EvaluationPoint point;
        const QString preference =
            field(pointJson, "preference", QJsonValue::String, QStringLiteral("a point"))
                .toString();
        point.preference = Preference::parse(preference);
        const QString where = QStringLiteral("the point at ") + preference;
        for (const QJsonValue& r :
             field(pointJson, "references", QJsonValue::Array, where).toArray()) {
            const QJsonObject ref = r.toObject();
            EvaluationReferences references;
            references.trainingBest = static_cast<int>(
                e.models.indexOf(ref.value(QLatin1String("training_best")).toString()));
            references.hindsightBest = static_cast<int>(
                e.models.indexOf(ref.value(QLatin1String("hindsight_best")).toString()));
            references.trainingBestScore = scoreFromJson(
                field(ref, "training_best_score", QJsonValue::Object, where).toObject(), where);
            references.hindsightBestScore = scoreFromJson(
                field(ref, "hindsight_best_score", QJsonValue::Object, where).toObject(), where);
            references.oracleScore =
                scoreFromJson(field(ref, "oracle", QJsonValue::Object, where).toObject(), where);
            point.references.push_back(references);
        }
        const QJsonObject routersJson =
            field(pointJson, "routers", QJsonValue::Object, where).toObject();
        for (const RouterSpec& router : e.routers)
            point.scores.push_back(
                scoresFromJson(routersJson.value(router.toString()).toArray(), columns,
                               where + QStringLiteral(", router ") + router.toString()));
        e.points.push_back(std::move(point));
    }
    return e;
}

} // namespace routerlab
