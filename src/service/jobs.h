// jobs.h
//
// Which server process runs each scheduled job that must run once however
// many processes share the database (the daily share, the nightly purge,
// the backup, ...): a lease in the store (Store::TryTakeLease), held by one
// process until it runs out. The process that holds a job's lease keeps
// renewing it while it runs the job, so a job stays with one process; a
// process that stops gives its leases up (ReleaseAll), and one that dies
// leaves them to run out, after which another process takes the job over.
// Leases compare times of the processes' own clocks: servers on several
// machines keep theirs in step (NTP), far closer than a lease's length.
//
// Jobs that claim their work item by item in the store (webhooks and email
// and text messages: Store::ClaimDueOutbox) need no lease, and take none.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/status.h"
#include "service/school.h"

namespace rollcall::service {

// A day-time job's lease: a job started has at least half of it to finish
// in (the renewal comes at half), and a process that dies holds the job up
// for at most this long.
inline constexpr int64_t kJobLeaseSeconds = 10 * 60;
// The nightly purge's and the backup's, which may take longer on a large
// school, and have hours to run in.
inline constexpr int64_t kLongJobLeaseSeconds = 60 * 60;

class Jobs {
 public:
  // `holder` names this process in the leases; "" gives
  // "hostname:pid:random", unique to this process and this Jobs.
  explicit Jobs(School& school, std::string holder = "");

  // True when this process may run `job` now: it holds the job's lease,
  // taken or renewed (for `lease_seconds` from the clock's now) when less
  // than half of it is left. False while another process's lease runs; the
  // store's error when it cannot be asked.
  core::StatusOr<bool> Claim(std::string_view job, int64_t lease_seconds);
  // Gives up every lease this process holds (a server stopping), so that
  // another process takes its jobs over at once; the first error.
  core::Status ReleaseAll();

  const std::string& holder() const { return holder_; }

 private:
  School& school_;
  const std::string holder_;
  std::mutex mu_;                                     // guards held_
  std::map<std::string, int64_t, std::less<>> held_;  // job -> until, as last taken
};

}  // namespace rollcall::service
