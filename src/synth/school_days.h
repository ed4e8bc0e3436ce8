// school_days.h
//
// Internal to rollcall_synth. The synthetic calendar's school days as a dense
// index (every school day has both sessions: synthetic closures are whole
// days), the academic years they fall in, where the holidays are, and
// weighted sampling of days, so the generator works with small integers
// instead of dates.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/calendar.h"
#include "core/date.h"
#include "synth/random.h"

namespace rollcall::synth {

struct YearSpan {
  int start_year = 0;  // 2024 for 2024/25
  int32_t first = 0;   // index of its first school day
  int32_t end = 0;     // one past its last school day
};

class SchoolDays {
 public:
  explicit SchoolDays(const core::Calendar& calendar);

  int32_t size() const { return static_cast<int32_t>(dates_.size()); }
  core::Date date(int32_t day) const { return dates_[static_cast<size_t>(day)]; }
  // Index of the first school day on or after `date`; size() if none.
  int32_t FirstOnOrAfter(core::Date date) const;
  // Index of the last school day on or before `date`; -1 if none.
  int32_t LastOnOrBefore(core::Date date) const { return FirstOnOrAfter(date.AddDays(1)) - 1; }
  // True when more than a weekend (or a weekend plus a bank holiday) lies
  // between school day `day` and the next one: a half term or longer.
  bool BreakAfter(int32_t day) const {
    return day + 1 >= size() || date(day + 1).days() - date(day).days() > 4;
  }
  bool BreakBefore(int32_t day) const { return day == 0 || BreakAfter(day - 1); }

  // The academic years, in order, each with at least one school day.
  const std::vector<YearSpan>& years() const { return years_; }

 private:
  std::vector<core::Date> dates_;
  std::vector<YearSpan> years_;
};

// Samples school days with fixed integer weights (so sampling is exact and
// portable). Weights are per day of the whole calendar; a draw picks a day in
// a sub-range [lo, hi) with probability proportional to its weight.
class WeightedDays {
 public:
  WeightedDays(const SchoolDays& days, const std::function<uint32_t(core::Date)>& weight);

  // A day in [lo, hi); requires lo < hi and a positive weight in the range.
  int32_t Sample(Rng& rng, int32_t lo, int32_t hi) const;

 private:
  std::vector<uint64_t> cumulative_;  // cumulative_[i] = sum of weights of days < i
};

}  // namespace rollcall::synth
