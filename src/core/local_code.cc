// local_code.cc: the local trigger and threshold-avoidance patterns.
#include "core/local_code.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <set>

namespace rollcall::core {
namespace {

bool Unauthorised(std::optional<AttendanceCode> code) {
  return code && CategoryOf(*code) == StatCategory::kUnauthorised;
}

// Weekdays with no open session strictly between two dates.
int ClosedWeekdays(const Calendar& calendar, Date a, Date b) {
  int n = 0;
  for (Date d = a.AddDays(1); d < b; d = d.AddDays(1)) {
    if (!d.IsWeekend() && !calendar.IsSchoolDay(d)) ++n;
  }
  return n;
}

}  // namespace

std::vector<std::pair<Date, Date>> HalfTerms(const Calendar& calendar) {
  std::vector<std::pair<Date, Date>> out;
  for (int32_t i = 0; i < calendar.SessionCount(); ++i) {
    const Date d = calendar.SessionAt(i).date;
    if (out.empty() || ClosedWeekdays(calendar, out.back().second, d) >= 3) {
      out.push_back({d, d});
    } else {
      out.back().second = d;
    }
  }
  return out;
}

std::vector<LocalTrigger> LocalCodeTriggers(const Calendar& calendar, const LocalCodePolicy& policy,
                                            std::span<const PupilSession> sessions) {
  std::vector<LocalTrigger> out;
  if (policy.sessions <= 0) return out;
  const std::vector<std::pair<Date, Date>> halves = HalfTerms(calendar);
  auto half_of = [&](Date d) {
    for (size_t h = 0; h < halves.size(); ++h) {
      if (d <= halves[h].second) return static_cast<int64_t>(h);
    }
    return static_cast<int64_t>(halves.size());
  };
  std::deque<PupilSession> unused;
  for (const PupilSession& s : sessions) {
    if (!s.code || !policy.codes.Contains(*s.code)) continue;
    const int64_t half = half_of(calendar.SessionAt(s.index).date);
    unused.push_back(s);
    while (half - half_of(calendar.SessionAt(unused.front().index).date) >= 2) unused.pop_front();
    if (static_cast<int64_t>(unused.size()) >= policy.sessions) {
      out.push_back({s.index, {unused.begin(), unused.end()}});
      unused.clear();
    }
  }
  return out;
}

std::vector<AvoidancePattern> ThresholdAvoidance(const Calendar& calendar, const Policy& policy,
                                                 std::span<const PupilSession> sessions) {
  std::vector<AvoidancePattern> out;
  // Beside holidays: the school days either side of each break.
  const std::vector<std::pair<Date, Date>> halves = HalfTerms(calendar);
  std::set<Date> before, after;  // last day before a break, first day after one
  for (size_t h = 0; h + 1 < halves.size(); ++h) {
    before.insert(halves[h].second);
    after.insert(halves[h + 1].first);
  }
  std::vector<PupilSession> beside;
  std::set<Date> breaks;  // identified by the last day before each
  for (const PupilSession& s : sessions) {
    if (!Unauthorised(s.code)) continue;
    const Date d = calendar.SessionAt(s.index).date;
    if (before.contains(d)) {
      beside.push_back(s);
      breaks.insert(d);
    } else if (after.contains(d)) {
      beside.push_back(s);
      for (size_t h = 1; h < halves.size(); ++h) {
        if (halves[h].first == d) breaks.insert(halves[h - 1].second);
      }
    }
  }
  if (breaks.size() >= 2) {
    out.push_back({"beside_holidays",
                   fmt::format("unauthorised absence next to {} school holidays", breaks.size()),
                   std::move(beside)});
  }
  // Just under the threshold: rolling windows as the national rule, which
  // hold threshold - 2 or more counted sessions but never the threshold.
  const PenaltyPolicy& p = policy.penalty;
  if (p.sessions > 2) {
    std::vector<PupilSession> counted;
    for (const PupilSession& s : sessions) {
      if (!s.code || !p.codes.Contains(*s.code)) continue;
      if (p.framework_start && calendar.SessionAt(s.index).date < *p.framework_start) continue;
      counted.push_back(s);
    }
    std::vector<std::vector<PupilSession>> windows;  // separate near misses
    std::deque<PupilSession> window;
    int32_t last_used_week = -1'000'000;
    for (const PupilSession& s : counted) {
      const int32_t week = calendar.SchoolWeekOf(s.index);
      window.push_back(s);
      while (week - calendar.SchoolWeekOf(window.front().index) >= p.school_weeks) {
        window.pop_front();
      }
      const int64_t n = static_cast<int64_t>(window.size());
      if (n >= p.sessions) return out;  // it reached the threshold: the national rule applies
      if (n >= p.sessions - 2 && calendar.SchoolWeekOf(window.front().index) > last_used_week) {
        windows.emplace_back(window.begin(), window.end());
        last_used_week = week;
      }
    }
    if (windows.size() >= 2) {
      std::vector<PupilSession> evidence;
      for (const auto& w : windows) evidence.insert(evidence.end(), w.begin(), w.end());
      out.push_back({"just_under_threshold",
                     fmt::format("{} separate times within {} session{} of the penalty "
                                 "threshold ({} in {} school weeks) without reaching it",
                                 windows.size(), 2, "s", p.sessions, p.school_weeks),
                     std::move(evidence)});
    }
  }
  return out;
}

}  // namespace rollcall::core
