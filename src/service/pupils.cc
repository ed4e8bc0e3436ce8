// pupils.cc: the views of pupils for their page, the API, the parents' page
// and the office's Today list (pupils.h).
#include "service/pupils.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/alerts.h"
#include "core/evaluate.h"
#include "service/records.h"

namespace rollcall::service {
namespace {

// Cohort flags that put an absent pupil at the top of Today's list.
bool Vulnerable(const std::vector<std::string>& tags) {
  return std::any_of(tags.begin(), tags.end(), [](const std::string& tag) {
    return tag == "SW" || tag == "CLA" || tag == "EHCP";
  });
}

// The pupil's marks week by week, from the week of the year's first session
// to the week of `last`; weeks with no open session are left out.
std::vector<HeatWeek> Weeks(const Snapshot& snap, size_t index, core::Date last) {
  std::map<core::SessionKey, core::AttendanceCode> by_slot;
  for (const core::RecordedMark& m : snap.scenario.marks[index]) {
    if (m.code) by_slot[m.slot] = *m.code;
  }
  std::vector<HeatWeek> weeks;
  const core::Calendar& cal = snap.scenario.calendar;
  if (cal.SessionCount() == 0) return weeks;
  last = std::min(last, cal.SessionAt(cal.SessionCount() - 1).date);
  for (core::Date week = cal.SessionAt(0).date.WeekStart(); week <= last; week = week.AddDays(7)) {
    HeatWeek w{week, {}};
    bool any = false;
    for (int d = 0; d < 5; ++d) {
      for (core::Session s : {core::Session::kAm, core::Session::kPm}) {
        HeatCell cell{{week.AddDays(d), s}, std::nullopt, false};
        if (auto it = by_slot.find(cell.slot); it != by_slot.end()) cell.code = it->second;
        cell.open = cal.IsOpen(cell.slot);
        any = any || cell.open;
        w.cells.push_back(cell);
      }
    }
    if (any) weeks.push_back(std::move(w));
  }
  return weeks;
}

// How long a new pupil who has not come stays on Today's list: by then a
// children-missing-education case has long opened, and its page follows
// the pupil.
constexpr int32_t kNotArrivedSchoolDays = 10;

// The starting day of the pupil at snapshot `index` when they started at
// most kNotArrivedSchoolDays ago, the first session of their enrolment is
// not after `now`, and no mark since their starting day has them in school
// (present, late or at an approved activity).
std::optional<core::Date> NotArrivedSince(const Snapshot& snap, size_t index,
                                          core::SessionKey now) {
  const store::Pupil& p = snap.pupils[index];
  if (p.enrolments.empty()) return std::nullopt;
  const core::Date start = p.enrolments.back().start;
  const core::Calendar& cal = snap.scenario.calendar;
  const int32_t first = cal.FirstSessionOnOrAfter(start);
  if (start > now.date || first >= cal.SessionCount() || now < cal.SessionAt(first) ||
      cal.SchoolDaysBetween(start, now.date) >= kNotArrivedSchoolDays) {
    return std::nullopt;
  }
  for (const core::RecordedMark& m : snap.scenario.marks[index]) {
    if (m.slot.date < start || !m.code) continue;
    const core::StatCategory c = core::CategoryOf(*m.code);
    if (c == core::StatCategory::kPresent || c == core::StatCategory::kApprovedActivity) {
      return std::nullopt;
    }
  }
  return start;
}

}  // namespace

PupilOverview Pupils::OverviewAt(const Principal& who, size_t index, core::Date as_of,
                                 OverviewParts parts) const {
  const Snapshot& snap = school_.snapshot();
  const store::Pupil& p = snap.pupils[index];
  PupilOverview v;
  v.school = snap.school.name;
  v.as_of = as_of;
  if (parts.record) {
    v.pupil = p;
    if (p.class_id) {
      if (auto c = snap.classes.find(*p.class_id); c != snap.classes.end()) {
        v.class_name = c->second.name;
      }
    }
    v.cohorts = CohortTagsOn(p, as_of);
  }
  if (parts.figures) {
    v.result = io::DatePupilResult(
        snap.scenario.calendar,
        core::EvaluatePupil(snap.scenario, index, as_of, school_.DayPartOf(as_of)));
    v.alert_lines =
        AlertLines(v.result, snap.scenario.policy,
                   who.role == store::Role::kParent ? Audience::kParent : Audience::kStaff,
                   p.preferred_given_name.empty() ? p.legal_given_name : p.preferred_given_name);
  }
  if (parts.marks) v.weeks = Weeks(snap, index, as_of);
  v.sees_history = school_.Allow(who, Action::kReadAmendments, {p.id, p.class_id}).ok();
  return v;
}

core::StatusOr<PupilOverview> Pupils::Overview(const Principal& who, int64_t pupil_id,
                                               core::Date as_of, OverviewParts parts) {
  PupilOverview v;
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadPupil));
    v = OverviewAt(who, index, as_of, parts);
  }
  if (parts.history && v.sees_history) {
    ASSIGN_OR_RETURN(v.amendments, school_.store().AmendmentsForPupil(pupil_id));
  }
  if (parts.record && parts.previous && v.sees_history) {
    ASSIGN_OR_RETURN(v.previous_schools, school_.store().PreviousAttendanceFor(pupil_id));
  }
  return v;
}

core::StatusOr<ChildrenView> Pupils::Children(const Principal& who, core::Date today) {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kReadOwnChildren, {}));
  ChildrenView v;
  v.school = school_.snapshot().school.name;
  for (int64_t id : who.pupil_ids) {
    core::StatusOr<size_t> index = school_.PupilFor(who, id, Action::kReadPupil);
    if (!index.ok()) continue;
    v.children.push_back(OverviewAt(who, *index, today, {.marks = false, .history = false}));
  }
  return v;
}

core::StatusOr<WorklistView> Pupils::Worklist(const Principal& who) {
  const core::Date today = school_.clock().Today();
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadWorklist, {}));
  }
  // Evaluated outside the lock (EvaluatedOn copies the snapshot under it).
  const Evaluated evaluated = school_.EvaluatedOn(today);
  auto lock = school_.Read();
  const Snapshot& snap = school_.snapshot();
  WorklistView v;
  v.school = snap.school.name;
  v.slot = {today, school_.clock().MinuteOfDay() < snap.settings.pm_start_minute
                       ? core::Session::kAm
                       : core::Session::kPm};
  std::map<int64_t, std::pair<int, int>> by_class;  // marked, on roll
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (!snap.scenario.pupils[i].OnRollOn(today)) continue;
    const std::optional<core::AttendanceCode> code = school_.MarkAt(i, v.slot).code;
    if (p.class_id) {
      auto& [marked, total] = by_class[*p.class_id];
      ++total;
      marked += code ? 1 : 0;
    }
    if (const std::optional<core::Date> start = NotArrivedSince(snap, i, v.slot)) {
      v.not_arrived.push_back({p, ClassNameOf(snap, p.class_id), *start});
    }
    if (code != core::AttendanceCode::kNoReasonYet) continue;
    v.absent.push_back({p, ClassNameOf(snap, p.class_id), Vulnerable(CohortTagsOn(p, today))});
  }
  std::stable_sort(v.absent.begin(), v.absent.end(), [](const AbsentNow& a, const AbsentNow& b) {
    return a.vulnerable > b.vulnerable;
  });
  for (const auto& [id, counts] : by_class) {
    if (counts.first < counts.second) {
      v.incomplete.push_back({id, ClassNameOf(snap, id), counts.first, counts.second});
    }
  }
  const core::Evaluation& e = *evaluated.evaluation;
  for (size_t i = 0; i < e.pupils.size() && i < snap.pupils.size(); ++i) {
    OverdueN n{snap.pupils[i].id, "", 0, {}};
    for (const core::Alert& a : e.pupils[i].alerts) {
      if (a.kind != core::AlertKind::kNOverdue) continue;
      if (n.sessions++ == 0) n.first = snap.scenario.calendar.SessionAt(a.at);
    }
    if (n.sessions == 0) continue;
    n.name = DisplayName(snap.pupils[i]);
    v.overdue.push_back(std::move(n));
  }
  return v;
}

std::string Pupils::SchoolName() const {
  auto lock = school_.Read();
  return school_.snapshot().school.name;
}

}  // namespace rollcall::service
