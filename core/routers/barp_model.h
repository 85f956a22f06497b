#pragma once

#include "nn/mlp.h"
#include "reward/reward_function.h"
#include "routing/router.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace routerlab {

// What BaRP's training needs to know; every field is a router parameter of the same name.
struct BarpSettings {
    int hiddenUnits = 64;     // width of the decision head's hidden layer
    int preferenceUnits = 16; // width of the preference encoder's output
    int epochs = 30;
    // An epoch visits at most this many training prompts, freshly shuffled each time, so on
    // large data training takes a fixed number of steps (every shared dataset is below it).
    int epochPrompts = 10000;
    int batchSize = 32;
    double learningRate = 2e-3;
    double entropyWeight = 0.1;        // at the first epoch
    double finalEntropyWeight = 0.005; // at the last; linear in between
    double baselineDecay = 0.99;       // running-mean baseline (one per preference region)
    double gradientClip = 1.0;         // maximum joint L2 norm of the gradients
    double tau = 0;     // cost scale in USD; 0: the data's (RewardScales::costReference)
    int objectives = 2; // 2: preferences over (quality, cost); 3: latency as well
    std::uint64_t seed = 1;

    // The training-relevant values as text: the training cache's key, recorded in files.
    QString describe() const;
};

// The trained policy pi(a | x, w) = softmax(f([x; phi(w)])) and what it was trained for.
// Its inference methods are const and allocate no shared state, so one model serves every
// cell of an experiment at once.
class BarpModel {
public:
    static constexpr int kFormatVersion = 1;

    BarpModel(QStringList models, QString featureSpec, int featureDimension, double tau,
              RewardKind reward, const BarpSettings& settings);

    // Called after each training epoch with the epochs done and planned; returning false stops
    // the training (a person cancelled it).
    using EpochCallback = std::function<bool(int done, int total)>;

    // Simulated deployment on problem.trainingRows (bandit feedback, REINFORCE). Null when
    // `afterEpoch` stopped it.
    static std::shared_ptr<BarpModel> train(const RoutingProblem& problem,
                                            const BarpSettings& settings,
                                            const EpochCallback& afterEpoch = {});
    // Throws InputError naming the file when it is not a BaRP model this version can read.
    static std::shared_ptr<BarpModel> load(const QString& path);
    void save(const QString& path) const; // throws InputError when it cannot write

    // Throws std::invalid_argument naming `origin` when the problem's models (and their
    // order), features or reward differ from the ones this model was trained for.
    void checkCompatible(const RoutingProblem& problem, const QString& origin) const;

    Eigen::VectorXf encodePreference(const Preference& preference) const;
    // Action probabilities for one prompt's features and an encoded preference.
    Eigen::VectorXf probabilities(const Eigen::Ref<const Eigen::VectorXf>& features,
                                  const Eigen::VectorXf& encodedPreference) const;

    const QStringList& models() const { return models_; }
    const QString& featureSpec() const { return featureSpec_; }
    int featureDimension() const { return featureDimension_; }
    double tau() const { return tau_; }
    const BarpSettings& settings() const { return settings_; }
    // Mean reward of the sampled actions, per training epoch.
    const std::vector<double>& trainingCurve() const { return curve_; }
    // The features' fitted state at training time (PromptFeatures::stateFingerprint).
    void setFeatureState(const QString& state) { featureState_ = state; }

private:
    class Trainer; // one run of train(): REINFORCE's state across batches and epochs

    ParameterList parameters();

    QStringList models_;
    QString featureSpec_;
    QString featureState_;
    int featureDimension_;
    double tau_;
    RewardKind reward_;
    BarpSettings settings_;
    Mlp preferenceEncoder_;
    Mlp decisionHead_;
    std::vector<double> curve_;
};

class RouterParameters;
// The settings a `barp` spec asks for, and the model it routes with: loaded from model=FILE,
// or trained once per experiment through problem.trainingCache (locally without one).
BarpSettings barpSettings(const RouterParameters& parameters);
std::shared_ptr<const BarpModel> barpModelFor(const RoutingProblem& problem,
                                              const RouterParameters& parameters);

} // namespace routerlab
