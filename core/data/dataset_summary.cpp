#include "data/dataset_summary.h"

#include <QJsonArray>
#include <QTextStream>
#include <limits>

namespace routerlab {

DatasetSummary summarize(const Dataset& d, const ModelPool& pool) {
    DatasetSummary s;
    s.name = d.name;
    s.sources = d.sources;
    s.formats = d.formats;
    s.prompts = d.promptCount();
    s.categories = d.categoryNames;
    s.missingCells = d.missingCells();
    s.estimates = d.estimates;
    s.costRecorded = d.hasRecordedCost();

    const Eigen::MatrixXd cost = d.costUsd(pool);
    const Eigen::MatrixXd latency = d.latencyS(pool);
    for (int k = 0; k < d.modelCount(); ++k) {
        ModelSummary m;
        m.name = d.modelNames[k];
        double q = 0, c = 0, l = 0;
        qint64 n = 0;
        for (int i = 0; i < d.promptCount(); ++i) {
            if (d.isMissing(i, k))
                continue;
            q += d.quality(i, k);
            c += cost(i, k);
            l += latency(i, k);
            ++n;
        }
        m.missing = d.promptCount() - n;
        if (n > 0) {
            m.meanQuality = q / n;
            m.meanCostUsd = c / n;
            m.meanLatencyS = l / n;
        }
        s.models.push_back(m);
    }

    double oq = 0, oc = 0;
    qint64 covered = 0;
    for (int i = 0; i < d.promptCount(); ++i) {
        int best = -1;
        for (int k = 0; k < d.modelCount(); ++k) {
            if (d.isMissing(i, k))
                continue;
            if (best < 0 || d.quality(i, k) > d.quality(i, best) ||
                (d.quality(i, k) == d.quality(i, best) && cost(i, k) < cost(i, best)))
                best = k;
        }
        if (best < 0) {
            ++s.promptsWithoutOutcome;
            continue;
        }
        oq += d.quality(i, best);
        oc += cost(i, best);
        ++covered;
    }
    if (covered > 0) {
        s.oracleMeanQuality = oq / covered;
        s.oracleMeanCostUsd = oc / covered;
    }

    const ModelSummary* best = nullptr;
    for (const ModelSummary& m : s.models) {
        if (m.missing == s.prompts)
            continue;
        if (!best || m.meanQuality > best->meanQuality ||
            (m.meanQuality == best->meanQuality && m.meanCostUsd < best->meanCostUsd))
            best = &m;
    }
    if (best) {
        s.bestSingleName = best->name;
        s.bestSingleMeanQuality = best->meanQuality;
        s.bestSingleMeanCostUsd = best->meanCostUsd;
    }
    return s;
}

QJsonObject DatasetSummary::toJson() const {
    QJsonArray models;
    for (const ModelSummary& m : this->models) {
        models.append(QJsonObject{{QStringLiteral("name"), m.name},
                                  {QStringLiteral("mean_quality"), m.meanQuality},
                                  {QStringLiteral("mean_cost_usd"), m.meanCostUsd},
                                  {QStringLiteral("mean_latency_s"), m.meanLatencyS},
                                  {QStringLiteral("missing"), m.missing}});
    }
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("sources"), QJsonArray::fromStringList(sources)},
        {QStringLiteral("formats"), QJsonArray::fromStringList(formats)},
        {QStringLiteral("prompts"), prompts},
        {QStringLiteral("categories"), QJsonArray::fromStringList(categories)},
        {QStringLiteral("models"), models},
        {QStringLiteral("missing_cells"), missingCells},
        {QStringLiteral("prompts_without_outcome"), promptsWithoutOutcome},
        {QStringLiteral("cost_source"),
         costRecorded ? QStringLiteral("recorded") : QStringLiteral("pool prices")},
        {QStringLiteral("estimated"),
         QJsonObject{{QStringLiteral("input_tokens"), estimates.inputTokens},
                     {QStringLiteral("output_tokens"), estimates.outputTokens},
                     {QStringLiteral("latency"), estimates.latency}}},
        {QStringLiteral("oracle"),
         QJsonObject{{QStringLiteral("mean_quality"), oracleMeanQuality},
                     {QStringLiteral("mean_cost_usd"), oracleMeanCostUsd}}},
        {QStringLiteral("best_single"),
         QJsonObject{{QStringLiteral("name"), bestSingleName},
                     {QStringLiteral("mean_quality"), bestSingleMeanQuality},
                     {QStringLiteral("mean_cost_usd"), bestSingleMeanCostUsd}}},
    };
}

QString DatasetSummary::toText() const {
    QString out;
    QTextStream ts(&out);
    ts << "Dataset     " << name << "\n";
    ts << "Prompts     " << prompts << "\n";
    ts << "Categories  " << categories.join(QStringLiteral(", ")) << "\n";
    ts << "Models      " << models.size() << "\n";
    ts << "Missing     " << missingCells << " cells";
    if (promptsWithoutOutcome > 0)
        ts << " (" << promptsWithoutOutcome << " prompts with no outcome at all)";
    ts << "\n";
    ts << "Cost        " << (costRecorded ? "recorded in the data" : "tokens x pool prices")
       << "\n";
    ts << "Estimated   " << estimates.inputTokens << " input-token, " << estimates.outputTokens
       << " output-token and " << estimates.latency << " latency values\n\n";

    const QString bestLabel = QStringLiteral("best single: ") + bestSingleName;
    int width = static_cast<int>(bestLabel.size());
    for (const ModelSummary& m : models)
        width = std::max(width, static_cast<int>(m.name.size()));
    ts << qSetFieldWidth(width) << Qt::left << "model" << qSetFieldWidth(0) << "  " << Qt::right
       << qSetFieldWidth(8) << "quality" << qSetFieldWidth(13) << "cost/call $"
       << qSetFieldWidth(11) << "latency s" << qSetFieldWidth(9) << "missing" << qSetFieldWidth(0)
       << "\n";
    auto row = [&](const QString& label, double q, double c, double l, const QString& missing) {
        ts << qSetFieldWidth(width) << Qt::left << label << qSetFieldWidth(0) << "  " << Qt::right
           << qSetFieldWidth(8) << QString::number(q, 'f', 3) << qSetFieldWidth(13)
           << QString::number(c, 'g', 4) << qSetFieldWidth(11)
           << (l < 0 ? QStringLiteral("-") : QString::number(l, 'f', 2)) << qSetFieldWidth(9)
           << missing << qSetFieldWidth(0) << "\n";
    };
    for (const ModelSummary& m : models)
        row(m.name, m.meanQuality, m.meanCostUsd, m.meanLatencyS, QString::number(m.missing));
    ts << "\n";
    row(QStringLiteral("oracle"), oracleMeanQuality, oracleMeanCostUsd, -1, QStringLiteral("-"));
    row(bestLabel, bestSingleMeanQuality, bestSingleMeanCostUsd, -1, QStringLiteral("-"));
    return out;
}

} // namespace routerlab
