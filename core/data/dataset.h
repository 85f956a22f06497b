#pragma once

#include "data/model_pool.h"

#include <Eigen/Core>
#include <QString>
#include <QStringList>
#include <cmath>
#include <vector>

namespace routerlab {

// How the numbers that a file did not record were filled in (README, "Estimates").
struct EstimateCounts {
    qint64 inputTokens = 0;  // from the prompt text: ceil(UTF-8 bytes / 4)
    qint64 outputTokens = 0; // from the response text, or kDefaultOutputTokens without one
    qint64 latency = 0;      // from the pool: first_token_s + output_tokens / tokens_per_s
};

// The prompt x model outcome matrix. N prompts (rows) by K models (columns), each matrix
// column-major and contiguous so a simulation step is an index, never a lookup. A missing
// cell has quality NaN; its other numbers are then meaningless.
class Dataset {
public:
    static constexpr double kCharsPerToken = 4.0;
    static constexpr double kDefaultOutputTokens = 128.0;

    int promptCount() const { return static_cast<int>(promptIds.size()); }
    int modelCount() const { return static_cast<int>(modelNames.size()); }
    int modelIndex(const QString& name) const { return modelNames.indexOf(name); }

    bool isMissing(int prompt, int model) const { return std::isnan(quality(prompt, model)); }
    qint64 missingCells() const;
    qint64 missingCells(int model) const;
    bool hasRecordedCost() const; // true when any cell carries a recorded cost

    // USD per call: the recorded cost where the data has one, else tokens x the pool's
    // prices. Models are matched by name; a model absent from the pool costs NaN.
    Eigen::MatrixXd costUsd(const ModelPool& pool) const;
    // Seconds per call: the recorded latency where there is one, else the pool's estimate.
    Eigen::MatrixXd latencyS(const ModelPool& pool) const;
    // A pool for data that carries its own costs: one model per column, priced so that
    // tokens x price reproduces the recorded total cost on average (README, "Derived pools").
    ModelPool derivedPool() const;

    QString name;
    QStringList sources; // the files read, in order
    QStringList formats; // importer name per source file

    std::vector<QString> promptIds;
    std::vector<QString> promptTexts;
    std::vector<QString> references; // empty string when none
    std::vector<int> promptCategory; // index into categoryNames
    std::vector<int> promptSource;   // index into sources
    std::vector<int> promptSession;  // index into sessionNames; empty when no session column
    QStringList categoryNames;
    QStringList sessionNames;
    QStringList modelNames;

    Eigen::MatrixXd quality;         // [0,1], NaN = missing cell
    Eigen::MatrixXd inputTokens;     // recorded or estimated
    Eigen::MatrixXd outputTokens;    // recorded or estimated
    Eigen::MatrixXd recordedLatency; // seconds, NaN = not recorded
    Eigen::MatrixXd recordedCost;    // USD, NaN = not recorded
    std::vector<QString> responses;  // N*K column-major, empty when no file had responses
    EstimateCounts estimates;

    const QString& response(int prompt, int model) const;
};

} // namespace routerlab
