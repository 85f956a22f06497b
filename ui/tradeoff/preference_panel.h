#pragma once

#include "ui/tradeoff/operating_point_evaluator.h"

#include <QWidget>
#include <optional>

class QChart;
class QLabel;
class QSlider;
class QTableWidget;

namespace routerlab {

class ChartLegend;

// The trade-off dock: a quality <-> cost slider and a latency-weight slider. Each move asks
// for the routers' operating points at the new preference and shows, per router, the expected
// cost per 1,000 queries and quality, each with its 95% interval, p95 latency and the model mix.
class PreferencePanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kSteps = 100;

    explicit PreferencePanel(QWidget* parent = nullptr);

    Preference preference() const;
    // Moves the sliders without emitting preferenceChanged.
    void setPreference(const Preference& preference);
    void showPoints(const OperatingPoints& points);
    void setAvailable(bool available, const QString& why);
    void setModels(const QStringList& models) { models_ = models; }
    // The preference the shown run was made at: named beside the weights when they differ.
    void setRunPreference(const Preference& preference);

    QSlider* costSlider() const { return cost_; }
    QSlider* latencySlider() const { return latency_; }
    QTableWidget* table() const { return table_; }
    QChart* mixChart() const { return mix_; }
    const ChartLegend* mixLegend() const { return mixLegend_; }
    const OperatingPoints& points() const { return points_; }

signals:
    void preferenceChanged(const routerlab::Preference& preference);

private:
    void onSliderMoved();
    void drawMix();

    QSlider* cost_;
    QSlider* latency_;
    QLabel* weights_;
    QLabel* status_;
    QTableWidget* table_;
    QChart* mix_;
    ChartLegend* mixLegend_;
    OperatingPoints points_;
    QStringList models_;
    std::optional<Preference> runPreference_;
    QStringList mixRouters_; // routers of the drawn mix chart
};

} // namespace routerlab
