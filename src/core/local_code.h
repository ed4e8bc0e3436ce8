// local_code.h
//
// On top of the national penalty threshold (alerts.h), what a local
// authority's code of conduct adds, and what the LA looks for when families
// keep just clear of the threshold (docs/rules.md section 5, "Local
// code-of-conduct knobs"). Pure; signals only, each citing its sessions.
//
//  - A local trigger: N sessions of the local codes (Burbage: 6 of
//    unauthorised leave, G) in the current half-term and the one before,
//    counted as the national rule is: at each such session, sessions not
//    used by an earlier trigger.
//  - Absence beside school holidays: unauthorised absence on the last
//    school day before, or the first after, a break of at least 3 weekdays,
//    next to two or more different breaks.
//  - Just under the threshold: two or more separate rolling windows of the
//    national rule holding threshold - 2 or more counted sessions without
//    ever reaching it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/calendar.h"
#include "core/policy.h"
#include "core/pupil_sessions.h"

namespace rollcall::core {

// The half-terms of the calendar: runs of school days between breaks of at
// least 3 weekdays with no open session. In order.
std::vector<std::pair<Date, Date>> HalfTerms(const Calendar& calendar);

// Where the local trigger fires: the session index and its evidence.
struct LocalTrigger {
  int32_t at;
  std::vector<PupilSession> evidence;
};
std::vector<LocalTrigger> LocalCodeTriggers(const Calendar& calendar, const LocalCodePolicy& policy,
                                            std::span<const PupilSession> sessions);

struct AvoidancePattern {
  std::string kind;         // "beside_holidays" or "just_under_threshold"
  std::string description;  // in words
  std::vector<PupilSession> evidence;
};
std::vector<AvoidancePattern> ThresholdAvoidance(const Calendar& calendar, const Policy& policy,
                                                 std::span<const PupilSession> sessions);

}  // namespace rollcall::core
