#include "core/breakdown.h"

#include <algorithm>

#include "core/pupil_sessions.h"

namespace rollcall::core {
namespace {

std::vector<PupilSession> SessionsOf(const Scenario& scenario, size_t pupil) {
  return BuildPupilSessions(scenario.calendar, scenario.pupils[pupil], scenario.marks[pupil],
                            scenario.default_mark, scenario.as_of, scenario.as_of_part);
}

}  // namespace

Breakdown BreakdownOf(const Scenario& scenario, std::span<const size_t> pupils, Period period) {
  const Calendar& calendar = scenario.calendar;
  const int32_t begin = calendar.FirstSessionOnOrAfter(period.from);
  const int32_t end = calendar.FirstSessionOnOrAfter(period.to.AddDays(1));
  Breakdown out;
  // One bucket per school week in the period, found by the calendar's week
  // number rather than searched.
  int32_t first_week = 0;
  if (begin < end) {
    first_week = calendar.SchoolWeekOf(begin);
    const int32_t weeks = calendar.SchoolWeekOf(end - 1) - first_week + 1;
    out.weeks.resize(static_cast<size_t>(weeks));
    for (int32_t i = begin; i < end; ++i) {
      WeekCounts& w = out.weeks[static_cast<size_t>(calendar.SchoolWeekOf(i) - first_week)];
      if (w.week_start == Date()) w.week_start = calendar.SessionAt(i).date.WeekStart();
    }
  }
  // Which weeks, weekdays and codes the current pupil has been counted in.
  std::vector<bool> in_week(out.weeks.size());
  std::array<bool, 5> in_weekday{};
  std::array<bool, kMaxStoredCode + 1> has_code{};
  for (size_t pupil : pupils) {
    const std::vector<PupilSession> sessions = SessionsOf(scenario, pupil);
    std::fill(in_week.begin(), in_week.end(), false);
    in_weekday.fill(false);
    has_code.fill(false);
    auto it = std::lower_bound(sessions.begin(), sessions.end(), begin,
                               [](const PupilSession& s, int32_t i) { return s.index < i; });
    for (; it != sessions.end() && it->index < end; ++it) {
      out.total.Add(it->code);
      const auto week = static_cast<size_t>(calendar.SchoolWeekOf(it->index) - first_week);
      out.weeks[week].counts.Add(it->code);
      if (!in_week[week]) {
        in_week[week] = true;
        ++out.weeks[week].pupils;
      }
      const Weekday day = calendar.SessionAt(it->index).date.weekday();
      if (day < Weekday::kSaturday) {
        const auto d = static_cast<size_t>(day);
        out.weekday[d].Add(it->code);
        if (!in_weekday[d]) {
          in_weekday[d] = true;
          ++out.weekday_pupils[d];
        }
      }
      if (it->code) {
        const auto c = static_cast<size_t>(*it->code);
        if (!has_code[c]) {
          has_code[c] = true;
          ++out.code_pupils[c];
        }
      }
    }
  }
  return out;
}

Aggregate AggregateOver(const Scenario& scenario, std::span<const size_t> pupils, Period period) {
  Aggregate out;
  for (size_t pupil : pupils) {
    PupilEvaluation e;
    e.counts = CountSessions(scenario.calendar, SessionsOf(scenario, pupil), period);
    e.persistent_absence = IsPersistentAbsence(e.counts, scenario.policy);
    e.severe_absence = IsSevereAbsence(e.counts, scenario.policy);
    out.Add(e);
  }
  return out;
}

Impact ImpactAround(const Calendar& calendar, std::span<const PupilSession> sessions, Date at,
                    int school_weeks) {
  Impact out;
  // From the next day: the day of a call is the absence that prompted it.
  const int32_t first_after = calendar.FirstSessionOnOrAfter(at.AddDays(1));
  if (first_after >= calendar.SessionCount() || school_weeks <= 0) return out;
  const int32_t week = calendar.SchoolWeekOf(first_after);
  int32_t last_week_seen = -1;
  for (const PupilSession& s : sessions) {
    const int32_t w = calendar.SchoolWeekOf(s.index);
    last_week_seen = std::max(last_week_seen, w);
    if (w >= week - school_weeks && w < week) out.before.Add(s.code);
    if (s.index >= first_after && w < week + school_weeks) out.after.Add(s.code);
  }
  // Complete once a session in a later school week has been counted, or the
  // calendar has no later week.
  const int32_t last_week = calendar.SchoolWeekOf(calendar.SessionCount() - 1);
  out.complete = last_week_seen >= week + school_weeks ||
                 (last_week < week + school_weeks && !sessions.empty() &&
                  sessions.back().index == calendar.SessionCount() - 1);
  return out;
}

}  // namespace rollcall::core
