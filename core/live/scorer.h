#pragma once

#include "data/model_pool.h"
#include "http/chat_protocol.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

namespace routerlab {

class ChatClient;

struct ScoreInput {
    QString prompt;
    QString answer;
    QString reference; // empty when the dataset has none
    QJsonObject replayInfo;
};

struct Score {
    double quality = std::numeric_limits<double>::quiet_NaN(); // [0, 1]; NaN: no verdict
    // The judge's own call, when a judge scored: recorded and paid for apart from the answer.
    std::optional<ChatResult> judgeCall;
    QString judgeModel;
    double judgeCostUsd = 0;
};

// Turns a live answer into a quality in [0, 1], as the recorded quality column would have it.
class Scorer {
public:
    virtual ~Scorer() = default;
    virtual Score score(const ScoreInput& input) = 0;
};

// What some scorers need beyond the answer.
struct ScorerContext {
    ChatClient* client = nullptr;                         // for the judge
    const ModelPool* pool = nullptr;                      // the judge's price
    std::function<Endpoint(const PoolModel&)> endpointOf; // the judge's endpoint
    // Asks a person (the GUI's thumbs or stars, the CLI's prompt); nullopt: no rating.
    std::function<std::optional<double>(const ScoreInput&)> askPerson;
};

// "exact", "normalised", "numeric", "choice", "regex" (the reference is a pattern),
// "regex:PATTERN" (the answer must match PATTERN), "judge:model=ID", "replay" (the quality the
// replay server recorded), "human". Throws std::invalid_argument naming what is wrong.
std::unique_ptr<Scorer> makeScorer(const QString& spec, const ScorerContext& context = {});
QStringList scorerForms();

// The pieces, exposed for tests.
QString normaliseAnswer(const QString& text); // lower case, no punctuation/articles/extra space
std::optional<double> finalNumber(const QString& text);   // "#### 42", "answer is 42", last number
QString choiceLetter(const QString& text);                // "B" from "The answer is (B)."
std::optional<double> judgeVerdict(const QString& reply); // "Score: 7" -> 0.7
QString judgePrompt(const ScoreInput& input);
// The question, reference and answer of a judgePrompt() text; nullopt for any other text.
std::optional<ScoreInput> parseJudgePrompt(const QString& text);

} // namespace routerlab
