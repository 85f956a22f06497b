#pragma once

#include "data/dataset.h"
#include "data/model_pool.h"

#include <QJsonObject>
#include <QString>
#include <vector>

namespace routerlab {

struct ModelSummary {
    QString name;
    double meanQuality = 0;  // over the model's non-missing cells
    double meanCostUsd = 0;  // per call
    double meanLatencyS = 0; // per call, recorded or estimated
    qint64 missing = 0;      // cells without a quality
};

// The figures `routerlab-cli info` prints and the GUI's dataset view shows.
struct DatasetSummary {
    QString name;
    QStringList sources;
    QStringList formats;
    int prompts = 0;
    QStringList categories;
    std::vector<ModelSummary> models;
    qint64 missingCells = 0;
    qint64 promptsWithoutOutcome = 0; // every model missing: left out of oracle figures
    EstimateCounts estimates;
    bool costRecorded = false; // costs from the data rather than the pool's prices

    // Per prompt: the best quality, ties broken by the lowest cost.
    double oracleMeanQuality = 0;
    double oracleMeanCostUsd = 0;
    // The one model with the best mean quality (ties: lower mean cost).
    QString bestSingleName;
    double bestSingleMeanQuality = 0;
    double bestSingleMeanCostUsd = 0;

    QJsonObject toJson() const;
    QString toText() const; // aligned human-readable tables
};

DatasetSummary summarize(const Dataset& dataset, const ModelPool& pool);

} // namespace routerlab
