#include "synth/register_sheet.h"

namespace rollcall::synth {

RegisterSheet::RegisterSheet(const SchoolDays& days, int32_t first_day, int32_t end_day)
    : days_(days),
      first_day_(first_day),
      cells_(static_cast<size_t>(end_day > first_day ? end_day - first_day : 0) * 2, kFree) {}

void RegisterSheet::SetDay(int32_t day, core::AttendanceCode code) {
  Set(day, Half::kAm, Stored(code));
  Set(day, Half::kPm, Stored(code));
}

int32_t RegisterSheet::FreeSessions(int32_t lo, int32_t hi) const {
  int32_t free = 0;
  for (int32_t day = lo; day < hi; ++day) {
    free += (IsFree(day, Half::kAm) ? 1 : 0) + (IsFree(day, Half::kPm) ? 1 : 0);
  }
  return free;
}

int32_t RegisterSheet::FillForward(int32_t first, int32_t hi, int32_t max_days,
                                   core::AttendanceCode code, bool stop_at_break) {
  int32_t written = 0;
  for (int32_t day = first; day < hi && written < 2 * max_days && IsDayFree(day); ++day) {
    SetDay(day, code);
    written += 2;
    if (stop_at_break && days_.BreakAfter(day)) break;
  }
  return written;
}

int32_t RegisterSheet::FillBackward(int32_t last, int32_t lo, int32_t max_days,
                                    core::AttendanceCode code) {
  int32_t written = 0;
  for (int32_t day = last; day >= lo && written < 2 * max_days && IsDayFree(day); --day) {
    SetDay(day, code);
    written += 2;
    if (days_.BreakBefore(day)) break;
  }
  return written;
}

int32_t RegisterSheet::FindFreeDay(Rng& rng, const WeightedDays& weights, int32_t lo,
                                   int32_t hi) const {
  if (lo >= hi) return -1;
  int32_t day = lo;
  for (int attempt = 0; attempt < 6; ++attempt) {
    day = weights.Sample(rng, lo, hi);
    if (IsDayFree(day)) return day;
  }
  // A crowded register (a very absent pupil): take the next free day, so the
  // pupil's budget is still spent.
  for (int32_t step = 1; step < hi - lo; ++step) {
    const int32_t next = lo + (day - lo + step) % (hi - lo);
    if (IsDayFree(next)) return next;
  }
  return -1;
}

int32_t RegisterSheet::FindFreeSession(Rng& rng, const WeightedDays& weights, int32_t lo,
                                       int32_t hi, Half half) const {
  if (lo >= hi) return -1;
  for (int attempt = 0; attempt < 8; ++attempt) {
    const int32_t day = weights.Sample(rng, lo, hi);
    if (IsFree(day, half)) return day;
  }
  return -1;
}

void RegisterSheet::AppendMarks(std::vector<core::RecordedMark>& out) const {
  const auto end_day = first_day_ + static_cast<int32_t>(cells_.size() / 2);
  for (int32_t day = first_day_; day < end_day; ++day) {
    for (Half half : {Half::kAm, Half::kPm}) {
      const uint8_t value = Get(day, half);
      if (value == kFree) continue;
      core::RecordedMark mark;
      mark.slot = {days_.date(day), half == Half::kAm ? core::Session::kAm : core::Session::kPm};
      // Values other than kUnrecorded were written from AttendanceCode values.
      if (value != kUnrecorded) mark.code = static_cast<core::AttendanceCode>(value);
      out.push_back(mark);
    }
  }
}

}  // namespace rollcall::synth
