#pragma once

#include "routing/router.h"

#include <QFlags>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace routerlab {

// A router's tunable parameter, described once so that forms, --help and validation all come
// from the same place.
struct RouterParameter {
    enum class Type { Number, Integer, Text };
    QString name;
    Type type = Type::Number;
    QVariant defaultValue;
    double minimum = 0;
    double maximum = 0;
    QString help;
    QStringList choices = {}; // the values a text parameter accepts; empty: any text
    QStringList words = {};   // what a number parameter accepts besides numbers ("auto")
    // What the minimum stands for when it is not a value ("chosen": knn picks it itself), shown
    // in its place by the workbench's form.
    QString minimumMeans = {};
};

// "pickllm-ga:eta=0.1" -> name and parameters.
struct RouterSpec {
    QString name;
    std::map<QString, QString> parameters;

    static RouterSpec parse(const QString& text); // throws std::invalid_argument
    QString toString() const;
};

// Parameter values after validation, with defaults filled in.
class RouterParameters {
public:
    double number(const QString& name) const { return values_.at(name).toDouble(); }
    int integer(const QString& name) const { return values_.at(name).toInt(); }
    QString text(const QString& name) const { return values_.at(name).toString(); }
    std::map<QString, QVariant> values_;
};

// What a router can do, declared where it is registered: the GUI and the experiment code ask
// for a capability instead of listing router names.
enum class Capability : unsigned {
    // Its operating point at a new preference is one pass over the prompts: it learns nothing
    // from the run (trained beforehand, conditioned on the preference, or indifferent to it).
    ServesAnyPreference = 1u << 0,
    NeedsFeatures = 1u << 1, // reads the prompts' features
    TrainsOffline = 1u << 2, // trained on the training split before the run
    LearnsOnline = 1u << 3,  // learns from the feedback of the run itself
    // Reads the recorded outcomes of the scored prompts: a reference, not a deployable router.
    Hindsight = 1u << 4,
    // Per prompt the best recorded outcome: the bound regret is measured against.
    UpperBound = 1u << 5,
    // Its predictions fall back toward the training prompts' mean by themselves as a prompt
    // looks unfamiliar: the familiarity guard is offered but off by default.
    ShrinksWhenUnfamiliar = 1u << 6,
};
Q_DECLARE_FLAGS(Capabilities, Capability)
Q_DECLARE_OPERATORS_FOR_FLAGS(Capabilities)

struct RouterType {
    QString name;
    QString summary;
    Capabilities capabilities;
    std::vector<RouterParameter> parameters;
    std::function<std::unique_ptr<Router>(const RoutingProblem&, const RouterParameters&)> create;

    bool can(Capability capability) const { return capabilities.testFlag(capability); }
};

class RouterRegistry {
public:
    static const RouterRegistry& instance();

    const std::vector<RouterType>& types() const { return types_; }
    const RouterType* find(const QString& name) const;
    // Whether the router a spec names ("knn:k=5" names knn) has the capability; false for an
    // unknown router.
    bool can(const RouterSpec& spec, Capability capability) const;
    // The per-prompt hindsight reference every result is read against (the oracle).
    const RouterType& upperBound() const;
    // Checks names, ranges and types; throws std::invalid_argument with a readable message.
    RouterParameters resolve(const RouterSpec& spec) const;
    std::unique_ptr<Router> create(const RouterSpec& spec, const RoutingProblem& problem) const;

    void add(RouterType type); // throws std::logic_error on contradictory capabilities
    // Adds a router defined outside core (a test's) to instance(). Only before any run or
    // lookup starts: it is not synchronised and moves the types find() points into.
    static void addShared(RouterType type);

private:
    std::vector<RouterType> types_;
};

// The `seed` of a router whose training draws random numbers (starting values, the order of the
// training prompts): a gain that holds for one seed only is luck, and trying others shows it.
RouterParameter trainingSeedParameter();
std::uint64_t trainingSeed(const RouterParameters& parameters);

// Registration functions, one per router family (called once by the registry).
void registerReferenceRouters(RouterRegistry& registry);
void registerPickLlmRouters(RouterRegistry& registry);
void registerBanditRouters(RouterRegistry& registry);
void registerLinUcbRouter(RouterRegistry& registry);
void registerBarpRouter(RouterRegistry& registry);
void registerOfflineRouters(RouterRegistry& registry);
void registerIrtRouters(RouterRegistry& registry);
void registerStackedRouter(RouterRegistry& registry);
void registerEmbeddingRouters(RouterRegistry& registry);

} // namespace routerlab

namespace routerlab {
// The model with the best mean reward over problem.scoredRows (missing cells count as quality 0).
int bestSingleModel(const RoutingProblem& problem, const RewardFunction& reward);
} // namespace routerlab
