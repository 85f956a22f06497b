#pragma once

#include "data/dataset_builder.h"
#include "formats/dataset_loader.h"

#include <QByteArray>
#include <QString>
#include <functional>
#include <memory>
#include <vector>

namespace routerlab {

// What an importer needs besides the file: the limits, and a way to report bytes read and
// to notice a cancel request between records.
class ImportContext {
public:
    ImportContext(const ImportOptions& options, std::function<void(qint64)> bytesRead)
        : options_(options), bytesRead_(std::move(bytesRead)) {}

    const ImportOptions& options() const { return options_; }
    // Cheap enough to call per record: it reports and checks only every few thousand calls.
    void tick(qint64 bytesReadInFile) {
        if (++ticks_ % 4096 != 0)
            return;
        if (bytesRead_)
            bytesRead_(bytesReadInFile);
        if (options_.cancel && options_.cancel->load(std::memory_order_relaxed))
            throw ImportCancelled();
    }

private:
    const ImportOptions& options_;
    std::function<void(qint64)> bytesRead_;
    quint64 ticks_ = 0;
};

// One file format. Adding a format is one new importer and one line in the registry;
// no caller changes.
class DatasetImporter {
public:
    virtual ~DatasetImporter() = default;
    virtual QString name() const = 0;
    // How well this importer fits a file, judged from its name and first line; 0 = not at all.
    virtual int fitness(const QString& path, const QByteArray& firstLine) const = 0;
    virtual void read(const QString& path, DatasetBuilder& builder,
                      ImportContext& context) const = 0;
};

// The registered importers, in no particular order.
const std::vector<std::unique_ptr<DatasetImporter>>& datasetImporters();
// The best fit for a file, or nullptr when none fits.
const DatasetImporter* importerFor(const QString& path, const QByteArray& firstLine);

// Splits a CSV header line into trimmed column names (a quick parse good for detection).
std::vector<std::string> splitHeaderLine(const QByteArray& firstLine);

} // namespace routerlab
