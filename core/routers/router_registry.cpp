#include "routers/router_registry.h"

#include "common/side_task.h"
#include "routing/familiarity_gate.h"
#include "routing/predicted_reward_router.h"

#include <QStringList>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {
[[noreturn]] void fail(const QString& message) {
    throw std::invalid_argument(message.toStdString());
}

const QString kUnfamiliarParameter = QStringLiteral("unfamiliar");
const QString kAutomatic = QStringLiteral("auto");
const QString kGuardParameter = QStringLiteral("guard");
const QString kEvidenceFoldsParameter = QStringLiteral("evidence-folds");

// Deployable routers trained on some prompts and reading features extrapolate on prompts unlike
// them; the registry wraps each in a FamiliarityGate.
bool gatedByFamiliarity(const RouterType& type) {
    return type.can(Capability::NeedsFeatures) && type.can(Capability::TrainsOffline) &&
           !type.can(Capability::Hindsight);
}
} // namespace

RouterParameter trainingSeedParameter() {
    return {QStringLiteral("seed"),
            RouterParameter::Type::Integer,
            1,
            0,
            2147483647,
            QStringLiteral("Training seed: starting values and the order of the training "
                           "prompts.")};
}

std::uint64_t trainingSeed(const RouterParameters& parameters) {
    return static_cast<std::uint64_t>(parameters.integer(QStringLiteral("seed")));
}

RouterSpec RouterSpec::parse(const QString& text) {
    RouterSpec spec;
    // Split at the first colon only: values may hold colons (model names, paths).
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    spec.name = (colon < 0 ? text : text.left(colon)).trimmed();
    if (spec.name.isEmpty())
        fail(QStringLiteral("router '%1': no name").arg(text));
    const QString rest = colon < 0 ? QString() : text.mid(colon + 1);
    for (const QString& part : rest.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(QLatin1Char('='));
        if (eq <= 0)
            fail(QStringLiteral("router '%1': '%2' should be key=value").arg(text, part));
        spec.parameters[part.left(eq).trimmed()] = part.mid(eq + 1).trimmed();
    }
    return spec;
}

QString RouterSpec::toString() const {
    QStringList parts;
    for (const auto& [key, value] : parameters)
        parts << key + QLatin1Char('=') + value;
    return parts.isEmpty() ? name : name + QLatin1Char(':') + parts.join(QLatin1Char(','));
}

namespace {
RouterRegistry& sharedRegistry() {
    static RouterRegistry registry = [] {
        RouterRegistry r;
        registerReferenceRouters(r);
        registerPickLlmRouters(r);
        registerBanditRouters(r);
        registerLinUcbRouter(r);
        registerBarpRouter(r);
        registerOfflineRouters(r);
        registerIrtRouters(r);
        registerStackedRouter(r);
        registerEmbeddingRouters(r);
        return r;
    }();
    return registry;
}
} // namespace

const RouterRegistry& RouterRegistry::instance() {
    return sharedRegistry();
}

void RouterRegistry::addShared(RouterType type) {
    sharedRegistry().add(std::move(type));
}

const RouterType* RouterRegistry::find(const QString& name) const {
    for (const RouterType& t : types_)
        if (t.name == name)
            return &t;
    return nullptr;
}

bool RouterRegistry::can(const RouterSpec& spec, Capability capability) const {
    const RouterType* type = find(spec.name);
    return type && type->can(capability);
}

const RouterType& RouterRegistry::upperBound() const {
    for (const RouterType& t : types_)
        if (t.can(Capability::UpperBound))
            return t;
    throw std::logic_error("no router is registered as the upper bound");
}

void RouterRegistry::add(RouterType type) {
    // A router that learns from the run has no operating point without running again.
    if (type.can(Capability::LearnsOnline) && type.can(Capability::ServesAnyPreference))
        throw std::logic_error(
            QStringLiteral("router '%1': learns online yet serves any preference without the run")
                .arg(type.name)
                .toStdString());
    if (type.can(Capability::UpperBound) && !type.can(Capability::Hindsight))
        throw std::logic_error(
            QStringLiteral("router '%1': an upper bound reads the outcomes in hindsight")
                .arg(type.name)
                .toStdString());
    if (gatedByFamiliarity(type)) {
        type.parameters.push_back(
            {kGuardParameter,
             RouterParameter::Type::Text,
             type.can(Capability::ShrinksWhenUnfamiliar) ? QStringLiteral("off")
                                                         : QStringLiteral("on"),
             0,
             0,
             QStringLiteral("on: send a prompt to the model best on the training prompts when it "
                            "is unfamiliar, or when the router did not beat that model on "
                            "held-out training prompts at the preference; off: the router "
                            "alone."),
             {QStringLiteral("on"), QStringLiteral("off")}});
        type.parameters.push_back(
            {kUnfamiliarParameter,
             RouterParameter::Type::Number,
             kAutomatic,
             0.0,
             0.5,
             QStringLiteral("Share of held-out training prompts that count as unfamiliar; a "
                            "prompt less familiar than that goes to the model best on the "
                            "training prompts (0: never). auto: the share at which, with each "
                            "training task family left out in turn, 95% of its prompts would "
                            "count as unfamiliar (0.02 to 0.2; 0.2 with fewer than two "
                            "families)."),
             {},
             {kAutomatic}});
        type.parameters.push_back(
            {kEvidenceFoldsParameter,
             RouterParameter::Type::Integer,
             1,
             1,
             10,
             QStringLiteral("How the guard checks that the router beats the model best on the "
                            "training prompts. 1: trained on 80% of them, checked on the other "
                            "20%; N > 1: dealt into N folds, each checked by the router trained "
                            "on the others, so every training prompt is checked (N trainings)."),
             {}});
    }
    types_.push_back(std::move(type));
}

RouterParameters RouterRegistry::resolve(const RouterSpec& spec) const {
    const RouterType* type = find(spec.name);
    if (!type) {
        QStringList names;
        for (const RouterType& t : types_)
            names << t.name;
        fail(QStringLiteral("unknown router '%1' (known: %2)")
                 .arg(spec.name, names.join(QStringLiteral(", "))));
    }
    RouterParameters out;
    for (const RouterParameter& p : type->parameters)
        out.values_[p.name] = p.defaultValue;
    for (const auto& [key, value] : spec.parameters) {
        const RouterParameter* p = nullptr;
        for (const RouterParameter& candidate : type->parameters)
            if (candidate.name == key)
                p = &candidate;
        if (!p) {
            QStringList names;
            for (const RouterParameter& candidate : type->parameters)
                names << candidate.name;
            fail(QStringLiteral("router '%1' has no parameter '%2' (it has: %3)")
                     .arg(spec.name, key,
                          names.isEmpty() ? QStringLiteral("none")
                                          : names.join(QStringLiteral(", "))));
        }
        if (p->words.contains(value)) {
            out.values_[key] = value;
            continue;
        }
        if (p->type == RouterParameter::Type::Text) {
            if (!p->choices.isEmpty() && !p->choices.contains(value))
                fail(QStringLiteral("router '%1': %2 must be %3, got '%4'")
                         .arg(spec.name, key, p->choices.join(QStringLiteral(" or ")), value));
            out.values_[key] = value;
            continue;
        }
        bool ok = false;
        const double x = value.toDouble(&ok);
        if (!ok || !std::isfinite(x) ||
            (p->type == RouterParameter::Type::Integer && x != std::floor(x)))
            fail(QStringLiteral("router '%1': %2 must be %3, got '%4'")
                     .arg(spec.name, key,
                          (p->type == RouterParameter::Type::Integer
                               ? QStringLiteral("a whole number")
                               : QStringLiteral("a number")) +
                              (p->words.isEmpty() ? QString()
                                                  : QStringLiteral(" or ") +
                                                        p->words.join(QStringLiteral(" or "))),
                          value));
        if (x < p->minimum || x > p->maximum)
            fail(QStringLiteral("router '%1': %2 must be within %3..%4, got %5")
                     .arg(spec.name, key)
                     .arg(p->minimum)
                     .arg(p->maximum)
                     .arg(x));
        out.values_[key] =
            p->type == RouterParameter::Type::Integer ? QVariant(static_cast<int>(x)) : QVariant(x);
    }
    return out;
}

std::unique_ptr<Router> RouterRegistry::create(const RouterSpec& spec,
                                               const RoutingProblem& problem) const {
    const RouterParameters parameters = resolve(spec);
    const RouterType& type = *find(spec.name);
    if (!gatedByFamiliarity(type) || !problem.features || !problem.quality ||
        parameters.text(kGuardParameter) == QLatin1String("off"))
        return type.create(problem, parameters);
    // The guard's evidence retrains the router on part of the training rows, independently of
    // the main training: the two run side by side (a second core halves the wait).
    SideTask<std::shared_ptr<const ValidationEvidence>> evidence([&] {
        return cachedTraining<ValidationEvidence>(
            problem, QStringLiteral("validation:") + spec.toString(), [&] {
                return std::make_shared<const ValidationEvidence>(
                    problem,
                    [&](const RoutingProblem& fitPart) { return type.create(fitPart, parameters); },
                    1, parameters.integer(kEvidenceFoldsParameter));
            });
    });
    std::unique_ptr<Router> router = type.create(problem, parameters);
    const QString given = parameters.text(kUnfamiliarParameter);
    const auto model =
        cachedTraining<FamiliarityModel>(problem, QStringLiteral("familiarity:") + given, [&] {
            const Eigen::MatrixXf& features = problem.features->matrix();
            double share = parameters.number(kUnfamiliarParameter);
            if (given == kAutomatic) {
                const ShareCalibration calibration;
                share = problem.rowCategory
                            ? familyCalibratedShare(features, problem.trainingRows,
                                                    *problem.rowCategory, calibration, 1)
                            : calibration.fallbackShare;
            }
            return std::make_shared<const FamiliarityModel>(features, problem.trainingRows, share,
                                                            1);
        });
    return std::make_unique<FamiliarityGate>(std::move(router), problem, model, evidence.get());
}

} // namespace routerlab
