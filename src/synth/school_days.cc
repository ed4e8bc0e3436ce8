#include "synth/school_days.h"

#include <algorithm>

namespace rollcall::synth {

SchoolDays::SchoolDays(const core::Calendar& calendar) {
  for (int32_t index = 0; index < calendar.SessionCount(); ++index) {
    const core::SessionKey slot = calendar.SessionAt(index);
    if (dates_.empty() || dates_.back() != slot.date) dates_.push_back(slot.date);
  }
  for (int32_t day = 0; day < size(); ++day) {
    const int year = date(day).AcademicYearStart().year();
    if (years_.empty() || years_.back().start_year != year) {
      years_.push_back({.start_year = year, .first = day, .end = day});
    }
    years_.back().end = day + 1;
  }
}

int32_t SchoolDays::FirstOnOrAfter(core::Date date) const {
  return static_cast<int32_t>(std::lower_bound(dates_.begin(), dates_.end(), date) -
                              dates_.begin());
}

WeightedDays::WeightedDays(const SchoolDays& days,
                           const std::function<uint32_t(core::Date)>& weight) {
  cumulative_.reserve(static_cast<size_t>(days.size()) + 1);
  cumulative_.push_back(0);
  for (int32_t day = 0; day < days.size(); ++day) {
    cumulative_.push_back(cumulative_.back() + weight(days.date(day)));
  }
}

int32_t WeightedDays::Sample(Rng& rng, int32_t lo, int32_t hi) const {
  const uint64_t base = cumulative_[static_cast<size_t>(lo)];
  const uint64_t x = base + rng.Below(cumulative_[static_cast<size_t>(hi)] - base);
  // The day whose interval [cumulative_[d], cumulative_[d + 1]) holds x.
  const auto it = std::upper_bound(cumulative_.begin() + lo + 1, cumulative_.begin() + hi + 1, x);
  return static_cast<int32_t>(it - cumulative_.begin()) - 1;
}

}  // namespace rollcall::synth
