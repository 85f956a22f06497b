#pragma once

class QChart;

namespace routerlab {

class QuizStudy;
struct QuizReport;

// Draws the budget curve on `chart`: with records, routing reward against the quiz budget
// beside the reward without the model and with its full-data identity; without them, how the
// identity's posterior sd shrinks with each answer.
void drawBudgetCurve(QChart* chart, const QuizReport& report, const QuizStudy& study);

} // namespace routerlab
