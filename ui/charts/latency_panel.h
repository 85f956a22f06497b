#pragma once

#include "ui/charts/chart_panel.h"

class QValueAxis;

namespace routerlab {

// Latency per router as a box plot over every call of every seed: the box spans p25..p75,
// the line in it is p50, the whiskers reach p5 and p95; p50 and p95 are printed beneath. A
// square marks the result's mean latency, with a bar for its 95% interval when it has one.
class LatencyPanel : public ChartPanel {
    Q_OBJECT

public:
    struct Stats {
        QString router;
        double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
        int calls = 0;
    };

    explicit LatencyPanel(QWidget* parent = nullptr);

    void setResults(std::shared_ptr<const ExperimentResults> results) override;
    CsvTable table() const override;

    QChart* chart() const { return chart_; }
    const std::vector<Stats>& stats() const { return stats_; }

private:
    void drawMeanIntervals(const QStringList& categories, QValueAxis* seconds);

    std::shared_ptr<const ExperimentResults> results_ = std::make_shared<ExperimentResults>();
    std::vector<Stats> stats_;
    std::vector<int> statsSeeds_; // seeds behind each router's stats: recomputed on change
    QChart* chart_;
};

} // namespace routerlab
