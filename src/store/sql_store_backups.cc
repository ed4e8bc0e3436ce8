// sql_store_backups.cc: the scheduled backup's settings and its log.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {

using core::Status;
using core::StatusOr;

StatusOr<std::optional<BackupSchedule>> SqlStore::GetBackupSchedule() {
  return Read([&]() -> StatusOr<std::optional<BackupSchedule>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT folder, at_minute, keep, updated_at, updated_by_name "
                                  "FROM backup_settings WHERE id = 1"));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return std::optional<BackupSchedule>();
    BackupSchedule s;
    s.folder = stmt.Text(0);
    s.at_minute = static_cast<int>(stmt.Int64(1));
    s.keep = static_cast<int>(stmt.Int64(2));
    s.updated_at = stmt.Int64(3);
    s.updated_by_name = stmt.Text(4);
    return std::optional<BackupSchedule>(std::move(s));
  });
}

Status SqlStore::SaveBackupSchedule(const BackupSchedule& s) {
  if (s.at_minute < 0 || s.at_minute > 1439) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("{} is not a time of day in minutes", s.at_minute));
  }
  if (s.keep < 1 || s.keep > 366) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("keep {} backups: it must be 1 to 366", s.keep));
  }
  return Write([&]() -> Status {
    // Delete and insert: the same SQL for both databases, whatever the key.
    ASSIGN_OR_RETURN(Statement clear, db_->Prepare("DELETE FROM backup_settings WHERE id = 1"));
    RETURN_IF_ERROR(clear.Run());
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO backup_settings (id, folder, at_minute, keep, "
                                  "updated_at, updated_by_name) VALUES (1, ?1, ?2, ?3, ?4, ?5)"));
    stmt.Bind(1, s.folder);
    stmt.Bind(2, static_cast<int64_t>(s.at_minute));
    stmt.Bind(3, static_cast<int64_t>(s.keep));
    stmt.Bind(4, s.updated_at);
    stmt.Bind(5, s.updated_by_name);
    return stmt.Run();
  });
}

StatusOr<int64_t> SqlStore::AddBackupRun(const BackupRun& r) {
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO backup_runs (for_date, started_at, file, status, bytes, "
                     "milliseconds, pruned, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                     "RETURNING id"));
    BindDate(stmt, 1, r.for_date);
    stmt.Bind(2, r.started_at);
    stmt.Bind(3, r.file);
    stmt.Bind(4, std::string(r.ok ? "ok" : "failed"));
    stmt.Bind(5, r.bytes);
    stmt.Bind(6, r.milliseconds);
    stmt.Bind(7, static_cast<int64_t>(r.pruned));
    stmt.Bind(8, r.detail);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<BackupRun>> SqlStore::RecentBackupRuns(int limit) {
  return Read([&]() -> StatusOr<std::vector<BackupRun>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, for_date, started_at, file, status, bytes, "
                                  "milliseconds, pruned, detail FROM backup_runs "
                                  "ORDER BY id DESC LIMIT ?1"));
    stmt.Bind(1, static_cast<int64_t>(limit));
    std::vector<BackupRun> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      BackupRun& r = out.emplace_back();
      r.id = stmt.Int64(0);
      ASSIGN_OR_RETURN(r.for_date, DateColumn(stmt, 1));
      r.started_at = stmt.Int64(2);
      r.file = stmt.Text(3);
      const std::string status = stmt.Text(4);
      if (status != "ok" && status != "failed") {
        return core::Internal(core::kErrDbBadValue,
                              fmt::format("backup run {}: status '{}'", r.id, status));
      }
      r.ok = status == "ok";
      r.bytes = stmt.Int64(5);
      r.milliseconds = stmt.Int64(6);
      r.pruned = static_cast<int>(stmt.Int64(7));
      r.detail = stmt.Text(8);
    }
  });
}

}  // namespace rollcall::store::sql
