// sqlite_migrations.cc: applies the embedded migrations/sqlite/*.sql files.
#include "store/sqlite_migrations.h"

#include <fmt/format.h>

#include <iterator>

#include "core/error_codes.h"

namespace rollcall::store::sqlite {
namespace {

using sql::WriteTransaction;

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

// Generated at configure time by src/store/CMakeLists.txt, one
// {version, "file name", R"sql(...)sql"} entry per file, in version order.
constexpr Migration kMigrations[] = {
#include "sqlite_migrations.inc"
};

// Versions must run 1, 2, 3, ... with no gap: a gap would skip a migration.
constexpr bool VersionsAreConsecutive() {
  for (size_t i = 0; i < std::size(kMigrations); ++i) {
    if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
  }
  return true;
}
static_assert(VersionsAreConsecutive(), "migrations/sqlite/*.sql must be numbered 0001, 0002, ...");

core::StatusOr<int> CurrentVersion(Db& db) {
  ASSIGN_OR_RETURN(Statement stmt, db.Prepare("SELECT COALESCE(MAX(version), 0) "
                                              "FROM schema_migrations"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return core::Internal(core::kErrDbMigration, "cannot read the schema version");
  return static_cast<int>(stmt.Int64(0));
}

core::Status MigrationError(const Migration& migration, const core::Status& status) {
  if (status.code() == core::kErrDbBusy) return status;
  return core::Internal(core::kErrDbMigration,
                        fmt::format("migration {} failed: {}", migration.name, status.message()));
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

core::StatusOr<int> ApplyMigrations(Db& db) {
  RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
              "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"));
  const int latest = LatestSchemaVersion();
  while (true) {
    // The version is read inside the write transaction, so two processes
    // migrating the same file at once cannot both apply a migration.
    ASSIGN_OR_RETURN(WriteTransaction txn, WriteTransaction::Begin(db));
    ASSIGN_OR_RETURN(int current, CurrentVersion(db));
    if (current > latest) {
      return core::Internal(core::kErrDbMigration,
                            fmt::format("database schema version {} is newer than this program "
                                        "knows ({}); upgrade rollcall",
                                        current, latest));
    }
    if (current == latest) return current;  // nothing written: the rollback is harmless
    const Migration& migration = kMigrations[current];
    if (core::Status applied = db.Exec(migration.sql); !applied.ok()) {
      return MigrationError(migration, applied);
    }
    {
      ASSIGN_OR_RETURN(Statement record,
                       db.Prepare("INSERT INTO schema_migrations (version, applied_at) "
                                  "VALUES (?1, CAST(strftime('%s', 'now') AS INTEGER))"));
      record.Bind(1, migration.version);
      if (core::Status recorded = record.Run(); !recorded.ok()) {
        return MigrationError(migration, recorded);
      }
    }
    if (core::Status committed = txn.Commit(); !committed.ok()) {
      return MigrationError(migration, committed);
    }
  }
}

}  // namespace rollcall::store::sqlite
