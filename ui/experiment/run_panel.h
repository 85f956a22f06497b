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
// a progress bar of its own (queued, running, done or cancelled).
class RunPanel : public QWidget {
    Q_OBJECT

public:
    RunPanel(RunController* controller, QWidget* parent = nullptr);

    QProgressBar* overallBar() const { return overall_; }
    QPushButton* cancelButton() const { return cancel_; }
    QTableView* cellTable() const { return table_; }
    QString statusText() const;

private:
    void onRunningChanged(bool running);
    void onPrepared();
    void refresh();

    RunController* controller_;
    CellProgressModel* model_;
    QProgressBar* overall_;
    QLabel* status_;
    QPushButton* cancel_;
    QTableView* table_;
    QTimer* refreshTimer_;
};

} // namespace routerlab
