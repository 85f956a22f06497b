#include "experiment/recorded_experiment.h"

#include "common/input_error.h"
#include "sim/run_recorder.h"

#include <QJsonDocument>

namespace routerlab {

RecordedExperiment::RecordedExperiment(WorkspaceStore& store, const ExperimentPlan& plan,
                                       const QString& name, const QByteArray& configJson,
                                       bool resume)
    : store_(store), summaries_(plan.cells.size()) {
    const std::vector<ExperimentProgress> earlier = store.experimentsWithIdentity(plan.configHash);
    if (!earlier.empty() && !earlier.back().complete() && !resume)
        throw PartialRunExists(earlier.back());
    if (resume && !earlier.empty()) {
        id_ = earlier.back().id;
        for (const auto& [cell, json] : store.storedCells(id_)) {
            const QJsonDocument doc = QJsonDocument::fromJson(json);
            if (cell < 0 || cell >= static_cast<qint64>(plan.cells.size()) || !doc.isObject())
                throw InputError(store.path(), 0, QStringLiteral("runs.cell_json"),
                                 QStringLiteral("experiment %1 has a damaged cell %2: run it "
                                                "again without resuming")
                                     .arg(id_)
                                     .arg(cell));
            summaries_[static_cast<std::size_t>(cell)] = cellSummaryFromJson(doc.object());
            ++resumedCells_;
        }
    } else {
        id_ = store.startExperiment(name, configJson, plan.configHash,
                                    static_cast<qint64>(plan.cells.size()));
    }
    for (std::size_t i = 0; i < summaries_.size(); ++i)
        if (!summaries_[i])
            pending_.push_back(static_cast<int>(i));
}

void RecordedExperiment::record(int index, const CellResult& result, const QStringList& models) {
    FinishedRunRecord run = finishedRunOf(result, models);
    run.cellJson = QJsonDocument(cellSummaryToJson(result.summary)).toJson(QJsonDocument::Compact);
    // What the result is built from is what was stored: the exact form, read back.
    CellSummary stored = cellSummaryFromJson(QJsonDocument::fromJson(run.cellJson).object());
    const std::lock_guard lock(writing_);
    store_.recordCell(id_, index, run);
    summaries_[static_cast<std::size_t>(index)] = std::move(stored);
}

std::vector<CellSummary> RecordedExperiment::summaries() const {
    std::vector<CellSummary> out;
    out.reserve(summaries_.size());
    for (std::size_t i = 0; i < summaries_.size(); ++i) {
        if (!summaries_[i])
            throw std::logic_error("RecordedExperiment: cell " + std::to_string(i) +
                                   " has not run");
        out.push_back(*summaries_[i]);
    }
    return out;
}

} // namespace routerlab
