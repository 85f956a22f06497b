#include "store/workspace_store.h"

#include <QDateTime>
#include <cstring>
#include <stdexcept>

namespace routerlab {

std::vector<std::vector<float>>
WorkspaceStore::cachedEmbeddings(const QString& source, const std::vector<QByteArray>& textHashes) {
    Statement read(db_,
                   QStringLiteral("SELECT dimension, vector FROM embedding_cache WHERE "
                                  "source = ?1 AND text_sha256 = ?2"),
                   QStringLiteral("reading cached embeddings"));
    read.bind(1, source);
    std::vector<std::vector<float>> vectors(textHashes.size());
    for (std::size_t i = 0; i < textHashes.size(); ++i) {
        read.reset();
        read.bind(2, QString::fromLatin1(textHashes[i]));
        if (!read.step())
            continue;
        const qint64 dimension = read.columnInt64(0);
        const QByteArray blob = read.columnBlob(1);
        if (dimension < 1 || blob.size() != dimension * qsizetype(sizeof(float)))
            continue; // damaged: better fetched again than read wrong
        vectors[i].resize(static_cast<std::size_t>(dimension));
        std::memcpy(vectors[i].data(), blob.constData(), static_cast<std::size_t>(blob.size()));
    }
    return vectors;
}

void WorkspaceStore::cacheEmbeddings(const QString& source,
                                     const std::vector<QByteArray>& textHashes,
                                     const std::vector<std::vector<float>>& vectors) {
    if (textHashes.size() != vectors.size())
        throw std::invalid_argument("cacheEmbeddings needs one vector per text hash");
    const QString purpose = QStringLiteral("caching embeddings");
    Transaction transaction(db_, purpose);
    { // the statement is finished before the commit
        Statement write(
            db_,
            QStringLiteral("INSERT OR REPLACE INTO embedding_cache (source, text_sha256, "
                           "dimension, vector, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
            purpose);
        for (std::size_t i = 0; i < vectors.size(); ++i) {
            const std::vector<float>& vector = vectors[i];
            write.reset();
            write.bind(1, source)
                .bind(2, QString::fromLatin1(textHashes[i]))
                .bind(3, static_cast<qint64>(vector.size()))
                .bind(4, QByteArray(reinterpret_cast<const char*>(vector.data()),
                                    qsizetype(vector.size() * sizeof(float))))
                .bind(5, QDateTime::currentMSecsSinceEpoch());
            write.run();
        }
    }
    transaction.commit();
}

} // namespace routerlab
