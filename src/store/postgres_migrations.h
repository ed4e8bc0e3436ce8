// postgres_migrations.h
//
// The PostgreSQL schema's numbered, forward-only migrations
// (migrations/postgres/NNNN_name.sql, the twins of migrations/sqlite/),
// compiled into the binary, and the code that applies the missing ones and
// registers schools. Private to src/store.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/status.h"
#include "store/postgres_db.h"

namespace rollcall::store::postgres {

// The newest schema version this binary knows.
int LatestSchemaVersion();

// Applies every migration newer than the database's version, each in its own
// transaction together with its schema_migrations row and the row-level
// security of any new table (rollcall_secure_tables()), under kSchemaLock so
// that two processes never migrate at once. Returns the version now in force.
// Internal DB_MIGRATION when the database is newer than this binary or a
// migration fails.
core::StatusOr<int> ApplyMigrations(Db& db);

// Scopes the connection to the school with `urn`, registering it first if
// it is new: sets rollcall.school_id (and the write lock) for the rest of the
// session. InvalidArgument VALUE_INVALID for an empty or odd URN.
core::Status OpenSchool(Db& db, std::string_view urn);

// Scopes the connection to a read-only view of every school of LA
// `la_code` (by the LA code each school set with SetSchool).
core::Status OpenLaView(Db& db, std::string_view la_code);

}  // namespace rollcall::store::postgres
