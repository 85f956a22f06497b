#pragma once

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;

namespace routerlab {

// The paired test of any two routers of a simulate result: pick A and B, read each figure's
// difference A − B with its 95% interval and p-value (from the result's "pairs", where the
// bootstrap resampled both with the same draws). Hidden when the result has no pairs.
class PairedComparisonView : public QWidget {
    Q_OBJECT

public:
    explicit PairedComparisonView(QWidget* parent = nullptr);

    void setResult(const QJsonObject& simulate);
    // Picks the two routers by name; false when either is not in the result.
    bool choose(const QString& a, const QString& b);

    QComboBox* firstBox() const { return first_; }
    QComboBox* secondBox() const { return second_; }
    QTableWidget* table() const { return table_; }

private:
    void showPair();

    QJsonObject simulate_;
    QComboBox* first_;
    QComboBox* second_;
    QLabel* caption_;
    QTableWidget* table_;
};

} // namespace routerlab
