#pragma once

#include "stats/bootstrap.h"
#include "ui/charts/chart_panel.h"
#include "ui/charts/point_labels.h"

#include <QJsonArray>

class QLogValueAxis;
class QValueAxis;

namespace routerlab {

// The cost-quality plane: every single model as a labelled point, each router's sweep as a
// curve (AIQ in the legend), the oracle dashed, the non-dominated hull of the single models
// and router points shaded, and the operating point the preference slider picks per router.
// Sweep points and operating points carry error bars on both axes (their 95% intervals) when
// the result has them.
class ParetoPanel : public ChartPanel {
    Q_OBJECT

public:
    struct OperatingPoint {
        QString router;
        double costUsd = 0;
        double quality = 0;
        Interval costCi, qualityCi; // 95%; invalid: no error bar
    };

    // The side of an operating point's square, in pixels.
    static constexpr double kOperatingPointSize = 13;

    explicit ParetoPanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    void setOperatingPoints(const std::vector<OperatingPoint>& points);
    // Single models priced by an edited pool (the sweep's own points otherwise).
    void setRepricedModels(const QJsonArray& models);
    CsvTable table() const override;

    QChart* chart() const { return chart_; }
    const PointLabels* modelLabels() const { return labels_; }
    const ChartLegend* legend() const { return legend_; }
    const std::vector<OperatingPoint>& operatingPoints() const { return operatingPoints_; }

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    void redraw();
    QList<PointLabels::Mark> operatingMarks() const;
    bool stale_ = false; // operating points moved while the page was hidden

    std::shared_ptr<const ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    std::vector<OperatingPoint> operatingPoints_;
    QJsonArray repricedModels_;
    QChart* chart_;
    PointLabels* labels_;
    ChartLegend* legend_ = nullptr;
};

} // namespace routerlab
