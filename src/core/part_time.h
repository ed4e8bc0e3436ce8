// part_time.h
//
// Part-time timetables (docs/rules.md section 6): an exceptional, time-limited
// agreement between the head and a resident parent that a pupil attends only
// some sessions. The sessions the pupil is not timetabled for are coded C2
// while the pupil is of compulsory school age, and X before or after it. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/codes.h"
#include "core/date.h"
#include "core/session.h"

namespace rollcall::core {

// The weekday sessions a pupil on a part-time timetable attends: bit
// 2 * weekday + session (Monday AM = bit 0, Monday PM = bit 1, ... Friday PM
// = bit 9). Stored in the database as that integer.
struct TimetablePattern {
  uint16_t attends = 0;

  static constexpr uint16_t kAllSessions = (1u << 10) - 1;
  static constexpr uint16_t Bit(Weekday day, Session session) {
    return static_cast<uint16_t>(
        1u << (2 * static_cast<int>(day) + (session == Session::kPm ? 1 : 0)));
  }
  // Whether the pupil is timetabled for this session (never at weekends).
  bool Attends(SessionKey slot) const;
  int SessionsPerWeek() const;  // of the 10
  // "Mon AM, Mon PM, Tue AM"; "no sessions" when empty.
  std::string ToString() const;
  // "mon-am" ... "fri-pm", the keys of a form's checkboxes.
  static std::string_view KeyOf(int bit);
  static std::optional<int> BitOfKey(std::string_view key);
};

// Compulsory school age (Education Act 1996 s8): from the first prescribed
// day (31 March, 31 August, 31 December) on or after the fifth birthday,
// until the school leaving date, the last Friday in June of the school year
// (1 September to 31 August) in which the pupil turns 16.
Date CompulsorySchoolAgeFrom(Date date_of_birth);
Date SchoolLeavingDate(Date date_of_birth);
bool OfCompulsorySchoolAge(Date date_of_birth, Date day);

// The code of a session the pupil is not timetabled for: C2 while of
// compulsory school age, X otherwise.
AttendanceCode OffTimetableCode(Date date_of_birth, Date day);

}  // namespace rollcall::core
