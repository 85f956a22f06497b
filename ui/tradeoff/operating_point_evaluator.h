#pragma once

#include "stats/bootstrap.h"
#include "ui/experiment/prepared_experiment.h"

#include <QFutureWatcher>
#include <QObject>
#include <memory>
#include <optional>
#include <vector>

namespace routerlab {

// Where one router operates at one preference, on the experiment's scored (test) prompts.
struct RouterOperatingPoint {
    QString router;
    // True: evaluated at this exact preference (a router trained once that takes the
    // preference at decision time, or a reference router); false: the nearest point of the
    // router's sweep (an online learner would have to run again).
    bool evaluated = false;
    double meanQuality = 0;
    double meanCostUsd = 0;
    double p95LatencyS = 0;
    double meanReward = 0; // at `at`
    Preference at;         // the preference evaluated, or the sweep point's
    // 95% intervals: of the mean over the prompts (meanInterval) when evaluated, the sweep
    // point's own when taken from the sweep; invalid when unknown.
    Interval qualityCi, costCi;
    std::vector<double> share; // per model; empty when unknown
};

struct OperatingPoints {
    Preference preference;
    std::vector<RouterOperatingPoint> routers;
    double milliseconds = 0; // evaluation time
};

// Evaluates every router of the experiment that serves any preference (Capability::
// ServesAnyPreference: one pass over the test prompts, trained policies come from the setup's
// training cache) and the oracle at `preference`, seed 1; the others come from `sweep`
// (buildResult of the sweep part) at the nearest cost weight. Thread-safe; takes a few
// milliseconds on thousands of prompts.
OperatingPoints evaluateOperatingPoints(const PreparedExperiment& prepared,
                                        const Preference& preference, const QJsonObject& sweep);

// Keeps the slider responsive: evaluates on a worker, one preference at a time; while one
// evaluation runs, only the newest request waits (drags skip stale positions).
class OperatingPointEvaluator : public QObject {
    Q_OBJECT

public:
    explicit OperatingPointEvaluator(QObject* parent = nullptr);
    ~OperatingPointEvaluator() override;

    void setExperiment(std::shared_ptr<const PreparedExperiment> prepared, QJsonObject sweep);
    void setSweep(QJsonObject sweep);
    bool hasExperiment() const { return prepared_ != nullptr; }
    const std::shared_ptr<const PreparedExperiment>& prepared() const { return prepared_; }
    const QJsonObject& sweep() const { return sweep_; }
    void request(const Preference& preference);
    bool isBusy() const { return watcher_.isRunning(); }
    int completed() const { return completed_; }

signals:
    void evaluated(const routerlab::OperatingPoints& points);
    // Another experiment (or none) or another sweep: anything computed from them is stale.
    void experimentChanged();

private:
    void startNext();

    std::shared_ptr<const PreparedExperiment> prepared_;
    QJsonObject sweep_;
    std::optional<Preference> pending_;
    QFutureWatcher<OperatingPoints> watcher_;
    int completed_ = 0;
};

} // namespace routerlab
