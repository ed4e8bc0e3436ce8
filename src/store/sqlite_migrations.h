// sqlite_migrations.h
//
// The SQLite schema's numbered, forward-only migrations
// (migrations/sqlite/NNNN_name.sql), compiled into the binary, and the code
// that applies the missing ones. Private to src/store.
#pragma once

#include "core/status.h"
#include "store/sqlite_db.h"

namespace rollcall::store::sqlite {

// The newest schema version this binary knows.
int LatestSchemaVersion();

// Applies every migration newer than the database's version, each in its own
// transaction together with its schema_migrations row, and returns the version
// now in force. Internal DB_MIGRATION when the database is newer than this
// binary or a migration fails; Unavailable DB_BUSY when another writer holds
// the database past the busy timeout.
core::StatusOr<int> ApplyMigrations(Db& db);

}  // namespace rollcall::store::sqlite
