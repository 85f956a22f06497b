#pragma once

#include "ui/charts/chart_panel.h"
#include "ui/experiment/run_overlay.h"

class QCheckBox;
class QLabel;
class QTableWidget;

namespace routerlab {

// The Runs page: the configuration of the results shown, and for an overlay of several runs
// (Experiment ▸ Compare Runs…) each field side by side, by default only those that differ,
// and every later run's figures against the first run's for the routers both ran, with a 95%
// interval when both results carry one.
class RunsPanel : public ChartPanel {
    Q_OBJECT

public:
    explicit RunsPanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    CsvTable table() const override;

    const RunComparison& comparison() const { return comparison_; }
    QTableWidget* configurationTable() const { return configuration_; }
    QTableWidget* differencesTable() const { return differences_; }
    // Off (the default): only the fields that differ between the runs.
    QCheckBox* showAllBox() const { return showAll_; }

private:
    void fillConfiguration();
    void fillDifferences();

    RunComparison comparison_;
    QCheckBox* showAll_;
    QTableWidget* configuration_;
    QLabel* differencesHeading_;
    QTableWidget* differences_;
};

} // namespace routerlab
