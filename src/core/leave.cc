// leave.cc: leave sessions and the warnings before a decision.
#include "core/leave.h"

#include <fmt/format.h>

#include <algorithm>

namespace rollcall::core {
namespace {

// Weekdays with no open session between two school days (exclusive).
int WeekdaysClosedBetween(const Calendar& calendar, Date a, Date b) {
  int n = 0;
  for (Date d = a.AddDays(1); d < b; d = d.AddDays(1)) {
    if (!d.IsWeekend() && !calendar.IsSchoolDay(d)) ++n;
  }
  return n;
}

}  // namespace

bool IsLeaveCode(AttendanceCode code) {
  return code == AttendanceCode::kPerformance || code == AttendanceCode::kMedical ||
         code == AttendanceCode::kInterview || code == AttendanceCode::kStudyLeave ||
         code == AttendanceCode::kExceptional;
}

std::vector<SessionKey> LeaveSessions(const Calendar& calendar, SessionKey from, SessionKey to) {
  std::vector<SessionKey> out;
  for (int32_t i = calendar.FirstSessionOnOrAfter(from.date); i < calendar.SessionCount(); ++i) {
    const SessionKey s = calendar.SessionAt(i);
    if (s > to) break;
    if (s >= from) out.push_back(s);
  }
  return out;
}

std::optional<std::pair<Date, Date>> FirstHalfTerm(const Calendar& calendar, Date day) {
  const Date august = *Date::FromYmd(day.month() >= 8 ? day.year() : day.year() - 1, 8, 1);
  const int32_t first = calendar.FirstSessionOnOrAfter(august);
  if (first >= calendar.SessionCount()) return std::nullopt;
  const Date start = calendar.SessionAt(first).date;
  Date last = start;
  for (int32_t i = first + 1; i < calendar.SessionCount(); ++i) {
    const Date d = calendar.SessionAt(i).date;
    if (d == last) continue;
    if (WeekdaysClosedBetween(calendar, last, d) >= 3) return std::make_pair(start, last);
    // A half-term is at most 9 weeks: a calendar without its break says
    // nothing about where it falls.
    if (d.days() - start.days() > 9 * 7) return std::nullopt;
    last = d;
  }
  return std::nullopt;
}

std::vector<std::string> LeaveWarnings(const Calendar& calendar, const LeavePolicy& policy,
                                       AttendanceCode code, Date received, SessionKey from,
                                       SessionKey to, int year_group) {
  std::vector<std::string> out;
  for (const auto& [c, days] : policy.notice_days) {
    const int64_t given = from.date.days() - received.days();
    if (c == code && given < days) {
      out.push_back(fmt::format("short notice: asked {} day{} ahead; the school asks for {}", given,
                                given == 1 ? "" : "s", days));
    }
  }
  for (const RestrictedPeriod& r : policy.restricted) {
    const bool year = r.year_groups.empty() || std::find(r.year_groups.begin(), r.year_groups.end(),
                                                         year_group) != r.year_groups.end();
    if (year && from.date <= r.to && r.from <= to.date) {
      out.push_back(
          fmt::format("restricted period: {} ({} to {}); leave only if absence is the "
                      "only option",
                      r.label, r.from.ToString(), r.to.ToString()));
    }
  }
  if (policy.first_half_term_restricted) {
    if (const auto half = FirstHalfTerm(calendar, from.date);
        half && from.date <= half->second && half->first <= to.date) {
      out.push_back(fmt::format("restricted period: the first half-term of the year ({} to {})",
                                half->first.ToString(), half->second.ToString()));
    }
  }
  // Beside a holiday: the school day before the first session, or after the
  // last, is separated from it by a break of at least 3 weekdays.
  const std::vector<SessionKey> sessions = LeaveSessions(calendar, from, to);
  if (!sessions.empty()) {
    const int32_t first = *calendar.IndexOf(sessions.front());
    const int32_t last = *calendar.IndexOf(sessions.back());
    if (first > 0 && WeekdaysClosedBetween(calendar, calendar.SessionAt(first - 1).date,
                                           sessions.front().date) >= 3) {
      out.push_back("starts straight after a school holiday");
    }
    if (last + 1 < calendar.SessionCount() &&
        WeekdaysClosedBetween(calendar, sessions.back().date, calendar.SessionAt(last + 1).date) >=
            3) {
      out.push_back("ends just before a school holiday");
    }
  }
  return out;
}

}  // namespace rollcall::core
