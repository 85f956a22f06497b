#pragma once

#include "experiment/experiment_file.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace routerlab {

// "Run on a Cluster…": saves the designer's experiment and the scripts that run it as a Slurm
// array of shards plus a dependent merge (and, on request, Kubernetes Jobs) into one folder.
// RouterLab schedules nothing itself; the user copies the folder to the cluster and submits.
class ClusterScriptDialog : public QDialog {
    Q_OBJECT

public:
    ClusterScriptDialog(const GuiExperiment& experiment, const QString& workspacePath,
                        QWidget* parent = nullptr);

    QLineEdit* folderEdit() const { return folder_; }
    QSpinBox* shardsBox() const { return shards_; }
    QComboBox* commandBox() const { return command_; }
    QLineEdit* cliEdit() const { return cli_; }
    QCheckBox* kubernetesBox() const { return kubernetes_; }
    QLineEdit* imageEdit() const { return image_; }
    QPlainTextEdit* report() const { return report_; }
    // Writes the experiment file and the scripts and lists them in the dialog. False with a
    // readable `error` when nothing could be written.
    bool writeScripts(QStringList& written, QString& error);

private:
    void chooseFolder();
    void onWrite();
    void updateDefaults();

    GuiExperiment experiment_;
    QString workspacePath_;
    QLineEdit* folder_;
    QComboBox* command_;
    QSpinBox* shards_;
    QLineEdit* partition_;
    QLineEdit* timeLimit_;
    QSpinBox* cpus_;
    QLineEdit* memory_;
    QLineEdit* cli_;
    QLineEdit* results_;
    QCheckBox* recordInWorkspace_;
    QCheckBox* kubernetes_;
    QLineEdit* image_;
    QLineEdit* volumeClaim_;
    QPlainTextEdit* report_;
};

} // namespace routerlab
