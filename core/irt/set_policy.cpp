#include "irt/set_policy.h"

#include "common/random.h"
#include "common/subnormal_flush.h"
#include "common/vector_state.h"
#include "nn/adam_optimizer.h"
#include "reward/reward_function.h"
#include "routing/router.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace routerlab {

namespace {

void initialise(Parameter& p, const char* name, int rows, int cols, Random& random, double sd) {
    p.name = QLatin1String(name);
    p.resize(rows, cols);
    for (Eigen::Index i = 0; i < p.value.size(); ++i)
        p.value.data()[i] = static_cast<float>(random.normal(0, sd));
}

void setPreference(Eigen::MatrixXf& columns, Eigen::Index column, const Preference& preference) {
    columns(0, column) = float(preference.quality);
    columns(1, column) = float(preference.cost);
    columns(2, column) = float(preference.latency);
}

Preference drawPreference(Random& random) {
    // Half the draws leave latency out: the slider's most common setting must be well covered.
    return samplePreference(random, random.uniform() < 0.5 ? 2 : 3);
}

} // namespace

SetPolicy::SetPolicy(Shape shape, std::uint64_t seed) : shape_(shape) {
    Random random(Random::mix(seed, 0x5e7));
    const int h = shape.hidden;
    initialise(tokenMap_, "token_map", h, kPredictionRows, random,
               1.0 / std::sqrt(kPredictionRows));
    initialise(promptMap_, "prompt_map", h, shape.features, random,
               1.0 / std::sqrt(std::max(1, shape.features)));
    initialise(preferenceMap_, "preference_map", h, 3, random, 0.5);
    initialise(tokenBias_, "token_bias", h, 1, random, 0.0);
    const double attentionSd = 1.0 / std::sqrt(h);
    initialise(query_, "query", h, h, random, attentionSd);
    initialise(key_, "key", h, h, random, attentionSd);
    initialise(value_, "value", h, h, random, attentionSd);
    initialise(headMap_, "head_map", h, h, random, attentionSd);
    initialise(headBias_, "head_bias", h, 1, random, 0.0);
    initialise(output_, "output", h, 1, random, attentionSd);
    initialise(predictedRewardWeight_, "predicted_reward_weight", 1, 1, random, 0.0);
    // Predicted rewards on [0, 1] differ by a few hundredths between good models: this weight
    // makes such a difference count without making the first rounds greedy.
    predictedRewardWeight_.value(0, 0) = 20.0f;
}

ParameterList SetPolicy::parameters() {
    // The predicted reward's weight last: trainSetPolicy does not decay it.
    return {&tokenMap_,
            &promptMap_,
            &preferenceMap_,
            &tokenBias_,
            &query_,
            &key_,
            &value_,
            &headMap_,
            &headBias_,
            &output_,
            &predictedRewardWeight_};
}

std::size_t SetPolicy::parameterCount() const {
    std::size_t n = 0;
    for (const Parameter* p :
         {&tokenMap_, &promptMap_, &preferenceMap_, &tokenBias_, &query_, &key_, &value_, &headMap_,
          &headBias_, &output_, &predictedRewardWeight_})
        n += static_cast<std::size_t>(p->value.size());
    return n;
}

Eigen::MatrixXf SetPolicy::predictionInputs(const IrtModel& irt,
                                            const Eigen::VectorXf& promptFeatures,
                                            const std::vector<ModelToken>& models,
                                            const RewardFunction& reward) {
    const Eigen::VectorXf alpha = irt.discrimination(promptFeatures);
    const double difficulty = irt.difficulty(promptFeatures);
    Eigen::MatrixXf x(kPredictionRows, static_cast<Eigen::Index>(models.size()));
    for (std::size_t m = 0; m < models.size(); ++m) {
        const auto col = static_cast<Eigen::Index>(m);
        const double p = IrtModel::cautiousProbability(alpha, difficulty, models[m].identity);
        x(0, col) = static_cast<float>(p);
        x(1, col) = static_cast<float>(
            reward.normalise(reward(p, models[m].meanCostUsd, models[m].meanLatencyS)));
    }
    x.row(2) = x.row(1).array() - x.row(1).maxCoeff();
    return x;
}

void SetPolicy::forward(const Eigen::VectorXf& promptFeatures, const Preference& preference,
                        const Eigen::MatrixXf& predictions, Trace& tr) const {
    const SubnormalFlush flush;
    const float scale = 1.0f / std::sqrt(float(shape_.hidden));
    tr.tokens = predictions;
    tr.promptFeatures = promptFeatures;
    tr.preference << float(preference.quality), float(preference.cost), float(preference.latency);
    tr.context = promptMap_.value * promptFeatures + preferenceMap_.value * tr.preference +
                 tokenBias_.value.col(0);
    // Products first, then tanh over a plain matrix: the fused expression took tanh one
    // value at a time, a quarter of the training's time.
    tr.t.noalias() = tokenMap_.value * tr.tokens;
    tr.t.colwise() += tr.context;
    tr.t = tr.t.array().tanh();
    tr.q.noalias() = query_.value * tr.t;
    tr.k.noalias() = key_.value * tr.t;
    tr.v.noalias() = value_.value * tr.t;
    // Column m: how much token m reads from each token n (the attention's row m, kept for
    // backward()). The softmax runs over contiguous columns, where exp is vectorised; over a
    // row of a column-major matrix it takes one value at a time.
    Eigen::MatrixXf& reads = tr.reads;
    reads.noalias() = tr.k.transpose() * tr.q;
    reads *= scale;
    for (Eigen::Index m = 0; m < reads.cols(); ++m) {
        auto column = reads.col(m);
        const float top = column.maxCoeff();
        column = (column.array() - top).exp();
        column /= column.sum();
    }
    tr.attention = reads.transpose();
    tr.z = tr.t;
    tr.z.noalias() += tr.v * reads;
    tr.h.noalias() = headMap_.value * tr.z;
    tr.h.colwise() += headBias_.value.col(0);
    tr.h = tr.h.array().tanh();
    tr.logits = tr.h.transpose() * output_.value.col(0) +
                predictedRewardWeight_.value(0, 0) * predictions.row(1).transpose();
    const float top = tr.logits.maxCoeff();
    tr.probability = (tr.logits.array() - top).exp();
    tr.probability /= tr.probability.sum();
}

Eigen::MatrixXf SetPolicy::addTokenGradients(const Eigen::MatrixXf& t,
                                             const Eigen::MatrixXf& tokens,
                                             const Eigen::MatrixXf& dQ, const Eigen::MatrixXf& dK,
                                             const Eigen::MatrixXf& dV, Eigen::MatrixXf& dT) {
    query_.gradient.noalias() += dQ * t.transpose();
    key_.gradient.noalias() += dK * t.transpose();
    value_.gradient.noalias() += dV * t.transpose();
    dT.noalias() += query_.value.transpose() * dQ;
    dT.noalias() += key_.value.transpose() * dK;
    dT.noalias() += value_.value.transpose() * dV;
    Eigen::MatrixXf dTokenPre = dT.array() * (1.0f - t.array().square());
    tokenMap_.gradient.noalias() += dTokenPre * tokens.transpose();
    return dTokenPre;
}

void SetPolicy::backward(const Trace& tr, const Eigen::VectorXf& dLogits) {
    const float scale = 1.0f / std::sqrt(float(shape_.hidden));
    output_.gradient.col(0) += tr.h * dLogits;
    predictedRewardWeight_.gradient(0, 0) +=
        dLogits.dot(tr.tokens.row(tr.tokens.rows() - kPredictionRows + 1).transpose());
    const Eigen::MatrixXf dH = output_.value.col(0) * dLogits.transpose();
    const Eigen::MatrixXf dHeadPre = dH.array() * (1.0f - tr.h.array().square());
    headMap_.gradient.noalias() += dHeadPre * tr.z.transpose();
    headBias_.gradient.col(0) += dHeadPre.rowwise().sum();
    const Eigen::MatrixXf dZ = headMap_.value.transpose() * dHeadPre;

    // z = t + v attention'
    Eigen::MatrixXf dT = dZ;
    const Eigen::MatrixXf dV = dZ * tr.attention;
    const Eigen::MatrixXf dAttention = dZ.transpose() * tr.v;
    Eigen::MatrixXf dScores(tr.attention.rows(), tr.attention.cols());
    for (Eigen::Index m = 0; m < tr.attention.rows(); ++m) {
        const float inner = tr.attention.row(m).dot(dAttention.row(m));
        dScores.row(m) = tr.attention.row(m).array() * (dAttention.row(m).array() - inner);
    }
    dScores *= scale;
    const Eigen::MatrixXf dQ = tr.k * dScores.transpose();
    const Eigen::MatrixXf dK = tr.q * dScores;
    const Eigen::MatrixXf dTokenPre = addTokenGradients(tr.t, tr.tokens, dQ, dK, dV, dT);
    const Eigen::VectorXf dContext = dTokenPre.rowwise().sum();
    tokenBias_.gradient.col(0) += dContext;
    promptMap_.gradient.noalias() += dContext * tr.promptFeatures.transpose();
    preferenceMap_.gradient.noalias() += dContext * tr.preference.transpose();
}

namespace {

// Trains a set policy: pairwise pre-training, then PPO rounds of episodes drawn from the policy.
// One random stream drives every draw, in a fixed order, so a seed gives one policy.
class SetPolicyTrainer {
public:
    SetPolicyTrainer(const RoutingProblem& problem, const IrtModel& irt,
                     const std::vector<ModelToken>& models, const SetPolicySettings& settings);

    void pretrain();
    double collectEpisodes(); // one round's draws; the mean recorded reward of their actions
    void optimiseOnEpisodes();
    SetPolicy takePolicy() { return std::move(policy_); }

private:
    // A pre-training draw: a (mixed) prompt, a preference, a set and the set's rewards.
    struct PairwiseDraw {
        Eigen::VectorXf features;
        Preference preference;
        Eigen::MatrixXf predictions;
        std::vector<double> rewards;
    };
    struct Episode {
        int row = 0;
        Preference preference;
        std::vector<ModelToken> tokens; // the set's tokens, perhaps with a made-up model
        Eigen::MatrixXf predictions;    // predictionInputs() of the tokens on the prompt
        int action = 0;                 // index into set
        float oldProbability = 0;
        float advantage = 0;
    };

    void measureModelSpread();
    int drawRow();
    void drawTokens(std::vector<ModelToken>& tokens);
    ModelToken madeUpModel();
    std::vector<double> recordedRewards(int row, const std::vector<ModelToken>& tokens,
                                        const RewardFunction& reward) const;
    void drawPair(PairwiseDraw& draw);
    void addPairwiseLogitGradient(const PairwiseDraw& draw, Eigen::Index first,
                                  Eigen::VectorXf& dLogits) const;
    void drawSet(Episode& e);
    void runBatch(std::size_t start, std::size_t end);
    double drawAction(Episode& e, Eigen::Index first);
    void addPpoLogitGradient(const Episode& e, Eigen::Index first, Eigen::VectorXf& dLogits) const;
    void update();

    const RoutingProblem& problem_;
    const IrtModel& irt_;
    const std::vector<ModelToken>& models_;
    const SetPolicySettings& settings_;
    const Eigen::MatrixXf& features_;
    const int modelCount_;
    SetPolicy policy_;
    // The spread of prices and latencies of the models it trains with, for made-up models.
    double costCentre_ = 0, costSpread_ = 0, latencyCentre_ = 0, latencySpread_ = 0;
    IdentityPrior population_;
    Eigen::MatrixXf populationFactor_;
    Eigen::VectorXf meanVariance_;
    ParameterList parameters_;
    AdamOptimizer adam_;
    Random random_;
    std::vector<Episode> episodes_;
    std::vector<int> order_;
    SetPolicy::BatchTrace batch_;
    std::vector<int> setSizes_;
    std::vector<PairwiseDraw> pairs_;
};

SetPolicyTrainer::SetPolicyTrainer(const RoutingProblem& problem, const IrtModel& irt,
                                   const std::vector<ModelToken>& models,
                                   const SetPolicySettings& settings)
    : problem_(problem), irt_(irt), models_(models), settings_(settings),
      features_(problem.features->matrix()), modelCount_(static_cast<int>(models.size())),
      policy_({static_cast<int>(features_.rows()), settings.hidden}, settings.seed),
      population_(populationPrior(irt)), parameters_(policy_.parameters()),
      adam_(parameters_, {settings.learningRate, 0.9f, 0.999f, 1e-8f}),
      random_(Random::mix(settings.seed, 0x9901)),
      episodes_(static_cast<std::size_t>(settings.episodes)),
      order_(static_cast<std::size_t>(modelCount_)) {
    measureModelSpread();
    populationFactor_ = population_.covariance.llt().matrixL();
    meanVariance_ = Eigen::VectorXf::Zero(population_.mean.size());
    for (const ModelToken& m : models_)
        meanVariance_ += m.identity.variance / float(models_.size());
}

void SetPolicyTrainer::measureModelSpread() {
    double costSum = 0, costSquares = 0, latencySum = 0, latencySquares = 0;
    for (const ModelToken& m : models_) {
        const double c = std::log(std::max(m.meanCostUsd, 1e-12));
        const double l = std::log(std::max(m.meanLatencyS, 1e-6));
        costSum += c;
        costSquares += c * c;
        latencySum += l;
        latencySquares += l * l;
    }
    const double n = modelCount_;
    costCentre_ = costSum / n;
    latencyCentre_ = latencySum / n;
    costSpread_ = std::sqrt(std::max(0.0, costSquares / n - costCentre_ * costCentre_));
    latencySpread_ = std::sqrt(std::max(0.0, latencySquares / n - latencyCentre_ * latencyCentre_));
}

int SetPolicyTrainer::drawRow() {
    return problem_.trainingRows[static_cast<std::size_t>(
        random_.uniformInt(static_cast<int>(problem_.trainingRows.size())))];
}

// A random subset of two or more models (the policy must serve any pool), perhaps with a
// made-up one.
void SetPolicyTrainer::drawTokens(std::vector<ModelToken>& tokens) {
    std::iota(order_.begin(), order_.end(), 0);
    for (std::size_t i = order_.size(); i > 1; --i)
        std::swap(order_[i - 1], order_[std::size_t(random_.uniformInt(int(i)))]);
    const int drawn = modelCount_ <= 2 ? modelCount_ : 2 + random_.uniformInt(modelCount_ - 1);
    tokens.clear();
    for (int j = 0; j < drawn; ++j)
        tokens.push_back(models_[static_cast<std::size_t>(order_[std::size_t(j)])]);
    if (random_.uniform() < settings_.syntheticShare) {
        const ModelToken made = madeUpModel();
        tokens.insert(tokens.begin() + random_.uniformInt(int(tokens.size()) + 1), made);
    }
}

// An identity drawn from the population, a price and a latency from the pool's spread.
ModelToken SetPolicyTrainer::madeUpModel() {
    ModelToken made;
    Eigen::VectorXf draw(population_.mean.size());
    for (Eigen::Index i = 0; i < draw.size(); ++i)
        draw[i] = static_cast<float>(random_.normal());
    made.identity = {population_.mean + populationFactor_ * draw, meanVariance_};
    made.meanCostUsd = std::exp(costCentre_ + (costSpread_ + 0.5) * random_.normal());
    made.meanLatencyS = std::exp(latencyCentre_ + (latencySpread_ + 0.2) * random_.normal());
    return made;
}

// The recorded outcome's reward of each token on a prompt.
std::vector<double> SetPolicyTrainer::recordedRewards(int row,
                                                      const std::vector<ModelToken>& tokens,
                                                      const RewardFunction& reward) const {
    std::vector<double> r(tokens.size());
    for (std::size_t j = 0; j < tokens.size(); ++j) {
        const ModelToken& token = tokens[j];
        if (token.column < 0) { // made up: the quality the IRT fit expects of it
            r[j] = reward(irt_.probability(features_.col(row), token.identity), token.meanCostUsd,
                          token.meanLatencyS);
            continue;
        }
        const int m = token.column;
        const double q = (*problem_.quality)(row, m);
        r[j] =
            reward(std::isnan(q) ? 0.0 : q, (*problem_.cost)(row, m), (*problem_.latency)(row, m));
    }
    return r;
}

void SetPolicyTrainer::update() {
    for (Parameter* p : parameters_)
        if (p != parameters_.back()) // the predicted reward's weight is not decayed
            p->gradient += settings_.weightDecay * p->value;
    clipGradientNorm(parameters_, 1.0f);
    adam_.step();
}

// Supervised pre-training on pairwise comparisons (Li 2025): within a drawn set, a model whose
// recorded reward was higher should get the higher logit (a Bradley-Terry loss weighted by the
// reward gap). Mixup blends two prompts - features, predictions and rewards alike - so the
// policy also sees points between the training prompts.
// A minibatch's draws come first, then one pass of the policy over them all.
void SetPolicyTrainer::pretrain() {
    pairs_.resize(std::size_t(settings_.minibatch));
    Eigen::VectorXf dLogits;
    for (int step = 0; step < settings_.pretrainSteps; ++step) {
        setSizes_.clear();
        for (PairwiseDraw& draw : pairs_) {
            drawPair(draw);
            setSizes_.push_back(static_cast<int>(draw.predictions.cols()));
        }
        batch_.resize(setSizes_, features_.rows());
        for (std::size_t b = 0; b < pairs_.size(); ++b) {
            const auto set = static_cast<Eigen::Index>(b);
            batch_.tokens.middleCols(batch_.start[b], batch_.size(set)) = pairs_[b].predictions;
            batch_.promptFeatures.col(set) = pairs_[b].features;
            setPreference(batch_.preference, set, pairs_[b].preference);
        }
        policy_.forwardBatch(batch_);
        dLogits.setZero(batch_.tokens.cols());
        for (std::size_t b = 0; b < pairs_.size(); ++b)
            addPairwiseLogitGradient(pairs_[b], batch_.start[b], dLogits);
        zeroGradients(parameters_);
        policy_.backwardBatch(batch_, dLogits / float(settings_.minibatch));
        update();
    }
}

void SetPolicyTrainer::drawPair(PairwiseDraw& draw) {
    const int first = drawRow(), second = drawRow();
    const double u = random_.uniform();
    const float mix =
        static_cast<float>(std::max(u, 1.0 - u) * settings_.mixup + (1.0 - settings_.mixup));
    const Preference preference = drawPreference(random_);
    std::vector<ModelToken> tokens;
    drawTokens(tokens);
    const RewardFunction reward(problem_.rewardKind, problem_.scales, preference);
    draw.preference = preference;
    draw.features = mix * features_.col(first) + (1.0f - mix) * features_.col(second);
    draw.predictions =
        mix * SetPolicy::predictionInputs(irt_, features_.col(first), tokens, reward) +
        (1.0f - mix) * SetPolicy::predictionInputs(irt_, features_.col(second), tokens, reward);
    const std::vector<double> r1 = recordedRewards(first, tokens, reward);
    const std::vector<double> r2 = recordedRewards(second, tokens, reward);
    draw.rewards.resize(tokens.size());
    for (std::size_t j = 0; j < tokens.size(); ++j)
        draw.rewards[j] = mix * r1[j] + (1.0f - mix) * r2[j];
}

// The draw's Bradley-Terry loss on its set's logits, which start at `first` in the batch.
void SetPolicyTrainer::addPairwiseLogitGradient(const PairwiseDraw& draw, Eigen::Index first,
                                                Eigen::VectorXf& dLogits) const {
    const std::vector<double>& r = draw.rewards;
    const auto [lo, hi] = std::minmax_element(r.begin(), r.end());
    const double spread = std::max(*hi - *lo, 1e-3);
    for (std::size_t a = 0; a < r.size(); ++a)
        for (std::size_t c = 0; c < r.size(); ++c) {
            if (r[a] <= r[c])
                continue;
            // -w log sigmoid(l_a - l_c), w the gap on the set's scale
            const Eigen::Index ia = first + Eigen::Index(a), ic = first + Eigen::Index(c);
            const double gap = double(batch_.logits[ia]) - double(batch_.logits[ic]);
            const float g = static_cast<float>((r[a] - r[c]) / spread / (1.0 + std::exp(gap)));
            dLogits[ia] -= g;
            dLogits[ic] += g;
        }
}

// A minibatch's prompts, preferences and sets are drawn first, then the policy runs over them
// all at once, then each episode draws its action.
double SetPolicyTrainer::collectEpisodes() {
    double rewardSum = 0;
    for (std::size_t start = 0; start < episodes_.size();
         start += std::size_t(settings_.minibatch)) {
        const std::size_t end =
            std::min(episodes_.size(), start + std::size_t(settings_.minibatch));
        for (std::size_t b = start; b < end; ++b)
            drawSet(episodes_[b]);
        runBatch(start, end);
        for (std::size_t b = start; b < end; ++b)
            rewardSum += drawAction(episodes_[b], batch_.start[b - start]);
    }
    return rewardSum / double(episodes_.size());
}

// An episode's prompt, preference and set.
void SetPolicyTrainer::drawSet(Episode& e) {
    e.row = drawRow();
    e.preference = drawPreference(random_);
    drawTokens(e.tokens);
    const RewardFunction reward(problem_.rewardKind, problem_.scales, e.preference);
    e.predictions = SetPolicy::predictionInputs(irt_, features_.col(e.row), e.tokens, reward);
}

// The policy over episodes start .. end - 1 as one batch.
void SetPolicyTrainer::runBatch(std::size_t start, std::size_t end) {
    setSizes_.clear();
    for (std::size_t b = start; b < end; ++b)
        setSizes_.push_back(static_cast<int>(episodes_[b].tokens.size()));
    batch_.resize(setSizes_, features_.rows());
    for (std::size_t b = start; b < end; ++b) {
        const Episode& e = episodes_[b];
        const auto set = static_cast<Eigen::Index>(b - start);
        batch_.tokens.middleCols(batch_.start[b - start], batch_.size(set)) = e.predictions;
        batch_.promptFeatures.col(set) = features_.col(e.row);
        setPreference(batch_.preference, set, e.preference);
    }
    policy_.forwardBatch(batch_);
}

// An action drawn from the policy's probabilities (the episode's set starts at `first` in the
// batch); returns its recorded reward.
double SetPolicyTrainer::drawAction(Episode& e, Eigen::Index first) {
    const int size = static_cast<int>(e.tokens.size());
    const auto probability = batch_.probability.segment(first, size);
    double u = random_.uniform();
    e.action = size - 1;
    for (int j = 0; j < size; ++j) {
        u -= probability[j];
        if (u < 0) {
            e.action = j;
            break;
        }
    }
    e.oldProbability = probability[e.action];
    const RewardFunction reward(problem_.rewardKind, problem_.scales, e.preference);
    const std::vector<double> r = recordedRewards(e.row, e.tokens, reward);
    double expected = 0;
    for (int j = 0; j < size; ++j)
        expected += probability[j] * r[std::size_t(j)];
    const auto [lo, hi] = std::minmax_element(r.begin(), r.end());
    e.advantage =
        static_cast<float>((r[std::size_t(e.action)] - expected) / std::max(*hi - *lo, 1e-3));
    return r[std::size_t(e.action)];
}

void SetPolicyTrainer::optimiseOnEpisodes() {
    for (int epoch = 0; epoch < settings_.epochsPerRound; ++epoch) {
        for (std::size_t i = episodes_.size(); i > 1; --i)
            std::swap(episodes_[i - 1], episodes_[std::size_t(random_.uniformInt(int(i)))]);
        for (std::size_t start = 0; start < episodes_.size();
             start += std::size_t(settings_.minibatch)) {
            const std::size_t end =
                std::min(episodes_.size(), start + std::size_t(settings_.minibatch));
            runBatch(start, end);
            Eigen::VectorXf dLogits = Eigen::VectorXf::Zero(batch_.tokens.cols());
            for (std::size_t b = start; b < end; ++b)
                addPpoLogitGradient(episodes_[b], batch_.start[b - start], dLogits);
            zeroGradients(parameters_);
            policy_.backwardBatch(batch_, dLogits / float(end - start));
            update();
        }
    }
}

// The episode's clipped surrogate and entropy bonus on its set's logits, which start at
// `first` in the batch.
void SetPolicyTrainer::addPpoLogitGradient(const Episode& e, Eigen::Index first,
                                           Eigen::VectorXf& dLogits) const {
    const auto p = batch_.probability.segment(first, Eigen::Index(e.tokens.size()));
    const float ratio = p[e.action] / std::max(e.oldProbability, 1e-8f);
    // The clipped surrogate passes no gradient once the ratio has moved past the clip in the
    // direction the advantage favours.
    const bool clipped = (e.advantage > 0 && ratio > 1 + settings_.clip) ||
                         (e.advantage < 0 && ratio < 1 - settings_.clip);
    auto d = dLogits.segment(first, p.size());
    if (!clipped) {
        // d(-ratio A)/d logits = -ratio A (onehot - p)
        d = ratio * e.advantage * p;
        d[e.action] -= ratio * e.advantage;
    }
    // Entropy bonus: d(-beta H)/d logit_j = beta p_j (log p_j + H).
    const Eigen::ArrayXf logP = p.array().max(1e-12f).log();
    const float entropy = -(p.array() * logP).sum();
    d.array() += settings_.entropy * p.array() * (logP + entropy);
}

} // namespace

SetPolicy trainSetPolicy(const RoutingProblem& problem, const IrtModel& irt,
                         const std::vector<ModelToken>& models, const SetPolicySettings& settings,
                         const std::function<void(int, double)>& afterRound) {
    const SubnormalFlush flush; // see SubnormalFlush: training took 2.5 times as long
    SetPolicyTrainer trainer(problem, irt, models, settings);
    trainer.pretrain();
    for (int round = 0; round < settings.iterations; ++round) {
        clearUpperVectorState();
        const double meanReward = trainer.collectEpisodes();
        if (afterRound)
            afterRound(round, meanReward);
        trainer.optimiseOnEpisodes();
    }
    return trainer.takePolicy();
}

} // namespace routerlab
