// lessons.cc: the timetable, a day's lessons and taking a lesson's register
// (lessons.h). The import is in lessons_import.cc, the disagreements and
// internal truancy in lessons_disagreements.cc.
#include "service/lessons.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/lessons_day.h"
#include "service/records.h"

namespace rollcall::service {

using lessons_internal::DayLesson;
using lessons_internal::DayPlan;
using lessons_internal::TimetableIndex;

namespace {

bool Teaches(const Principal& who, const store::TeachingGroup& group) {
  return std::find(group.teacher_ids.begin(), group.teacher_ids.end(), who.user_id) !=
         group.teacher_ids.end();
}

// Ok when `who` may read (or, `write`, mark) this group's lesson registers:
// the role's access, and for a teacher the group is one they teach.
core::Status MayUseGroup(const School& school, const Principal& who,
                         const store::TeachingGroup& group, bool write) {
  RETURN_IF_ERROR(
      school.Allow(who, write ? Action::kWriteLessonMark : Action::kReadLessonRegister, {}));
  if (who.role == store::Role::kTeacher && !Teaches(who, group)) {
    return core::PermissionDenied(
        core::kErrForbidden,
        fmt::format("You do not teach {}: only its teachers and the office take its register",
                    group.code));
  }
  return core::OkStatus();
}

// Ok when `who` may mark this lesson now: not a future day, nor today before
// the lesson starts; a teacher only today. Requires the school's lock.
core::Status MayMarkNow(const School& school, const Principal& who, const DayLesson& lesson,
                        core::Date date) {
  const core::Clock& clock = school.clock();
  if (date > clock.Today()) {
    return core::InvalidArgument(core::kErrSessionInFuture,
                                 fmt::format("{} is after today: a lesson is marked once it "
                                             "has begun",
                                             date.ToString()));
  }
  if (date == clock.Today() && clock.MinuteOfDay() < lesson.period->start_minute) {
    return core::InvalidArgument(
        core::kErrRegisterNotOpen,
        fmt::format("{} starts at {}: its register opens then", lesson.period->name,
                    TimeText(lesson.period->start_minute)));
  }
  if (who.role == store::Role::kTeacher && date < clock.Today()) {
    return core::PermissionDenied(
        core::kErrForbidden,
        "Teachers take only today's lesson registers: ask the office to change an earlier one");
  }
  return core::OkStatus();
}

// The lesson of `group_id` in `period_id` on the plan's day: NotFound
// PERIOD_UNKNOWN, GROUP_UNKNOWN or LESSON_NOT_TIMETABLED.
core::StatusOr<const DayLesson*> FindLesson(const TimetableIndex& index, const DayPlan& plan,
                                            int64_t period_id, int64_t group_id) {
  const store::Period* period = index.period(period_id);
  if (period == nullptr) {
    return core::NotFound(core::kErrPeriodUnknown, fmt::format("no period with id {}", period_id));
  }
  const store::TeachingGroup* group = index.group(group_id);
  if (group == nullptr) {
    return core::NotFound(core::kErrGroupUnknown,
                          fmt::format("no teaching group with id {}", group_id));
  }
  const DayLesson* lesson = plan.Find(period_id, group_id);
  if (lesson == nullptr) {
    return core::NotFound(core::kErrLessonNotTimetabled,
                          fmt::format("{} has no lesson in {} on {} (the timetable, or the "
                                      "school closed that session)",
                                      group->code, period->name, plan.date.ToString()));
  }
  return lesson;
}

core::StatusOr<int64_t> ParseIdField(const std::string& text, const char* code, const char* what) {
  std::optional<int64_t> id = ParseId(text);
  if (!id) return core::NotFound(code, fmt::format("no {} with id '{}'", what, text));
  return *id;
}

// Why a pupil may be away from a lesson, in a few words, from what the
// register already knows. Requires the school's lock.
std::string NoteFor(const Registers& registers, size_t index, core::SessionKey slot,
                    const std::optional<core::AttendanceCode>& statutory) {
  if (const std::optional<PlannedCode> planned =
          registers.part_time().PlannedCodeFor(index, slot)) {
    return planned->label == "Off timetable" ? "Part-time timetable" : planned->label;
  }
  if (statutory && core::CategoryOf(*statutory) != core::StatCategory::kPresent &&
      *statutory != core::AttendanceCode::kLateAfterClose) {
    return fmt::format("{} at registration ({})", core::IsAbsence(*statutory) ? "Absent" : "Away",
                       core::SymbolOf(*statutory));
  }
  return "";
}

}  // namespace

core::StatusOr<store::Timetable> Lessons::Timetable(const Principal& who) const {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kReadTimetable, {}));
  return school_.snapshot().timetable;
}

bool Lessons::HasTimetable() const {
  auto lock = school_.Read();
  return !school_.snapshot().timetable.lessons.empty();
}

bool Lessons::HasLessonsFor(const Principal& who) const {
  auto lock = school_.Read();
  const store::Timetable& t = school_.snapshot().timetable;
  if (t.lessons.empty()) return false;
  if (!school_.Allow(who, Action::kReadLessonRegister, {}).ok()) return false;
  if (who.role != store::Role::kTeacher) return true;
  std::set<int64_t> taught;  // group ids
  for (const store::TeachingGroup& g : t.groups) {
    if (!g.retired && Teaches(who, g)) taught.insert(g.id);
  }
  return std::any_of(t.lessons.begin(), t.lessons.end(),
                     [&](const store::Lesson& l) { return taught.contains(l.group_id); });
}

core::StatusOr<std::vector<LessonRef>> Lessons::LessonsOn(const Principal& who,
                                                          const std::string& date_text) const {
  ASSIGN_OR_RETURN(const core::Date date, ParseDateParam(date_text, "date"));
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kReadLessonRegister, {}));
  ASSIGN_OR_RETURN(const std::vector<store::LessonMark> marks,
                   school_.store().LessonMarksBetween(date, date));
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  const store::Timetable& t = snap.timetable;
  const TimetableIndex index(t);
  const DayPlan plan = lessons_internal::PlanDay(t, index, snap, date);
  std::vector<LessonRef> out;
  for (size_t i = 0; i < plan.lessons.size(); ++i) {
    const DayLesson& l = plan.lessons[i];
    if (who.role == store::Role::kTeacher && !Teaches(who, *l.group)) continue;
    out.push_back(lessons_internal::RefOf(plan, l, snap, marks,
                                          lessons_internal::GivesStatutory(t, plan, i)));
  }
  return out;
}

core::StatusOr<LessonRegisterView> Lessons::LessonRegister(const Principal& who,
                                                           const std::string& date_text,
                                                           int64_t period_id,
                                                           int64_t group_id) const {
  ASSIGN_OR_RETURN(const core::Date date, ParseDateParam(date_text, "date"));
  // The role first: whoever may not read lesson registers learns nothing of
  // the timetable from the answer.
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kReadLessonRegister, {}));
  ASSIGN_OR_RETURN(const std::vector<store::LessonMark> marks,
                   school_.store().LessonMarksInPeriod(date, period_id));
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  const store::Timetable& t = snap.timetable;
  const TimetableIndex index(t);
  // The lessons of this group's pupils only: all this page needs.
  const std::vector<int64_t> no_one;
  const store::TeachingGroup* group = index.group(group_id);
  const DayPlan plan =
      lessons_internal::PlanDay(t, index, snap, date, group ? &group->pupil_ids : &no_one);
  ASSIGN_OR_RETURN(const DayLesson* lesson, FindLesson(index, plan, period_id, group_id));
  RETURN_IF_ERROR(MayUseGroup(school_, who, *lesson->group, false));
  LessonRegisterView out;
  out.school = snap.school.name;
  const size_t at = static_cast<size_t>(lesson - plan.lessons.data());
  out.lesson = lessons_internal::RefOf(plan, *lesson, snap, marks,
                                       lessons_internal::GivesStatutory(t, plan, at));
  if (core::Status may = MayUseGroup(school_, who, *lesson->group, true); !may.ok()) {
    out.read_only = may.message();
  } else if (core::Status now = MayMarkNow(school_, who, *lesson, date); !now.ok()) {
    out.read_only = now.message();
  }
  const core::SessionKey slot{date, lesson->period->session};
  for (int64_t pupil_id : lesson->pupils) {
    const size_t i = snap.pupil_index.at(pupil_id);
    const store::Pupil& p = snap.pupils[i];
    LessonRegisterRow row;
    row.pupil_id = p.id;
    row.name = DisplayName(p);
    row.form = ClassNameOf(snap, p.class_id);
    row.may_open = school_.Allow(who, Action::kReadPupil, {p.id, p.class_id}).ok();
    for (const store::LessonMark& m : marks) {
      if (m.pupil_id == p.id && m.period_id == period_id) row.mark = m;
    }
    row.statutory = school_.MarkAt(i, slot).code;
    row.note = NoteFor(registers_, i, slot, row.statutory);
    out.pupils.push_back(std::move(row));
  }
  std::sort(
      out.pupils.begin(), out.pupils.end(),
      [&](const LessonRegisterRow& a, const LessonRegisterRow& b) {
        const store::Pupil& pa = snap.pupils[snap.pupil_index.at(a.pupil_id)];
        const store::Pupil& pb = snap.pupils[snap.pupil_index.at(b.pupil_id)];
        auto family = [](const store::Pupil& p) -> const std::string& {
          return p.preferred_family_name.empty() ? p.legal_family_name : p.preferred_family_name;
        };
        return std::tie(family(pa), a.name, a.pupil_id) < std::tie(family(pb), b.name, b.pupil_id);
      });
  return out;
}

core::StatusOr<LessonMarkResult> Lessons::RecordLessonMark(const Principal& who,
                                                           const LessonMarkRequest& m) {
  ASSIGN_OR_RETURN(const core::Date date, ParseDateParam(m.date, "date"));
  ASSIGN_OR_RETURN(const int64_t period_id,
                   ParseIdField(m.period, core::kErrPeriodUnknown, "period"));
  ASSIGN_OR_RETURN(const int64_t group_id,
                   ParseIdField(m.group, core::kErrGroupUnknown, "teaching group"));
  ASSIGN_OR_RETURN(const int64_t pupil_id, ParseIdField(m.pupil, core::kErrPupilUnknown, "pupil"));
  if (m.reason.size() > 500) {
    return core::InvalidArgument(core::kErrValueInvalid, "reason is longer than 500 characters");
  }
  std::optional<core::AttendanceCode> code = core::CodeFromSymbol(m.code);
  if (!code) {
    return core::InvalidArgument(core::kErrCodeUnknown,
                                 "'" + m.code + "' is not an attendance code");
  }
  RETURN_IF_ERROR(school_.AllowNow(who, Action::kWriteLessonMark, {}));
  ASSIGN_OR_RETURN(const std::vector<store::LessonMark> stored,
                   school_.store().LessonMarksOf(pupil_id, date, date));

  store::LessonMarkWrite write;
  std::string period_name;
  core::Session session = core::Session::kAm;
  bool gives_statutory = false;
  MarkRequest statutory;  // when this lesson gives the session's statutory mark
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    const store::Timetable& t = snap.timetable;
    const TimetableIndex index(t);
    // The pupil's lessons of the day only: which lesson gives their mark. A
    // group's own lesson is planned too, so that a pupil outside the group
    // is told so rather than that the lesson is not timetabled.
    std::vector<int64_t> pupils{pupil_id};
    if (const store::TeachingGroup* g = index.group(group_id); g && !g->pupil_ids.empty()) {
      pupils.push_back(g->pupil_ids.front());
      std::sort(pupils.begin(), pupils.end());
    }
    const DayPlan plan = lessons_internal::PlanDay(t, index, snap, date, &pupils);
    ASSIGN_OR_RETURN(const DayLesson* lesson, FindLesson(index, plan, period_id, group_id));
    RETURN_IF_ERROR(MayUseGroup(school_, who, *lesson->group, true));
    RETURN_IF_ERROR(MayMarkNow(school_, who, *lesson, date));
    session = lesson->period->session;
    period_name = lesson->period->name;
    if (!std::binary_search(lesson->pupils.begin(), lesson->pupils.end(), pupil_id)) {
      return core::NotFound(core::kErrPupilUnknown,
                            fmt::format("pupil {} is not in {} on {}", pupil_id,
                                        lesson->group->code, date.ToString()));
    }
    RETURN_IF_ERROR(core::CheckLessonCode(session, *code));
    if (!core::IsValidOn(*code, date)) {
      return core::InvalidArgument(
          core::kErrLessonCodeInvalid,
          fmt::format("'{}' cannot be used on {}", core::SymbolOf(*code), date.ToString()));
    }
    if (*code == core::AttendanceCode::kLateBeforeClose) {
      if (m.arrival_time.empty()) {
        return core::InvalidArgument(core::kErrTimeInvalid,
                                     "Enter the time the pupil arrived, for example 10:05");
      }
      std::optional<int> minute = ParseTime(m.arrival_time);
      if (!minute) {
        return core::InvalidArgument(core::kErrTimeInvalid,
                                     "'" + m.arrival_time +
                                         "' is not a time: enter the time the pupil arrived as "
                                         "hours and minutes, for example 10:05");
      }
      if (const int now = school_.clock().MinuteOfDay();
          date == school_.clock().Today() && *minute > now) {
        return core::InvalidArgument(core::kErrArrivalInFuture,
                                     fmt::format("An arrival time of {} is later than now ({})",
                                                 TimeText(*minute), TimeText(now)));
      }
      write.arrival_minute = *minute;
    } else if (!m.arrival_time.empty()) {
      return core::InvalidArgument(core::kErrTimeInvalid,
                                   "An arrival time is only for a late mark (L)");
    }
    const size_t pupil_index = snap.pupil_index.at(pupil_id);
    const core::SessionKey slot{date, session};
    const size_t at = static_cast<size_t>(lesson - plan.lessons.data());
    gives_statutory = t.source == core::StatutorySource::kFirstLesson &&
                      plan.SourceLesson(pupil_id, session) == at &&
                      !school_.MarkAt(pupil_index, slot).code;
    if (gives_statutory) {
      const core::AttendanceCode from_lesson = core::StatutoryFromLesson(
          session, *code, write.arrival_minute, school_.RegisterClose(session));
      // A late mark goes in as L with its time: Registers decides L or U by
      // the register's close (and a transport delay), by core::LateCode.
      const bool late = from_lesson == core::AttendanceCode::kLateBeforeClose ||
                        from_lesson == core::AttendanceCode::kLateAfterClose;
      statutory = MarkRequest{.date = date.ToString(),
                              .session = std::string(core::SessionName(session)),
                              .pupil = std::to_string(pupil_id),
                              .code = std::string(core::SymbolOf(
                                  late ? core::AttendanceCode::kLateBeforeClose : from_lesson)),
                              .reason = fmt::format("From the {} lesson register", period_name),
                              .arrival_time = late ? m.arrival_time : "",
                              .evidence_confirmed = false,
                              .only_if_unmarked = true};
    }
  }
  write.pupil_id = pupil_id;
  write.date = date;
  write.period_id = period_id;
  write.group_id = group_id;
  write.code = *code;
  write.reason = m.reason.empty() ? std::string("Lesson register") : m.reason;
  write.reason_given = !m.reason.empty();  // a change needs one (the store checks)

  // The lesson mark first: when it is refused (a change without a reason)
  // nothing is written. The statutory mark it gives follows; were that to
  // fail, the lesson mark stands and the office sees the pupil as seen in a
  // lesson with no AM/PM mark, never an AM/PM mark with no lesson behind it.
  const store::Actor actor{who.user_id, who.name, who.role};
  const int64_t now = school_.clock().NowSeconds();
  ASSIGN_OR_RETURN(const store::SaveMarksResult saved,
                   school_.store().SaveLessonMarks({write}, actor, now));
  LessonMarkResult result;
  if (gives_statutory) {
    // The lesson's teacher records the statutory mark through the register
    // with every check and audit row a register mark has. A subject teacher
    // is rarely the pupil's form tutor: for this one mark they act for the
    // pupil's class, which is what a first-lesson school asks of them.
    Principal as_tutor = who;
    if (who.role == store::Role::kTeacher) {
      auto lock = school_.Read();
      const Snapshot& snap = school_.snapshot();
      const store::Pupil& p = snap.pupils[snap.pupil_index.at(pupil_id)];
      if (p.class_id) as_tutor.class_ids.push_back(*p.class_id);
    }
    ASSIGN_OR_RETURN(const MarkResult recorded, registers_.RecordMark(as_tutor, statutory));
    if (recorded.changed) result.statutory_recorded = recorded.write.code;
  }
  result.changed = saved.changed > 0;
  result.mark = store::LessonMark{.pupil_id = pupil_id,
                                  .date = date,
                                  .period_id = period_id,
                                  .group_id = group_id,
                                  .code = write.code,
                                  .arrival_minute = write.arrival_minute,
                                  .recorded_at = now,
                                  .recorded_by = who.user_id};
  if (!result.changed) {
    for (const store::LessonMark& s : stored) {
      if (s.period_id == period_id) result.mark = s;
    }
  }
  return result;
}

core::Status Lessons::MarkAllPresent(const Principal& who, const std::string& date,
                                     int64_t period_id, int64_t group_id) {
  ASSIGN_OR_RETURN(const LessonRegisterView view, LessonRegister(who, date, period_id, group_id));
  if (!view.read_only.empty()) {
    return core::PermissionDenied(core::kErrForbidden, view.read_only);
  }
  const char* present = view.lesson.session == core::Session::kAm ? "/" : "\\";
  for (const LessonRegisterRow& row : view.pupils) {
    if (row.mark) continue;
    LessonMarkRequest m{.date = date,
                        .period = std::to_string(period_id),
                        .group = std::to_string(group_id),
                        .pupil = std::to_string(row.pupil_id),
                        .code = present,
                        .arrival_time = "",
                        .reason = ""};
    RETURN_IF_ERROR(RecordLessonMark(who, m).status());
  }
  return core::OkStatus();
}

}  // namespace rollcall::service
