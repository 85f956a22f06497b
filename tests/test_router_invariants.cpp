// What every router must satisfy, whatever it does: run over the whole registry (a new router
// joins by being registered) under both missing-outcome policies and both reward families, at
// several preferences and seeds, on small generated data with missing cells. Per step the
// decision lies in the pool, the reward is the recorded outcome's and at most the oracle's;
// the summary (regret, cost, selection, sessions) adds up from the steps. Also: the missing
// policies to the hand-computed number, the trained routers' results independent of thread
// count and sharding at preferences such as 1/3, and properties of preferences and rewards.
#include "common/random.h"
#include "experiment/experiment_plan.h"
#include "experiment/shard_files.h"
#include "features/prompt_features.h"
#include "reward/reward_function.h"
#include "routers/router_registry.h"
#include "sim/simulation.h"

#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

using namespace routerlab;

// Named, not anonymous: a unity build includes this file, and a test class with a member of an
// anonymous-namespace type then warns (-Wsubobject-linkage).
namespace invariants {

constexpr int kPrompts = 40;
constexpr int kModels = 5;
constexpr int kOutputTokens = 300;

// One generated problem: the dataset and pool the simulation reads, and the truth the test
// checks against, worked out here from the generator's own numbers (a missing cell costs what
// the pool estimates; its quality is absent).
struct GeneratedProblem {
    Dataset dataset;
    ModelPool pool;
    Eigen::MatrixXd quality, cost, latency; // NaN quality = missing
};

PoolModel pricedModel(int k) {
    PoolModel m;
    m.id = QStringLiteral("model-%1").arg(k);
    m.inputPricePerMTok = 0.2 * (k + 1) * (k + 1);
    m.outputPricePerMTok = 0.8 * (k + 1) * (k + 1);
    m.feePerCall = k == 3 ? 1e-4 : 0.0;
    m.firstTokenS = 0.2 + 0.1 * k;
    m.outputTokensPerS = 200.0 / (k + 1);
    return m;
}

// Three kinds of prompt whose words give them away; each model is good at some of them.
// Every fourth prompt misses one model's outcome and every ninth a second one.
GeneratedProblem generateProblem(std::uint64_t seed) {
    static const char* const kWords[3][4] = {{"integral", "solve", "equation", "prime"},
                                             {"function", "compile", "python", "loop"},
                                             {"story", "friend", "weekend", "recipe"}};
    static const double kSkill[3][kModels] = {
        {0.2, 0.4, 0.9, 0.6, 0.8}, {0.3, 0.8, 0.5, 0.7, 0.9}, {0.7, 0.6, 0.6, 0.8, 0.7}};
    Random rng(seed);
    GeneratedProblem g;
    Dataset& d = g.dataset;
    d.name = QStringLiteral("generated");
    d.sources = {QStringLiteral("generated.csv")};
    d.formats = {QStringLiteral("generated")};
    d.categoryNames = {QStringLiteral("math"), QStringLiteral("code"), QStringLiteral("chat")};
    for (int k = 0; k < kModels; ++k) {
        g.pool.models.push_back(pricedModel(k));
        d.modelNames << g.pool.models.back().id;
    }
    const auto nan = std::numeric_limits<double>::quiet_NaN();
    for (auto* m : {&d.quality, &d.inputTokens, &d.outputTokens, &d.recordedLatency,
                    &d.recordedCost, &g.quality, &g.cost, &g.latency})
        m->setConstant(kPrompts, kModels, nan);
    for (int i = 0; i < kPrompts; ++i) {
        const int category = rng.uniformInt(3);
        QStringList words;
        for (int w = 0; w < 6; ++w)
            words << QString::fromLatin1(kWords[category][rng.uniformInt(4)]);
        d.promptIds.push_back(QStringLiteral("p%1").arg(i));
        d.promptTexts.push_back(words.join(QLatin1Char(' ')));
        d.references.emplace_back();
        d.promptCategory.push_back(category);
        d.promptSource.push_back(0);
        const int inputTokens = 40 + rng.uniformInt(200);
        for (int k = 0; k < kModels; ++k) {
            const PoolModel& m = g.pool.models[k];
            const bool missing = (i % 4 == 1 && k == (i / 4) % kModels) ||
                                 (i % 9 == 2 && k == (i / 9 + 2) % kModels);
            d.inputTokens(i, k) = inputTokens;
            d.outputTokens(i, k) = kOutputTokens;
            const double estimatedCost =
                (inputTokens * m.inputPricePerMTok + kOutputTokens * m.outputPricePerMTok) * 1e-6 +
                m.feePerCall;
            const double estimatedLatency = m.firstTokenS + kOutputTokens / m.outputTokensPerS;
            if (missing) {
                g.cost(i, k) = estimatedCost;
                g.latency(i, k) = estimatedLatency;
                continue;
            }
            const double q = rng.bernoulli(kSkill[category][k]) ? 1.0 : 0.25 * rng.uniformInt(3);
            d.quality(i, k) = g.quality(i, k) = q;
            d.recordedCost(i, k) = g.cost(i, k) = estimatedCost * rng.uniform(0.7, 1.3);
            d.recordedLatency(i, k) = g.latency(i, k) = estimatedLatency * rng.uniform(0.5, 2.0);
        }
    }
    return g;
}

struct Scenario {
    QString name;
    MissingPolicy missing;
    RewardKind reward;
    std::unique_ptr<SimulationSetup> setup;
};

bool rowHasMissing(const GeneratedProblem& g, int row) {
    for (int k = 0; k < kModels; ++k)
        if (std::isnan(g.quality(row, k)))
            return true;
    return false;
}

// The truth for one step: quality 0 for a missing outcome (only the failure policy scores
// such a prompt), the recorded or estimated cost and latency.
struct Outcome {
    double quality, cost, latency;
};
Outcome truthOf(const GeneratedProblem& g, int row, int model) {
    const double q = g.quality(row, model);
    return {std::isnan(q) ? 0.0 : q, g.cost(row, model), g.latency(row, model)};
}

// Logs hold floats (seven digits): a step's figure is within float rounding of the truth, a
// sum within the rounding of its terms.
bool near(double a, double b, double absolute) {
    return std::abs(a - b) <= absolute + 1e-6 * std::max(std::abs(a), std::abs(b));
}
constexpr double kStep = 1e-12;   // per step, beyond the relative rounding
constexpr double kSum = 1e-5;     // rewards and regret summed over tens of steps
constexpr double kCostSum = 1e-9; // costs are below 0.01 USD

// The first broken invariant of one cell's run, or an empty string; `oracleRun` is the
// upper-bound router's run of the same scenario and preference.
QString brokenInvariant(const GeneratedProblem& g, const Scenario& s, const CellResult& r,
                        const CellResult& oracleRun) {
    const SimulationSetup& setup = *s.setup;
    const std::vector<int>& rows = setup.scoredRows();
    const RewardFunction reward(s.reward, setup.problem().scales, r.cell.preference);
    const StepLog& log = r.log;
    const auto fail = [&](std::size_t t, const QString& what) {
        return QStringLiteral("%1, %2, seed %3, step %4: %5")
            .arg(s.name, r.cell.preference.toString())
            .arg(r.cell.seed)
            .arg(t)
            .arg(what);
    };
    if (!r.summary.complete || log.model.size() != rows.size() ||
        r.summary.steps != static_cast<int>(rows.size()))
        return fail(0, QStringLiteral("the run did not score every prompt"));
    std::vector<int> picks(kModels, 0);
    double regret = 0, cost = 0, quality = 0, rewardSum = 0;
    for (std::size_t t = 0; t < rows.size(); ++t) {
        const int k = log.model[t];
        if (k < 0 || k >= kModels)
            return fail(t, QStringLiteral("decision %1 outside the pool").arg(k));
        if (s.missing == MissingPolicy::SkipPrompt && rowHasMissing(g, rows[t]))
            return fail(t, QStringLiteral("a prompt with a missing outcome was scored"));
        double best = -INFINITY;
        for (int j = 0; j < kModels; ++j) {
            const Outcome o = truthOf(g, rows[t], j);
            best = std::max(best, reward(o.quality, o.cost, o.latency));
        }
        const Outcome o = truthOf(g, rows[t], k);
        const double expected = reward(o.quality, o.cost, o.latency);
        const double logged[4] = {log.reward[t], log.quality[t], log.cost[t], log.latency[t]};
        const double truth[4] = {expected, o.quality, o.cost, o.latency};
        static const char* const kFigures[4] = {"reward", "quality", "cost", "latency"};
        for (int f = 0; f < 4; ++f)
            if (!near(logged[f], truth[f], kStep))
                return fail(t, QStringLiteral("%1 %2, expected %3 for model %4")
                                   .arg(QLatin1String(kFigures[f]))
                                   .arg(logged[f], 0, 'g', 9)
                                   .arg(truth[f], 0, 'g', 9)
                                   .arg(k));
        if (!near(log.oracleReward[t], best, kStep) || !near(oracleRun.log.reward[t], best, kStep))
            return fail(t, QStringLiteral("oracle reward %1 (oracle router %2), expected %3")
                               .arg(log.oracleReward[t])
                               .arg(oracleRun.log.reward[t])
                               .arg(best));
        if (log.reward[t] > log.oracleReward[t] || log.reward[t] > oracleRun.log.reward[t])
            return fail(t, QStringLiteral("reward %1 above the oracle's %2")
                               .arg(log.reward[t])
                               .arg(oracleRun.log.reward[t]));
        ++picks[k];
        regret += best - expected;
        cost += o.cost;
        quality += o.quality;
        rewardSum += expected;
    }
    const CellSummary& sum = r.summary;
    const double n = static_cast<double>(rows.size());
    if (sum.regret < 0 || !near(sum.regret, regret, kSum))
        return fail(rows.size(),
                    QStringLiteral("regret %1, summed gap %2").arg(sum.regret).arg(regret));
    if (!near(sum.totalCostUsd, cost, kCostSum) || !near(sum.meanCostUsd * n, cost, kCostSum))
        return fail(
            rows.size(),
            QStringLiteral("total cost %1, sum of steps %2").arg(sum.totalCostUsd).arg(cost));
    if (!near(sum.meanQuality, quality / n, kSum) || !near(sum.meanReward, rewardSum / n, kSum))
        return fail(rows.size(), QStringLiteral("mean quality or reward differs from the steps'"));
    if (sum.meanReward > oracleRun.summary.meanReward + 1e-9)
        return fail(rows.size(), QStringLiteral("mean reward above the oracle's"));
    double shares = 0;
    for (int k = 0; k < kModels; ++k) {
        shares += sum.selectionShare[k];
        if (!near(sum.selectionShare[k], picks[k] / n, 1e-12))
            return fail(rows.size(), QStringLiteral("share of model %1 is %2, picked %3 times")
                                         .arg(k)
                                         .arg(sum.selectionShare[k])
                                         .arg(picks[k]));
    }
    if (!near(shares, 1.0, 1e-12))
        return fail(rows.size(), QStringLiteral("selection shares sum to %1").arg(shares));
    double sessionCost = 0;
    for (const double c : sum.sessionCostUsd)
        sessionCost += c;
    if (sum.sessionCostUsd.size() != setup.sessionStarts().size() ||
        !near(sessionCost, cost, kCostSum))
        return fail(rows.size(), QStringLiteral("session costs do not add up to the total"));
    const std::vector<double>& curve = r.cumulativeRegret.value;
    for (std::size_t i = 1; i < curve.size(); ++i)
        if (curve[i] < curve[i - 1] - 1e-6)
            return fail(i, QStringLiteral("cumulative regret falls"));
    if (curve.empty() || !near(curve.back(), regret, kSum))
        return fail(rows.size(),
                    QStringLiteral("the cumulative regret does not end at the regret"));
    return {};
}

// How long a router trains does not change what it must keep: parameters by these names are
// cut to a few rounds, so that the whole registry runs in seconds (test_barp and test_irt
// judge the training itself).
RouterSpec quickSpec(const RouterType& type) {
    RouterSpec spec;
    spec.name = type.name;
    for (const RouterParameter& p : type.parameters)
        if (p.name == QLatin1String("epochs") || p.name == QLatin1String("iterations"))
            spec.parameters[p.name] = QString::number(std::max(p.minimum, 3.0));
    return spec;
}

// The specs that exercise a registered router: its defaults (training cut short), or, when
// those cannot build it (a text parameter with no default, as `fixed` has), that parameter
// set to each model in turn.
QStringList specsOf(const RouterType& type, const RoutingProblem& problem) {
    const RouterSpec quick = quickSpec(type);
    const RouterParameters defaults = RouterRegistry::instance().resolve(quick);
    try {
        type.create(problem, defaults);
        return {quick.toString()};
    } catch (const std::invalid_argument&) {
    }
    QStringList specs;
    for (const RouterParameter& p : type.parameters) {
        if (p.type != RouterParameter::Type::Text || !p.defaultValue.toString().isEmpty())
            continue;
        for (const QString& model : problem.modelNames) {
            RouterSpec withModel = quick;
            withModel.parameters[p.name] = model;
            specs << withModel.toString();
        }
    }
    return specs;
}

const std::vector<Preference>& invariantPreferences() {
    static const std::vector<Preference> preferences = {
        {1.0, 0.0, 0.0}, {0.5, 0.5, 0.0}, {0.0, 1.0, 0.0}, {1.0 / 3, 1.0 / 3, 1.0 / 3}};
    return preferences;
}

// Preferences whose six-digit text is not the preference: thirds, and an odd split.
const std::vector<Preference>& awkwardPreferences() {
    static const std::vector<Preference> preferences = {
        {1.0 / 3, 1.0 / 3, 1.0 / 3}, {2.0 / 3, 1.0 / 3, 0.0}, {0.1, 0.7, 0.2 / 3}};
    return preferences;
}

SimulationOptions trainingOptions() {
    SimulationOptions options;
    options.missing = MissingPolicy::Failure;
    options.reward = RewardKind::Linear;
    options.sessions = SessionRule::parse(QStringLiteral("length:9"));
    options.split = SplitRule::parse(QStringLiteral("random:0.6"));
    options.features = QStringLiteral("hashed-words:32");
    return options;
}

// Each call stands for a separate process: a setup of its own, so nothing trained is shared.
std::vector<CellResult> freshRun(const GeneratedProblem& g, const std::vector<Cell>& cells,
                                 int threads) {
    const SimulationSetup setup(g.dataset, g.pool, trainingOptions());
    return runCells(setup, cells, threads);
}

} // namespace invariants

using namespace invariants;

class TestRouterInvariants : public QObject {
    Q_OBJECT

private:
    GeneratedProblem problem_ = generateProblem(20261204);
    std::vector<Scenario> scenarios_;
    // The upper bound's run per scenario and preference, in invariantPreferences() order.
    std::vector<std::vector<CellResult>> oracleRuns_;

private slots:
    void initTestCase() {
        for (const MissingPolicy missing : {MissingPolicy::SkipPrompt, MissingPolicy::Failure})
            for (const RewardKind reward : {RewardKind::PickLlm, RewardKind::Linear}) {
                SimulationOptions options;
                options.missing = missing;
                options.reward = reward;
                options.sessions = SessionRule::parse(QStringLiteral("length:9"));
                options.features = QStringLiteral("hashed-words:32");
                scenarios_.push_back(
                    {QStringLiteral("%1 / %2").arg(missing == MissingPolicy::SkipPrompt
                                                       ? QStringLiteral("skip")
                                                       : QStringLiteral("failure"),
                                                   rewardKindName(reward)),
                     missing, reward,
                     std::make_unique<SimulationSetup>(problem_.dataset, problem_.pool, options)});
            }
        // The data must exercise both policies: prompts left out, missing cells scored.
        QVERIFY(scenarios_[0].setup->skippedPrompts() >= 8);
        QCOMPARE(scenarios_[2].setup->scoredRows().size(), std::size_t(kPrompts));
        const RouterSpec upper = RouterSpec::parse(RouterRegistry::instance().upperBound().name);
        for (const Scenario& s : scenarios_) {
            std::vector<Cell> cells;
            for (const Preference& p : invariantPreferences())
                cells.push_back({upper, p, 1});
            oracleRuns_.push_back(runCells(*s.setup, cells, 2));
        }
    }

    void everyRouterKeepsTheInvariants_data() {
        QTest::addColumn<QString>("spec");
        const RoutingProblem& problem = scenarios_.front().setup->problem();
        for (const RouterType& type : RouterRegistry::instance().types()) {
            const QStringList specs = specsOf(type, problem);
            QVERIFY2(!specs.isEmpty(), qPrintable(QStringLiteral("cannot build router '%1' from "
                                                                 "its defaults or a model name")
                                                      .arg(type.name)));
            for (const QString& spec : specs)
                QTest::newRow(qPrintable(spec)) << spec;
        }
    }
    void everyRouterKeepsTheInvariants() {
        QFETCH(QString, spec);
        for (std::size_t si = 0; si < scenarios_.size(); ++si) {
            const Scenario& s = scenarios_[si];
            std::vector<Cell> cells;
            for (const Preference& p : invariantPreferences())
                for (const std::uint64_t seed : {1, 2})
                    cells.push_back({RouterSpec::parse(spec), p, seed});
            std::vector<CellResult> results;
            try {
                results = runCells(*s.setup, cells, 2);
            } catch (const std::exception& e) {
                QFAIL(qPrintable(QStringLiteral("%1, %2: %3").arg(spec, s.name, e.what())));
            }
            for (std::size_t c = 0; c < results.size(); ++c) {
                const QString broken =
                    brokenInvariant(problem_, s, results[c], oracleRuns_[si][c / 2]);
                QVERIFY2(broken.isEmpty(), qPrintable(spec + QStringLiteral(": ") + broken));
            }
        }
    }

    // Routers trained before the run (found by capability) give the same steps on one thread
    // or three, and shards merged give what one process gives at the preference asked for.
    void trainedRoutersAreDeterministic_data() {
        QTest::addColumn<QString>("router");
        for (const RouterType& type : RouterRegistry::instance().types())
            if (type.can(Capability::TrainsOffline))
                QTest::newRow(qPrintable(type.name)) << type.name;
    }
    void trainedRoutersAreDeterministic() {
        QFETCH(QString, router);
        const RouterSpec spec = quickSpec(*RouterRegistry::instance().find(router));
        std::vector<Cell> cells;
        for (const Preference& p : awkwardPreferences())
            for (const std::uint64_t seed : {1, 2})
                cells.push_back({spec, p, seed});
        const std::vector<CellResult> one = freshRun(problem_, cells, 1);
        const std::vector<CellResult> three = freshRun(problem_, cells, 3);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            QCOMPARE(one[i].log.model, three[i].log.model);
            QCOMPARE(one[i].log.reward, three[i].log.reward);
            QVERIFY(one[i].summary.meanReward == three[i].summary.meanReward);
        }

        const Preference asked = awkwardPreferences().front();
        const SimulationSetup planned(problem_.dataset, problem_.pool, trainingOptions());
        const ExperimentPlan plan =
            planSimulate({spec}, asked, 2, planned, QStringLiteral("generated"));
        QTemporaryDir dir;
        const int shards = 3;
        for (int index = 0; index < shards; ++index) {
            const ShardSpec shard{index, shards};
            std::vector<Cell> owned;
            for (std::size_t i = 0; i < plan.cells.size(); ++i)
                if (shard.owns(i))
                    owned.push_back(plan.cells[i]);
            writeShard(dir.path(), plan, shard, freshRun(problem_, owned, 2));
        }
        const MergeOutcome merged = mergeShards(dir.path(), false);
        QCOMPARE(merged.runs.size(), plan.cells.size());
        // The plan reads the preference back from its text: it must be the one asked for,
        // and the merged runs those of the cells at that preference.
        std::vector<Cell> direct = plan.cells;
        for (Cell& cell : direct) {
            QVERIFY2(cell.preference == asked, qPrintable(cell.preference.toString()));
            cell.preference = asked;
        }
        const std::vector<CellResult> alone = freshRun(problem_, direct, 1);
        for (std::size_t i = 0; i < plan.cells.size(); ++i) {
            const CellSummary& a = alone[i].summary;
            const CellSummary& m = merged.runs[i].summary;
            QVERIFY2(m.meanReward == a.meanReward && m.regret == a.regret &&
                         m.totalCostUsd == a.totalCostUsd && m.selectionShare == a.selectionShare,
                     qPrintable(plan.cells[i].router.toString()));
        }
    }

    // A router with a training seed trains anew for another seed (a figure that holds for one
    // seed only shows as luck), and seed 1 is its default.
    void trainingSeedsReachTheTraining_data() {
        QTest::addColumn<QString>("router");
        for (const RouterType& type : RouterRegistry::instance().types())
            for (const RouterParameter& p : type.parameters)
                if (p.name == QLatin1String("seed") && type.can(Capability::TrainsOffline))
                    QTest::newRow(qPrintable(type.name)) << type.name;
    }
    void trainingSeedsReachTheTraining() {
        QFETCH(QString, router);
        const SimulationSetup setup(problem_.dataset, problem_.pool, trainingOptions());
        const RoutingProblem& problem = setup.problem();
        const auto snapshots = [&](const QString& seed) {
            RouterSpec spec = quickSpec(*RouterRegistry::instance().find(router));
            spec.parameters[QStringLiteral("guard")] = QStringLiteral("off");
            if (!seed.isEmpty())
                spec.parameters[QStringLiteral("seed")] = seed;
            const std::unique_ptr<Router> r = RouterRegistry::instance().create(spec, problem);
            const RewardFunction reward(problem.rewardKind, problem.scales, Preference{});
            std::vector<double> all;
            for (const int row : problem.scoredRows) {
                r->route(Query{row, 0}, reward);
                const std::vector<double> s = r->snapshot();
                all.insert(all.end(), s.begin(), s.end());
            }
            return all;
        };
        const std::vector<double> byDefault = snapshots({});
        QVERIFY(!byDefault.empty());
        QVERIFY(snapshots(QStringLiteral("1")) == byDefault);
        QVERIFY2(snapshots(QStringLiteral("2")) != byDefault,
                 qPrintable(router + QStringLiteral(": seed 2 trained as seed 1")));
    }

    // A prompt of the data and the same prompt sent from outside (the proxy's query, with its
    // features and terms) get the same decision: routers that look a row's decision up (the
    // set policy's batched table) must agree with the one-prompt path.
    void rowsRouteAsTheirFeatures_data() {
        QTest::addColumn<QString>("router");
        for (const RouterType& type : RouterRegistry::instance().types())
            if (type.can(Capability::TrainsOffline) && type.can(Capability::NeedsFeatures))
                QTest::newRow(qPrintable(type.name)) << type.name;
    }
    void rowsRouteAsTheirFeatures() {
        QFETCH(QString, router);
        const SimulationSetup setup(problem_.dataset, problem_.pool, trainingOptions());
        const RoutingProblem& problem = setup.problem();
        RouterSpec spec = quickSpec(*RouterRegistry::instance().find(router));
        spec.parameters[QStringLiteral("guard")] = QStringLiteral("off"); // the router's own
        const std::unique_ptr<Router> byRow = RouterRegistry::instance().create(spec, problem);
        const std::unique_ptr<Router> byFeatures = RouterRegistry::instance().create(spec, problem);
        const PromptFeatures& features = *problem.features;
        for (const Preference& preference : awkwardPreferences()) {
            const RewardFunction reward(problem.rewardKind, problem.scales, preference);
            for (const int row : problem.scoredRows) {
                const Eigen::VectorXf own = features.matrix().col(row);
                Query outside{row, 0, &own};
                if (features.featurizer().termSlots() > 0)
                    outside.terms = &features.sparseTerms()[std::size_t(row)];
                const Decision a = byRow->route(Query{row, 0}, reward);
                const Decision b = byFeatures->route(outside, reward);
                QVERIFY2(a.model == b.model,
                         qPrintable(QStringLiteral("%1, row %2: %3 by row, %4 by features")
                                        .arg(router)
                                        .arg(row)
                                        .arg(a.model)
                                        .arg(b.model)));
                if (!std::isnan(a.topProbability))
                    QVERIFY(std::abs(a.topProbability - b.topProbability) < 1e-5);
            }
        }
    }

    // --- Properties of preferences and rewards, on seeded draws ----------------------------

    void preferenceTextRoundTrips_data() {
        QTest::addColumn<quint64>("seed");
        for (const quint64 seed : {1ull, 2ull, 3ull, 99ull})
            QTest::addRow("seed %llu", seed) << seed;
    }
    void preferenceTextRoundTrips() {
        QFETCH(quint64, seed);
        Random rng(seed);
        std::vector<Preference> draws = awkwardPreferences();
        for (int i = 0; i < 200; ++i) {
            // Simplex points, thirds and sevenths, and unnormalised weights over many scales.
            const double scale = std::pow(10.0, rng.uniform(-12, 12));
            draws.push_back(samplePreference(rng, 3));
            draws.push_back({rng.uniformInt(7) / 7.0, rng.uniformInt(3) / 3.0, 1.0 / 3});
            draws.push_back({scale * rng.uniform(), scale * rng.uniform(), scale * rng.uniform()});
        }
        for (const Preference& p : draws) {
            const QString text = p.toString();
            QVERIFY2(Preference::parse(text) == p, qPrintable(text));
            QCOMPARE(Preference::parse(text).toString(), text);
        }
        // Plain weights keep their plain text.
        QCOMPARE((Preference{0.7, 0.3, 0}).toString(),
                 QStringLiteral("quality=0.7,cost=0.3,latency=0"));
    }

    void preferenceScaleDoesNotChangeTheReward_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<quint64>("seed");
        for (const int kind : {0, 1})
            for (const quint64 seed : {5ull, 6ull})
                QTest::addRow("%s, seed %llu", kind == 0 ? "pickllm" : "linear", seed)
                    << kind << seed;
    }
    void preferenceScaleDoesNotChangeTheReward() {
        QFETCH(int, kind);
        QFETCH(quint64, seed);
        Random rng(seed);
        RewardScales scales;
        scales.costReference = 0.004;
        scales.latencyReference = 3.0;
        scales.logLatencyMin = -0.7;
        scales.logLatencyMax = 1.2;
        const RewardKind rewardKind = kind == 0 ? RewardKind::PickLlm : RewardKind::Linear;
        for (int draw = 0; draw < 300; ++draw) {
            const Preference p{rng.uniform(), rng.uniform(), rng.uniform()};
            const double factor = std::pow(10.0, rng.uniform(-6, 6));
            const Preference scaled{p.quality * factor, p.cost * factor, p.latency * factor};
            const RewardFunction reward(rewardKind, scales, p);
            const RewardFunction same(rewardKind, scales, scaled);
            const double w = p.quality + p.cost + p.latency;
            QVERIFY(std::abs(reward.minimum() + (p.cost + p.latency) / w) < 1e-12);
            QVERIFY(std::abs(reward.maximum() - p.quality / w) < 1e-12);
            const double quality = rng.uniform();
            const double cost = rng.uniform(0, 0.02);
            const double latency = std::pow(10.0, rng.uniform(-2, 2));
            const double r = reward(quality, cost, latency);
            QVERIFY(std::abs(r - same(quality, cost, latency)) < 1e-12);
            // Bounds, and what the normalised reward makes of them.
            QVERIFY(r >= reward.minimum() - 1e-12 && r <= reward.maximum() + 1e-12);
            const double beta = reward.normalise(r);
            QVERIFY(beta >= 0 && beta <= 1);
            // More quality never lowers the reward; more cost or latency never raises it.
            QVERIFY(reward(std::min(1.0, quality + 0.1), cost, latency) >= r);
            QVERIFY(reward(quality, cost * 1.5 + 1e-4, latency) <= r);
            QVERIFY(reward(quality, cost, latency * 2) <= r);
        }
        // All-zero weights mean quality alone.
        QCOMPARE((Preference{0, 0, 0}).normalised(), (Preference{1, 0, 0}));
    }

    void sampledPreferencesLieOnTheSimplex_data() {
        QTest::addColumn<int>("objectives");
        QTest::addColumn<quint64>("seed");
        for (const int objectives : {1, 2, 3})
            for (const quint64 seed : {11ull, 12ull})
                QTest::addRow("%d objectives, seed %llu", objectives, seed) << objectives << seed;
    }
    void sampledPreferencesLieOnTheSimplex() {
        QFETCH(int, objectives);
        QFETCH(quint64, seed);
        Random rng(seed);
        const int draws = 4000;
        double mean[3] = {0, 0, 0};
        for (int i = 0; i < draws; ++i) {
            const Preference p = samplePreference(rng, objectives);
            const double w[3] = {p.quality, p.cost, p.latency};
            QVERIFY(std::abs(w[0] + w[1] + w[2] - 1.0) < 1e-12);
            for (int j = 0; j < 3; ++j) {
                QVERIFY(w[j] >= 0);
                if (j >= objectives)
                    QCOMPARE(w[j], 0.0);
                mean[j] += w[j] / draws;
            }
        }
        // Uniform on the simplex: each weight averages 1/n (standard error below 0.005).
        for (int j = 0; j < objectives; ++j)
            QVERIFY2(std::abs(mean[j] - 1.0 / objectives) < 0.02,
                     qPrintable(QString::number(mean[j])));
    }

    // Training epochs that visit part of large data draw their prompts with shuffleFront: the
    // front must be a uniform draw, the vector still a permutation, and a front covering it
    // all the whole shuffle the trainers always made (so small data trains as before).
    void shuffleFrontDrawsUniformly_data() {
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("count");
        QTest::newRow("part") << 10 << 3;
        QTest::newRow("one") << 7 << 1;
        QTest::newRow("all") << 9 << 9;
        QTest::newRow("more than all") << 5 << 8;
    }
    void shuffleFrontDrawsUniformly() {
        QFETCH(int, size);
        QFETCH(int, count);
        Random rng(77), reference(77);
        std::vector<int> items(static_cast<std::size_t>(size));
        std::vector<int> whole(static_cast<std::size_t>(size));
        std::iota(items.begin(), items.end(), 0);
        std::iota(whole.begin(), whole.end(), 0);
        std::vector<int> inFront(std::size_t(size), 0);
        const int draws = 20000;
        const auto front = std::size_t(std::min(count, size));
        for (int d = 0; d < draws; ++d) {
            QCOMPARE(shuffleFront(items, std::size_t(count), rng), front);
            std::vector<int> sorted = items;
            std::sort(sorted.begin(), sorted.end());
            for (int i = 0; i < size; ++i)
                QCOMPARE(sorted[std::size_t(i)], i);
            for (std::size_t i = 0; i < front; ++i)
                ++inFront[std::size_t(items[i])];
            if (count >= size) {
                for (std::size_t i = whole.size(); i > 1; --i)
                    std::swap(whole[i - 1], whole[std::size_t(reference.uniformInt(int(i)))]);
                QCOMPARE(items, whole);
            }
        }
        // Each item is in front count/size of the time (standard error below 0.004).
        for (int i = 0; i < size; ++i)
            QVERIFY2(std::abs(double(inFront[std::size_t(i)]) / draws - double(front) / size) <
                         0.02,
                     qPrintable(QStringLiteral("item %1: %2").arg(i).arg(inFront[std::size_t(i)])));
    }
};

QTEST_GUILESS_MAIN(TestRouterInvariants)
#include "test_router_invariants.moc"
