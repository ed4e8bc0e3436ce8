// register_sheet.h
//
// Internal to rollcall_synth. One pupil's register while it is being filled
// in: a code (or nothing yet, or "no mark recorded") for the AM and PM of each
// school day they are on roll, with the placement moves the behaviour model
// is made of: whole-day spells that stop at a holiday, single sessions on
// weighted random days, runs next to a holiday. Every move writes only free
// sessions and reports how many sessions it wrote, so budgets balance.
#pragma once

#include <cstdint>
#include <vector>

#include "core/codes.h"
#include "core/scenario.h"
#include "synth/random.h"
#include "synth/school_days.h"

namespace rollcall::synth {

enum class Half : uint8_t { kAm = 0, kPm = 1 };

class RegisterSheet {
 public:
  // Cell values: 0 = free (takes the default mark), kUnrecorded = explicit
  // null, otherwise the stored value of an AttendanceCode.
  static constexpr uint8_t kFree = 0;
  static constexpr uint8_t kUnrecorded = 255;

  // School days [first_day, end_day) of `days`.
  RegisterSheet(const SchoolDays& days, int32_t first_day, int32_t end_day);

  uint8_t Get(int32_t day, Half half) const { return cells_[Cell(day, half)]; }
  void Set(int32_t day, Half half, uint8_t value) { cells_[Cell(day, half)] = value; }
  void SetDay(int32_t day, core::AttendanceCode code);
  bool IsFree(int32_t day, Half half) const { return Get(day, half) == kFree; }
  bool IsDayFree(int32_t day) const { return IsFree(day, Half::kAm) && IsFree(day, Half::kPm); }
  int32_t FreeSessions(int32_t lo, int32_t hi) const;

  // Codes whole free days from `first` onwards, stopping before a taken day,
  // at `hi`, after `max_days` days, or (when stop_at_break) at a holiday.
  // Returns the sessions written.
  int32_t FillForward(int32_t first, int32_t hi, int32_t max_days, core::AttendanceCode code,
                      bool stop_at_break);
  // The same backwards from `last`, stopping at `lo` or a holiday.
  int32_t FillBackward(int32_t last, int32_t lo, int32_t max_days, core::AttendanceCode code);

  // A free day in [lo, hi) drawn from `weights` (a few tries, then a scan
  // onwards from the last try); -1 when none is free.
  int32_t FindFreeDay(Rng& rng, const WeightedDays& weights, int32_t lo, int32_t hi) const;
  // A day in [lo, hi) drawn from `weights` whose `half` is free (a few tries);
  // -1 when the tries all fail.
  int32_t FindFreeSession(Rng& rng, const WeightedDays& weights, int32_t lo, int32_t hi,
                          Half half) const;

  // The recorded marks (everything not free), in time order.
  void AppendMarks(std::vector<core::RecordedMark>& out) const;

 private:
  size_t Cell(int32_t day, Half half) const {
    return static_cast<size_t>(day - first_day_) * 2 + static_cast<size_t>(half);
  }

  const SchoolDays& days_;
  int32_t first_day_;
  std::vector<uint8_t> cells_;
};

inline uint8_t Stored(core::AttendanceCode code) { return static_cast<uint8_t>(code); }

}  // namespace rollcall::synth
