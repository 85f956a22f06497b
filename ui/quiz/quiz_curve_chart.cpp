#include "ui/quiz/quiz_curve_chart.h"

#include "irt/quiz_report.h"
#include "ui/charts/chart_panel.h"

#include <QChart>
#include <QCoreApplication>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>

namespace routerlab {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("QuizWizard", text);
}

QValueAxis* axis(const QString& title, QChart* chart, Qt::Alignment alignment) {
    auto* a = new QValueAxis(chart);
    a->setTitleText(title);
    a->setLabelFormat(QStringLiteral("%.4g")); // rewards a few thousandths apart stay distinct
    chart->addAxis(a, alignment);
    return a;
}

void attach(QChart* chart, QXYSeries* series, QValueAxis* x, QValueAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

void drawRewardCurve(QChart* chart, const QuizReport& report, const QuizStudy& study,
                     QValueAxis* x) {
    const std::vector<BudgetPoint>& curve = report.curve;
    const double firstK = curve.front().budget;
    const double lastK = curve.back().budget;
    chart->setTitle(tr("Routing reward on the scored prompts vs quiz budget"));
    QValueAxis* y = axis(tr("mean reward"), chart, Qt::AlignLeft);
    auto* without = new QLineSeries;
    without->setName(tr("without the model"));
    auto* full = new QLineSeries;
    full->setName(tr("full-data identity"));
    const double withoutReward = study.withoutNewModel().reward;
    const double fullReward = study.withFullIdentity().reward;
    *without << QPointF(firstK, withoutReward) << QPointF(lastK, withoutReward);
    *full << QPointF(firstK, fullReward) << QPointF(lastK, fullReward);
    QPen dashed(QColor(120, 120, 120), 2, Qt::DashLine);
    without->setPen(dashed);
    dashed.setColor(QColor(46, 125, 50));
    full->setPen(dashed);
    auto* quizzed = new QLineSeries;
    quizzed->setName(tr("quizzed identity"));
    quizzed->setPointsVisible(true);
    quizzed->setPen(QPen(routerColor(0), 2.5));
    double low = std::min(withoutReward, fullReward), high = std::max(withoutReward, fullReward);
    for (const BudgetPoint& p : curve) {
        *quizzed << QPointF(p.budget, p.reward);
        low = std::min(low, p.reward);
        high = std::max(high, p.reward);
    }
    attach(chart, without, x, y);
    attach(chart, full, x, y);
    attach(chart, quizzed, x, y);
    const double pad = std::max(1e-3, 0.15 * (high - low));
    y->setRange(low - pad, high + pad);
}

void drawUncertaintyCurve(QChart* chart, const QuizReport& report, QValueAxis* x) {
    chart->setTitle(tr("How sure the identity is vs quiz budget (no recorded answers to "
                       "score routing)"));
    QValueAxis* y = axis(tr("posterior sd of the identity"), chart, Qt::AlignLeft);
    auto* sd = new QLineSeries;
    sd->setName(tr("identity sd (root mean variance over dimensions)"));
    sd->setPointsVisible(true);
    sd->setPen(QPen(routerColor(0), 2.5));
    *sd << QPointF(0, report.priorSd);
    double high = report.priorSd;
    for (const BudgetPoint& p : report.curve) {
        *sd << QPointF(p.budget, p.identitySd);
        high = std::max(high, p.identitySd);
    }
    attach(chart, sd, x, y);
    y->setRange(0, 1.1 * high);
}

} // namespace

void drawBudgetCurve(QChart* chart, const QuizReport& report, const QuizStudy& study) {
    clearChart(chart);
    auto* x = axis(tr("quiz budget k (prompts)"), chart, Qt::AlignBottom);
    x->setLabelFormat(QStringLiteral("%d"));
    if (study.hasRecords())
        drawRewardCurve(chart, report, study, x);
    else
        drawUncertaintyCurve(chart, report, x);
    // From 0 and a little past the last budget, so that no point sits on the chart's edge.
    x->setRange(0, std::max(1.0, 1.08 * report.curve.back().budget));
    x->applyNiceNumbers();
}

} // namespace routerlab
