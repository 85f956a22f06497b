#pragma once

#include "experiment/deployment.h"
#include "ui/experiment/prepared_experiment.h"

#include <QDialog>
#include <QHash>
#include <atomic>
#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace routerlab {

class BackgroundJob;

// Experiment ▸ Deploy…: for one router of the shown run, the trained router file (a BaRP
// router is trained in the background and saved where the person chooses) and the exact
// `routerlab-cli proxy` command that serves it at the chosen preference, port and fallbacks.
// The command comes from core (proxyCommand); the dialog only gathers the choices.
class DeployDialog : public QDialog {
    Q_OBJECT

public:
    struct Input {
        std::shared_ptr<const PreparedExperiment> experiment; // the run: data, setup, routers
        QJsonObject simulateResult;                           // for the reward leader
        QStringList datasets;    // the files the run read (its training datasets)
        QString pool;            // the pool file that priced them
        Preference preference;   // the Trade-off dock's
        QString workspace;       // the open workspace, if any
        bool poolEdited = false; // edited here but not saved: the proxy reads the file
        QString folder;          // relative paths are relative to it; empty: the current folder
        QString cli; // the program the command runs; empty: routerlab-cli beside the workbench
    };

    explicit DeployDialog(const Input& input, QWidget* parent = nullptr);
    ~DeployDialog() override; // cancels and waits: the training never outlives us

    // Trains the chosen router in the background and saves it to `path` (what "Train and
    // Save…" does after its file dialog). Ends with `trainingFinished`.
    void trainAndSave(const QString& path);
    void cancelTraining();
    bool isTraining() const;
    // The router file a Save dialog proposes: `<router>.barp` beside the first dataset.
    QString defaultRouterFile() const;
    // The command shown; empty while it cannot be built (why is in the status line).
    QString command() const { return command_; }

    QComboBox* routerBox() const { return router_; }
    QDoubleSpinBox* qualityBox() const { return quality_; }
    QDoubleSpinBox* costBox() const { return cost_; }
    QDoubleSpinBox* latencyBox() const { return latency_; }
    QSpinBox* portBox() const { return port_; }
    QSpinBox* fallbacksBox() const { return fallbacks_; }
    QLineEdit* workspaceEdit() const { return workspace_; }
    QLabel* routerFileLabel() const { return routerFile_; }
    QPushButton* trainButton() const { return train_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QPlainTextEdit* commandView() const { return commandView_; }
    QPushButton* copyButton() const { return copy_; }
    QLabel* statusLabel() const { return status_; }

signals:
    // `error` is empty when the file was written, "cancelled" text when stopped.
    void trainingFinished(bool written, const QString& message);

public slots:
    void reject() override;

private:
    struct Training {
        std::atomic_int epochsDone{0};
        std::atomic_int epochs{0};
        std::atomic_bool cancel{false};
        QString path;
        QString error;
        TrainedRouterFile trained;
    };

    QWidget* createChoices();
    QWidget* createCommandBox();
    void chooseRouterFile();
    void chooseWorkspace();
    void onTrainingFinished();
    void updateCommand();
    void setStatus(const QString& text, bool error);

    Input input_;
    QComboBox* router_;
    QDoubleSpinBox* quality_;
    QDoubleSpinBox* cost_;
    QDoubleSpinBox* latency_;
    QSpinBox* port_;
    QSpinBox* fallbacks_;
    QLineEdit* workspace_;
    QLabel* routerFile_;
    QPushButton* train_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QPlainTextEdit* commandView_;
    QPushButton* copy_;
    QLabel* note_;
    QLabel* status_;
    BackgroundJob* job_;
    std::shared_ptr<Training> training_;
    QHash<QString, QString> trainedFiles_; // router spec -> the file written for it
    QString command_;
};

} // namespace routerlab
