#include "core/pupil_sessions.h"

#include <algorithm>
#include <utility>

namespace rollcall::core {

int32_t SessionsEnd(const Calendar& calendar, Date as_of, DayPart part) {
  const int32_t day_end = calendar.FirstSessionOnOrAfter(as_of.AddDays(1));
  if (part == DayPart::kWholeDay) return day_end;
  const int32_t day_begin = calendar.FirstSessionOnOrAfter(as_of);
  // A day closed in the morning has only its afternoon open, which has not
  // opened yet either.
  const bool has_am = day_begin < day_end && calendar.SessionAt(day_begin).session == Session::kAm;
  return part == DayPart::kAmOnly && has_am ? day_begin + 1 : day_begin;
}

std::vector<PupilSession> BuildPupilSessions(
    const Calendar& calendar, const PupilRecord& pupil, std::span<const RecordedMark> marks,
    const std::array<std::optional<AttendanceCode>, 2>& default_mark, Date as_of, DayPart part) {
  const int32_t end = SessionsEnd(calendar, as_of, part);

  // Index ranges [begin, end) of the enrolment periods, merged.
  std::vector<std::pair<int32_t, int32_t>> ranges;
  if (pupil.on_roll.empty()) {
    ranges.emplace_back(0, end);
  } else {
    for (const OnRollPeriod& period : pupil.on_roll) {
      int32_t begin = period.from ? calendar.FirstSessionOnOrAfter(*period.from) : 0;
      int32_t stop = period.to ? calendar.FirstSessionOnOrAfter(period.to->AddDays(1)) : end;
      stop = std::min(stop, end);
      if (begin < stop) ranges.emplace_back(begin, stop);
    }
    std::sort(ranges.begin(), ranges.end());
  }

  std::vector<PupilSession> sessions;
  int32_t next = 0;  // first index not yet emitted, so overlaps are emitted once
  for (auto [begin, stop] : ranges) {
    for (int32_t index = std::max(begin, next); index < stop; ++index) {
      const Session half = calendar.SessionAt(index).session;
      sessions.push_back({index, default_mark[half == Session::kAm ? 0 : 1]});
    }
    next = std::max(next, stop);
  }

  std::vector<std::pair<int32_t, std::optional<AttendanceCode>>> recorded;
  recorded.reserve(marks.size());
  for (const RecordedMark& mark : marks) {
    if (std::optional<int32_t> index = calendar.IndexOf(mark.slot); index && *index < end) {
      recorded.emplace_back(*index, mark.code);
    }
  }
  std::sort(recorded.begin(), recorded.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  auto it = sessions.begin();
  for (const auto& [index, code] : recorded) {
    it = std::lower_bound(it, sessions.end(), index,
                          [](const PupilSession& s, int32_t i) { return s.index < i; });
    if (it != sessions.end() && it->index == index) it->code = code;
  }
  return sessions;
}

}  // namespace rollcall::core
