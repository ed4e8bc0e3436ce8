// alerts.h
//
// Explainable alerts over a pupil's whole session sequence up to as-of
// (docs/rules.md section 8 rules 6-12; the alert table of
// tests/conformance/FORMAT.md): the penalty-notice threshold with the action
// the notice history allows, continuous absence, sickness, weekly and
// persistent lateness, overdue N codes and unrecorded marks. Each alert names
// the session it fires at and the sessions it cites. Alerts are signals only:
// none of them changes another.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/policy.h"
#include "core/pupil_sessions.h"
#include "core/scenario.h"

namespace rollcall::core {

// Stored in the database and in exports. Never renumber or reuse a value.
enum class AlertKind : uint8_t {
  kPenaltyThreshold = 1,
  kContinuousAbsence = 2,
  kSickness = 3,
  kLatenessWeek = 4,
  kPersistentLateness = 5,
  kNOverdue = 6,
  kUnrecordedMarks = 7,
};

// What the national framework allows when the penalty threshold is met.
// Stored: never renumber.
enum class PenaltyAction : uint8_t {
  kFirstNotice = 1,         // £80 within 21 days, £160 within 28
  kSecondNotice = 2,        // £160 within 28 days
  kConsiderProsecution = 3  // a third notice within 3 years cannot be issued
};
std::string_view PenaltyActionName(PenaltyAction action);

struct Alert {
  AlertKind kind;
  int64_t run_length = 0;  // kContinuousAbsence only: the run length that fired
  int32_t at;              // session index at which it fires
  std::vector<PupilSession> evidence;
  std::optional<PenaltyAction> action;  // kPenaltyThreshold only

  // "penalty_threshold", "continuous_absence_10_days", ... as in FORMAT.md.
  std::string TypeName() const;
};

// Every alert, sorted by (session, type name).
std::vector<Alert> ComputeAlerts(const Calendar& calendar, const Policy& policy,
                                 const PupilRecord& pupil, std::span<const PupilSession> sessions,
                                 Date as_of);

// The action allowed at `alert_date` given this parent's notices for this child.
PenaltyAction PenaltyActionFor(std::span<const PenaltyNotice> history, Date alert_date,
                               std::optional<Date> framework_start);

}  // namespace rollcall::core
