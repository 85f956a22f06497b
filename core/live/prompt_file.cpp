#include "live/prompt_file.h"

#include "common/input_error.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

namespace routerlab {

Dataset loadPromptFile(const QString& path, const ModelPool& pool) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot read: %1").arg(f.errorString()));
    if (pool.size() == 0)
        throw InputError(path, 0, {}, QStringLiteral("live prompts need a pool with models"));
    Dataset d;
    d.name = QFileInfo(path).completeBaseName();
    d.sources << path;
    d.formats << QStringLiteral("prompts");
    const bool jsonLines =
        path.endsWith(QLatin1String(".jsonl")) || path.endsWith(QLatin1String(".ndjson"));
    qint64 lineNumber = 0;
    QHash<QString, qint64> lineOfId; // live calls are recorded by prompt id
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        QString id = QStringLiteral("p%1").arg(lineNumber);
        QString prompt, reference, category = QStringLiteral("prompts");
        if (jsonLines) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            if (!doc.isObject())
                throw InputError(path, lineNumber, {},
                                 QStringLiteral("not a JSON object (%1)").arg(error.errorString()));
            const QJsonObject o = doc.object();
            prompt = o.value(QLatin1String("prompt")).toString();
            if (prompt.isEmpty())
                throw InputError(path, lineNumber, QStringLiteral("prompt"),
                                 QStringLiteral("missing or empty"));
            if (o.contains(QLatin1String("id")))
                id = o.value(QLatin1String("id")).toVariant().toString();
            reference = o.value(QLatin1String("reference")).toVariant().toString();
            if (o.contains(QLatin1String("category")))
                category = o.value(QLatin1String("category")).toString();
        } else {
            prompt = QString::fromUtf8(line).trimmed();
        }
        if (id.isEmpty())
            throw InputError(path, lineNumber, QStringLiteral("id"),
                             QStringLiteral("empty (give a string or a number, or leave it out)"));
        if (const auto first = lineOfId.constFind(id); first != lineOfId.constEnd())
            throw InputError(path, lineNumber, QStringLiteral("id"),
                             QStringLiteral("'%1' is also the id of line %2").arg(id).arg(*first));
        lineOfId.insert(id, lineNumber);
        int c = static_cast<int>(d.categoryNames.indexOf(category));
        if (c < 0) {
            c = static_cast<int>(d.categoryNames.size());
            d.categoryNames << category;
        }
        d.promptIds.push_back(id);
        d.promptTexts.push_back(prompt);
        d.references.push_back(reference);
        d.promptCategory.push_back(c);
        d.promptSource.push_back(0);
    }
    if (d.promptIds.empty())
        throw InputError(path, 0, {}, QStringLiteral("has no prompts"));
    d.modelNames = pool.ids();
    const int n = d.promptCount();
    const int k = d.modelCount();
    const double nan = std::nan("");
    d.quality = Eigen::MatrixXd::Constant(n, k, nan);
    d.inputTokens.resize(n, k);
    d.outputTokens = Eigen::MatrixXd::Constant(n, k, Dataset::kDefaultOutputTokens);
    d.recordedLatency = Eigen::MatrixXd::Constant(n, k, nan);
    d.recordedCost = Eigen::MatrixXd::Constant(n, k, nan);
    for (int i = 0; i < n; ++i)
        d.inputTokens.row(i).setConstant(
            std::ceil(d.promptTexts[i].toUtf8().size() / Dataset::kCharsPerToken));
    d.estimates.inputTokens = d.estimates.outputTokens = d.estimates.latency =
        static_cast<qint64>(n) * k;
    return d;
}

} // namespace routerlab
