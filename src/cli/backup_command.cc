// `rollcall backup --db FILE --out FILE [--force]` and `rollcall restore
// --backup FILE --db FILE [--force]` (docs/backups.md): an SQLite school
// database copied while it may be in use, checked, and put back. A
// PostgreSQL database is backed up with pg_dump instead.
#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <iostream>

#include "cli/commands.h"
#include "core/error_codes.h"
#include "store/backup.h"
#include "store/store.h"

namespace rollcall::cli {
namespace {

core::Status PostgresRefused(std::string_view command) {
  return core::InvalidArgument(
      core::kErrValueInvalid,
      fmt::format("a PostgreSQL database is backed up with pg_dump and restored with "
                  "pg_restore, not with rollcall {}; docs/backups.md gives the commands",
                  command));
}

// The moment now in UTC as 20261204T011500Z, for the kept database's name.
std::string UtcStamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

std::string Megabytes(int64_t bytes) {
  return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6);
}

}  // namespace

int RunBackup(const BackupArgs& args) {
  if (store::IsPostgresUri(args.db)) return ReportProblem("backup", PostgresRefused("backup"));
  const auto start = std::chrono::steady_clock::now();
  core::StatusOr<store::BackupFacts> facts =
      store::BackupSqlite(args.db, args.out, {.force = args.force});
  if (!facts.ok()) return ReportProblem("backup", facts.status());
  const double seconds = SecondsSince(start);
  std::cout << fmt::format(
      "rollcall backup: wrote {} ({}, {} pupils, {} marks, schema version {}) in {:.2f} s\n",
      args.out, Megabytes(facts->bytes), facts->pupils, facts->marks, facts->schema_version,
      seconds);
  return kExitOk;
}

int RunRestore(const RestoreArgs& args) {
  if (store::IsPostgresUri(args.db)) return ReportProblem("restore", PostgresRefused("restore"));
  const auto start = std::chrono::steady_clock::now();
  core::StatusOr<store::RestoreResult> result =
      store::RestoreSqlite(args.backup, args.db, {.force = args.force, .stamp = UtcStamp()});
  if (!result.ok()) return ReportProblem("restore", result.status());
  const double seconds = SecondsSince(start);
  std::cout << fmt::format(
      "rollcall restore: {} restored from {} ({}, {} pupils, {} marks, schema version {} -> {}) "
      "in {:.2f} s\n",
      args.db, args.backup, Megabytes(result->backup.bytes), result->backup.pupils,
      result->backup.marks, result->backup.schema_version, result->schema_version, seconds);
  if (!result->kept.empty()) {
    std::cout << "rollcall restore: the database it replaced is kept as " << result->kept << "\n";
  }
  return kExitOk;
}

}  // namespace rollcall::cli
