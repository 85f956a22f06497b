#pragma once

#include "tradeoff/tradeoff_choice.h"
#include "ui/tradeoff/operating_point_evaluator.h"

#include <QFutureWatcher>
#include <QPointF>
#include <QWidget>
#include <atomic>
#include <memory>

class QChart;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QTableWidget;

namespace routerlab {

class ChartLegend;
class PointLabels;

// The product owner's page: a large quality <-> cost slider and a latency weight, or a goal
// under a limit ("best quality under $X per 1,000 queries", "cheapest with quality at least
// Y", "best quality with p95 latency under Z s"); the answer in one sentence, every router at
// that preference with intervals, the answer's model mix and the answer marked among all the
// run's deployable operating points.
class TradeoffPage : public QWidget {
    Q_OBJECT

public:
    enum class Mode { Weights, UnderBudget, AtQuality, UnderLatency };

    explicit TradeoffPage(OperatingPointEvaluator* evaluator, QWidget* parent = nullptr);
    ~TradeoffPage() override;

    Preference preference() const;
    // Moves the sliders without emitting preferenceChanged.
    void setPreference(const Preference& preference);
    // The preference the shown run was made at, named beside the numbers that depend on it.
    void setRunPreference(const Preference& preference) { runPreference_ = preference; }
    void setMode(Mode mode);
    void setLimit(double limit);
    Mode mode() const;

    QString answer() const;
    const std::vector<OperatingCandidate>& candidates() const { return candidates_; }
    const TradeoffChoice& choice() const { return choice_; }
    bool candidatesReady() const { return candidatesReady_; }
    QTableWidget* table() const { return table_; }
    QChart* frontierChart() const { return frontier_; }
    QChart* mixChart() const { return mix_; }
    QSlider* costSlider() const { return cost_; }

signals:
    void preferenceChanged(const routerlab::Preference& preference);
    // The answer changed (after the candidates or the points came in).
    void answered(const QString& sentence);

protected:
    void showEvent(QShowEvent* event) override;

private:
    QWidget* buildControls();
    void drawCharts();
    void onSliderMoved();
    void onModeChanged();
    void onExperimentChanged();
    void onPoints(const OperatingPoints& points);
    void computeCandidates();
    void answerConstraint();
    void answerWeights();
    void fillTable();
    void showAnswer(const QString& sentence, const std::vector<double>& share,
                    const QString& mixLabel);
    void suggestLimit();
    TradeoffConstraint constraint() const;
    QStringList routerNames() const; // the experiment's, in its order: the charts' colours

    OperatingPointEvaluator* evaluator_;
    QComboBox* goal_;
    QDoubleSpinBox* limit_;
    QSlider* cost_;
    QSlider* latency_;
    QLabel* weights_;
    QLabel* answer_;
    QLabel* tableCaption_;
    QTableWidget* table_;
    QChart* frontier_;
    ChartLegend* frontierLegend_;
    PointLabels* frontierLabels_;
    QChart* mix_;
    ChartLegend* mixLegend_;

    OperatingPoints points_;
    Preference runPreference_;
    std::vector<OperatingCandidate> candidates_;
    bool candidatesReady_ = false;
    double candidatesLatencyWeight_ = -1;
    TradeoffChoice choice_;
    // What the charts show, kept to draw once the page is visible.
    std::optional<QPointF> shownAnswer_;
    std::optional<TradeoffConstraint> shownConstraint_;
    std::vector<double> shownShare_;
    QString shownMixLabel_;
    bool chartsDirty_ = false;
    QFutureWatcher<std::vector<OperatingCandidate>> candidateWatcher_;
    std::shared_ptr<std::atomic_bool> cancelCandidates_;
    bool limitTouched_[4] = {};
    double limitValue_[4] = {0, 1.0, 0.7, 5.0}; // per mode, kept across switches
};

} // namespace routerlab
