#pragma once

#include "experiment/experiment_file.h"

#include <QScrollArea>
#include <QWidget>

class QBoxLayout;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace routerlab {

class FeaturesPicker;
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
    FeaturesPicker* featuresPicker() const { return features_; }
    void addRouter(const QString& spec);
    void setRunning(bool running);
    // Data and routers beside the settings when `width` holds them side by side, else the
    // settings below them.
    void fitWidth(int width);
    bool isSideBySide() const;

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
    // A path field with its Browse… button; `pickFiles` fills the field from a file dialog.
    QWidget* withBrowse(QLineEdit* field, const QString& name,
                        void (ExperimentDesigner::*pickFiles)(QLineEdit*));
    void chooseDatasets(QLineEdit* field);
    void choosePool(QLineEdit* field);
    // Where a file dialog for `field` starts: the folder of its path, else of the dataset's.
    QString startDir(const QLineEdit* field) const;

    QBoxLayout* columns_;
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
    FeaturesPicker* features_;
    QSpinBox* points_;
    QDoubleSpinBox* sweepLatency_;
    QSpinBox* threads_;
    QPushButton* run_;
};

// The designer as a page of the window: on a narrow window its columns stack and the page
// scrolls down, rather than push the window wider than its screen.
class DesignerPage : public QScrollArea {
public:
    explicit DesignerPage(ExperimentDesigner* designer, QWidget* parent = nullptr);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    ExperimentDesigner* designer_;
};

} // namespace routerlab
