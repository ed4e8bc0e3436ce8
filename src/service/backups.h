// backups.h
//
// The scheduled backup of the school's SQLite database inside `rollcall
// serve`: the head sets a folder, a time of day and how many to keep; once a
// day at that time RunDue writes <folder>/rollcall-YYYY-MM-DD.db with the
// same online backup as `rollcall backup` (store/backup.h), deletes the
// oldest such files beyond the number kept, and logs the run, failed or not,
// for the head's page. A PostgreSQL school (no database file) is backed up
// with pg_dump instead (docs/backups.md); for it nothing here runs.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/backup.h"

namespace rollcall::service {

// Recent runs shown on the page.
inline constexpr int kBackupRunsShown = 30;

struct BackupsView {
  // False for a PostgreSQL school: the page says to use pg_dump.
  bool available = false;
  std::optional<store::BackupSchedule> schedule;
  std::vector<store::BackupRun> runs;  // newest first
  // The newest run failed: the page leads with it.
  bool last_failed = false;
};

// The file name of the scheduled backup due on `date`.
std::string BackupFileName(core::Date date);

class Backups {
 public:
  // `database_file` is the SQLite file the server is serving; "" for a
  // PostgreSQL school or one in memory (no scheduled backups).
  Backups(School& school, std::string database_file);

  // The schedule and the recent runs: the head only (kManageBackups).
  core::StatusOr<BackupsView> Get(const Principal& who) const;
  // Replaces the schedule; an empty folder turns scheduled backups off.
  // InvalidArgument VALUE_INVALID for a folder that is not an absolute path
  // to a folder this server may write to, keep outside 1-366, a time
  // outside the day, or a PostgreSQL school.
  core::Status Save(const Principal& who, store::BackupSchedule schedule);
  // Makes today's backup now, whatever the time (the head's "back up now"),
  // and logs it. The run comes back failed (ok false, detail why) when the
  // backup could not be made; an error only when nothing could be logged.
  core::StatusOr<store::BackupRun> RunNow(const Principal& who);

  // Once a day at the set time: today's backup, unless one was already
  // tried today. nullopt when nothing was due. Safe from any thread.
  core::StatusOr<std::optional<store::BackupRun>> RunDue();

 private:
  core::StatusOr<store::BackupRun> Run(const store::BackupSchedule& schedule);

  School& school_;
  const std::string database_file_;
  std::mutex run_mu_;                  // one backup at a time
  std::optional<core::Date> done_on_;  // under run_mu_
};

}  // namespace rollcall::service
