#pragma once

#include "irt/quiz.h"

#include <QWidget>
#include <vector>

class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QTableWidget;

namespace routerlab {

class Dataset;

// The quiz wizard's second page: the budget k, Run and Cancel with the progress and the status
// line, and the prompts the quiz chose with why.
class QuizRunPage : public QWidget {
    Q_OBJECT

public:
    explicit QuizRunPage(QWidget* parent = nullptr);

    int budget() const;
    void setMaximumBudget(int budget);
    // Says how the answers are obtained: asked live or read from the records.
    void setLive(bool live);
    void setRunning(bool running);
    void setStatus(const QString& text, bool error);
    void showSteps(const Dataset& dataset, const std::vector<QuizStep>& steps);

    QSlider* budgetSlider() const { return budget_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    QTableWidget* stepTable() const { return steps_; }

private:
    QTableWidget* createStepTable();
    void updateBudgetLabel();

    QSlider* budget_;
    QLabel* budgetLabel_;
    QLabel* modeNote_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    QTableWidget* steps_;
};

} // namespace routerlab
