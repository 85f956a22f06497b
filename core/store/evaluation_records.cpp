#include "store/workspace_store.h"

#include <QDateTime>
#include <QTimeZone>

namespace routerlab {

qint64 WorkspaceStore::recordEvaluation(const EvaluationRecord& evaluation) {
    Statement insert(db_,
                     QStringLiteral("INSERT INTO evaluations (name, config_json, result_json, "
                                    "created_at) VALUES (?, ?, ?, ?)"),
                     QStringLiteral("recording evaluation '%1'").arg(evaluation.name));
    const qint64 created = evaluation.createdAt.isValid() ? evaluation.createdAt.toMSecsSinceEpoch()
                                                          : QDateTime::currentMSecsSinceEpoch();
    insert.bind(1, evaluation.name)
        .bindText(2, evaluation.configJson)
        .bindText(3, evaluation.resultJson)
        .bind(4, created)
        .run();
    return db_.lastInsertId();
}

std::vector<EvaluationRecord> WorkspaceStore::evaluations() {
    Statement query(db_,
                    QStringLiteral("SELECT id, name, config_json, result_json, created_at FROM "
                                   "evaluations ORDER BY id"),
                    QStringLiteral("listing evaluations"));
    std::vector<EvaluationRecord> result;
    while (query.step())
        result.push_back({query.columnInt64(0), query.columnText(1), query.columnBlob(2),
                          query.columnBlob(3),
                          QDateTime::fromMSecsSinceEpoch(query.columnInt64(4), QTimeZone::utc())});
    return result;
}

bool WorkspaceStore::removeEvaluation(qint64 id) {
    Statement remove(db_, QStringLiteral("DELETE FROM evaluations WHERE id = ?"),
                     QStringLiteral("removing evaluation %1").arg(id));
    remove.bind(1, id).run();
    return db_.changes() > 0;
}

} // namespace routerlab
