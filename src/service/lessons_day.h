// lessons_day.h
//
// Private to the Lessons service (lessons.cc, lessons_import.cc,
// lessons_disagreements.cc): a timetable's day. Which day of the cycle a
// date is, the lessons that meet on it (the school open for the session,
// neither the period nor the group retired), who is in each, and each
// pupil's lessons in the order of the day, from which the lesson that gives
// a first-lesson school's statutory mark is found.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "service/lessons.h"
#include "service/school.h"
#include "store/lessons.h"

namespace rollcall::service::lessons_internal {

// The day of the timetable's cycle `date` is (1..5 × cycle_weeks), counting
// whole weeks from week1_monday, holidays included; nullopt at weekends.
std::optional<int> CycleDay(const store::Timetable& t, core::Date date);

// Periods and groups of a timetable by id, retired ones included.
struct TimetableIndex {
  explicit TimetableIndex(const store::Timetable& t);
  const store::Period* period(int64_t id) const;
  const store::TeachingGroup* group(int64_t id) const;
  std::map<int64_t, const store::Period*> periods;
  std::map<int64_t, const store::TeachingGroup*> groups;
};

// One lesson meeting on a date.
struct DayLesson {
  const store::Period* period = nullptr;
  const store::TeachingGroup* group = nullptr;
  std::string room;
  std::vector<int64_t> pupils;  // members on roll that day, by id
};

struct DayPlan {
  core::Date date;
  std::vector<DayLesson> lessons;  // by start, then group code
  // Each pupil's lessons (indexes into `lessons`), in the order of the day.
  std::map<int64_t, std::vector<size_t>> by_pupil;

  // The lesson of `group_id` in `period_id`, or nullptr.
  const DayLesson* Find(int64_t period_id, int64_t group_id) const;
  // The index of the lesson giving `pupil_id`'s statutory mark for
  // `session` in a first-lesson school: the first of theirs that session
  // outside a registration period.
  std::optional<size_t> SourceLesson(int64_t pupil_id, core::Session session) const;
};

// The lessons on `date`. Requires the school's lock (the calendar, the roll).
// With `only_for`, just the lessons of groups with one of those pupils as a
// member: every lesson of theirs, so SourceLesson and GivesStatutory answer
// for them as on the whole day's plan, for a fraction of its cost.
DayPlan PlanDay(const store::Timetable& t, const TimetableIndex& index, const Snapshot& snap,
                core::Date date, const std::vector<int64_t>* only_for = nullptr);

// A lesson as the pages show it. `marks`: the day's lesson marks, to count
// the marked; `gives_statutory`: whether this lesson gives any of its
// pupils' statutory marks. Requires the school's lock (teachers' names).
LessonRef RefOf(const DayPlan& plan, const DayLesson& lesson, const Snapshot& snap,
                const std::vector<store::LessonMark>& marks, bool gives_statutory);
// A lesson of a mark, for disagreements: the period, the group and its
// teachers as stored, with no pupils counted. Requires the school's lock.
LessonRef RefOfMark(const TimetableIndex& index, const store::LessonMark& mark,
                    const Snapshot& snap);

// Whether a first-lesson school's `lesson` gives the statutory mark of at
// least one of its pupils.
bool GivesStatutory(const store::Timetable& t, const DayPlan& plan, size_t lesson);

// "P3 10X/Ma1 (Mathematics)".
std::string LessonWords(const LessonRef& lesson);

}  // namespace rollcall::service::lessons_internal
