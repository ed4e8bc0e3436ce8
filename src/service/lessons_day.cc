// lessons_day.cc: a timetable's day (lessons_day.h).
#include "service/lessons_day.h"

#include <fmt/format.h>

#include <algorithm>

namespace rollcall::service::lessons_internal {

std::optional<int> CycleDay(const store::Timetable& t, core::Date date) {
  if (date.IsWeekend()) return std::nullopt;
  const int weeks_since = (date.WeekStart().days() - t.week1_monday.WeekStart().days()) / 7;
  const int cycle = std::max(1, t.cycle_weeks);
  // Dates before week 1 count back through the cycle the same way.
  const int week = ((weeks_since % cycle) + cycle) % cycle;
  return static_cast<int>(date.weekday()) + 1 + 5 * week;
}

TimetableIndex::TimetableIndex(const store::Timetable& t) {
  for (const store::Period& p : t.periods) periods[p.id] = &p;
  for (const store::TeachingGroup& g : t.groups) groups[g.id] = &g;
}

const store::Period* TimetableIndex::period(int64_t id) const {
  auto it = periods.find(id);
  return it == periods.end() ? nullptr : it->second;
}

const store::TeachingGroup* TimetableIndex::group(int64_t id) const {
  auto it = groups.find(id);
  return it == groups.end() ? nullptr : it->second;
}

const DayLesson* DayPlan::Find(int64_t period_id, int64_t group_id) const {
  for (const DayLesson& l : lessons) {
    if (l.period->id == period_id && l.group->id == group_id) return &l;
  }
  return nullptr;
}

std::optional<size_t> DayPlan::SourceLesson(int64_t pupil_id, core::Session session) const {
  auto it = by_pupil.find(pupil_id);
  if (it == by_pupil.end()) return std::nullopt;
  for (size_t i : it->second) {
    const store::Period& p = *lessons[i].period;
    if (p.session == session && !p.registration) return i;
  }
  return std::nullopt;
}

namespace {

// Whether the sorted `a` and `b` share an element.
bool Meet(const std::vector<int64_t>& a, const std::vector<int64_t>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

}  // namespace

DayPlan PlanDay(const store::Timetable& t, const TimetableIndex& index, const Snapshot& snap,
                core::Date date, const std::vector<int64_t>* only_for) {
  DayPlan plan;
  plan.date = date;
  const std::optional<int> day = CycleDay(t, date);
  if (!day || t.periods.empty()) return plan;
  for (const store::Lesson& l : t.lessons) {
    if (l.cycle_day != *day) continue;
    const store::Period* period = index.period(l.period_id);
    const store::TeachingGroup* group = index.group(l.group_id);
    if (period == nullptr || group == nullptr || period->retired || group->retired) continue;
    if (only_for != nullptr && !Meet(group->pupil_ids, *only_for)) continue;
    if (!snap.scenario.calendar.IsOpen({date, period->session})) continue;
    DayLesson lesson{.period = period, .group = group, .room = l.room, .pupils = {}};
    for (int64_t pupil : group->pupil_ids) {
      auto at = snap.pupil_index.find(pupil);
      if (at == snap.pupil_index.end() || !snap.scenario.pupils[at->second].OnRollOn(date)) {
        continue;
      }
      lesson.pupils.push_back(pupil);
    }
    plan.lessons.push_back(std::move(lesson));
  }
  std::sort(plan.lessons.begin(), plan.lessons.end(), [](const DayLesson& a, const DayLesson& b) {
    if (a.period->start_minute != b.period->start_minute) {
      return a.period->start_minute < b.period->start_minute;
    }
    return a.group->code < b.group->code;
  });
  for (size_t i = 0; i < plan.lessons.size(); ++i) {
    for (int64_t pupil : plan.lessons[i].pupils) plan.by_pupil[pupil].push_back(i);
  }
  return plan;
}

LessonRef RefOf(const DayPlan& plan, const DayLesson& lesson, const Snapshot& snap,
                const std::vector<store::LessonMark>& marks, bool gives_statutory) {
  LessonRef ref;
  ref.date = plan.date;
  ref.period_id = lesson.period->id;
  ref.group_id = lesson.group->id;
  ref.period = lesson.period->name;
  ref.group = lesson.group->code;
  ref.subject = lesson.group->subject;
  ref.room = lesson.room;
  for (int64_t teacher : lesson.group->teacher_ids) {
    if (auto u = snap.users.find(teacher); u != snap.users.end()) {
      ref.teachers.push_back(u->second.display_name);
    }
  }
  ref.session = lesson.period->session;
  ref.start_minute = lesson.period->start_minute;
  ref.end_minute = lesson.period->end_minute;
  ref.gives_statutory = gives_statutory;
  ref.pupils = static_cast<int>(lesson.pupils.size());
  for (const store::LessonMark& m : marks) {
    if (m.date == plan.date && m.period_id == ref.period_id &&
        std::binary_search(lesson.pupils.begin(), lesson.pupils.end(), m.pupil_id)) {
      ++ref.marked;
    }
  }
  return ref;
}

LessonRef RefOfMark(const TimetableIndex& index, const store::LessonMark& mark,
                    const Snapshot& snap) {
  LessonRef ref;
  ref.date = mark.date;
  ref.period_id = mark.period_id;
  ref.group_id = mark.group_id;
  if (const store::Period* p = index.period(mark.period_id)) {
    ref.period = p->name;
    ref.session = p->session;
    ref.start_minute = p->start_minute;
    ref.end_minute = p->end_minute;
  }
  if (const store::TeachingGroup* g = index.group(mark.group_id)) {
    ref.group = g->code;
    ref.subject = g->subject;
    for (int64_t teacher : g->teacher_ids) {
      if (auto u = snap.users.find(teacher); u != snap.users.end()) {
        ref.teachers.push_back(u->second.display_name);
      }
    }
  }
  return ref;
}

bool GivesStatutory(const store::Timetable& t, const DayPlan& plan, size_t lesson) {
  if (t.source != core::StatutorySource::kFirstLesson) return false;
  const DayLesson& l = plan.lessons[lesson];
  if (l.period->registration) return false;
  for (int64_t pupil : l.pupils) {
    if (plan.SourceLesson(pupil, l.period->session) == lesson) return true;
  }
  return false;
}

std::string LessonWords(const LessonRef& lesson) {
  if (lesson.subject.empty()) return fmt::format("{} {}", lesson.period, lesson.group);
  return fmt::format("{} {} ({})", lesson.period, lesson.group, lesson.subject);
}

}  // namespace rollcall::service::lessons_internal
