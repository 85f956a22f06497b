#pragma once

#include "experiment/evaluation.h"

#include <QTableWidget>

namespace routerlab {

// The table `routerlab-cli evaluate` prints, at one of its preferences: a column per part (in
// distribution, each unseen family, all unseen), the two reference models, each router's margin
// over the training-best model with its interval, and the hindsight-best model's and the
// oracle's margins. A margin's tooltip gives the margin over the hindsight-best model, quality
// and cost; runaway spending shows in red.
class EvaluationTable : public QTableWidget {
    Q_OBJECT

public:
    explicit EvaluationTable(QWidget* parent = nullptr);

    // Returns how many margins spend runaway.
    int showPoint(const Evaluation& evaluation, std::size_t point);
};

} // namespace routerlab
