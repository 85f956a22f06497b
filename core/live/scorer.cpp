#include "live/scorer.h"

#include "http/chat_client.h"

#include <QRegularExpression>
#include <cmath>
#include <stdexcept>

namespace routerlab {

namespace {

Score scored(double quality) {
    Score s;
    s.quality = quality;
    return s;
}

Score verdict(bool correct) {
    return scored(correct ? 1.0 : 0.0);
}

class ExactScorer : public Scorer {
public:
    explicit ExactScorer(bool normalise) : normalise_(normalise) {}
    Score score(const ScoreInput& in) override {
        if (in.reference.isEmpty())
            return {};
        return normalise_ ? verdict(normaliseAnswer(in.answer) == normaliseAnswer(in.reference))
                          : verdict(in.answer.trimmed() == in.reference.trimmed());
    }

private:
    bool normalise_;
};

class NumericScorer : public Scorer {
public:
    Score score(const ScoreInput& in) override {
        const std::optional<double> expected = finalNumber(in.reference);
        if (!expected)
            return {};
        const std::optional<double> got = finalNumber(in.answer);
        // Relative tolerance: "18043.56" and "18,043.560" agree; 0.1 + 0.2 and 0.3 agree.
        return verdict(got &&
                       std::abs(*got - *expected) <= 1e-6 * std::max(1.0, std::abs(*expected)));
    }
};

class ChoiceScorer : public Scorer {
public:
    Score score(const ScoreInput& in) override {
        const QString expected = choiceLetter(in.reference);
        if (expected.isEmpty())
            return {};
        return verdict(choiceLetter(in.answer) == expected);
    }
};

class RegexScorer : public Scorer {
public:
    explicit RegexScorer(const QString& pattern)
        : fixed_(pattern, QRegularExpression::CaseInsensitiveOption) {}
    Score score(const ScoreInput& in) override {
        if (!fixed_.pattern().isEmpty())
            return verdict(fixed_.match(in.answer).hasMatch());
        if (in.reference.isEmpty())
            return {};
        const QRegularExpression fromReference(in.reference,
                                               QRegularExpression::CaseInsensitiveOption);
        if (!fromReference.isValid())
            return {};
        return verdict(fromReference.match(in.answer).hasMatch());
    }

private:
    QRegularExpression fixed_;
};

class ReplayScorer : public Scorer {
public:
    Score score(const ScoreInput& in) override {
        const QJsonValue q = in.replayInfo.value(QLatin1String("quality"));
        return scored(q.isDouble() ? q.toDouble() : std::numeric_limits<double>::quiet_NaN());
    }
};

class HumanScorer : public Scorer {
public:
    explicit HumanScorer(std::function<std::optional<double>(const ScoreInput&)> ask)
        : ask_(std::move(ask)) {}
    Score score(const ScoreInput& in) override {
        const std::optional<double> q = ask_ ? ask_(in) : std::nullopt;
        return scored(q ? *q : std::numeric_limits<double>::quiet_NaN());
    }

private:
    std::function<std::optional<double>(const ScoreInput&)> ask_;
};

class JudgeScorer : public Scorer {
public:
    JudgeScorer(const PoolModel& judge, const ScorerContext& context)
        : judge_(judge), context_(context) {}
    Score score(const ScoreInput& in) override {
        ChatCall call;
        call.modelId = judge_.id;
        call.endpoint = context_.endpointOf ? context_.endpointOf(judge_) : judge_.endpoint;
        call.prompt = judgePrompt(in);
        call.stream = false;
        call.temperature = 0;
        Score s;
        s.judgeModel = judge_.id;
        s.judgeCall = context_.client->call(call);
        if (s.judgeCall->usageReported())
            s.judgeCostUsd = judge_.costOfCall(static_cast<double>(s.judgeCall->promptTokens),
                                               static_cast<double>(s.judgeCall->completionTokens));
        if (s.judgeCall->ok())
            s.quality = judgeVerdict(s.judgeCall->text).value_or(std::nan(""));
        return s;
    }

private:
    PoolModel judge_;
    ScorerContext context_;
};

std::optional<double> parseNumber(QString text) {
    text.remove(QLatin1Char(',')).remove(QLatin1Char('$'));
    bool ok = false;
    const double v = text.toDouble(&ok);
    return ok && std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

} // namespace

QString normaliseAnswer(const QString& text) {
    static const QRegularExpression punctuation(QStringLiteral("[\\p{P}\\p{S}]"));
    static const QRegularExpression articles(QStringLiteral("\\b(a|an|the)\\b"));
    QString s = text.toLower();
    s.replace(punctuation, QStringLiteral(" "));
    s.replace(articles, QStringLiteral(" "));
    return s.simplified();
}

std::optional<double> finalNumber(const QString& text) {
    static const QRegularExpression number(
        QStringLiteral("-?\\$?\\d[\\d,]*(?:\\.\\d+)?|-?\\.\\d+"));
    static const QRegularExpression marked(
        QStringLiteral("(?:####|answer(?: is)?\\s*[:=]?)\\s*(-?\\$?\\d[\\d,]*(?:\\.\\d+)?)"),
        QRegularExpression::CaseInsensitiveOption);
    // GSM8K's "#### N" or an explicit "answer: N" wins over numbers in the working.
    QRegularExpressionMatchIterator m = marked.globalMatch(text);
    QString last;
    while (m.hasNext())
        last = m.next().captured(1);
    if (last.isEmpty()) {
        QRegularExpressionMatchIterator all = number.globalMatch(text);
        while (all.hasNext())
            last = all.next().captured(0);
    }
    if (last.endsWith(QLatin1Char(',')))
        last.chop(1);
    return last.isEmpty() ? std::nullopt : parseNumber(last);
}

QString choiceLetter(const QString& text) {
    static const QRegularExpression stated(
        QStringLiteral("answer(?: is)?\\s*[:=]?\\s*\\(?([A-J])\\b"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression bracketed(QStringLiteral("\\(([A-J])\\)"));
    static const QRegularExpression leading(QStringLiteral("^\\s*\\(?([A-J])(?:[).:]|\\s|$)"));
    static const QRegularExpression alone(QStringLiteral("\\b([A-J])\\b"),
                                          QRegularExpression::CaseInsensitiveOption);
    for (const QRegularExpression* re : {&stated, &bracketed, &leading}) {
        QRegularExpressionMatchIterator it = re->globalMatch(text);
        QString last;
        while (it.hasNext())
            last = it.next().captured(1);
        if (!last.isEmpty())
            return last.toUpper();
    }
    // A bare letter only when the whole text is short: "B" or "B) Paris".
    if (text.trimmed().size() <= 3) {
        const QRegularExpressionMatch m = alone.match(text);
        if (m.hasMatch())
            return m.captured(1).toUpper();
    }
    return {};
}

QString judgePrompt(const ScoreInput& in) {
    QString p = QStringLiteral(
        "You grade answers. Judge whether the answer responds correctly and helpfully to the "
        "question");
    p += in.reference.isEmpty() ? QStringLiteral(".\n\n")
                                : QStringLiteral(", using the reference answer as the truth.\n\n");
    p += QStringLiteral("Question:\n") + in.prompt + QStringLiteral("\n\n");
    if (!in.reference.isEmpty())
        p += QStringLiteral("Reference answer:\n") + in.reference + QStringLiteral("\n\n");
    p += QStringLiteral("Answer to grade:\n") + in.answer +
         QStringLiteral("\n\nReply with one line, \"Score: N\", where N is a whole number from 0 "
                        "(wrong or useless) to 10 (fully correct and helpful).");
    return p;
}

std::optional<ScoreInput> parseJudgePrompt(const QString& text) {
    if (!text.startsWith(QLatin1String("You grade answers.")))
        return std::nullopt;
    static const QRegularExpression parts(
        QStringLiteral("\\n\\nQuestion:\\n(.*?)\\n\\n(?:Reference answer:\\n(.*?)\\n\\n)?"
                       "Answer to grade:\\n(.*)\\n\\nReply with one line"),
        QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = parts.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    ScoreInput in;
    in.prompt = m.captured(1);
    in.reference = m.captured(2);
    in.answer = m.captured(3);
    return in;
}

std::optional<double> judgeVerdict(const QString& reply) {
    static const QRegularExpression score(QStringLiteral("score\\s*[:=]?\\s*(\\d+(?:\\.\\d+)?)"),
                                          QRegularExpression::CaseInsensitiveOption);
    QRegularExpressionMatchIterator it = score.globalMatch(reply);
    QString last;
    while (it.hasNext())
        last = it.next().captured(1);
    if (last.isEmpty())
        return std::nullopt;
    const double n = last.toDouble();
    if (n < 0 || n > 10)
        return std::nullopt;
    return n / 10.0;
}

QStringList scorerForms() {
    return {QStringLiteral("exact"),           QStringLiteral("normalised"),
            QStringLiteral("numeric"),         QStringLiteral("choice"),
            QStringLiteral("regex[:PATTERN]"), QStringLiteral("judge:model=ID"),
            QStringLiteral("replay"),          QStringLiteral("human")};
}

std::unique_ptr<Scorer> makeScorer(const QString& spec, const ScorerContext& context) {
    const QString kind = spec.section(QLatin1Char(':'), 0, 0);
    const QString argument = spec.section(QLatin1Char(':'), 1);
    if (kind == QLatin1String("exact") || kind == QLatin1String("normalised") ||
        kind == QLatin1String("normalized"))
        return std::make_unique<ExactScorer>(kind != QLatin1String("exact"));
    if (kind == QLatin1String("numeric"))
        return std::make_unique<NumericScorer>();
    if (kind == QLatin1String("choice"))
        return std::make_unique<ChoiceScorer>();
    if (kind == QLatin1String("replay"))
        return std::make_unique<ReplayScorer>();
    if (kind == QLatin1String("human"))
        return std::make_unique<HumanScorer>(context.askPerson);
    if (kind == QLatin1String("regex")) {
        const QRegularExpression re(argument, QRegularExpression::CaseInsensitiveOption);
        if (!re.isValid())
            throw std::invalid_argument(QStringLiteral("scorer '%1': bad regular expression: %2")
                                            .arg(spec, re.errorString())
                                            .toStdString());
        return std::make_unique<RegexScorer>(argument);
    }
    if (kind == QLatin1String("judge")) {
        if (!argument.startsWith(QLatin1String("model=")))
            throw std::invalid_argument(QStringLiteral("scorer '%1': name the judge as "
                                                       "judge:model=ID (a model of the pool)")
                                            .arg(spec)
                                            .toStdString());
        const QString id = argument.mid(6);
        const PoolModel* judge = context.pool ? context.pool->find(id) : nullptr;
        if (!judge)
            throw std::invalid_argument(QStringLiteral("scorer '%1': the pool has no model '%2'")
                                            .arg(spec, id)
                                            .toStdString());
        if (!context.client)
            throw std::invalid_argument("the judge scorer needs a live client");
        return std::make_unique<JudgeScorer>(*judge, context);
    }
    throw std::invalid_argument(QStringLiteral("unknown scorer '%1' (%2)")
                                    .arg(spec, scorerForms().join(QStringLiteral(", ")))
                                    .toStdString());
}

} // namespace routerlab
