// settings.cc: the school's settings and closures (settings.h).
#include "service/settings.h"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "core/decimal.h"
#include "core/error_codes.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/share.h"

namespace rollcall::service {
namespace {

// The settings as they stand, as `who` sees them. Requires the school's
// lock held.
SettingsView ViewOf(const School& school, const Principal& who) {
  const Snapshot& snap = school.snapshot();
  return SettingsView{snap.settings,
                      school.RegisterOpen(core::Session::kAm),
                      school.RegisterOpen(core::Session::kPm),
                      snap.scenario.policy,
                      snap.school.name,
                      snap.scenario.calendar.terms(),
                      snap.scenario.calendar.closures(),
                      school.Allow(who, Action::kWriteSettings, {}).ok()};
}

}  // namespace

core::StatusOr<SettingsView> SchoolSettings::Get(const Principal& who) const {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kReadSettings, {}));
  return ViewOf(school_, who);
}

core::Status SchoolSettings::MayChange(const Principal& who) const {
  auto lock = school_.Read();
  return school_.Allow(who, Action::kWriteSettings, {});
}

core::StatusOr<SettingsView> SchoolSettings::Change(const Principal& who,
                                                    const SettingsChange& change) {
  const auto write_lock = school_.BeginWrite();
  store::Settings next;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteSettings, {}));
    next = school_.snapshot().settings;
  }
  for (const auto& [key, text, minute] :
       {std::tuple{"am_start", &change.am_start, &next.am_start_minute},
        std::tuple{"pm_start", &change.pm_start, &next.pm_start_minute}}) {
    if (!*text || (*text)->empty()) continue;
    std::optional<int> parsed = ParseTime(**text);
    if (!parsed) {
      return core::InvalidArgument(core::kErrTimeInvalid,
                                   fmt::format("{} '{}' is not a time (HH:MM)", key, **text));
    }
    *minute = *parsed;
  }
  // Kept as a lead before the start (store::Settings), read and written here
  // as the time the register opens.
  for (const auto& [key, text, session, start, lead] :
       {std::tuple{"am_open", &change.am_open, "morning", next.am_start_minute,
                   &next.am_opens_before_minutes},
        std::tuple{"pm_open", &change.pm_open, "afternoon", next.pm_start_minute,
                   &next.pm_opens_before_minutes}}) {
    if (!*text || (*text)->empty()) {
      // Not given: the same lead, unless the start moved too near midnight.
      *lead = std::min(*lead, start);
      continue;
    }
    std::optional<int> parsed = ParseTime(**text);
    if (!parsed) {
      return core::InvalidArgument(core::kErrTimeInvalid,
                                   fmt::format("{} '{}' is not a time (HH:MM)", key, **text));
    }
    if (*parsed > start) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          fmt::format("The {} register cannot open at {}, after the session starts at {}", session,
                      TimeText(*parsed), TimeText(start)));
    }
    *lead = start - *parsed;
  }
  if (change.register_close_minutes) {
    if (*change.register_close_minutes < 0 || *change.register_close_minutes > 30) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          "register_close_minutes must be a whole number from 0 to 30 (the 2024 Regulations "
          "allow a register to stay open at most 30 minutes)");
    }
    next.register_close_minutes = static_cast<int>(*change.register_close_minutes);
  }
  if (change.session_idle_minutes) {
    if (*change.session_idle_minutes < 5 || *change.session_idle_minutes > 480) {
      return core::InvalidArgument(
          core::kErrValueInvalid,
          "session_idle_minutes must be a whole number from 5 to 480 (a login ends after 8 "
          "hours however busy it is)");
    }
    next.session_idle_minutes = static_cast<int>(*change.session_idle_minutes);
  }
  if (change.rewards_exclude_medical) {
    next.rewards_exclude_medical = *change.rewards_exclude_medical;
  }
  if (change.target_attendance_pct) {
    std::optional<core::Decimal> d = core::Decimal::Parse(*change.target_attendance_pct);
    if (!d || !d->AtMostHundred()) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "target_attendance_pct must be a decimal string from 0 to 100");
    }
    next.target_attendance_pct = *change.target_attendance_pct;
  }
  if (change.policy_json) next.policy_json = *change.policy_json;
  if (change.share_destination) {
    if (!change.share_destination->empty()) {
      RETURN_IF_ERROR(CheckShareDestination("The share's destination", *change.share_destination));
    }
    next.share_destination = *change.share_destination;
  }
  if (change.share_time && !change.share_time->empty()) {
    std::optional<int> parsed = ParseTime(*change.share_time);
    if (!parsed) {
      return core::InvalidArgument(
          core::kErrTimeInvalid,
          fmt::format("The time to share, '{}', is not a time (HH:MM)", *change.share_time));
    }
    next.share_minute = *parsed;
  }
  if (next.am_start_minute + next.register_close_minutes >= next.pm_start_minute) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "the morning register must close before the afternoon session "
                                 "starts");
  }
  // Today counts the morning alone from the morning register's opening to
  // the afternoon's: the afternoon's cannot come first.
  if (const int am_close = next.am_start_minute + next.register_close_minutes;
      next.RegisterOpen(core::Session::kPm) < am_close) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("The afternoon register cannot open at {}, before the morning register "
                    "closes at {}",
                    TimeText(next.RegisterOpen(core::Session::kPm)), TimeText(am_close)));
  }
  ASSIGN_OR_RETURN(core::Policy policy, PolicyOf(next));
  next.set_at = school_.clock().NowSeconds();
  next.set_by = who.name;
  ASSIGN_OR_RETURN(next.version, school_.store().SaveSettings(next));
  school_.Apply([&](Snapshot& s) {
    s.settings = next;
    s.scenario.policy = policy;
  });
  // Still the only writer: the snapshot holds `next` and `policy`.
  auto lock = school_.Read();
  return ViewOf(school_, who);
}

core::Status SchoolSettings::AddClosure(const Principal& who, const store::Closure& closure) {
  RETURN_IF_ERROR(MayChange(who));
  if (closure.reason.empty() || closure.reason.size() > 200) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "give the closure a reason of 1 to 200 characters");
  }
  {
    const auto write_lock = school_.BeginWrite();
    {
      auto lock = school_.Read();
      int marked = 0;
      for (const auto& marks : school_.snapshot().scenario.marks) {
        for (const core::RecordedMark& m : marks) {
          const bool hit =
              m.slot.date == closure.date &&
              (closure.sessions == core::ClosureSessions::kBoth ||
               static_cast<uint8_t>(m.slot.session) == static_cast<uint8_t>(closure.sessions));
          marked += hit ? 1 : 0;
        }
      }
      if (marked > 0) {
        return core::Conflict(core::kErrValueInvalid,
                              fmt::format("{} marks are recorded for {}: amend them to # "
                                          "(planned closure) or another code first",
                                          marked, closure.date.ToString()));
      }
    }
    RETURN_IF_ERROR(school_.store().SetClosure(closure));
    // Rebuild the calendar (and everything) from the store, still holding
    // the writer lock so that no mark is committed in between.
    RETURN_IF_ERROR(school_.Load());
  }
  cases_.CheckAll();
  return core::OkStatus();
}

}  // namespace rollcall::service
