#pragma once

#include "routing/router.h"

#include <QJsonObject>
#include <QString>
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

struct RouterType {
    QString name;
    QString summary;
    std::vector<RouterParameter> parameters;
    std::function<std::unique_ptr<Router>(const RoutingProblem&, const RouterParameters&)> create;
};

class RouterRegistry {
public:
    static const RouterRegistry& instance();

    const std::vector<RouterType>& types() const { return types_; }
    const RouterType* find(const QString& name) const;
    // Checks names, ranges and types; throws std::invalid_argument with a readable message.
    RouterParameters resolve(const RouterSpec& spec) const;
    std::unique_ptr<Router> create(const RouterSpec& spec, const RoutingProblem& problem) const;

    void add(RouterType type) { types_.push_back(std::move(type)); }

private:
    std::vector<RouterType> types_;
};

// Registration functions, one per router family (called once by the registry).
void registerReferenceRouters(RouterRegistry& registry);
void registerPickLlmRouters(RouterRegistry& registry);
void registerBanditRouters(RouterRegistry& registry);
void registerLinUcbRouter(RouterRegistry& registry);
void registerBarpRouter(RouterRegistry& registry);
void registerOfflineRouters(RouterRegistry& registry);
void registerIrtRouters(RouterRegistry& registry);

} // namespace routerlab

namespace routerlab {
// The model with the best mean reward over problem.scoredRows (missing cells count as quality 0).
int bestSingleModel(const RoutingProblem& problem, const RewardFunction& reward);
} // namespace routerlab
