#pragma once

#include "experiment/evaluation.h"
#include "store/workspace_store.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace routerlab {

class EvaluationTable;

// A stored evaluation (`routerlab-cli evaluate --workspace`), opened from the workspace tree:
// what it was asked and its table, at each preference it scored.
class RecordedEvaluationDialog : public QDialog {
    Q_OBJECT

public:
    // Throws std::invalid_argument when the record's JSON is not an evaluation.
    explicit RecordedEvaluationDialog(const EvaluationRecord& record, QWidget* parent = nullptr);

    QComboBox* preferenceBox() const { return preferences_; }
    EvaluationTable* table() const { return table_; }
    QLabel* statusLabel() const { return status_; }

private:
    void showPoint(int point);

    Evaluation evaluation_;
    QComboBox* preferences_;
    EvaluationTable* table_;
    QLabel* status_;
};

} // namespace routerlab
