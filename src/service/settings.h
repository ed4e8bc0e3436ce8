// settings.h
//
// The school's settings (session times, when registers open and close, the
// attendance target and the attendance policy, kept in versions) and its
// closures. A register opens at or before its session starts (no mark
// before then) and may stay open at most 30 minutes after (the 2024
// Regulations); the morning register closes before the afternoon starts,
// and the afternoon register opens no earlier than the morning's closes; a
// session that already has marks cannot become a closure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/policy.h"
#include "core/status.h"
#include "service/access.h"
#include "service/case_checks.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// A change to the settings; absent fields keep their value.
struct SettingsChange {
  std::optional<std::string> am_start, pm_start;  // "HH:MM"
  // When each register opens, "HH:MM". Not given: as long before its
  // session's start as it was, so a new start time moves it too.
  std::optional<std::string> am_open, pm_open;
  // A value given as something other than a whole number arrives as -1.
  std::optional<int64_t> register_close_minutes;
  std::optional<std::string> target_attendance_pct;  // a decimal string, 0 to 100
  std::optional<std::string> policy_json;
  // The daily attendance share: where it goes (a folder or an https
  // address; "" for nowhere) and the UK time after which it runs, "HH:MM".
  std::optional<std::string> share_destination, share_time;
  // Minutes without activity after which a login ends, 5 to 480; a value
  // given as something other than a whole number arrives as -1.
  std::optional<int64_t> session_idle_minutes;
  // Rewards: leave pupils with a known medical condition out of the class
  // tables and lists (rewards.h).
  std::optional<bool> rewards_exclude_medical;
};

struct SettingsView {
  store::Settings settings;
  int am_open_minute = 0, pm_open_minute = 0;  // when each register opens
  core::Policy policy;
  // What the settings page shows beside them: the school's name, its terms
  // and closures, and whether the reader may change them (kWriteSettings).
  std::string school;
  std::vector<core::Term> terms;
  std::vector<core::Closure> closures;
  bool may_change = false;
};

class SchoolSettings {
 public:
  SchoolSettings(School& school, CaseChecks& cases) : school_(school), cases_(cases) {}

  core::StatusOr<SettingsView> Get(const Principal& who) const;
  // Ok when `who` may change the settings and add closures (the head), else
  // PermissionDenied: for callers that refuse before reading a request.
  core::Status MayChange(const Principal& who) const;
  // Saves a new version (the head), checked whole before anything is stored.
  core::StatusOr<SettingsView> Change(const Principal& who, const SettingsChange& change);
  // A closure for one day (the head): refused while any of its sessions has
  // marks (they would stand on a day the school was shut: amend them first).
  core::Status AddClosure(const Principal& who, const store::Closure& closure);

 private:
  School& school_;
  CaseChecks& cases_;
};

}  // namespace rollcall::service
