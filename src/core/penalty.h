// penalty.h
//
// Penalty notices under the national framework (docs/rules.md section 5): the
// amounts and deadlines of a notice, counted from the day it is deemed
// served, and the 3 to 6 week improvement period of a notice to improve.
// Which notice may be issued at all is PenaltyActionFor (alerts.h), the same
// function the conformance cases check. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/alerts.h"
#include "core/date.h"

namespace rollcall::core {

// Stored: never renumber.
enum class NoticeKind : uint8_t {
  kAttendance = 1,  // irregular attendance (the threshold)
  kExclusion = 2,   // an excluded pupil in a public place in the first 5 school days
};
std::string_view NoticeKindName(NoticeKind kind);  // "attendance", "exclusion"
std::optional<NoticeKind> NoticeKindFromName(std::string_view name);

// What a notice costs and by when, from the day it is deemed served.
struct NoticeTerms {
  Date served;
  Date reduced_by;  // the reduced amount is due by this day (inclusive)
  Date full_by;     // the full amount by this day; unpaid after it: prosecute or withdraw
  int64_t reduced_pence = 0;
  int64_t full_pence = 0;
};

// Days after service: the reduced amount within 21, the full within 28.
inline constexpr int kReducedDays = 21;
inline constexpr int kFullDays = 28;

// The terms of a notice issued (posted) on `issued` and deemed served
// `service_working_days` working days later. Attendance: a first notice in 3
// years £80 within 21 days and £160 within 28; a second £160 within 28 (no
// reduced amount); a third cannot be issued (nullopt). Exclusion: £60 within
// 21 days, £120 within 28.
std::optional<NoticeTerms> TermsOf(NoticeKind kind, PenaltyAction action, Date issued,
                                   int service_working_days);

// What is due if paid on `paid_on`: the reduced amount up to reduced_by, the
// full amount up to full_by, nothing after (the notice can no longer be paid).
std::optional<int64_t> AmountDueOn(const NoticeTerms& terms, Date paid_on);

// A notice to improve gives 3 to 6 weeks to improve: from `start` to `end`
// inclusive is 21 to 42 days.
inline constexpr int kImprovementMinDays = 21;
inline constexpr int kImprovementMaxDays = 42;
bool ValidImprovementPeriod(Date start, Date end);

}  // namespace rollcall::core
