#pragma once

#include "experiment/evaluation.h"
#include "experiment/experiment_file.h"
#include "ui/experiment/evaluation_table.h"

#include <QDialog>
#include <atomic>
#include <memory>
#include <mutex>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace routerlab {

class BackgroundJob;

// Experiment ▸ Evaluate on Unseen Tasks…: the designer's routers that train offline (every
// such router when it names none) trained on the training part and scored in distribution and
// on each task family held out in turn, each margin read against the model best on the
// training part, with the hindsight-best model and the oracle beside: the table
// `routerlab-cli evaluate` prints, at the experiment's preference.
class EvaluationDialog : public QDialog {
    Q_OBJECT

public:
    explicit EvaluationDialog(const GuiExperiment& experiment, QWidget* parent = nullptr);
    ~EvaluationDialog() override; // cancels and waits: the work never outlives us

    // Reads the data and runs the evaluation in the background; ends with `finished`.
    void start();
    void cancel();
    bool isRunning() const;

    QLineEdit* familiesEdit() const { return families_; }
    QSpinBox* trainingSeedsBox() const { return trainingSeeds_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    EvaluationTable* table() const { return table_; }
    QLabel* statusLabel() const { return status_; }

signals:
    void finished(bool ok);

public slots:
    void reject() override;

private:
    struct Work {
        std::atomic_bool cancel{false};
        std::mutex mutex; // guards the fields below
        int done = 0, total = 0;
        QString step, error;
        std::unique_ptr<Evaluation> result;
    };
    void onFinished();
    void showEvaluation(const Evaluation& evaluation);

    GuiExperiment experiment_;
    std::vector<RouterSpec> routers_;
    BackgroundJob* job_;
    std::shared_ptr<Work> work_;
    QLineEdit* families_;
    QSpinBox* trainingSeeds_;
    int trainingSeedsRun_ = 1; // of the evaluation shown or running
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    EvaluationTable* table_;
    QLabel* status_;
};

} // namespace routerlab
