#pragma once

#include "experiment/experiment_file.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace routerlab {

class RouterParameterForm;

// The "Experiment" page: data, routers with their parameter forms, preference, seeds,
// sessions, split, reward and the sweep's points. Open and Save use the CLI's experiment
// file, so `routerlab-cli simulate|sweep --experiment E.json` runs what the page shows.
class ExperimentDesigner : public QWidget {
    Q_OBJECT

public:
    explicit ExperimentDesigner(QWidget* parent = nullptr);

    void setExperiment(const GuiExperiment& experiment);
    // False with a readable `error` when the page does not describe a valid experiment.
    bool experiment(GuiExperiment& out, QString& error) const;

    bool openFile(const QString& path, QString& error);
    bool saveFile(const QString& path, QString& error) const;

    QListWidget* routerList() const { return routers_; }
    RouterParameterForm* parameterForm() const { return form_; }
    QPushButton* runButton() const { return run_; }
    void addRouter(const QString& spec);
    void setRunning(bool running);

signals:
    void runRequested();
    void clusterRequested();
    void message(const QString& text, bool error);

private:
    QWidget* createDataBox();
    QWidget* createRouterBox();
    QWidget* createSettingsBox();
    void onRouterSelected();
    void onFormEdited();
    void chooseAndOpen();
    void chooseAndSave();

    QLineEdit* datasets_;
    QLineEdit* testDatasets_;
    QLineEdit* pool_;
    QListWidget* routers_;
    QComboBox* routerType_;
    RouterParameterForm* form_;
    QDoubleSpinBox* quality_;
    QDoubleSpinBox* cost_;
    QDoubleSpinBox* latency_;
    QSpinBox* seeds_;
    QComboBox* sessions_;
    QSpinBox* sessionLength_;
    QComboBox* split_;
    QLineEdit* splitValue_;
    QComboBox* reward_;
    QComboBox* missing_;
    QLineEdit* features_;
    QSpinBox* points_;
    QDoubleSpinBox* sweepLatency_;
    QSpinBox* threads_;
    QPushButton* run_;
};

} // namespace routerlab
