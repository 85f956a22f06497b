#pragma once

#include "ui/experiment/prepared_experiment.h"
#include "ui/quiz/quiz_job.h"
#include "ui/quiz/quiz_model_page.h"
#include "ui/quiz/quiz_placement_page.h"
#include "ui/quiz/quiz_run_page.h"

#include <QDialog>
#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QPushButton;
class QStackedWidget;

namespace routerlab {

class BackgroundJob;

// Tools ▸ Cold-start Quiz: places a model new to the pool from a few prompts. Three pages:
// the model (one of the dataset's, held out and answered from its records, or an endpoint
// asked live), the quiz (budget k, run, the prompts chosen and why) and the placement (the
// fitted identity, predicted quality per category beside the pool's models, the budget curve,
// adding the model to the pool). The preparation (IRT fit and set policy of the other models,
// seconds) and the live calls run as a background job with progress and Cancel; the
// preparation is kept, so another budget answers at once. Errors end as messages.
class QuizWizard : public QDialog {
    Q_OBJECT

public:
    enum Page { ModelPage, QuizPage, PlacementPage };

    explicit QuizWizard(QWidget* parent = nullptr);
    ~QuizWizard() override; // cancels and waits: the job never outlives us

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
    // The preparation behind report() (its study), if any.
    const QuizPreparation* shownPreparation() const { return shownPreparation_.get(); }
    // Writes the last finished quiz in the quiz report's JSON (quizReportJson()).
    bool saveResult(const QString& path, QString& error) const;

    QRadioButton* heldOutButton() const { return modelPage_->heldOutButton(); }
    QRadioButton* endpointButton() const { return modelPage_->endpointButton(); }
    QComboBox* modelBox() const { return modelPage_->modelBox(); }
    QLineEdit* idEdit() const { return modelPage_->idEdit(); }
    QLineEdit* baseUrlEdit() const { return modelPage_->baseUrlEdit(); }
    QLineEdit* remoteModelEdit() const { return modelPage_->remoteModelEdit(); }
    QLineEdit* keyVariableEdit() const { return modelPage_->keyVariableEdit(); }
    QDoubleSpinBox* inputPriceBox() const { return modelPage_->inputPriceBox(); }
    QDoubleSpinBox* outputPriceBox() const { return modelPage_->outputPriceBox(); }
    QComboBox* scorerBox() const { return modelPage_->scorerBox(); }
    QDoubleSpinBox* costWeightBox() const { return modelPage_->costWeightBox(); }
    QSlider* budgetSlider() const { return runPage_->budgetSlider(); }
    QPushButton* runButton() const { return runPage_->runButton(); }
    QPushButton* cancelButton() const { return runPage_->cancelButton(); }
    QPushButton* nextButton() const { return next_; }
    QPushButton* backButton() const { return back_; }
    QPushButton* addToPoolButton() const { return placementPage_->addToPoolButton(); }
    QProgressBar* progressBar() const { return runPage_->progressBar(); }
    QLabel* statusLabel() const { return runPage_->statusLabel(); }
    QTableWidget* stepTable() const { return runPage_->stepTable(); }
    QTableWidget* identityTable() const { return placementPage_->identityTable(); }
    QTableWidget* categoryTable() const { return placementPage_->categoryTable(); }
    QLabel* figuresLabel() const { return placementPage_->figuresLabel(); }
    QLabel* addToPoolNote() const { return placementPage_->addToPoolNote(); }
    QChart* curveChart() const { return placementPage_->curveChart(); }

signals:
    void runningChanged(bool running);
    // The run ended: `ok` when a quiz was placed; `message` is what the status line says.
    void finished(bool ok, const QString& message);

public slots:
    // Closing stops a run: a live quiz must not keep paying out of sight.
    void reject() override;

private:
    QLayout* createNavigation();
    void updateNavigation();
    bool buildRequest(QuizRequest& request, QString& error) const;
    void poll();
    void onJobFinished();
    void showPlaced(const QuizRequest& request, QuizReport report);
    void chooseAndSave();
    void setStatus(const QString& text, bool error);
    void setRunningState(bool running);

    QStackedWidget* pages_;
    QLabel* stepTitle_;
    QuizModelPage* modelPage_;
    QuizRunPage* runPage_;
    QuizPlacementPage* placementPage_;
    QPushButton* back_;
    QPushButton* next_;
    BackgroundJob* background_;

    LoadedData windowData_;
    std::shared_ptr<QuizJob> job_;
    bool running_ = false;
    std::shared_ptr<QuizPreparation> preparation_; // of the last run, reused when it serves
    // What report_ answers, and the preparation behind it (a later run may replace
    // preparation_ and fail).
    QuizRequest shownRequest_;
    std::shared_ptr<QuizPreparation> shownPreparation_;
    std::optional<QuizReport> report_;
};

} // namespace routerlab
