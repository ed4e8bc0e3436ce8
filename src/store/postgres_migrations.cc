// postgres_migrations.cc: applies the embedded migrations/postgres/*.sql
// files, and scopes a connection to one school or one LA.
#include "store/postgres_migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "core/error_codes.h"

namespace rollcall::store::postgres {
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
#include "postgres_migrations.inc"
};

constexpr bool VersionsAreConsecutive() {
  for (size_t i = 0; i < std::size(kMigrations); ++i) {
    if (kMigrations[i].version != static_cast<int>(i) + 1) return false;
  }
  return true;
}
static_assert(VersionsAreConsecutive(),
              "migrations/postgres/*.sql must be numbered 0001, 0002, ...");

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

// Names a school or LA in settings and logs: letters, digits, '-' and '_'.
bool IsPlainName(std::string_view name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_';
  });
}

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

core::StatusOr<int> ApplyMigrations(Db& db) {
  const int latest = LatestSchemaVersion();
  while (true) {
    ASSIGN_OR_RETURN(WriteTransaction txn, WriteTransaction::Begin(db));
    RETURN_IF_ERROR(
        db.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version integer PRIMARY KEY, applied_at bigint NOT NULL)"));
    ASSIGN_OR_RETURN(int current, CurrentVersion(db));
    if (current > latest) {
      return core::Internal(core::kErrDbMigration,
                            fmt::format("database schema version {} is newer than this program "
                                        "knows ({}); upgrade rollcall",
                                        current, latest));
    }
    if (current == latest) {
      RETURN_IF_ERROR(txn.Commit());
      return current;
    }
    const Migration& migration = kMigrations[current];
    if (core::Status applied = db.Exec(migration.sql); !applied.ok()) {
      return MigrationError(migration, applied);
    }
    // Every table with a school_id gets row-level security in the same
    // transaction as the migration that created it.
    if (core::Status secured = db.Run("SELECT rollcall_secure_tables()"); !secured.ok()) {
      return MigrationError(migration, secured);
    }
    {
      ASSIGN_OR_RETURN(Statement record,
                       db.Prepare("INSERT INTO schema_migrations (version, applied_at) "
                                  "VALUES (?1, CAST(EXTRACT(EPOCH FROM now()) AS bigint))"));
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

core::Status OpenSchool(Db& db, std::string_view urn) {
  if (!IsPlainName(urn)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("school '{}': a URN is 1 to 64 letters, digits, "
                                             "'-' or '_'",
                                             urn));
  }
  // The registry shows a connection only the school whose URN it names.
  RETURN_IF_ERROR(db.SetSessionSetting("rollcall.school_urn", urn));
  int64_t school_id = 0;
  {
    db.set_write_lock(kSchemaLock);
    ASSIGN_OR_RETURN(WriteTransaction txn, WriteTransaction::Begin(db));
    ASSIGN_OR_RETURN(Statement find, db.Prepare("SELECT id FROM schools WHERE urn = ?1"));
    find.Bind(1, urn);
    ASSIGN_OR_RETURN(bool found, find.Step());
    if (found) {
      school_id = find.Int64(0);
    } else {
      ASSIGN_OR_RETURN(Statement add,
                       db.Prepare("INSERT INTO schools (urn) VALUES (?1) RETURNING id"));
      add.Bind(1, urn);
      ASSIGN_OR_RETURN(school_id, add.InsertReturningId());
    }
    RETURN_IF_ERROR(txn.Commit());
  }
  RETURN_IF_ERROR(db.SetSessionSetting("rollcall.school_id", std::to_string(school_id)));
  db.set_write_lock(school_id);
  return core::OkStatus();
}

core::Status OpenLaView(Db& db, std::string_view la_code) {
  if (!IsPlainName(la_code)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("LA '{}': an LA code is 1 to 64 letters, digits, "
                                             "'-' or '_'",
                                             la_code));
  }
  RETURN_IF_ERROR(db.SetSessionSetting("rollcall.la_code", la_code));
  // No school is set, so the policies refuse every write anyway; read-only
  // transactions say so plainly. A setting of the session, so a new
  // connection gets it too.
  return db.SetSessionSetting("default_transaction_read_only", "on");
}

}  // namespace rollcall::store::postgres
