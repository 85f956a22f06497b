#include "experiment/cluster_values.h"

#include <QRegularExpression>
#include <algorithm>
#include <stdexcept>

namespace routerlab {

namespace {

bool matchesWhole(const QString& text, const QString& pattern) {
    const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    return re.match(text).hasMatch();
}

// Characters no YAML scalar or one-line message should carry raw: C0 and C1 controls, DEL,
// the Unicode line and paragraph separators and the byte-order mark.
bool needsEscape(char16_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF;
}

} // namespace

bool isSlurmName(const QString& text) {
    return text.size() <= 64 && matchesWhole(text, QStringLiteral("[A-Za-z0-9_][A-Za-z0-9_.-]*"));
}

bool isSlurmPartitionList(const QString& text) {
    const QStringList names = text.split(QLatin1Char(','));
    return std::all_of(names.begin(), names.end(), isSlurmName);
}

bool isSlurmTimeLimit(const QString& text) {
    if (text == QLatin1String("UNLIMITED") || text == QLatin1String("INFINITE"))
        return true;
    return text.size() <= 32 &&
           matchesWhole(text, QStringLiteral("[0-9]+(:[0-9]+){0,2}|[0-9]+-[0-9]+(:[0-9]+){0,2}"));
}

bool isSlurmMemory(const QString& text) {
    return text.size() <= 20 && matchesWhole(text, QStringLiteral("[0-9]+[KMGT]?"));
}

bool isDnsLabel(const QString& text) {
    return text.size() <= 63 && matchesWhole(text, QStringLiteral("[a-z0-9]([-a-z0-9]*[a-z0-9])?"));
}

bool isDnsSubdomain(const QString& text) {
    return text.size() <= 253 &&
           matchesWhole(text, QStringLiteral("[a-z0-9]([-a-z0-9]*[a-z0-9])?"
                                             "(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"));
}

bool isImageReference(const QString& text) {
    // A name of 255, a tag of 128 and a long digest fit; anything longer is not worth matching.
    if (text.size() > 1024)
        return false;
    const QString alphaNumeric = QStringLiteral("[a-z0-9]+");
    const QString separator = QStringLiteral("(?:[._]|__|-+)");
    const QString pathComponent =
        alphaNumeric + QStringLiteral("(?:") + separator + alphaNumeric + QStringLiteral(")*");
    const QString domainComponent =
        QStringLiteral("(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])");
    const QString host = QStringLiteral("(?:") + domainComponent + QStringLiteral("(?:\\.") +
                         domainComponent + QStringLiteral(")*|\\[[a-fA-F0-9:]+\\])");
    const QString domain = host + QStringLiteral("(?::[0-9]+)?");
    const QString name = QStringLiteral("(?:") + domain + QStringLiteral("/)?") + pathComponent +
                         QStringLiteral("(?:/") + pathComponent + QStringLiteral(")*");
    const QString tag = QStringLiteral("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    const QString digest =
        QStringLiteral("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
    const QRegularExpression re(QRegularExpression::anchoredPattern(
        QStringLiteral("(") + name + QStringLiteral(")(?::") + tag + QStringLiteral(")?(?:@") +
        digest + QStringLiteral(")?")));
    const QRegularExpressionMatch m = re.match(text);
    return m.hasMatch() && m.capturedLength(1) <= 255;
}

QString shellQuoted(const QString& text) {
    QString out = text;
    out.replace(QLatin1Char('\''), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + out + QLatin1Char('\'');
}

QString yamlQuoted(const QString& text) {
    QString out = QStringLiteral("\"");
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\\' || u == u'"')
            out += QLatin1Char('\\') + c;
        else if (u == u'\n')
            out += QStringLiteral("\\n");
        else if (u == u'\t')
            out += QStringLiteral("\\t");
        else if (needsEscape(u))
            out += QStringLiteral("\\u%1").arg(static_cast<int>(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out + QLatin1Char('"');
}

QString kubernetesLiteral(const QString& text) {
    return QString(text).replace(QLatin1Char('$'), QStringLiteral("$$"));
}

QString slurmOutputPattern(const QString& folder, const QString& fileNamePattern) {
    // A backslash anywhere in the pattern turns Slurm's substitutions off (the log of every
    // task would be named shard-%a.log), and a directive is one line.
    for (const QChar c : folder)
        if (c == QLatin1Char('\\') || needsEscape(c.unicode()))
            return {};
    // Otherwise sbatch reads the value like a shell word: single quotes keep spaces, '"', '#'
    // and '$' literal, and '\'' closes, escapes and reopens as in the shell.
    return shellQuoted(QString(folder).replace(QLatin1Char('%'), QStringLiteral("%%")) +
                       QLatin1Char('/') + fileNamePattern);
}

QString shownValue(const QString& text) {
    constexpr int kShown = 60;
    return text.size() <= kShown ? yamlQuoted(text)
                                 : yamlQuoted(text.left(kShown)) + QStringLiteral("...");
}

QString substituteOnce(const QString& pattern,
                       const std::vector<std::pair<QString, QString>>& values) {
    QString out;
    qsizetype from = 0;
    while (true) {
        const qsizetype open = pattern.indexOf(QStringLiteral("{{"), from);
        if (open < 0)
            break;
        const qsizetype close = pattern.indexOf(QStringLiteral("}}"), open + 2);
        if (close < 0)
            throw std::logic_error("substituteOnce: unclosed {{ in the pattern");
        const QString name = pattern.mid(open + 2, close - open - 2);
        const auto value = std::find_if(values.begin(), values.end(),
                                        [&](const auto& v) { return v.first == name; });
        if (value == values.end())
            throw std::logic_error("substituteOnce: no value for {{" + name.toStdString() + "}}");
        out += pattern.mid(from, open - from) + value->second;
        from = close + 2;
    }
    return out + pattern.mid(from);
}

} // namespace routerlab
