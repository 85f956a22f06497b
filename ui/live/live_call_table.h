#pragma once

#include "store/live_call_records.h"

#include <QTableWidget>
#include <vector>

namespace routerlab {

// The Live Console's calls, one row per answer as its call ends: step, prompt, routed model,
// status, tokens, cost, latency, time to first token and quality. A judge's calls are paid and
// recorded, but there is nothing to rate in them, so they get no row.
class LiveCallTable : public QTableWidget {
    Q_OBJECT

public:
    enum Column {
        StepColumn,
        PromptColumn,
        ModelColumn,
        StatusColumn,
        InColumn,
        OutColumn,
        CostColumn,
        LatencyColumn,
        FirstTokenColumn,
        QualityColumn,
        ColumnCount
    };

    explicit LiveCallTable(QWidget* parent = nullptr);

    void clearCalls();
    // Appends the answers among `calls`; follows the newest unless the person selected a row.
    void appendCalls(const std::vector<LiveCallRecord>& calls);
    // The rows' calls, in order.
    const std::vector<LiveCallRecord>& calls() const { return calls_; }
    // The selected row, or -1 when none is.
    int selectedCall() const;
    // A person's rating arrived: the row's call and its cell take the new quality.
    void setQuality(int row, double quality);

private:
    void appendCall(const LiveCallRecord& call);
    void showQuality(int row);

    std::vector<LiveCallRecord> calls_;
};

} // namespace routerlab
