#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTimer;

namespace routerlab {

class CellProgressModel;
class RunController;

// The "Run" dock: overall progress with the time left, a Cancel button, and every cell with
// a progress bar of its own (queued, running, done or cancelled). When a run ends it folds to
// one summary line ("Done: 64 cells in 3.2 s") with a button that shows the cells again, so a
// finished run does not keep a fifth of the window.
class RunPanel : public QWidget {
    Q_OBJECT

public:
    RunPanel(RunController* controller, QWidget* parent = nullptr);

    QProgressBar* overallBar() const { return overall_; }
    QPushButton* cancelButton() const { return cancel_; }
    QTableView* cellTable() const { return table_; }
    QPushButton* detailsButton() const { return details_; }
    QString statusText() const;
    bool isFolded() const { return folded_; }

private:
    void onRunningChanged(bool running);
    void onPrepared();
    void refresh();
    void onFinished(bool cancelled, const QString& error);
    // Folded: the summary line and the details button only, the panel no taller than them.
    void setFolded(bool folded);
    void showDetails(bool shown);

    RunController* controller_;
    CellProgressModel* model_;
    QProgressBar* overall_;
    QLabel* status_;
    QPushButton* cancel_;
    QPushButton* details_;
    QTableView* table_;
    QTimer* refreshTimer_;
    bool folded_ = false;
};

} // namespace routerlab
