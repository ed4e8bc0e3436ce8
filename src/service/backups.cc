// backups.cc: the scheduled backup inside `rollcall serve`.
#include "service/backups.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <system_error>
#include <utility>

#include "core/error_codes.h"

namespace rollcall::service {
namespace {

namespace fs = std::filesystem;

using core::Status;
using core::StatusOr;

// rollcall-YYYY-MM-DD.db: only files of this shape are ever pruned, so
// anything else kept in the folder is left alone.
bool IsScheduledBackupName(const std::string& name) {
  static constexpr std::string_view kPrefix = "rollcall-";
  static constexpr std::string_view kSuffix = ".db";
  if (name.size() != kPrefix.size() + 10 + kSuffix.size()) return false;
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return false;
  return core::Date::Parse(std::string_view(name).substr(kPrefix.size(), 10)).has_value();
}

// Deletes the oldest scheduled backups in `folder` beyond the newest `keep`.
// Returns how many went; `problem` gets the first file that could not be
// deleted.
int Prune(const std::string& folder, int keep, std::string& problem) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (IsScheduledBackupName(name) && entry.is_regular_file(ec)) names.push_back(name);
  }
  if (ec) {
    problem = fmt::format("could not list {} to delete old backups: {}", folder, ec.message());
    return 0;
  }
  // The dates sort as text: newest first.
  std::sort(names.begin(), names.end(), std::greater<>());
  int pruned = 0;
  for (size_t i = static_cast<size_t>(keep); i < names.size(); ++i) {
    const fs::path path = fs::path(folder) / names[i];
    if (fs::remove(path, ec)) {
      ++pruned;
    } else if (problem.empty()) {
      problem = fmt::format("could not delete the old backup {}: {}", path.string(),
                            ec ? ec.message() : "not there");
    }
  }
  return pruned;
}

Status CheckFolder(const std::string& folder) {
  if (folder.empty()) return core::OkStatus();  // scheduled backups off
  if (!fs::path(folder).is_absolute()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("the folder must be a full path starting with /, "
                                             "not '{}'",
                                             folder));
  }
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("there is no folder {} on the server", folder));
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("the server may not write to {}; give its user write access", folder));
  }
  return core::OkStatus();
}

}  // namespace

std::string BackupFileName(core::Date date) {
  return fmt::format("rollcall-{}.db", date.ToString());
}

Backups::Backups(School& school, std::string database_file)
    : school_(school), database_file_(std::move(database_file)) {}

StatusOr<BackupsView> Backups::Get(const Principal& who) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageBackups, {}));
  }
  BackupsView view;
  view.available = !database_file_.empty();
  ASSIGN_OR_RETURN(view.schedule, school_.store().GetBackupSchedule());
  ASSIGN_OR_RETURN(view.runs, school_.store().RecentBackupRuns(kBackupRunsShown));
  view.last_failed = !view.runs.empty() && !view.runs.front().ok;
  return view;
}

Status Backups::Save(const Principal& who, store::BackupSchedule schedule) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageBackups, {}));
  }
  if (database_file_.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "this school's database is PostgreSQL: back it up with pg_dump "
                                 "(docs/backups.md)");
  }
  while (schedule.folder.size() > 1 && schedule.folder.ends_with('/')) schedule.folder.pop_back();
  RETURN_IF_ERROR(CheckFolder(schedule.folder));
  schedule.updated_at = school_.clock().NowSeconds();
  schedule.updated_by_name = who.name;
  return school_.store().SaveBackupSchedule(schedule);
}

StatusOr<store::BackupRun> Backups::RunNow(const Principal& who) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageBackups, {}));
  }
  ASSIGN_OR_RETURN(std::optional<store::BackupSchedule> schedule,
                   school_.store().GetBackupSchedule());
  if (database_file_.empty() || !schedule || schedule->folder.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, "set a folder for the backups first");
  }
  std::lock_guard run_lock(run_mu_);
  return Run(*schedule);
}

StatusOr<std::optional<store::BackupRun>> Backups::RunDue() {
  if (database_file_.empty()) return std::optional<store::BackupRun>();
  const core::Clock& clock = school_.clock();
  const core::Date today = clock.Today();
  std::lock_guard run_lock(run_mu_);
  if (done_on_ == today) return std::optional<store::BackupRun>();
  ASSIGN_OR_RETURN(std::optional<store::BackupSchedule> schedule,
                   school_.store().GetBackupSchedule());
  if (!schedule || schedule->folder.empty() || clock.MinuteOfDay() < schedule->at_minute) {
    return std::optional<store::BackupRun>();
  }
  // Tried once a day: a failure waits for the head (the page shows it) or
  // for tomorrow, rather than filling the disk or the log every few seconds.
  ASSIGN_OR_RETURN(std::vector<store::BackupRun> last, school_.store().RecentBackupRuns(1));
  if (!last.empty() && last.front().for_date == today) {
    done_on_ = today;
    return std::optional<store::BackupRun>();
  }
  ASSIGN_OR_RETURN(store::BackupRun run, Run(*schedule));
  done_on_ = today;
  return std::optional<store::BackupRun>(std::move(run));
}

StatusOr<store::BackupRun> Backups::Run(const store::BackupSchedule& schedule) {
  const core::Clock& clock = school_.clock();
  store::BackupRun run;
  run.for_date = clock.Today();
  run.started_at = clock.NowSeconds();
  run.file = (fs::path(schedule.folder) / BackupFileName(run.for_date)).string();
  // Replacing today's file is safe: the new one is complete and checked
  // before the rename puts it there.
  // The time taken is measured, not read from the school's clock, which
  // tests (and `serve --now`) may hold still.
  const auto start = std::chrono::steady_clock::now();
  StatusOr<store::BackupFacts> facts =
      store::BackupSqlite(database_file_, run.file, {.force = true});
  run.milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - start)
                         .count();
  if (facts.ok()) {
    run.ok = true;
    run.bytes = facts->bytes;
    run.detail = fmt::format("{} pupils, {} marks, schema version {}", facts->pupils, facts->marks,
                             facts->schema_version);
    std::string problem;
    run.pruned = Prune(schedule.folder, schedule.keep, problem);
    if (!problem.empty()) run.detail += "; " + problem;
  } else {
    run.detail = facts.status().message();
  }
  ASSIGN_OR_RETURN(run.id, school_.store().AddBackupRun(run));
  return run;
}

}  // namespace rollcall::service
