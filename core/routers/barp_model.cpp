#include "routers/barp_model.h"

#include "common/input_error.h"
#include "common/random.h"
#include "common/subnormal_flush.h"
#include "common/vector_state.h"
#include "nn/adam_optimizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {

// 8 bytes that no text file starts with; the CR LF catches a file mangled by a text transfer.
constexpr char kMagic[8] = {'R', 'L', 'B', 'A', 'R', 'P', '\r', '\n'};

Mlp makeMlp(const std::vector<int>& sizes, std::uint64_t seed, const QString& name) {
    Random random(seed);
    return Mlp(sizes, Activation::Relu, random, name);
}

QJsonArray toJsonArray(const std::vector<int>& values) {
    QJsonArray out;
    for (const int v : values)
        out.append(v);
    return out;
}

void preferenceColumn(const Preference& p, Eigen::Ref<Eigen::VectorXf> out) {
    out << static_cast<float>(p.quality), static_cast<float>(p.cost), static_cast<float>(p.latency);
}

} // namespace

QString BarpSettings::describe() const {
    return QStringLiteral("hidden=%1,preference-units=%2,epochs=%3,batch=%4,lr=%5,entropy=%6,"
                          "entropy-final=%12,baseline-decay=%7,clip=%8,tau=%9,objectives=%10,"
                          "seed=%11,epoch-prompts=%13")
        .arg(hiddenUnits)
        .arg(preferenceUnits)
        .arg(epochs)
        .arg(batchSize)
        .arg(learningRate, 0, 'g', 17)
        .arg(entropyWeight, 0, 'g', 17)
        .arg(baselineDecay, 0, 'g', 17)
        .arg(gradientClip, 0, 'g', 17)
        .arg(tau, 0, 'g', 17)
        .arg(objectives)
        .arg(seed)
        .arg(finalEntropyWeight, 0, 'g', 17)
        .arg(epochPrompts);
}

BarpModel::BarpModel(QStringList models, QString featureSpec, int featureDimension, double tau,
                     RewardKind reward, const BarpSettings& settings)
    : models_(std::move(models)), featureSpec_(std::move(featureSpec)),
      featureDimension_(featureDimension), tau_(tau), reward_(reward), settings_(settings),
      preferenceEncoder_(makeMlp({3, settings.preferenceUnits, settings.preferenceUnits},
                                 Random::mix(settings.seed, 1), QStringLiteral("preference"))),
      decisionHead_(makeMlp({featureDimension + settings.preferenceUnits, settings.hiddenUnits,
                             static_cast<int>(models_.size())},
                            Random::mix(settings.seed, 2), QStringLiteral("head"))) {}

ParameterList BarpModel::parameters() {
    ParameterList out = preferenceEncoder_.parameters();
    for (Parameter* p : decisionHead_.parameters())
        out.push_back(p);
    return out;
}

Eigen::VectorXf BarpModel::encodePreference(const Preference& preference) const {
    Eigen::VectorXf w(3);
    preferenceColumn(preference.normalised(), w);
    return preferenceEncoder_.apply(w);
}

Eigen::VectorXf BarpModel::probabilities(const Eigen::Ref<const Eigen::VectorXf>& features,
                                         const Eigen::VectorXf& encodedPreference) const {
    const SubnormalFlush flush;
    Eigen::VectorXf input(featureDimension_ + encodedPreference.size());
    input << features, encodedPreference;
    Eigen::VectorXf logits = decisionHead_.apply(input);
    logits.array() -= logits.maxCoeff();
    logits = logits.array().exp();
    return logits / logits.sum();
}

namespace {

// The running-mean baseline is kept per region of the preference simplex (our choice):
// rewards under w_c = 0.9 and w_c = 0.1 live on different scales, and one mean for both
// drowns the signal that tells the two apart.
constexpr int kBaselineBins = 16;

std::size_t baselineBin(const Preference& w) {
    const int q = std::min(kBaselineBins - 1, static_cast<int>(w.quality * kBaselineBins));
    const int c = std::min(kBaselineBins - 1, static_cast<int>(w.cost * kBaselineBins));
    return static_cast<std::size_t>(q * kBaselineBins + c);
}

} // namespace

// Simulated deployment: each step draws a preference, samples a model from the policy and
// learns from that model's reward only (bandit feedback).
class BarpModel::Trainer {
public:
    Trainer(const RoutingProblem& problem, const BarpSettings& settings, const RewardScales& scales,
            BarpModel& model)
        : problem_(problem), settings_(settings), scales_(scales), model_(model),
          features_(problem.features->matrix()), dimension_(static_cast<int>(features_.rows())),
          models_(problem.modelCount()), parameters_(model.parameters()),
          optimizer_(parameters_, {static_cast<float>(settings.learningRate)}),
          random_(Random::mix(settings.seed, 3)), order_(problem.trainingRows),
          baseline_(kBaselineBins * kBaselineBins, std::nan("")) {}

    // One pass over the shuffled training rows (at most epochPrompts of them); returns the
    // mean reward of the sampled models.
    double runEpoch(int epoch) {
        const std::size_t visited =
            shuffleFront(order_, std::size_t(std::max(1, settings_.epochPrompts)), random_);
        double epochReward = 0;
        // Explore early, exploit late: the entropy weight falls linearly to its final value.
        const double progress =
            settings_.epochs > 1 ? static_cast<double>(epoch) / (settings_.epochs - 1) : 1.0;
        const float entropyWeight =
            static_cast<float>(settings_.entropyWeight +
                               (settings_.finalEntropyWeight - settings_.entropyWeight) * progress);
        for (std::size_t start = 0; start < visited;
             start += static_cast<std::size_t>(settings_.batchSize)) {
            clearUpperVectorState();
            epochReward += runBatch(start, visited, entropyWeight);
        }
        return visited == 0 ? 0.0 : epochReward / visited;
    }

private:
    // Forward, sample, backward and one optimiser step; returns the batch's summed reward.
    double runBatch(std::size_t start, std::size_t end, float entropyWeight) {
        const int batch =
            static_cast<int>(std::min(end - start, static_cast<std::size_t>(settings_.batchSize)));
        const int units = settings_.preferenceUnits;
        weights_.resize(3, batch);
        preferences_.resize(static_cast<std::size_t>(batch));
        for (int b = 0; b < batch; ++b) {
            preferences_[b] = samplePreference(random_, settings_.objectives);
            preferenceColumn(preferences_[b], weights_.col(b));
        }
        const Eigen::MatrixXf& encoded = model_.preferenceEncoder_.forward(weights_);
        input_.resize(dimension_ + units, batch);
        for (int b = 0; b < batch; ++b)
            input_.col(b).head(dimension_) = features_.col(order_[start + b]);
        input_.bottomRows(units) = encoded;
        const Eigen::MatrixXf& logits = model_.decisionHead_.forward(input_);

        logitGradient_.resize(models_, batch);
        double batchReward = 0;
        for (int b = 0; b < batch; ++b)
            batchReward += learnFromOneStep(b, logits.col(b), order_[start + b], entropyWeight);
        logitGradient_ /= static_cast<float>(batch);
        const Eigen::MatrixXf inputGradient = model_.decisionHead_.backward(logitGradient_);
        headInputGradient_ = inputGradient.bottomRows(units);
        model_.preferenceEncoder_.backward(headInputGradient_);
        clipGradientNorm(parameters_, static_cast<float>(settings_.gradientClip));
        optimizer_.step();
        zeroGradients(parameters_);
        return batchReward;
    }

    // Samples a model for batch column b, scores it, updates the baseline and writes the
    // column's logit gradient; returns the reward.
    double learnFromOneStep(int b, const Eigen::Ref<const Eigen::VectorXf>& logits, int row,
                            float entropyWeight) {
        Eigen::VectorXf p = (logits.array() - logits.maxCoeff()).exp();
        p /= p.sum();
        // Sample the action; only its outcome is looked at (bandit feedback).
        double u = random_.uniform();
        int action = models_ - 1;
        for (int k = 0; k < models_; ++k) {
            u -= p[k];
            if (u < 0) {
                action = k;
                break;
            }
        }
        const double q = (*problem_.quality)(row, action);
        const RewardFunction reward(problem_.rewardKind, scales_, preferences_[b]);
        const double r = reward(std::isnan(q) ? 0.0 : q, (*problem_.cost)(row, action),
                                (*problem_.latency)(row, action));
        double& mean = baseline_[baselineBin(preferences_[b])];
        const float advantage = static_cast<float>(std::isnan(mean) ? 0.0 : r - mean);
        mean = std::isnan(mean)
                   ? r
                   : settings_.baselineDecay * mean + (1 - settings_.baselineDecay) * r;
        const Eigen::ArrayXf logP = p.array().max(1e-12f).log();
        const float entropy = -(p.array() * logP).sum();
        // d/dz of -(r - b) log p_a - beta H(p).
        logitGradient_.col(b) = advantage * p;
        logitGradient_(action, b) -= advantage;
        logitGradient_.col(b).array() += entropyWeight * p.array() * (logP + entropy);
        return r;
    }

    const RoutingProblem& problem_;
    const BarpSettings& settings_;
    const RewardScales scales_;
    BarpModel& model_;
    const Eigen::MatrixXf& features_;
    const int dimension_;
    const int models_;
    const ParameterList parameters_;
    AdamOptimizer optimizer_;
    Random random_;
    std::vector<int> order_;
    std::vector<double> baseline_;
    // Reused across batches so a batch allocates nothing once the sizes are known.
    Eigen::MatrixXf weights_, input_, logitGradient_, headInputGradient_;
    std::vector<Preference> preferences_;
};

std::shared_ptr<BarpModel> BarpModel::train(const RoutingProblem& problem,
                                            const BarpSettings& settings,
                                            const EpochCallback& afterEpoch) {
    if (!problem.features)
        throw std::invalid_argument("router 'barp' needs prompt features");
    RewardScales scales = problem.scales;
    if (settings.tau > 0)
        scales.costReference = settings.tau;
    auto model = std::make_shared<BarpModel>(problem.modelNames, problem.features->spec(),
                                             static_cast<int>(problem.features->matrix().rows()),
                                             scales.costReference, problem.rewardKind, settings);
    model->setFeatureState(problem.features->stateFingerprint());
    const SubnormalFlush flush; // training took half as long again without it
    Trainer trainer(problem, settings, scales, *model);
    for (int epoch = 0; epoch < settings.epochs; ++epoch) {
        model->curve_.push_back(trainer.runEpoch(epoch));
        if (afterEpoch && !afterEpoch(epoch + 1, settings.epochs))
            return nullptr;
    }
    return model;
}

void BarpModel::checkCompatible(const RoutingProblem& problem, const QString& origin) const {
    auto refuse = [&](const QString& why) {
        throw std::invalid_argument(QStringLiteral("BaRP model '%1' cannot be used here: %2")
                                        .arg(origin, why)
                                        .toStdString());
    };
    if (problem.modelNames != models_)
        refuse(QStringLiteral("it was trained for the models [%1], the data has [%2] (same "
                              "models in the same order are needed)")
                   .arg(models_.join(QStringLiteral(", ")),
                        problem.modelNames.join(QStringLiteral(", "))));
    if (!problem.features)
        refuse(QStringLiteral("the run has no prompt features"));
    if (problem.features->spec() != featureSpec_ ||
        problem.features->dimension() != featureDimension_)
        refuse(QStringLiteral("it was trained on features '%1' (%2 dimensions), the run uses "
                              "'%3' (%4); pass --features %1")
                   .arg(featureSpec_)
                   .arg(featureDimension_)
                   .arg(problem.features->spec())
                   .arg(problem.features->dimension()));
    if (!featureState_.isEmpty() && problem.features->stateFingerprint() != featureState_)
        refuse(QStringLiteral("its '%1' features were fitted on other training prompts than "
                              "this run's; use the --dataset (and --split) it was trained with")
                   .arg(featureSpec_));
    if (problem.rewardKind != reward_)
        refuse(QStringLiteral("it was trained for the %1 reward, the run uses %2; pass --reward %1")
                   .arg(rewardKindName(reward_), rewardKindName(problem.rewardKind)));
}

void BarpModel::save(const QString& path) const {
    QJsonObject header{
        {QStringLiteral("format"), QStringLiteral("routerlab-barp")},
        {QStringLiteral("version"), kFormatVersion},
        {QStringLiteral("models"), QJsonArray::fromStringList(models_)},
        {QStringLiteral("features"), featureSpec_},
        {QStringLiteral("feature_dimension"), featureDimension_},
        {QStringLiteral("feature_state"), featureState_},
        {QStringLiteral("tau_usd"), tau_},
        {QStringLiteral("reward"), rewardKindName(reward_)},
        {QStringLiteral("preference_sizes"), toJsonArray(preferenceEncoder_.sizes())},
        {QStringLiteral("head_sizes"), toJsonArray(decisionHead_.sizes())},
        {QStringLiteral("training"), settings_.describe()},
        {QStringLiteral("objectives"), settings_.objectives},
        {QStringLiteral("curve"), [this] {
             QJsonArray a;
             for (const double r : curve_)
                 a.append(r);
             return a;
         }()}};
    const QByteArray headerBytes = QJsonDocument(header).toJson(QJsonDocument::Compact);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw InputError(path, 0, {}, file.errorString());
    QDataStream stream(&file);
    stream.setByteOrder(QDataStream::LittleEndian);
    stream.writeRawData(kMagic, sizeof kMagic);
    stream << static_cast<qint32>(kFormatVersion) << static_cast<qint32>(headerBytes.size());
    stream.writeRawData(headerBytes.constData(), static_cast<int>(headerBytes.size()));
    // parameters() hands out mutable pointers for training; writing only reads through them.
    writeParameters(stream, const_cast<BarpModel*>(this)->parameters());
    if (stream.status() != QDataStream::Ok || !file.commit())
        throw InputError(path, 0, {}, QStringLiteral("cannot write: %1").arg(file.errorString()));
}

std::shared_ptr<BarpModel> BarpModel::load(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot open: %1").arg(file.errorString()));
    QDataStream stream(&file);
    stream.setByteOrder(QDataStream::LittleEndian);
    char magic[sizeof kMagic] = {};
    if (stream.readRawData(magic, sizeof magic) != sizeof magic ||
        !std::equal(magic, magic + sizeof magic, kMagic))
        throw InputError(path, 0, {}, QStringLiteral("not a RouterLab BaRP model file"));
    qint32 version = 0, headerSize = 0;
    stream >> version >> headerSize;
    if (version != kFormatVersion)
        throw InputError(path, 0, QStringLiteral("version"),
                         QStringLiteral("format version %1; this RouterLab reads version %2")
                             .arg(version)
                             .arg(kFormatVersion));
    if (headerSize <= 0 || headerSize > (1 << 24))
        throw InputError(path, 0, {}, QStringLiteral("the header is damaged"));
    QByteArray headerBytes(headerSize, Qt::Uninitialized);
    if (stream.readRawData(headerBytes.data(), headerSize) != headerSize)
        throw InputError(path, 0, {}, QStringLiteral("the file ends inside the header"));
    QJsonParseError error;
    const QJsonObject header = QJsonDocument::fromJson(headerBytes, &error).object();
    if (error.error != QJsonParseError::NoError)
        throw InputError(path, 0, {}, QStringLiteral("header: %1").arg(error.errorString()));

    auto sizes = [&](const QString& field) {
        std::vector<int> out;
        for (const QJsonValue& v : header.value(field).toArray())
            out.push_back(v.toInt());
        if (out.size() != 3 || out[1] < 1 || out[2] < 1)
            throw InputError(path, 0, field, QStringLiteral("expected three layer sizes"));
        return out;
    };
    const std::vector<int> encoder = sizes(QStringLiteral("preference_sizes"));
    const std::vector<int> head = sizes(QStringLiteral("head_sizes"));
    QStringList models;
    for (const QJsonValue& v : header.value(QStringLiteral("models")).toArray())
        models << v.toString();
    BarpSettings settings;
    settings.preferenceUnits = encoder[1];
    settings.hiddenUnits = head[1];
    settings.objectives = header.value(QStringLiteral("objectives")).toInt(2);
    const int dimension = header.value(QStringLiteral("feature_dimension")).toInt();
    if (models.size() != head[2] || dimension + encoder[2] != head[0] || encoder[0] != 3)
        throw InputError(path, 0, QStringLiteral("head_sizes"),
                         QStringLiteral("the layer sizes do not fit the models and features"));
    RewardKind reward;
    try {
        reward = rewardKindFromName(header.value(QStringLiteral("reward")).toString());
    } catch (const std::invalid_argument& e) {
        throw InputError(path, 0, QStringLiteral("reward"), QString::fromUtf8(e.what()));
    }
    auto model = std::make_shared<BarpModel>(
        models, header.value(QStringLiteral("features")).toString(), dimension,
        header.value(QStringLiteral("tau_usd")).toDouble(), reward, settings);
    model->setFeatureState(header.value(QStringLiteral("feature_state")).toString());
    for (const QJsonValue& v : header.value(QStringLiteral("curve")).toArray())
        model->curve_.push_back(v.toDouble());
    try {
        readParameters(stream, model->parameters());
    } catch (const std::runtime_error& e) {
        throw InputError(path, 0, QStringLiteral("weights"), QString::fromUtf8(e.what()));
    }
    return model;
}

} // namespace routerlab
