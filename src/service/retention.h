// retention.h
//
// How long records are kept, and the purge (docs/retention.md). Each kind of
// record (store::kRetentionKinds) has a period in force: its default, or
// the head's latest change. The register's kinds (marks, amendments,
// admission register entries) are kept six years as the regulations
// require, and cannot be set shorter. A record made on day D is kept up to
// and including the day D + period, and purged from the day after. Records
// of pupils on hold (an open penalty case, a prosecution, an open
// children-missing-education case) are never purged while the hold lasts.
//
// The dry run says what a purge would remove and who is held, changing
// nothing; the purge removes it all in one store transaction and logs each
// kind's count (never the content). After a purge the school is read again,
// so no page shows a purged mark. The head may turn on the nightly purge:
// RunDue, called by the server's scheduled jobs, purges once a night
// between 02:00 and 05:00 UK time when it is on.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// The nightly purge's window, UK time, minutes after midnight: after the
// day's messages and digests, before anyone is in school.
inline constexpr int kPurgeFromMinute = 2 * 60;
inline constexpr int kPurgeUntilMinute = 5 * 60;
// Who the nightly purge is logged as.
inline constexpr std::string_view kScheduledPurge = "scheduled";

// A kind's period in force.
struct RetentionPeriod {
  const store::RetentionKind* kind = nullptr;
  int months = 0;
  store::RetentionBasis basis = store::RetentionBasis::kMade;
  // The head's change in force; nullopt: the default.
  std::optional<store::RetentionChange> change;
};

// A pupil on hold, named for the dry run.
struct HeldPupil {
  int64_t pupil_id = 0;
  std::string name;  // "Amira Khan (Year 4)"; the id when the pupil is unknown
  std::vector<std::string> reasons;
};

// What a purge removes (or, in a dry run, would).
struct PurgePlan {
  bool applied = false;
  core::Date today;
  std::vector<RetentionPeriod> periods;   // in kRetentionKinds order
  std::vector<store::PurgeCount> counts;  // the same order
  std::vector<HeldPupil> held;
  int64_t total() const;
};

// The day before which a record made is past `months`' keeping on `today`:
// today less the months (the last day of the month when it has fewer days).
core::Date RetentionCutoff(core::Date today, int months);

// "6 years", "18 months", "1 year".
std::string MonthsText(int months);

class Retention {
 public:
  explicit Retention(School& school) : school_(school) {}

  // The periods in force, in kRetentionKinds order (the head: kManageRetention).
  core::StatusOr<std::vector<RetentionPeriod>> Periods(const Principal& who) const;
  core::StatusOr<std::vector<RetentionPeriod>> PeriodsInForce() const;
  // Changes a kind's period (the head), with the reason. InvalidArgument
  // VALUE_INVALID for an unknown kind, months outside 1-1200, below six
  // years for the register's kinds, or an empty reason.
  core::Status SetPeriod(const Principal& who, std::string_view kind, int months,
                         store::RetentionBasis basis, std::string_view reason);

  // Whether the nightly purge is on (the head).
  core::StatusOr<store::RetentionSettings> Settings(const Principal& who) const;
  core::Status SetAutoPurge(const Principal& who, bool on);

  // What a purge now would remove, changing nothing. The overload without a
  // principal is for the command line, which has the database itself.
  core::StatusOr<PurgePlan> DryRun(const Principal& who) const;
  core::StatusOr<PurgePlan> DryRun() const;
  // Purges now, logged as the head's name or as `by` ("command", ...),
  // and reads the school again.
  core::StatusOr<PurgePlan> Apply(const Principal& who);
  core::StatusOr<PurgePlan> Apply(std::string_view by);

  // The nightly purge: when the head has turned it on, once a night in the
  // window, logged as "scheduled"; nullopt when it did not run now. Safe
  // from any thread; call every few seconds.
  core::StatusOr<std::optional<PurgePlan>> RunDue();

  // The newest `limit` purges (the head), newest first.
  core::StatusOr<std::vector<store::PurgeLogEntry>> Log(const Principal& who, int limit) const;

 private:
  core::StatusOr<PurgePlan> Plan() const;
  std::vector<store::PurgeCutoff> Cutoffs(const PurgePlan& plan) const;

  School& school_;
  std::mutex mu_;                      // one purge at a time
  std::optional<core::Date> done_on_;  // the nightly purge ran this night; under mu_
};

}  // namespace rollcall::service
