// lessons.h
//
// The store's records of a secondary school's timetable and lesson
// registers: one aggregate of the Store interface (store.h). The timetable is
// the school day's periods, the teaching groups with their teachers and
// pupils, and which group meets in which period on which day of the
// timetable's cycle (one or two weeks). Lesson marks are kept like the
// statutory marks: every recording and change has an audit row, in the same
// transaction, and no audit row is ever changed or deleted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/lessons.h"
#include "core/session.h"
#include "store/registers.h"

namespace rollcall::store {

// One period of the school day. Its id stays the same across timetable
// imports that keep its name.
struct Period {
  int64_t id = 0;
  std::string name;  // "Reg", "P1", ...: unique in the school
  int start_minute = 0, end_minute = 0;
  core::Session session = core::Session::kAm;  // the statutory session it falls in
  bool registration = false;                   // the form tutor's registration period
  bool retired = false;                        // no longer in the timetable, kept for its marks
};

// A class as the timetable knows it ("10X/Ma1": a set for one subject). Its
// id stays the same across imports that keep its code.
struct TeachingGroup {
  int64_t id = 0;
  std::string code;                  // unique in the school
  std::string subject;               // "Mathematics"
  std::vector<int64_t> teacher_ids;  // users, by id
  std::vector<int64_t> pupil_ids;    // by id
  bool retired = false;              // no longer in the timetable, kept for its marks
};

// A group meeting in a period on a day of the cycle.
struct Lesson {
  int64_t group_id = 0;
  int cycle_day = 1;  // 1..5 × cycle_weeks: Monday of week 1 is 1, Friday of week 2 is 10
  int64_t period_id = 0;
  std::string room;
};

struct Timetable {
  int cycle_weeks = 1;  // 1 or 2
  // A Monday in week 1 of the cycle: a date's week of the cycle counts whole
  // weeks from it, holidays included.
  core::Date week1_monday;
  core::StatutorySource source = core::StatutorySource::kRegistration;
  std::vector<Period> periods;        // by start minute, retired ones included
  std::vector<TeachingGroup> groups;  // by code, retired ones included
  std::vector<Lesson> lessons;        // by cycle day, then period start
  int64_t set_at = 0;
  std::string set_by;  // display name of whoever set it last
};

// A pupil's mark in one lesson. A pupil has at most one lesson a period.
struct LessonMark {
  int64_t pupil_id = 0;
  core::Date date;
  int64_t period_id = 0;
  int64_t group_id = 0;
  core::AttendanceCode code = core::AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;  // L
  int64_t recorded_at = 0;
  int64_t recorded_by = 0;  // user id
};

struct LessonMarkWrite {
  int64_t pupil_id = 0;
  core::Date date;
  int64_t period_id = 0;
  int64_t group_id = 0;
  core::AttendanceCode code = core::AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;
  std::string reason;  // recorded in the audit row
  // False when the writer gave no reason of their own: then a mark that
  // would change one already stored is refused (REASON_REQUIRED), checked
  // in the write's transaction so a mark saved a moment before by someone
  // else is never replaced without one.
  bool reason_given = true;
};

// One row of the lesson marks' audit trail.
struct LessonAmendment {
  int64_t id = 0;
  int64_t pupil_id = 0;
  core::Date date;
  int64_t period_id = 0;
  int64_t group_id = 0;
  std::optional<core::AttendanceCode> old_code;  // nullopt: first recording
  core::AttendanceCode new_code = core::AttendanceCode::kPresentAm;
  std::optional<int> new_arrival_minute;
  std::string reason;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

// The Store methods (declared in store.h):
//
//   StatusOr<Timetable> GetTimetable();
//     An empty timetable (no periods) before one is set.
//   Status SetTimetable(const Timetable& t, const Actor& by, int64_t at);
//     Replaces the timetable in one transaction. Periods are matched to the
//     stored ones by name and groups by code, keeping their ids (ids given in
//     `t` are ignored; lessons name their group and period by position:
//     Lesson::group_id and Lesson::period_id are indexes into t.groups and
//     t.periods). A stored period or group the new timetable leaves out is
//     deleted when no lesson mark names it and retired otherwise. InvalidArgument
//     TIMETABLE_INVALID (naming the problem) for duplicate names or codes, a
//     period ending before it starts, overlapping periods, a cycle day out of
//     range, two lessons of one group in one slot, a pupil in two groups
//     meeting in the same slot, unknown users or pupils; nothing is written.
//   StatusOr<SaveMarksResult> SaveLessonMarks(const std::vector<LessonMarkWrite>& writes,
//                                             const Actor& by, int64_t at);
//     Inserts or changes each mark with an audit row; an unchanged mark writes
//     nothing. NotFound PUPIL_UNKNOWN / PERIOD_UNKNOWN / GROUP_UNKNOWN;
//     InvalidArgument REASON_REQUIRED for a change without reason_given.
//     Nothing is written when any write is refused.
//   StatusOr<std::vector<LessonMark>> LessonMarksBetween(core::Date from, core::Date to);
//     Every lesson mark dated from..to inclusive, by date, period start, pupil.
//   StatusOr<std::vector<LessonMark>> LessonMarksInPeriod(core::Date date, int64_t period_id);
//     The marks of one period of one day, by pupil: what a lesson's register
//     reads (a school's lessons of one period, not the day's thousands).
//   StatusOr<std::vector<LessonMark>> LessonMarksOf(int64_t pupil_id, core::Date from,
//                                                   core::Date to);
//   StatusOr<std::vector<LessonAmendment>> LessonAmendmentsOf(int64_t pupil_id);  // oldest first

}  // namespace rollcall::store
