// BaRP (Wei et al. 2025, arXiv 2510.07429): a preference-conditioned policy trained from
// bandit feedback. pi(a | x, w) = softmax(f([x; phi(w)])) with phi a small MLP on the
// preference and f an MLP head over the K models; trained by REINFORCE with a running-mean
// baseline and an entropy bonus on simulated deployment over the training split, one
// preference drawn from the simplex per prompt. At run time it serves any preference without
// retraining. See ../shared/papers.md, section 3. Our choices where the paper leaves details
// open: the baseline is a running mean per region of the preference simplex, and the entropy
// weight falls linearly over the epochs (without both, the policy collapsed onto one model
// whatever the preference on RouterBench).
#include "common/random.h"
#include "routers/barp_model.h"
#include "routers/router_registry.h"

#include <stdexcept>

namespace routerlab {

namespace {

class BarpRouter : public Router {
public:
    BarpRouter(const RoutingProblem& problem, std::shared_ptr<const BarpModel> model, bool sample)
        : features_(problem.features->matrix()), model_(std::move(model)), sample_(sample),
          random_(0) {}

    void reset(std::uint64_t seed) override {
        random_ = Random(seed);
        encodedFor_ = Preference{-1, -1, -1};
    }
    Decision route(const Query& query, const RewardFunction& reward) override {
        if (!(encodedFor_ == reward.weights())) { // once per preference, not per prompt
            encodedFor_ = reward.weights();
            encoded_ = model_->encodePreference(encodedFor_);
        }
        const Eigen::VectorXf p = model_->probabilities(featuresOf(query, features_), encoded_);
        int choice = 0;
        if (sample_) {
            double u = random_.uniform();
            choice = static_cast<int>(p.size()) - 1;
            for (int k = 0; k < p.size(); ++k) {
                u -= p[k];
                if (u < 0) {
                    choice = k;
                    break;
                }
            }
        } else {
            p.maxCoeff(&choice);
        }
        last_ = p;
        return {choice, p[choice]};
    }
    void observe(const Query&, int, const Feedback&) override {} // trained before the run
    std::vector<double> snapshot() const override {
        return std::vector<double>(last_.data(), last_.data() + last_.size());
    }

private:
    const Eigen::MatrixXf& features_;
    std::shared_ptr<const BarpModel> model_;
    bool sample_;
    Random random_;
    Preference encodedFor_{-1, -1, -1};
    Eigen::VectorXf encoded_;
    Eigen::VectorXf last_;
};

} // namespace

BarpSettings barpSettings(const RouterParameters& p) {
    BarpSettings s;
    s.hiddenUnits = p.integer(QStringLiteral("hidden"));
    s.preferenceUnits = p.integer(QStringLiteral("preference-units"));
    s.epochs = p.integer(QStringLiteral("epochs"));
    s.epochPrompts = p.integer(QStringLiteral("epoch-prompts"));
    s.batchSize = p.integer(QStringLiteral("batch"));
    s.learningRate = p.number(QStringLiteral("lr"));
    s.entropyWeight = p.number(QStringLiteral("entropy"));
    s.finalEntropyWeight = p.number(QStringLiteral("entropy-final"));
    s.baselineDecay = p.number(QStringLiteral("baseline-decay"));
    s.gradientClip = p.number(QStringLiteral("clip"));
    s.tau = p.number(QStringLiteral("tau"));
    s.objectives = p.integer(QStringLiteral("objectives"));
    s.seed = static_cast<std::uint64_t>(p.integer(QStringLiteral("seed")));
    return s;
}

std::shared_ptr<const BarpModel> barpModelFor(const RoutingProblem& problem,
                                              const RouterParameters& parameters) {
    if (!problem.features)
        throw std::invalid_argument("router 'barp' needs prompt features");
    const QString file = parameters.text(QStringLiteral("model"));
    std::shared_ptr<const BarpModel> model;
    if (!file.isEmpty()) {
        const std::function<std::shared_ptr<const BarpModel>()> load = [&] {
            return BarpModel::load(file);
        };
        model = problem.trainingCache ? problem.trainingCache->getOrCreate<BarpModel>(
                                            QStringLiteral("barp-file|") + file, load)
                                      : load();
        model->checkCompatible(problem, file);
        return model;
    }
    const BarpSettings settings = barpSettings(parameters);
    const std::function<std::shared_ptr<const BarpModel>()> train = [&] {
        return BarpModel::train(problem, settings);
    };
    return problem.trainingCache ? problem.trainingCache->getOrCreate<BarpModel>(
                                       QStringLiteral("barp|") + settings.describe(), train)
                                 : train();
}

void registerBarpRouter(RouterRegistry& registry) {
    using T = RouterParameter::Type;
    registry.add(
        {QStringLiteral("barp"),
         QStringLiteral("BaRP: preference-conditioned policy trained from bandit feedback on the "
                        "training split; any preference at run time."),
         Capability::ServesAnyPreference | Capability::NeedsFeatures | Capability::TrainsOffline,
         {{QStringLiteral("model"), T::Text, QString(), 0, 0,
           QStringLiteral("Load a model saved by `routerlab-cli train` instead of training (the "
                          "training parameters are then ignored).")},
          {QStringLiteral("epochs"), T::Integer, 30, 1, 10000,
           QStringLiteral("Passes over the training prompts.")},
          {QStringLiteral("epoch-prompts"), T::Integer, 10000, 1, 1000000000,
           QStringLiteral("Training prompts an epoch visits at most (freshly shuffled each "
                          "time): large data trains in a fixed number of steps.")},
          {QStringLiteral("batch"), T::Integer, 32, 1, 4096,
           QStringLiteral("Prompts per policy-gradient step.")},
          {QStringLiteral("lr"), T::Number, 2e-3, 1e-6, 1.0, QStringLiteral("Adam step size.")},
          {QStringLiteral("entropy"), T::Number, 0.1, 0.0, 10.0,
           QStringLiteral("Weight of the entropy bonus at the first epoch (keeps exploring).")},
          {QStringLiteral("entropy-final"), T::Number, 0.005, 0.0, 10.0,
           QStringLiteral("Entropy weight at the last epoch; it falls linearly.")},
          {QStringLiteral("baseline-decay"), T::Number, 0.99, 0.0, 0.999999,
           QStringLiteral("Running-mean reward baseline, one per region of the preference "
                          "simplex: weight the old mean keeps per prompt.")},
          {QStringLiteral("clip"), T::Number, 1.0, 1e-3, 1e6,
           QStringLiteral("Gradient clipping: maximum joint L2 norm.")},
          {QStringLiteral("hidden"), T::Integer, 64, 1, 4096,
           QStringLiteral("Hidden units of the decision head.")},
          {QStringLiteral("preference-units"), T::Integer, 16, 1, 1024,
           QStringLiteral("Output width of the preference encoder.")},
          {QStringLiteral("tau"),
           T::Number,
           0.0,
           0.0,
           1e9,
           QStringLiteral("Cost scale in USD; 0: the training split's largest mean cost."),
           {},
           {},
           QStringLiteral("from training")},
          {QStringLiteral("objectives"), T::Integer, 2, 2, 3,
           QStringLiteral("Preferences sampled in training: 2 = quality and cost, 3 = with "
                          "latency.")},
          {QStringLiteral("seed"), T::Integer, 1, 0, 2147483647,
           QStringLiteral("Training seed (the run's seed only drives decode=sample).")},
          {QStringLiteral("decode"),
           T::Text,
           QStringLiteral("argmax"),
           0,
           0,
           QStringLiteral("argmax (the paper) or sample from the policy."),
           {QStringLiteral("argmax"), QStringLiteral("sample")}}},
         [](const RoutingProblem& p, const RouterParameters& params) -> std::unique_ptr<Router> {
             // resolve() has checked the value against the choices.
             const QString decode = params.text(QStringLiteral("decode"));
             return std::make_unique<BarpRouter>(p, barpModelFor(p, params),
                                                 decode == QLatin1String("sample"));
         }});
}

} // namespace routerlab
