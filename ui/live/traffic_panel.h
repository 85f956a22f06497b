#pragma once

#include "live/traffic_summary.h"
#include "store/workspace_store.h"

#include <QWidget>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QTableWidget;
class QTimer;

namespace routerlab {

// The Live Console's Traffic tab: what a recorded session amounts to (the proxy's production
// traffic, or a run of the console): requests, each model's share of the calls, spend,
// latency, failed calls and ratings. It follows the session's calls as they are recorded, by
// this process or another one (a running proxy), reading only the calls it has not seen.
class TrafficPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kRefreshMs = 1000;

    explicit TrafficPanel(QWidget* parent = nullptr);

    // Lists the workspace's live sessions, newest first, keeping the session shown when it is
    // still there. An unreadable workspace is reported in the panel and changes nothing else.
    void setWorkspace(const QString& path);
    // Shows this session of the workspace (listing its sessions first when it is another).
    void showSession(const QString& workspace, qint64 sessionId);
    // Reads every call of the session again: a rating changes calls already read.
    void reload();

    qint64 sessionId() const;
    const TrafficSummary& summary() const { return summary_; }
    QComboBox* sessionBox() const { return sessions_; }
    QTableWidget* modelTable() const { return models_; }
    QLabel* figuresLabel() const { return figures_; }

private:
    void readNewCalls();
    void showSummary();
    void onSessionChosen();

    QComboBox* sessions_;
    QLabel* figures_;
    QTableWidget* models_;
    QTimer* timer_;
    std::unique_ptr<WorkspaceStore> store_;
    std::vector<LiveCallRecord> calls_;
    qint64 shownSession_ = 0;
    TrafficSummary summary_;
};

} // namespace routerlab
