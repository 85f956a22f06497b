#include "ui/quiz/quiz_curve_chart.h"

#include "irt/quiz_report.h"
#include "ui/charts/chart_panel.h"

#include <QAreaSeries>
#include <QChart>
#include <QCoreApplication>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace routerlab {

namespace {

QString curveTr(const char* text) {
    return QCoreApplication::translate("QuizWizard", text);
}

QValueAxis* axis(const QString& title, QChart* chart, Qt::Alignment alignment) {
    auto* a = new QValueAxis(chart);
    a->setTitleText(title);
    a->setLabelFormat(QStringLiteral("%.4g")); // rewards a few thousandths apart stay distinct
    chart->addAxis(a, alignment);
    return a;
}

void attach(QChart* chart, QAbstractSeries* series, QValueAxis* x, QValueAxis* y) {
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
}

// The 95% interval of the mean reward over each budget's draws, as a band behind the curve;
// none when the quiz was drawn once. Widens [low, high] to hold it.
void drawRewardBand(QChart* chart, const std::vector<BudgetPoint>& curve, QValueAxis* x,
                    QValueAxis* y, double& low, double& high) {
    if (std::any_of(curve.begin(), curve.end(),
                    [](const BudgetPoint& p) { return !p.rewardCi95.valid(); }))
        return;
    auto* band = new QAreaSeries;
    auto* upper = new QLineSeries(band);
    auto* lower = new QLineSeries(band);
    for (const BudgetPoint& p : curve) {
        *upper << QPointF(p.budget, p.rewardCi95.high);
        *lower << QPointF(p.budget, p.rewardCi95.low);
        low = std::min(low, p.rewardCi95.low);
        high = std::max(high, p.rewardCi95.high);
    }
    band->setUpperSeries(upper);
    band->setLowerSeries(lower);
    band->setName(curveTr("95% interval over %1 draws").arg(curve.front().draws));
    QColor fill = routerColor(0);
    fill.setAlpha(60);
    band->setBrush(fill);
    band->setPen(Qt::NoPen);
    attach(chart, band, x, y);
}

void drawRewardCurve(QChart* chart, const QuizReport& report, const QuizStudy& study,
                     QValueAxis* x) {
    const std::vector<BudgetPoint>& curve = report.curve;
    const double firstK = curve.front().budget;
    const double lastK = curve.back().budget;
    chart->setTitle(curve.front().draws > 1
                        ? curveTr("Routing reward on the scored prompts vs quiz budget (mean over "
                                  "%1 draws of the quiz's prompts)")
                              .arg(curve.front().draws)
                        : curveTr("Routing reward on the scored prompts vs quiz budget"));
    QValueAxis* y = axis(curveTr("mean reward"), chart, Qt::AlignLeft);
    auto* without = new QLineSeries;
    without->setName(curveTr("without the model"));
    auto* full = new QLineSeries;
    full->setName(curveTr("full-data identity"));
    const double withoutReward = study.withoutNewModel().reward;
    const double fullReward = study.withFullIdentity().reward;
    *without << QPointF(firstK, withoutReward) << QPointF(lastK, withoutReward);
    *full << QPointF(firstK, fullReward) << QPointF(lastK, fullReward);
    QPen dashed(QColor(120, 120, 120), 2, Qt::DashLine);
    without->setPen(dashed);
    dashed.setColor(QColor(46, 125, 50));
    full->setPen(dashed);
    double low = std::min(withoutReward, fullReward), high = std::max(withoutReward, fullReward);
    drawRewardBand(chart, curve, x, y, low, high);
    auto* quizzed = new QLineSeries;
    quizzed->setName(curveTr("quizzed identity"));
    quizzed->setPointsVisible(true);
    quizzed->setPen(QPen(routerColor(0), 2.5));
    for (const BudgetPoint& p : curve) {
        *quizzed << QPointF(p.budget, p.reward);
        low = std::min(low, p.reward);
        high = std::max(high, p.reward);
    }
    attach(chart, without, x, y);
    attach(chart, full, x, y);
    attach(chart, quizzed, x, y);
    const double pad = std::max(1e-3, 0.15 * (high - low));
    setNiceRange(y, low - pad, high + pad);
}

void drawUncertaintyCurve(QChart* chart, const QuizReport& report, QValueAxis* x) {
    chart->setTitle(curveTr("How sure the identity is vs quiz budget (no recorded answers to "
                            "score routing)"));
    QValueAxis* y = axis(curveTr("posterior sd of the identity"), chart, Qt::AlignLeft);
    auto* sd = new QLineSeries;
    sd->setName(curveTr("identity sd (root mean variance over dimensions)"));
    sd->setPointsVisible(true);
    sd->setPen(QPen(routerColor(0), 2.5));
    *sd << QPointF(0, report.priorSd);
    double high = report.priorSd;
    for (const BudgetPoint& p : report.curve) {
        *sd << QPointF(p.budget, p.identitySd);
        high = std::max(high, p.identitySd);
    }
    attach(chart, sd, x, y);
    setNiceRange(y, 0, 1.05 * high);
}

// From 0 to a whole step a little past the largest budget, so that no point sits on the chart's
// edge, with the least room to spare: 0 to 35 in fives for budgets up to 30, where the generic
// nice range ran to 40. Steps of 1, 2 or 5 times a power of ten, three to eight of them.
void setBudgetRange(QValueAxis* x, int lastBudget) {
    const double end = 1.08 * std::max(1, lastBudget);
    double bestHigh = 0, bestStep = 0;
    for (double decade = 1; decade <= 1e6; decade *= 10)
        for (const double factor : {1.0, 2.0, 5.0}) {
            const double step = factor * decade;
            const double steps = std::ceil(end / step);
            if (steps < 3 || steps > 8)
                continue;
            if (bestStep == 0 || steps * step < bestHigh) {
                bestHigh = steps * step;
                bestStep = step;
            }
        }
    if (bestStep == 0) { // a budget under three prompts: a step of one
        bestStep = 1;
        bestHigh = 3;
    }
    x->setTickCount(int(std::lround(bestHigh / bestStep)) + 1);
    x->setRange(0, bestHigh);
}

} // namespace

void drawBudgetCurve(QChart* chart, const QuizReport& report, const QuizStudy& study) {
    clearChart(chart);
    auto* x = axis(curveTr("quiz budget k (prompts)"), chart, Qt::AlignBottom);
    x->setLabelFormat(QStringLiteral("%d"));
    if (study.hasRecords())
        drawRewardCurve(chart, report, study, x);
    else
        drawUncertaintyCurve(chart, report, x);
    int lastBudget = 0;
    for (const BudgetPoint& point : report.curve)
        lastBudget = std::max(lastBudget, point.budget);
    setBudgetRange(x, lastBudget);
}

} // namespace routerlab
