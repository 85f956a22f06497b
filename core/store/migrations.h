#pragma once

#include <QString>
#include <cstdint>
#include <span>

namespace routerlab {

class Database;

// One forward step of the workspace schema. Released steps are never edited: a change to
// the schema is a new step at the end of the list.
struct Migration {
    int version; // PRAGMA user_version once this step has run; steps count up from 1
    const char* purpose;
    const char* sql;
};

// PRAGMA application_id of every workspace ("RLAB"), so we never migrate someone else's
// SQLite file into a workspace.
inline constexpr std::int32_t kWorkspaceApplicationId = 0x524C4142;

std::span<const Migration> migrations();
int latestSchemaVersion();
int schemaVersion(Database& db); // PRAGMA user_version

// Brings `db` to latestSchemaVersion(), one transaction per step. Throws InputError naming
// `file`, and writes nothing, when the file is another application's database or was
// written by a newer schema than this build knows.
void migrate(Database& db, const QString& file);

} // namespace routerlab
