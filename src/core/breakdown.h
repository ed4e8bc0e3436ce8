// breakdown.h
//
// The dashboard and governors' figures for a group of pupils: the same
// session counts as Evaluate (docs/rules.md section 8), split by school week,
// by weekday and by code, and the aggregates with persistent and severe absence
// judged within any period (a half-term for governors). A pupil's sessions
// are built exactly as for their own figures, so a week's counts summed over
// the year give the pupil's year counts.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "core/evaluate.h"
#include "core/scenario.h"
#include "core/statistics.h"

namespace rollcall::core {

struct WeekCounts {
  Date week_start;  // the Monday
  SessionCounts counts;
  int64_t pupils = 0;  // pupils with a session counted in this week
};

// Each count comes with how many pupils it is about, so that a figure about
// a handful of pupils can be withheld from those who may not see names.
struct Breakdown {
  SessionCounts total;
  std::vector<WeekCounts> weeks;         // school weeks with a session in the period, in order
  std::array<SessionCounts, 5> weekday;  // Monday to Friday
  std::array<int64_t, 5> weekday_pupils{};
  // Pupils with at least one session of each code, by stored code value.
  std::array<int64_t, kMaxStoredCode + 1> code_pupils{};
};

// Sessions of `pupils` (scenario indices) dated within `period`, with marks
// as of scenario.as_of.
Breakdown BreakdownOf(const Scenario& scenario, std::span<const size_t> pupils, Period period);

// The pupils' aggregate over `period` alone: each pupil's counts within it,
// PA and SA judged on those counts (pupils with no possible session there are
// left out, as in Evaluate).
Aggregate AggregateOver(const Scenario& scenario, std::span<const size_t> pupils, Period period);

// A pupil's attendance in the `school_weeks` school weeks before an
// intervention on `at` and in as many school weeks after it, from the next
// school day (the day of a call is the absence that prompted it). complete
// is false while the later weeks have not all passed.
struct Impact {
  SessionCounts before;
  SessionCounts after;
  bool complete = false;
};
Impact ImpactAround(const Calendar& calendar, std::span<const PupilSession> sessions, Date at,
                    int school_weeks);

}  // namespace rollcall::core
