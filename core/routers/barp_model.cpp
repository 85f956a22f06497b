#include "routers/barp_model.h"

#include "common/input_error.h"
#include "common/random.h"
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
                          "seed=%11")
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
        .arg(finalEntropyWeight, 0, 'g', 17);
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
    Eigen::VectorXf input(featureDimension_ + encodedPreference.size());
    input << features, encodedPreference;
    Eigen::VectorXf logits = decisionHead_.apply(input);
    logits.array() -= logits.maxCoeff();
    logits = logits.array().exp();
    return logits / logits.sum();
}

std::shared_ptr<BarpModel> BarpModel::train(const RoutingProblem& problem,
                                            const BarpSettings& settings) {
    if (!problem.features)
        throw std::invalid_argument("router 'barp' needs prompt features");
    const Eigen::MatrixXf& features = problem.features->matrix();
    const int dimension = static_cast<int>(features.rows());
    const int models = problem.modelCount();
    RewardScales scales = problem.scales;
    if (settings.tau > 0)
        scales.costReference = settings.tau;
    auto model =
        std::make_shared<BarpModel>(problem.modelNames, problem.features->spec(), dimension,
                                    scales.costReference, problem.rewardKind, settings);
    model->setFeatureState(problem.features->stateFingerprint());
    const ParameterList parameters = model->parameters();
    AdamOptimizer optimizer(parameters, {static_cast<float>(settings.learningRate)});

    Random random(Random::mix(settings.seed, 3));
    std::vector<int> order = problem.trainingRows;
    const int units = settings.preferenceUnits;
    const auto& quality = *problem.quality;
    const auto& cost = *problem.cost;
    const auto& latency = *problem.latency;
    // The running-mean baseline is kept per region of the preference simplex (our choice):
    // rewards under w_c = 0.9 and w_c = 0.1 live on different scales, and one mean for both
    // drowns the signal that tells the two apart.
    constexpr int kBins = 16;
    std::vector<double> baseline(kBins * kBins, std::nan(""));
    auto binOf = [](const Preference& w) {
        const int q = std::min(kBins - 1, static_cast<int>(w.quality * kBins));
        const int c = std::min(kBins - 1, static_cast<int>(w.cost * kBins));
        return static_cast<std::size_t>(q * kBins + c);
    };

    Eigen::MatrixXf weights, input, logitGradient, headInputGradient;
    std::vector<Preference> preferences;
    std::vector<double> rewards;
    for (int epoch = 0; epoch < settings.epochs; ++epoch) {
        for (std::size_t i = order.size(); i > 1; --i) // Fisher-Yates with our portable draws
            std::swap(order[i - 1],
                      order[static_cast<std::size_t>(random.uniformInt(static_cast<int>(i)))]);
        double epochReward = 0;
        // Explore early, exploit late: the entropy weight falls linearly to its final value.
        const double progress =
            settings.epochs > 1 ? static_cast<double>(epoch) / (settings.epochs - 1) : 1.0;
        const float entropyWeight =
            static_cast<float>(settings.entropyWeight +
                               (settings.finalEntropyWeight - settings.entropyWeight) * progress);
        for (std::size_t start = 0; start < order.size();
             start += static_cast<std::size_t>(settings.batchSize)) {
            const int batch = static_cast<int>(
                std::min(order.size() - start, static_cast<std::size_t>(settings.batchSize)));
            weights.resize(3, batch);
            preferences.resize(static_cast<std::size_t>(batch));
            for (int b = 0; b < batch; ++b) {
                preferences[b] = samplePreference(random, settings.objectives);
                preferenceColumn(preferences[b], weights.col(b));
            }
            const Eigen::MatrixXf& encoded = model->preferenceEncoder_.forward(weights);
            input.resize(dimension + units, batch);
            for (int b = 0; b < batch; ++b)
                input.col(b).head(dimension) = features.col(order[start + b]);
            input.bottomRows(units) = encoded;
            const Eigen::MatrixXf& logits = model->decisionHead_.forward(input);

            logitGradient.resize(models, batch);
            rewards.resize(static_cast<std::size_t>(batch));
            double batchReward = 0;
            for (int b = 0; b < batch; ++b) {
                Eigen::VectorXf p = (logits.col(b).array() - logits.col(b).maxCoeff()).exp();
                p /= p.sum();
                // Sample the action; only its outcome is looked at (bandit feedback).
                double u = random.uniform();
                int action = models - 1;
                for (int k = 0; k < models; ++k) {
                    u -= p[k];
                    if (u < 0) {
                        action = k;
                        break;
                    }
                }
                const int row = order[start + b];
                const double q = quality(row, action);
                const RewardFunction reward(problem.rewardKind, scales, preferences[b]);
                const double r =
                    reward(std::isnan(q) ? 0.0 : q, cost(row, action), latency(row, action));
                rewards[b] = r;
                batchReward += r;
                double& mean = baseline[binOf(preferences[b])];
                const float advantage = static_cast<float>(std::isnan(mean) ? 0.0 : r - mean);
                mean = std::isnan(mean)
                           ? r
                           : settings.baselineDecay * mean + (1 - settings.baselineDecay) * r;
                const Eigen::ArrayXf logP = p.array().max(1e-12f).log();
                const float entropy = -(p.array() * logP).sum();
                // d/dz of -(r - b) log p_a - beta H(p).
                logitGradient.col(b) = advantage * p;
                logitGradient(action, b) -= advantage;
                logitGradient.col(b).array() += entropyWeight * p.array() * (logP + entropy);
            }
            logitGradient /= static_cast<float>(batch);
            const Eigen::MatrixXf inputGradient = model->decisionHead_.backward(logitGradient);
            headInputGradient = inputGradient.bottomRows(units);
            model->preferenceEncoder_.backward(headInputGradient);
            clipGradientNorm(parameters, static_cast<float>(settings.gradientClip));
            optimizer.step();
            zeroGradients(parameters);

            epochReward += batchReward;
        }
        model->curve_.push_back(order.empty() ? 0.0 : epochReward / order.size());
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
