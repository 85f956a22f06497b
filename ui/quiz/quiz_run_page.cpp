#include "ui/quiz/quiz_run_page.h"

#include "data/dataset.h"
#include "ui/quiz/quiz_widgets.h"
#include "ui/shell/dialog_button.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace routerlab {

using quiz_widgets::item;
using quiz_widgets::note;
using quiz_widgets::prompts;

namespace {

constexpr int kMaxBudget = 200;
constexpr int kDefaultBudget = 30;
constexpr int kExcerptChars = 90;

enum StepColumn {
    StepNumberColumn,
    StepPromptColumn,
    StepCategoryColumn,
    StepTextColumn,
    StepReductionColumn,
    StepPredictedColumn,
    StepAnswerColumn,
    StepColumnCount
};

} // namespace

QuizRunPage::QuizRunPage(QWidget* parent) : QWidget(parent) {
    budget_ = new QSlider(Qt::Horizontal, this);
    budget_->setObjectName(QStringLiteral("quizBudget"));
    budget_->setRange(1, kMaxBudget);
    budget_->setValue(kDefaultBudget);
    budget_->setPageStep(10);
    budget_->setTickPosition(QSlider::TicksBelow);
    budget_->setTickInterval(10);
    budgetLabel_ = new QLabel(this);
    budgetLabel_->setMinimumWidth(110);
    connect(budget_, &QSlider::valueChanged, this, &QuizRunPage::updateBudgetLabel);
    auto* budgetRow = new QHBoxLayout;
    budgetRow->addWidget(new QLabel(tr("Budget k"), this));
    budgetRow->addWidget(budget_, 1);
    budgetRow->addWidget(budgetLabel_);
    modeNote_ = note({}, this);

    run_ = dialogButton(tr("Run Quiz"), this);
    run_->setObjectName(QStringLiteral("quizRunButton"));
    cancel_ = dialogButton(tr("Cancel"), this);
    cancel_->setObjectName(QStringLiteral("quizCancelButton"));
    cancel_->setEnabled(false);
    progress_ = new QProgressBar(this);
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat({});
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(run_);
    runRow->addWidget(cancel_);
    runRow->addWidget(progress_, 1);
    status_ = note(tr("Choose the budget, then Run Quiz."), this);
    status_->setObjectName(QStringLiteral("quizStatus"));

    auto* why = note(tr("Why these prompts: each round takes the category asked least so far, "
                        "draws up to 256 of its training prompts at random and asks the one "
                        "whose answer is expected to tell most about the model's level, its "
                        "accuracy over all prompts, which routing weighs it by (variance "
                        "reduction: the share of the level's remaining variance the answer is "
                        "expected to remove). Predicted is P(answers well) before asking."),
                     this);
    steps_ = createStepTable();

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(budgetRow);
    layout->addWidget(modeNote_);
    layout->addLayout(runRow);
    layout->addWidget(status_);
    layout->addWidget(why);
    layout->addWidget(steps_, 1);
    updateBudgetLabel();
}

QTableWidget* QuizRunPage::createStepTable() {
    QTableWidget* steps = quiz_widgets::table(QStringLiteral("quizSteps"), this);
    steps->setAccessibleName(tr("Quiz steps"));
    steps->setColumnCount(StepColumnCount);
    steps->setHorizontalHeaderLabels({tr("#"), tr("Prompt"), tr("Category"), tr("Text"),
                                      tr("Variance reduction"), tr("Predicted"), tr("Answer")});
    steps->horizontalHeaderItem(StepReductionColumn)
        ->setToolTip(tr("Expected reduction of the predictive variance summed over the "
                        "candidate prompts"));
    steps->horizontalHeaderItem(StepPredictedColumn)
        ->setToolTip(tr("P(answers well) under the identity fitted on the answers before"));
    QHeaderView* header = steps->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(StepTextColumn, QHeaderView::Stretch);
    return steps;
}

int QuizRunPage::budget() const {
    return budget_->value();
}

void QuizRunPage::setMaximumBudget(int budget) {
    budget_->setMaximum(std::clamp(budget, 1, kMaxBudget));
}

void QuizRunPage::setLive(bool live) {
    modeNote_->setText(
        live ? tr("Live: each prompt is sent to the endpoint and its answer scored against the "
                  "prompt's reference; Cancel stops within a second.")
             : tr("Simulated: the answers are the dataset's recorded ones for the held-out "
                  "model, so the quiz is judged against its full-data identity."));
}

void QuizRunPage::setRunning(bool running) {
    run_->setEnabled(!running);
    cancel_->setEnabled(running);
    budget_->setEnabled(!running);
}

void QuizRunPage::setStatus(const QString& text, bool error) {
    status_->setText(text);
    status_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void QuizRunPage::updateBudgetLabel() {
    budgetLabel_->setText(tr("k = %1").arg(prompts(budget_->value())));
}

void QuizRunPage::showSteps(const Dataset& dataset, const std::vector<QuizStep>& steps) {
    steps_->setRowCount(int(steps.size()));
    for (int i = 0; i < int(steps.size()); ++i) {
        const QuizStep& s = steps[std::size_t(i)];
        const QString text = dataset.promptTexts[std::size_t(s.row)].simplified();
        auto* excerpt =
            item(text.size() > kExcerptChars ? text.left(kExcerptChars - 1) + QStringLiteral("…")
                                             : text);
        excerpt->setToolTip(text);
        steps_->setItem(i, StepNumberColumn, item(QString::number(i + 1), Qt::AlignRight));
        steps_->setItem(i, StepPromptColumn, item(dataset.promptIds[std::size_t(s.row)]));
        steps_->setItem(i, StepCategoryColumn, item(dataset.categoryNames.value(s.category)));
        steps_->setItem(i, StepTextColumn, excerpt);
        auto* reduction = quiz_widgets::number(s.varianceReduction, 3);
        reduction->setToolTip(
            tr("The most among %1 of its category drawn this round").arg(prompts(s.contenders)));
        steps_->setItem(i, StepReductionColumn, reduction);
        steps_->setItem(i, StepPredictedColumn, quiz_widgets::probability(s.predicted));
        steps_->setItem(i, StepAnswerColumn,
                        item(s.answer >= 0.5f ? tr("✓ %1").arg(double(s.answer), 0, 'g', 2)
                                              : tr("✗ %1").arg(double(s.answer), 0, 'g', 2),
                             Qt::AlignCenter));
    }
    steps_->resizeRowsToContents();
}

} // namespace routerlab
