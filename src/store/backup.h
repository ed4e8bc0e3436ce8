// backup.h
//
// Backups of a school's SQLite database and their restore. A backup is one
// self-contained SQLite file (rollback journal, no -wal beside it) taken with
// SQLite's online backup while a server may go on writing: it holds the
// database as it was when the backup began. Every backup is checked before it
// is put in place (integrity, foreign keys, schema version, the school row),
// and so is every file before it is restored. PostgreSQL has its own tools
// (pg_dump / pg_restore, docs/backups.md); nothing here serves it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/date.h"
#include "core/status.h"

namespace rollcall::store {

// The scheduled backup a server makes of its own SQLite database: one file
// <folder>/rollcall-YYYY-MM-DD.db a day at `at_minute` (UK local time,
// minutes after midnight), the newest `keep` of them kept.
struct BackupSchedule {
  std::string folder;  // "": no scheduled backups
  int at_minute = 2 * 60;
  int keep = 14;  // 1-366
  int64_t updated_at = 0;
  std::string updated_by_name;
};

// One scheduled backup attempted, as logged.
struct BackupRun {
  int64_t id = 0;       // assigned by AddBackupRun
  core::Date for_date;  // the day it was due
  int64_t started_at = 0;
  std::string file;
  bool ok = false;
  int64_t bytes = 0;
  int64_t milliseconds = 0;
  int pruned = 0;      // older backups deleted after it
  std::string detail;  // why it failed, or what it holds
};

// What a checked backup holds.
struct BackupFacts {
  int64_t bytes = 0;
  int64_t pupils = 0;
  int64_t marks = 0;
  int schema_version = 0;
};

struct BackupOptions {
  bool force = false;  // replace a file already at `out`
  // Copied a slice at a time with a pause between slices, so the disk stays
  // free for the server's own writes.
  int pages_per_step = 1024;
  std::chrono::milliseconds pause{2};
};

// Copies the SQLite database `db` to `out`: written to a temporary file beside
// `out`, checked, flushed to disk and then renamed into place, so `out` is
// either the whole checked backup or untouched. Errors: NotFound DB_MISSING
// (no database at `db`), Conflict FILE_EXISTS (`out` exists and not
// options.force, or `out` is `db` itself), InvalidArgument BACKUP_INVALID
// (`db` is not a rollcall database or the copy fails a check), Internal
// FILE_WRITE / DB_ERROR when the copy cannot be written.
core::StatusOr<BackupFacts> BackupSqlite(const std::string& db, const std::string& out,
                                         const BackupOptions& options);

// Checks the backup at `path` without changing it: an SQLite rollcall
// database that passes integrity_check and foreign_key_check, with a school,
// from this version of rollcall or an older one. NotFound BACKUP_INVALID when
// there is no file; InvalidArgument BACKUP_INVALID naming the problem.
core::StatusOr<BackupFacts> CheckSqliteBackup(const std::string& path);

struct RestoreOptions {
  bool force = false;  // replace a database already at the target
  // Names the kept database: "<db>.before-restore-<stamp>".
  std::string stamp;
};

struct RestoreResult {
  BackupFacts backup;      // as checked
  int schema_version = 0;  // after any migrations
  std::string kept;        // where the replaced database now is; "" if none
};

// Restores the backup at `backup` as the database `db`. The backup is checked
// first (CheckSqliteBackup) and copied beside `db`, migrated to this
// program's schema, and only then renamed into place. A database already at
// `db` is refused (Conflict FILE_EXISTS) unless options.force, and then kept
// as "<db>.before-restore-<stamp>", never deleted; one that another program
// has open (a running server) is refused with Conflict DB_IN_USE.
core::StatusOr<RestoreResult> RestoreSqlite(const std::string& backup, const std::string& db,
                                            const RestoreOptions& options);

}  // namespace rollcall::store
