// part_time.h
//
// Part-time timetables (docs/rules.md section 6): an exceptional, time-limited
// agreement between the head and a resident parent that a pupil attends only
// some sessions. The sessions the pupil is not timetabled for are coded C2
// while the pupil is of compulsory school age, and X before or after it.
// Reviews continue, extend or end a timetable; the end date in force, the
// status on a day and whether two timetables overlap are computed here, for
// the stores and the pages alike. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
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

// The dates of a timetable as agreed (store::PartTimeTimetable).
struct TimetableAgreement {
  Date start;
  Date end;          // inclusive
  Date review_date;  // the first review
};

// A review, as far as the dates go (store::PartTimeReview): "continue" keeps
// the end, "extend" moves it later, "end" brings it forward, to the day
// before the start to cancel the timetable; next_review is empty when it
// ended the timetable.
struct TimetableReview {
  Date end;
  std::optional<Date> next_review;
};

// The end date in force: the latest review's (the last of `reviews`, in the
// order recorded), else the agreed end.
Date EndInForce(Date agreed_end, std::span<const TimetableReview> reviews);

// The names (TimetableStatusName) are the API's "status": never rename them.
enum class TimetableStatus : uint8_t {
  kAgreed,     // "agreed": not started yet
  kInForce,    // "in_force": started, and today is on or before the end in force
  kEnded,      // "ended": the end in force has passed
  kCancelled,  // "cancelled": ended before it started, so never in force
};
std::string_view TimetableStatusName(TimetableStatus status);

// A timetable as it stands on a day, after its reviews.
struct TimetableState {
  Date start;
  Date end;                         // in force: EndInForce
  std::optional<Date> next_review;  // the latest review's, else the first; none once over
  TimetableStatus status = TimetableStatus::kAgreed;

  // Whether `day` is within start..end in force (never, once cancelled).
  bool Covers(Date day) const { return start <= day && day <= end; }
};

// `reviews`: this timetable's, in the order recorded. The status is
// cancelled when the end in force is before the start, ended from the day
// after the end in force, agreed before the start, and in force from the
// start to the end inclusive. An ended or cancelled timetable has no next
// review.
TimetableState TimetableStateOn(const TimetableAgreement& agreed,
                                std::span<const TimetableReview> reviews, Date today);

// Whether a timetable from `start` to `end` shares a day with another from
// `other_start` to `other_end` (each end the one in force, inclusive). A
// cancelled timetable (end before start) shares no day with any other.
bool TimetablesOverlap(Date start, Date end, Date other_start, Date other_end);

}  // namespace rollcall::core
