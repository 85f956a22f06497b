#pragma once

#include "ui/experiment/prepared_experiment.h"
#include "ui/quiz/quiz_job.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QThreadPool>
#include <functional>
#include <memory>

class QButtonGroup;
class QChart;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSlider;
class QStackedWidget;
class QTableWidget;
class QTimer;

namespace routerlab {

// Tools ▸ Cold-start Quiz: places a model new to the pool from a few prompts. Three pages:
// the model (one of the dataset's, held out and answered from its records, or an endpoint
// asked live), the quiz (budget k, run, the prompts chosen and why) and the placement (the
// fitted identity, predicted quality per category beside the pool's models, the budget curve,
// adding the model to the pool). The preparation (IRT fit and set policy of the other models,
// seconds) and the live calls run on a worker with progress and Cancel; the preparation is
// kept, so another budget answers at once. Errors end as messages.
class QuizWizard : public QDialog {
    Q_OBJECT

public:
    enum Page { ModelPage, QuizPage, PlacementPage };

    explicit QuizWizard(QWidget* parent = nullptr);
    ~QuizWizard() override; // cancels and waits: the worker never outlives us

    // What the window has open; `addToPool` adds a model through the pool editor's undo stack
    // (false with the reason when it cannot).
    void setWindowData(const LoadedData& data, const QString& datasetName);
    void setAddToPool(std::function<bool(const PoolModel&, QString&)> addToPool);

    void showPage(Page page);
    Page currentPage() const;
    void start();
    void cancel();
    bool isRunning() const { return running_; }
    // The last finished quiz, if any.
    const QuizReport* report() const { return report_ ? &*report_ : nullptr; }
    bool saveResult(const QString& path, QString& error) const;

    QRadioButton* heldOutButton() const { return heldOut_; }
    QRadioButton* endpointButton() const { return endpoint_; }
    QComboBox* modelBox() const { return model_; }
    QLineEdit* idEdit() const { return id_; }
    QLineEdit* baseUrlEdit() const { return baseUrl_; }
    QLineEdit* remoteModelEdit() const { return remoteModel_; }
    QLineEdit* keyVariableEdit() const { return keyVariable_; }
    QDoubleSpinBox* inputPriceBox() const { return inputPrice_; }
    QDoubleSpinBox* outputPriceBox() const { return outputPrice_; }
    QComboBox* scorerBox() const { return scorer_; }
    QDoubleSpinBox* costWeightBox() const { return costWeight_; }
    QSlider* budgetSlider() const { return budget_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* nextButton() const { return next_; }
    QPushButton* backButton() const { return back_; }
    QPushButton* addToPoolButton() const { return addToPool_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* statusLabel() const { return status_; }
    QTableWidget* stepTable() const { return steps_; }
    QTableWidget* identityTable() const { return identity_; }
    QTableWidget* categoryTable() const { return categories_; }
    QLabel* figuresLabel() const { return figures_; }
    QLabel* addToPoolNote() const { return addNote_; }
    QChart* curveChart() const { return curve_; }

signals:
    void runningChanged(bool running);
    // The run ended: `ok` when a quiz was placed; `message` is what the status line says.
    void finished(bool ok, const QString& message);

public slots:
    // Closing stops a run: a live quiz must not keep paying out of sight.
    void reject() override;

private:
    QWidget* createModelPage();
    QWidget* createQuizPage();
    QWidget* createPlacementPage();
    void updateModelChoice();
    void updateBudgetLabel();
    void updateNavigation();
    bool buildRequest(QuizRequest& request, QString& error) const;
    void poll();
    void onWorkerFinished();
    void showReport();
    void showSteps();
    void showIdentity();
    void showCategories();
    void showCurve();
    void showFigures();
    void updateAddToPool();
    void addModelToPool();
    void chooseAndSave();
    void setStatus(const QString& text, bool error);
    void setRunningState(bool running);

    QStackedWidget* pages_;
    QLabel* stepTitle_;
    QRadioButton* heldOut_;
    QRadioButton* endpoint_;
    QButtonGroup* modelKind_;
    QComboBox* model_;
    QWidget* endpointForm_;
    QLineEdit* id_;
    QLineEdit* baseUrl_;
    QLineEdit* remoteModel_;
    QLineEdit* keyVariable_;
    QDoubleSpinBox* inputPrice_;
    QDoubleSpinBox* outputPrice_;
    QComboBox* scorer_;
    QDoubleSpinBox* costWeight_;
    QLabel* dataNote_;
    QSlider* budget_;
    QLabel* budgetLabel_;
    QLabel* modeNote_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    QTableWidget* steps_;
    QLabel* figures_;
    QTableWidget* identity_;
    QTableWidget* categories_;
    QGroupBox* categoryBox_;
    QChart* curve_;
    QPushButton* addToPool_;
    QLabel* addNote_;
    QPushButton* save_;
    QPushButton* back_;
    QPushButton* next_;
    QTimer* pollTimer_;

    LoadedData windowData_;
    std::function<bool(const PoolModel&, QString&)> addToPoolFn_;

    QThreadPool worker_; // one thread of our own: the preparation must not hold the global pool
    QFutureWatcher<void> watcher_;
    std::shared_ptr<QuizJob> job_;
    bool running_ = false;
    std::shared_ptr<QuizPreparation> preparation_; // of the last run, reused when it serves
    // What report_ answers, and the preparation behind it (a later run may replace
    // preparation_ and fail).
    QuizRequest shownRequest_;
    std::shared_ptr<QuizPreparation> shownPreparation_;
    std::optional<QuizReport> report_;
    bool addedToPool_ = false;
};

} // namespace routerlab
