#include "ui/experiment/evaluation_table.h"

#include <QHeaderView>

namespace routerlab {

namespace {

QTableWidgetItem* cell(const QString& text, const QString& tip = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(tip);
    return item;
}

} // namespace

EvaluationTable::EvaluationTable(QWidget* parent) : QTableWidget(parent) {
    setObjectName(QStringLiteral("evaluationTable"));
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
}

int EvaluationTable::showPoint(const Evaluation& e, std::size_t pointIndex) {
    const EvaluationPoint& point = e.points.at(pointIndex);
    QStringList columns;
    for (const EvaluationPart& part : e.parts)
        columns
            << partHeading(part) +
                   tr("\n%1 trained / %2 scored").arg(part.trainingPrompts).arg(part.scoredPrompts);
    if (e.hasUnseenTotal)
        columns << tr("unseen, all");
    const auto modelName = [&](int k) { return k < 0 ? tr("(per family)") : e.models[k]; };
    QStringList rows{tr("training-best model"), tr("hindsight-best model")};
    for (const RouterSpec& spec : e.routers)
        rows << spec.toString();
    rows << tr("hindsight-best model, margin") << tr("oracle, margin");
    clear();
    setColumnCount(static_cast<int>(columns.size()));
    setRowCount(static_cast<int>(rows.size()));
    setHorizontalHeaderLabels(columns);
    setVerticalHeaderLabels(rows);
    int runaway = 0;
    for (int part = 0; part < columns.size(); ++part) {
        const EvaluationReferences& r = point.references[part];
        setItem(0, part,
                cell(modelName(r.trainingBest),
                     tr("reward %1").arg(r.trainingBestScore.reward, 0, 'f', 3)));
        setItem(1, part,
                cell(modelName(r.hindsightBest),
                     tr("reward %1").arg(r.hindsightBestScore.reward, 0, 'f', 3)));
        for (std::size_t i = 0; i < e.routers.size(); ++i) {
            const EvaluationScore& s = point.scores[i][part];
            QString tip = tr("over the hindsight-best model: %1\nquality %2, $%3 per 1,000 "
                             "queries")
                              .arg(marginText(s.marginOverHindsightBest))
                              .arg(s.quality, 0, 'f', 3)
                              .arg(1000 * s.costUsd, 0, 'f', 2);
            if (s.runawaySpending) {
                tip += tr("\nRunaway spending: over twice the training-best model's cost for "
                          "lower quality.");
                ++runaway;
            }
            QTableWidgetItem* item = cell(marginText(s.marginOverTrainingBest), tip);
            if (s.runawaySpending)
                item->setForeground(QColor(0xb0, 0x1c, 0x1c));
            setItem(2 + static_cast<int>(i), part, item);
        }
        const int last = static_cast<int>(rows.size());
        setItem(last - 2, part, cell(marginText(r.hindsightBestScore.marginOverTrainingBest)));
        setItem(last - 1, part, cell(marginText(r.oracleScore.marginOverTrainingBest)));
    }
    return runaway;
}

} // namespace routerlab
