// leave.cc: leave sessions and the warnings before a decision.
#include "core/leave.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/local_code.h"

namespace rollcall::core {

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
  const std::vector<std::pair<Date, Date>> halves = HalfTerms(calendar);
  for (size_t h = 0; h < halves.size(); ++h) {
    if (halves[h].first < august) continue;
    // A half-term is at most 9 weeks: a calendar without its break says
    // nothing about where it falls.
    if (h + 1 == halves.size() || halves[h].second.days() - halves[h].first.days() > 9 * 7) {
      return std::nullopt;
    }
    return halves[h];
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
  // Beside a holiday: the leave starts a half-term (not the first) or ends
  // one (not the last).
  const std::vector<SessionKey> sessions = LeaveSessions(calendar, from, to);
  if (!sessions.empty()) {
    const std::vector<std::pair<Date, Date>> halves = HalfTerms(calendar);
    // Whole days only: leave from the afternoon of the first day back is not
    // beside the holiday.
    const int32_t first = *calendar.IndexOf(sessions.front());
    const int32_t last = *calendar.IndexOf(sessions.back());
    const bool starts_day =
        first == 0 || calendar.SessionAt(first - 1).date != sessions.front().date;
    const bool ends_day = last + 1 == calendar.SessionCount() ||
                          calendar.SessionAt(last + 1).date != sessions.back().date;
    for (size_t h = 0; h < halves.size(); ++h) {
      if (starts_day && h > 0 && halves[h].first == sessions.front().date) {
        out.push_back("starts straight after a school holiday");
      }
    }
    for (size_t h = 0; h + 1 < halves.size(); ++h) {
      if (ends_day && halves[h].second == sessions.back().date)
        out.push_back("ends just before a school holiday");
    }
  }
  return out;
}

}  // namespace rollcall::core
