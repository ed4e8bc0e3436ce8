// lessons.h
//
// A secondary school's timetable and lesson registers: importing the
// timetable, a teacher's lessons of the day, taking a lesson's register (and,
// where the school says the first lesson of a session gives the statutory
// mark, recording that mark through Registers), the office's list of
// disagreements between lessons and the statutory register, internal truancy
// for the Today page, and a pupil's pattern of missed lessons. The rule that
// joins lessons to the statutory marks is core/lessons.h's.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/lessons.h"
#include "core/session.h"
#include "core/status.h"
#include "service/access.h"
#include "service/registers.h"
#include "service/school.h"
#include "store/lessons.h"

namespace rollcall::service {

// One lesson on one date: a group meeting in a period.
struct LessonRef {
  core::Date date;
  int64_t period_id = 0, group_id = 0;
  std::string period;  // "P3"
  std::string group;   // "10X/Ma1"
  std::string subject;
  std::string room;
  std::vector<std::string> teachers;  // display names
  core::Session session = core::Session::kAm;
  int start_minute = 0, end_minute = 0;
  bool gives_statutory = false;  // the first lesson of its session, when the school says so
  int pupils = 0;                // in the group and on roll that day
  int marked = 0;                // with a lesson mark
};

struct LessonRegisterRow {
  int64_t pupil_id = 0;
  std::string name;
  std::string form;  // the pupil's registration class
  std::optional<store::LessonMark> mark;
  std::optional<core::AttendanceCode> statutory;  // the session's statutory mark, if any
  // Why the pupil may be away, in a few words: "Leave granted", "Absent at
  // registration (I)", "" for nothing known.
  std::string note;
  // Whether the reader may open the pupil's page (a subject teacher reads
  // only their own form's pupils).
  bool may_open = false;
};

struct LessonRegisterView {
  std::string school;
  LessonRef lesson;
  // Empty when the reader may mark this lesson now; else why not.
  std::string read_only;
  std::vector<LessonRegisterRow> pupils;  // by family name
};

// One lesson mark as a teacher entered it (text fields, checked here).
struct LessonMarkRequest {
  std::string date, period, group, pupil;  // date YYYY-MM-DD; ids as text
  std::string code;                        // "/", "\", "L", "N", or a reason code
  std::string arrival_time;                // HH:MM, for L
  std::string reason;                      // required to change a recorded mark
};

struct LessonMarkResult {
  store::LessonMark mark;
  bool changed = false;
  // The statutory mark this lesson gave the session (first-lesson schools,
  // a session with no mark yet); nullopt when it gave none.
  std::optional<core::AttendanceCode> statutory_recorded;
};

// A disagreement between a lesson register and the statutory register.
struct DisagreementLine {
  int64_t pupil_id = 0;
  std::string pupil, form;
  core::Date date;
  core::Session session = core::Session::kAm;
  core::Disagreement kind = core::Disagreement::kSeenWhileAbsent;
  std::optional<core::AttendanceCode> statutory;
  std::optional<core::AttendanceCode> lesson_code;
  LessonRef lesson;
  std::string words;  // "Marked N at registration, present in P2 10X/Ma1 (Mathematics)"
};

// A pupil's lessons missed without a reason while on site, over some weeks.
struct TruancyPatternView {
  int64_t pupil_id = 0;
  std::string pupil;
  core::Date from, to;
  std::vector<DisagreementLine> missed;  // newest first
  std::array<int, 5> by_weekday{};       // Monday..Friday
  std::map<std::string, int> by_period;  // "P4" -> times
  std::map<std::string, int> by_subject;
};

struct TimetableImportResult {
  int periods = 0, groups = 0, lessons = 0, memberships = 0;
  int retired = 0;  // periods and groups kept only for their marks
};

class Lessons {
 public:
  Lessons(School& school, Registers& registers) : school_(school), registers_(registers) {}

  // The timetable (kReadTimetable).
  core::StatusOr<store::Timetable> Timetable(const Principal& who) const;
  // Whether the school has a timetable with lessons (a secondary school).
  bool HasTimetable() const;
  // Whether `who` has lesson registers to take or read: the school has a
  // timetable, their role reads lesson registers and, for a teacher, some
  // lesson in the cycle is one of their groups'. Cheap: for every page's menu.
  bool HasLessonsFor(const Principal& who) const;

  // Replaces the timetable from CSV files (kManageTimetable), each with a
  // header line: periods "period,start,end,session,registration"; groups
  // "group,subject,teachers" (usernames separated by ';'); members
  // "group,upn"; lessons "group,day,period,room" (day: Mon..Fri, with A or
  // B for a two-week cycle: "Mon A"). `cycle_weeks` 1 or 2; `week1_monday`
  // YYYY-MM-DD; `source` "registration" or "first-lesson". InvalidArgument
  // naming the file, line and problem; nothing is written then.
  core::StatusOr<TimetableImportResult> ImportTimetable(
      const Principal& who, const std::string& periods_csv, const std::string& groups_csv,
      const std::string& members_csv, const std::string& lessons_csv,
      const std::string& cycle_weeks, const std::string& week1_monday, const std::string& source);

  // The lessons on `date` (YYYY-MM-DD): a teacher's own, everyone's for
  // those who may read every lesson register, by start then group.
  core::StatusOr<std::vector<LessonRef>> LessonsOn(const Principal& who,
                                                   const std::string& date) const;

  // One lesson's register (kReadLessonRegister; teachers: their groups').
  core::StatusOr<LessonRegisterView> LessonRegister(const Principal& who, const std::string& date,
                                                    int64_t period_id, int64_t group_id) const;

  // Records or (with a reason) amends one lesson mark (kWriteLessonMark;
  // teachers: their groups', today, from the period's start to the end of
  // the day). In first-lesson schools, the source lesson's mark records the
  // session's statutory mark through Registers when it has none.
  core::StatusOr<LessonMarkResult> RecordLessonMark(const Principal& who,
                                                    const LessonMarkRequest& m);

  // Marks every pupil of the lesson with no mark yet present.
  core::Status MarkAllPresent(const Principal& who, const std::string& date, int64_t period_id,
                              int64_t group_id);

  // Every disagreement between lessons and statutory marks from..to
  // (kReadLessonDisagreements), newest first.
  core::StatusOr<std::vector<DisagreementLine>> Disagreements(const Principal& who,
                                                              const std::string& from,
                                                              const std::string& to) const;

  // Today's internal truancy (kMissingFromLesson) so far, for the Today page
  // (kReadWorklist), newest lesson first.
  core::StatusOr<std::vector<DisagreementLine>> TruancyToday(const Principal& who) const;

  // A pupil's internal truancy over the last `weeks` weeks (kReadPupil).
  core::StatusOr<TruancyPatternView> TruancyPattern(const Principal& who, int64_t pupil_id,
                                                    int weeks = 6) const;

 private:
  School& school_;
  Registers& registers_;
};

}  // namespace rollcall::service
