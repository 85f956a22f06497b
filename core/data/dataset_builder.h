#pragma once

#include "data/dataset.h"

#include <QHash>
#include <QSet>
#include <QString>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace routerlab {

// Where a value came from, so a problem found later can still name the file and line.
struct SourcePosition {
    int file = 0; // index returned by DatasetBuilder::addSource
    qint64 line = 0;
};

// One recorded outcome; NaN where the file has no value.
struct CellValues {
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    double quality = kNone;
    double inputTokens = kNone;
    double outputTokens = kNone;
    double latencyS = kNone;
    double costUsd = kNone;
};

// Collects cells from one or more files and assembles the outcome matrix. Importers call it
// row by row; nothing reaches a Dataset until finish() succeeds, so a bad file changes nothing.
//
// The matrix is dense (prompts x models, every consumer indexes it directly), so a file that
// names many prompts and many models but records few of their pairs would need memory out of
// all proportion to its size. finish() refuses such a matrix before allocating it: one of more
// than maxMatrixCells() cells is held only when at least 1/kMinFillDivisor of them are recorded.
class DatasetBuilder {
public:
    static constexpr qint64 kDefaultMaxMatrixCells = 1'000'000;
    static constexpr int kMinFillDivisor = 4;
    // The environment variable that raises the limit; messages name it.
    static constexpr const char* kMaxMatrixCellsVariable = "ROUTERLAB_MAX_MATRIX_CELLS";

    // With a pool, a model the pool does not name is an error (InputError on its line).
    explicit DatasetBuilder(const ModelPool* pool = nullptr);

    void setMaxMatrixCells(qint64 cells) { maxMatrixCells_ = cells; }
    qint64 maxMatrixCells() const { return maxMatrixCells_; }

    int addSource(const QString& path, const QString& format);
    const QString& sourcePath(int file) const { return sources_[file]; }

    // Returns the prompt's row. The first mention defines text, category and reference;
    // a later mention with different text is an error (two prompts sharing an id).
    int addPrompt(std::string_view id, std::string_view text, std::string_view category,
                  std::string_view reference, std::string_view session, SourcePosition at,
                  const QString& idField);
    // The text of a prompt already added under this id, or nullptr.
    const std::string* promptText(std::string_view id) const;
    int addModel(std::string_view name, SourcePosition at, const QString& field);
    void addCell(int prompt, int model, const CellValues& values, std::string_view response,
                 SourcePosition at);

    qint64 cellCount() const { return static_cast<qint64>(cells_.size()); }
    // Throws InputError on a duplicate prompt/model pair, or when the matrix would be mostly
    // empty and larger than maxMatrixCells() (naming the line where it outgrew the limit).
    Dataset finish();

private:
    struct Cell {
        int prompt;
        int model;
        SourcePosition at;
        CellValues values;
        qint64 responseIndex; // into responses_, -1 when none
    };
    struct PromptInfo {
        std::string text;
        SourcePosition at;
    };

    // Remembers where prompts x models first passed the limit, for the message in finish().
    void noteMatrixGrowth(SourcePosition at, const QString& field);
    void checkMatrixSize() const;

    const ModelPool* pool_;
    QSet<QString> poolIds_;
    qint64 maxMatrixCells_ = kDefaultMaxMatrixCells;
    bool outgrown_ = false;
    SourcePosition outgrownAt_;
    QString outgrownField_;
    QStringList sources_;
    QStringList formats_;
    QHash<QByteArray, int> promptIndex_;
    QHash<QString, int> modelIndex_;
    std::vector<PromptInfo> promptInfo_;
    Dataset dataset_;
    QHash<QString, int> categoryIndex_;
    QHash<QString, int> sessionIndex_;
    bool anySession_ = false;
    std::vector<Cell> cells_;
    std::vector<QString> responses_;
    // Long formats repeat a prompt and cycle through models row after row: remember the last.
    int lastPrompt_ = -1;
    std::string lastPromptKey_;
    int lastModel_ = -1;
    std::string lastModelKey_;
};

} // namespace routerlab
