// leave.h
//
// Leave of absence (docs/rules.md section 6): a request covers a span of
// sessions; only the head (or a designate, never the LA) decides, in
// advance and never retrospectively. rollcall warns of short notice, of
// restricted periods and of leave beside a school holiday, and names the
// code each kind of leave is recorded with. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/policy.h"
#include "core/session.h"

namespace rollcall::core {

// The codes leave can be granted as: C1, M, J1, S, C. (C2 is a part-time
// timetable, agreed through its own process.)
bool IsLeaveCode(AttendanceCode code);

// The open sessions from `from` to `to` inclusive, in order.
std::vector<SessionKey> LeaveSessions(const Calendar& calendar, SessionKey from, SessionKey to);

// What the head should weigh before deciding, in words: notice shorter than
// the policy asks (from `received` to the first session), a restricted
// period for the pupil's year group (or the first half-term), and leave
// that starts just after or ends just before a school holiday.
std::vector<std::string> LeaveWarnings(const Calendar& calendar, const LeavePolicy& policy,
                                       AttendanceCode code, Date received, SessionKey from,
                                       SessionKey to, int year_group);

// The first half-term of the school year holding `day`: from the first open
// session on or after 1 August to the last open day before the first break
// of at least 3 weekdays with no open session. nullopt when the calendar
// has no such break within 9 weeks of the start.
std::optional<std::pair<Date, Date>> FirstHalfTerm(const Calendar& calendar, Date day);

}  // namespace rollcall::core
