#pragma once

#include "live/live_call_log.h"
#include "ui/experiment/prepared_experiment.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QHash>
#include <QTemporaryDir>
#include <QThreadPool>
#include <memory>
#include <optional>
#include <vector>

class QButtonGroup;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTimer;
class QToolButton;

namespace routerlab {

class RouterParameterForm;
struct LiveConsoleJob;

// Tools ▸ Live Console: sends one prompt, a prompts file or the window's dataset through a
// router to real Chat Completions endpoints (or the replay server) and lists every call as it
// ends: routed model, status, tokens, cost, latency, time to first token, quality and the
// answer. A person rates the selected answer (thumbs or 1-5 stars); the rating is stored in the
// workspace beside the call and becomes its quality. Runs on a worker and cancels within a
// second; failures end as messages in the console.
class LiveConsole : public QDialog {
    Q_OBJECT

public:
    explicit LiveConsole(QWidget* parent = nullptr);
    ~LiveConsole() override; // cancels and waits: the worker never outlives us

    // What the window has open. Fields the person has not changed follow it.
    void setWindowData(const LoadedData& data, const QString& datasetName, const QString& poolPath,
                       const QString& workspacePath);

    enum class Source { Prompt, File, Dataset };
    void setSource(Source source);
    void setPromptsFile(const QString& path);

    void start();
    void cancel();
    bool isRunning() const { return running_; }

    // The workspace the last run recorded into, and its session (0 before the first run).
    QString sessionWorkspace() const { return sessionWorkspace_; }
    qint64 sessionId() const { return sessionId_; }
    const std::vector<LiveCallRecord>& shownCalls() const { return calls_; }
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
    QPlainTextEdit* promptView() const { return promptView_; }
    QPlainTextEdit* answerView() const { return answer_; }
    QLabel* statusLabel() const { return status_; }
    QLabel* ratingLabel() const { return rating_; }
    QToolButton* thumbsUpButton() const { return thumbsUp_; }
    QToolButton* thumbsDownButton() const { return thumbsDown_; }
    QToolButton* starButton(int stars) const { return stars_.at(stars - 1); }

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
    QWidget* createCallsBox();
    QWidget* createAnswerBox();
    void choosePromptsFile();
    void choosePool();
    void chooseWorkspace();
    void poll();
    void onWorkerFinished();
    void appendCall(const LiveCallRecord& call);
    void setRowQuality(int row, double quality);
    void showSelected();
    void setStatus(const QString& text, bool error);
    void setRunningState(bool running);
    void requestCancel();
    QString finalMessage(bool& error) const;
    LiveCallLog* ratingLog(QString& error);

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
    QTableWidget* table_;
    QPlainTextEdit* promptView_;
    QPlainTextEdit* answer_;
    QLabel* rating_;
    QToolButton* thumbsUp_;
    QToolButton* thumbsDown_;
    std::vector<QToolButton*> stars_;
    QTimer* pollTimer_;

    LoadedData windowData_;
    QString windowPoolPath_;
    QString windowWorkspace_;

    QThreadPool worker_; // one thread of our own: a long run must not hold the global pool
    QFutureWatcher<void> watcher_;
    std::shared_ptr<LiveConsoleJob> job_;
    bool running_ = false;
    std::unique_ptr<QTemporaryDir> scratch_; // the workspace when none is chosen

    std::vector<LiveCallRecord> calls_; // the table's rows, in order
    std::shared_ptr<const Dataset> shownDataset_;
    QHash<QString, int> rowOfPrompt_;
    QString sessionWorkspace_;
    qint64 sessionId_ = 0;
    // The GUI thread's own connection, for ratings (the worker writes through another).
    std::unique_ptr<WorkspaceStore> ratingStore_;
    std::unique_ptr<LiveCallLog> ratingLog_;
};

} // namespace routerlab
