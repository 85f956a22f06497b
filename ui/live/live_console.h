#pragma once

#include "live/live_session.h"
#include "ui/experiment/prepared_experiment.h"
#include "ui/live/live_answer_pane.h"
#include "ui/live/live_call_table.h"
#include "ui/live/traffic_panel.h"

#include <QDialog>
#include <QHash>
#include <QTemporaryDir>
#include <memory>
#include <vector>

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;
class QToolButton;

namespace routerlab {

class BackgroundJob;
class RouterParameterForm;

// Tools ▸ Live Console: sends one prompt, a prompts file or the window's dataset through a
// router to real Chat Completions endpoints (or the replay server) and lists every call as it
// ends: routed model, status, tokens, cost, latency, time to first token, quality and the
// answer, and on its Traffic tab what a recorded session (the proxy's production traffic) amounts
// to. A person rates the selected answer (thumbs or 1-5 stars); the rating is stored in the
// workspace beside the call and becomes its quality. A view over a LiveSession, which runs in a
// BackgroundJob and cancels within a second; failures end as messages in the console.
class LiveConsole : public QDialog {
    Q_OBJECT

public:
    explicit LiveConsole(QWidget* parent = nullptr);
    ~LiveConsole() override; // cancels and waits: the worker never outlives us

    // What the window has open. Fields the person has not changed follow it.
    void setWindowData(const LoadedData& data, const QString& datasetName, const QString& poolPath,
                       const QString& workspacePath);

    using Source = LivePromptSource;
    void setSource(Source source);
    void setPromptsFile(const QString& path);

    void start();
    void cancel();
    bool isRunning() const { return running_; }

    // The workspace the last run recorded into, and its session (0 before the first run).
    QString sessionWorkspace() const { return sessionWorkspace_; }
    qint64 sessionId() const { return sessionId_; }
    const std::vector<LiveCallRecord>& shownCalls() const { return table_->calls(); }
    // Rates the selected answer; false (with the reason in the status line) when it cannot.
    bool rateSelected(const HumanRating& rating);

    QComboBox* routerBox() const { return router_; }
    QComboBox* scorerBox() const { return scorer_; }
    QLineEdit* poolEdit() const { return pool_; }
    QLineEdit* baseUrlEdit() const { return baseUrl_; }
    QLineEdit* workspaceEdit() const { return workspace_; }
    QPlainTextEdit* promptEdit() const { return prompt_; }
    QSpinBox* limitBox() const { return limit_; }
    QSpinBox* retriesBox() const { return retries_; }
    QPushButton* runButton() const { return run_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QTableWidget* callTable() const { return table_; }
    // The Traffic tab: the summary of a recorded session, this console's last run by default.
    TrafficPanel* trafficPanel() const { return traffic_; }
    QTabWidget* callTabs() const { return callTabs_; }
    QPlainTextEdit* promptView() const { return answerPane_->promptView(); }
    QPlainTextEdit* answerView() const { return answerPane_->answerView(); }
    QLabel* statusLabel() const { return status_; }
    QLabel* ratingLabel() const { return answerPane_->ratingLabel(); }
    QToolButton* thumbsUpButton() const { return answerPane_->thumbsUpButton(); }
    QToolButton* thumbsDownButton() const { return answerPane_->thumbsDownButton(); }
    QToolButton* starButton(int stars) const { return answerPane_->starButton(stars); }

signals:
    void runningChanged(bool running);
    // The run ended; `message` is what the status line says (an error reads as one).
    void finished(const QString& stopReason, const QString& message);

public slots:
    // Closing the console stops its run: nothing should keep paying for calls out of sight.
    void reject() override;

private:
    QWidget* createPromptBox();
    QWidget* createSetupBox();
    void addRouterRows(QWidget* box, QFormLayout* form);
    void addCallRows(QWidget* box, QFormLayout* form);
    QWidget* createCallsBox();
    void choosePromptsFile();
    void choosePool();
    void chooseWorkspace();
    bool readRouting(LiveOptions& options);
    LiveSessionInput sessionInput(const LiveOptions& options);
    void poll();
    void onSessionFinished();
    void showPrompts(const std::shared_ptr<const Dataset>& dataset);
    void showSelected();
    void setStatus(const QString& text, bool error);
    void setRunningState(bool running);
    QString finalMessage(const LiveSessionOutcome& outcome, bool& error) const;

    QRadioButton* fromPrompt_;
    QRadioButton* fromFile_;
    QRadioButton* fromDataset_;
    QPlainTextEdit* prompt_;
    QLineEdit* promptsFile_;
    QLabel* datasetName_;
    QLineEdit* pool_;
    QComboBox* router_;
    RouterParameterForm* routerForm_;
    QDoubleSpinBox* quality_;
    QDoubleSpinBox* cost_;
    QDoubleSpinBox* latency_;
    QComboBox* scorer_;
    QLineEdit* baseUrl_;
    QLineEdit* workspace_;
    QSpinBox* limit_;
    QSpinBox* retries_;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* status_;
    LiveCallTable* table_;
    TrafficPanel* traffic_;
    QTabWidget* callTabs_;
    LiveAnswerPane* answerPane_;

    LoadedData windowData_;
    QString windowPoolPath_;
    QString windowWorkspace_;

    BackgroundJob* job_;
    std::shared_ptr<LiveSession> session_; // the last run's, kept for its outcome
    bool running_ = false;
    std::unique_ptr<QTemporaryDir> scratch_; // the workspace when none is chosen

    std::shared_ptr<const Dataset> shownDataset_;
    QHash<QString, int> rowOfPrompt_;
    QString sessionWorkspace_;
    qint64 sessionId_ = 0;
    qint64 trafficFollows_ = 0; // the run the Traffic tab last turned to
};

} // namespace routerlab
