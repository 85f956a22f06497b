#include "formats/dataset_loader.h"

#include "common/input_error.h"
#include "data/dataset_builder.h"
#include "formats/dataset_importer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

namespace routerlab {

namespace {

bool isDatasetFile(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    return suffix == QLatin1String("csv") || suffix == QLatin1String("jsonl") ||
           suffix == QLatin1String("ndjson");
}

// The first line, or the first 64 KiB of it: enough to recognise a header.
QByteArray firstLineOf(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw InputError(path, 0, {}, QStringLiteral("cannot open: %1").arg(f.errorString()));
    if (f.size() == 0)
        throw InputError(path, 0, {}, QStringLiteral("file is empty"));
    QByteArray head = f.read(64 * 1024);
    const qsizetype newline = head.indexOf('\n');
    return newline >= 0 ? head.left(newline) : head;
}

QString datasetName(const QStringList& paths) {
    if (paths.isEmpty())
        return {};
    const QFileInfo first(paths.front());
    QString name = first.isDir() ? first.fileName() : first.completeBaseName();
    if (paths.size() > 1)
        name += QStringLiteral(" +%1").arg(paths.size() - 1);
    return name;
}

} // namespace

qint64 effectiveMaxMatrixCells(const ImportOptions& options) {
    if (options.maxMatrixCells > 0)
        return options.maxMatrixCells;
    const char* variable = DatasetBuilder::kMaxMatrixCellsVariable;
    const QByteArray text = qgetenv(variable).trimmed();
    if (text.isEmpty())
        return DatasetBuilder::kDefaultMaxMatrixCells;
    bool ok = false;
    const qint64 cells = text.toLongLong(&ok);
    if (!ok || cells <= 0)
        throw InputError(QString::fromLatin1(variable), 0, {},
                         QStringLiteral("expected a positive whole number of cells, got '%1'")
                             .arg(QString::fromUtf8(text.left(40))));
    return cells;
}

QStringList expandDatasetPaths(const QStringList& paths) {
    QStringList files;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        if (!info.exists())
            throw InputError(path, 0, {}, QStringLiteral("no such file or folder"));
        if (info.isDir()) {
            QStringList found;
            QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString file = it.next();
                if (isDatasetFile(file))
                    found << file;
            }
            if (found.isEmpty())
                throw InputError(path, 0, {},
                                 QStringLiteral("folder holds no .csv or .jsonl files"));
            found.sort();
            files << found;
        } else {
            files << path;
        }
    }
    return files;
}

Dataset loadDataset(const QStringList& paths, const ModelPool* pool, const ImportOptions& options) {
    if (paths.isEmpty())
        throw InputError(QStringLiteral("(no file)"), 0, {}, QStringLiteral("no dataset given"));
    const QStringList files = expandDatasetPaths(paths);
    qint64 total = 0;
    for (const QString& f : files)
        total += QFileInfo(f).size();

    DatasetBuilder builder(pool);
    builder.setMaxMatrixCells(effectiveMaxMatrixCells(options));
    qint64 doneBefore = 0;
    for (const QString& file : files) {
        const QByteArray firstLine = firstLineOf(file);
        const DatasetImporter* importer = importerFor(file, firstLine);
        if (!importer)
            throw InputError(
                file, 1, {},
                QStringLiteral("unrecognised format: expected a long CSV with model and "
                               "quality columns, JSONL, or a RouterBench or RouteLLM "
                               "wide CSV (README, \"Dataset formats\")"));
        ImportContext context(options, [&](qint64 bytes) {
            if (options.progress)
                options.progress(doneBefore + bytes, total);
        });
        importer->read(file, builder, context);
        doneBefore += QFileInfo(file).size();
        if (options.cancel && options.cancel->load())
            throw ImportCancelled();
    }
    Dataset dataset = builder.finish();
    dataset.name = datasetName(paths);
    if (options.progress)
        options.progress(total, total);
    return dataset;
}

PricedDataset loadPricedDataset(const QStringList& paths, const QString& poolPath,
                                const ImportOptions& options) {
    PricedDataset out;
    if (!poolPath.isEmpty()) {
        out.pool = ModelPool::load(poolPath);
        out.dataset = loadDataset(paths, &out.pool, options);
        return out;
    }
    out.dataset = loadDataset(paths, nullptr, options);
    if (!out.dataset.hasRecordedCost())
        throw InputError(
            paths.front(), 0, {},
            QStringLiteral("this dataset records no costs, so it needs a pool to price "
                           "its calls (--pool FILE.pool.json)"));
    out.pool = out.dataset.derivedPool();
    out.poolDerived = true;
    return out;
}

} // namespace routerlab
