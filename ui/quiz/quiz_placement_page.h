#pragma once

#include "ui/quiz/quiz_job.h"

#include <QWidget>
#include <functional>
#include <optional>

class QChart;
class QGroupBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace routerlab {

class ChartLegend;

// The quiz wizard's last page, where the model lands: the figures, its identity beside the
// full-data one and the population's, predicted quality per category beside the pool's models,
// the budget curve, and Add to Pool and Save Result for the placement shown.
class QuizPlacementPage : public QWidget {
    Q_OBJECT

public:
    explicit QuizPlacementPage(QWidget* parent = nullptr);

    // Below this held-out log-likelihood gain of the full-data identity over the prior (nats
    // per answer) the figures warn that the prediction share is a ratio of small numbers.
    static constexpr double kSmallPredictionGain = 0.01;

    // Adds a model through the pool editor's undo stack (false with the reason when it cannot).
    void setAddToPool(std::function<bool(const PoolModel&, QString&)> addToPool);
    // Shows a finished quiz, with the request and the preparation it answers.
    void showPlacement(const QuizReport& report, const QuizRequest& request,
                       const QuizPreparation& preparation);
    // The line beside the actions: what Add to Pool or Save Result did.
    void showNote(const QString& text, bool error);

    QTableWidget* identityTable() const { return identity_; }
    QTableWidget* categoryTable() const { return categories_; }
    QLabel* figuresLabel() const { return figures_; }
    QLabel* addToPoolNote() const { return addNote_; }
    QPushButton* addToPoolButton() const { return addToPool_; }
    QChart* curveChart() const { return curve_; }
    const ChartLegend* curveLegend() const { return curveLegend_; }

signals:
    void saveRequested();

private:
    QWidget* createCurveView();
    void showIdentity(const QuizReport& report, const QuizStudy& study);
    void showCategories(const QuizReport& report, const QuizRequest& request,
                        const QuizPreparation& preparation);
    void showFigures(const QuizReport& report, const QuizRequest& request,
                     const QuizPreparation& preparation);
    void updateAddToPool();
    void addModelToPool();

    QLabel* figures_;
    QTableWidget* identity_;
    QTableWidget* categories_;
    QGroupBox* categoryBox_;
    QChart* curve_;
    ChartLegend* curveLegend_ = nullptr;
    QPushButton* addToPool_;
    QLabel* addNote_;
    QPushButton* save_;

    std::function<bool(const PoolModel&, QString&)> addToPoolFn_;
    bool placed_ = false;
    QString heldOutName_;                    // the held-out model shown; empty for an endpoint's
    std::optional<PoolModel> endpointModel_; // the endpoint model shown
    bool addedToPool_ = false;
};

} // namespace routerlab
