// dashboards.cc: the school's figures for the dashboard, the governors'
// report and the school summary (dashboards.h).
#include "service/dashboards.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/breakdown.h"
#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

// A group's figures, unless it is too small for a reader who may not see names.
std::optional<core::Aggregate> FiguresFor(const core::Aggregate& a, bool names_allowed) {
  if (!names_allowed && a.pupils < kSmallGroup) return std::nullopt;
  return a;
}

std::vector<LabelledFigures> CohortFigures(const core::Evaluation& e, bool names_allowed) {
  std::vector<LabelledFigures> out;
  for (const auto& [tag, a] : e.cohorts) out.push_back({tag, FiguresFor(a, names_allowed)});
  return out;
}

// Whether pupil `p`, whom the rules core sees as `record`, is in `group`.
bool InGroup(const std::string& group, const store::Pupil& p, const core::PupilRecord& record) {
  if (group.starts_with("year-")) return fmt::format("year-{}", p.year_group) == group;
  if (group.starts_with("class-")) {
    return p.class_id && fmt::format("class-{}", *p.class_id) == group;
  }
  if (group.starts_with("cohort-")) {
    const std::vector<std::string>& tags = record.cohorts;
    return std::find(tags.begin(), tags.end(), group.substr(7)) != tags.end();
  }
  return group == "school";
}

// Every group the school has, for the picker: the whole school, years,
// classes, cohorts. Requires the school's lock held.
std::vector<DashboardGroup> GroupsOf(const Snapshot& snap, const core::Evaluation& e) {
  std::vector<DashboardGroup> groups{{"school", "Whole school"}};
  std::set<int> years;
  for (const store::Pupil& p : snap.pupils) years.insert(p.year_group);
  for (int y : years) groups.push_back({fmt::format("year-{}", y), YearGroupName(y)});
  for (const auto& [id, c] : snap.classes) {
    groups.push_back({fmt::format("class-{}", id), "Class " + c.name});
  }
  for (const auto& [tag, a] : e.cohorts)
    groups.push_back({"cohort-" + tag, "Cohort: " + CohortText(tag)});
  return groups;
}

// The persistently absent among `pupils` (scenario indices) whom `who` may
// read, lowest attendance first. Requires the school's lock held.
std::vector<PersistentAbsentee> PersistentAbsentees(const School& school, const Principal& who,
                                                    const core::Evaluation& e,
                                                    const std::vector<size_t>& pupils) {
  const Snapshot& snap = school.snapshot();
  std::vector<PersistentAbsentee> out;
  for (size_t i : pupils) {
    const core::PupilEvaluation& pe = e.pupils[i];
    const store::Pupil& p = snap.pupils[i];
    if (!pe.persistent_absence) continue;
    if (!school.Allow(who, Action::kReadPupil, {p.id, p.class_id}).ok()) continue;
    auto c = p.class_id ? snap.classes.find(*p.class_id) : snap.classes.end();
    out.push_back({p.id, DisplayName(p),
                   c != snap.classes.end() ? c->second.name : YearGroupName(p.year_group),
                   pe.counts, pe.severe_absence});
  }
  auto pct = [](const PersistentAbsentee& a) {
    return core::Percent(a.counts.attended, a.counts.possible).value_or(0.0);
  };
  std::sort(out.begin(), out.end(), [&](const PersistentAbsentee& a, const PersistentAbsentee& b) {
    return pct(a) < pct(b);
  });
  return out;
}

// The group's weeks, weekdays and reasons into `v`, each withheld when it is
// about too few pupils for the reader.
void AddBreakdown(const core::Breakdown& b, DashboardView& v) {
  auto hidden = [&](int64_t pupils) { return !v.names_allowed && pupils < kSmallGroup; };
  for (const core::WeekCounts& w : b.weeks) {
    v.weeks.push_back({w.week_start, hidden(w.pupils) ? std::nullopt : std::optional(w.counts)});
  }
  for (size_t i = 0; i < v.weekdays.size(); ++i) {
    if (!hidden(b.weekday_pupils[i])) v.weekdays[i] = b.weekday[i];
  }
  v.sessions_possible = b.total.possible;
  for (const core::CodeInfo& info : core::AllCodes()) {
    if (info.category != core::StatCategory::kAuthorised &&
        info.category != core::StatCategory::kUnauthorised) {
      continue;
    }
    const auto code = static_cast<size_t>(info.code);
    if (b.total.by_code[code] == 0) continue;
    v.reasons.push_back(
        {&info, hidden(b.code_pupils[code]) ? std::nullopt : std::optional(b.total.by_code[code])});
  }
  const auto illness = static_cast<size_t>(core::AttendanceCode::kIllness);
  if (!hidden(b.code_pupils[illness])) v.illness = b.total.by_code[illness];
}

constexpr std::pair<store::ContactMethod, const char*> kContactInterventions[] = {
    {store::ContactMethod::kCall, "Phone calls"},
    {store::ContactMethod::kText, "Texts"},
    {store::ContactMethod::kEmail, "Emails"},
    {store::ContactMethod::kLetter, "Letters"},
    {store::ContactMethod::kHomeVisit, "Home visits"},
    {store::ContactMethod::kMeeting, "Meetings"},
    {store::ContactMethod::kMessage, "Messages to parents"}};

}  // namespace

core::StatusOr<DashboardView> Dashboards::For(const Principal& who, const std::string& group,
                                              core::Date as_of) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadSchoolSummary, {}));
  }
  const Evaluated state = school_.EvaluatedOn(as_of);
  const core::Scenario& scenario = *state.scenario;
  const core::Evaluation& evaluation = *state.evaluation;
  DashboardView v;
  v.as_of = evaluation.as_of;
  v.period = evaluation.period;
  std::vector<size_t> pupils;  // the group's, by scenario index
  core::Aggregate aggregate;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    v.school = FactsOf(snap);
    v.names_allowed = school_.Allow(who, Action::kListPupils, {}).ok();
    v.groups = GroupsOf(snap, evaluation);
    const std::string id = group.empty() ? "school" : group;
    auto known = std::find_if(v.groups.begin(), v.groups.end(),
                              [&](const DashboardGroup& g) { return g.id == id; });
    if (known == v.groups.end()) {
      return core::NotFound(
          core::kErrNotFound,
          "no group '" + id + "': use school, year-N, class-ID or cohort-TAG as listed");
    }
    v.group = *known;
    // The snapshot may hold a pupil added since the evaluation: only those
    // evaluated count.
    for (size_t i = 0; i < snap.pupils.size() && i < scenario.pupils.size(); ++i) {
      if (!InGroup(id, snap.pupils[i], scenario.pupils[i])) continue;
      pupils.push_back(i);
      aggregate.Add(evaluation.pupils[i]);
    }
    if (v.names_allowed) {
      v.persistent_absence = PersistentAbsentees(school_, who, evaluation, pupils);
    }
  }
  // A group of a handful of pupils identifies them: those who may not see
  // names (governors) see its figures only from kSmallGroup pupils up, and
  // within it no week, day, reason or intervention about fewer.
  v.summary = FiguresFor(aggregate, v.names_allowed);
  if (!v.summary) return v;
  AddBreakdown(core::BreakdownOf(scenario, pupils, evaluation.period), v);
  ASSIGN_OR_RETURN(v.impact, ImpactOf(who, state, pupils, v.names_allowed));
  if (v.group.id == "school") v.cohorts = CohortFigures(evaluation, v.names_allowed);
  return v;
}

core::StatusOr<std::vector<DashboardImpact>> Dashboards::ImpactOf(const Principal& who,
                                                                  const Evaluated& state,
                                                                  const std::vector<size_t>& pupils,
                                                                  bool names_allowed) {
  // This academic year's interventions only, as every other figure here: the
  // log is read from the year's start, not from the beginning of time.
  const core::Date year_start = state.evaluation->period.from;
  ASSIGN_OR_RETURN(Support::Interventions interventions,
                   support_.InterventionsSince(who, year_start));
  const core::Scenario& scenario = *state.scenario;
  std::map<int64_t, size_t> group;  // pupil id -> scenario index
  std::vector<store::PartTimeTimetable> part_time;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    for (size_t i : pupils) group.emplace(snap.pupils[i].id, i);
    part_time = snap.part_time;
  }
  std::map<size_t, std::vector<core::PupilSession>> sessions;  // built once per pupil
  std::map<std::string, DashboardImpact> rows;                 // by type
  std::map<std::string, std::set<int64_t>> row_pupils;
  auto count = [&](int64_t pupil_id, core::Date at, const std::string& type, const char* label) {
    auto it = group.find(pupil_id);
    if (it == group.end()) return;
    auto s = sessions.find(it->second);
    if (s == sessions.end()) {
      s = sessions
              .emplace(it->second,
                       core::BuildPupilSessions(scenario.calendar, scenario.pupils[it->second],
                                                scenario.marks[it->second], scenario.default_mark,
                                                scenario.as_of, scenario.as_of_part))
              .first;
    }
    const core::Impact impact = core::ImpactAround(scenario.calendar, s->second, at, kImpactWeeks);
    if (!impact.complete || impact.before.possible == 0 || impact.after.possible == 0) return;
    DashboardImpact& row = rows[type];
    row.type = type;
    row.label = label;
    // emplace() with no arguments does not compile with clang 14 (the fuzz
    // build): it takes the nested struct's default member initializers as
    // not yet seen.
    DashboardImpact::Figures& f =
        row.figures ? *row.figures : row.figures.emplace(DashboardImpact::Figures{});
    ++f.interventions;
    row_pupils[type].insert(pupil_id);
    f.pupils = static_cast<int64_t>(row_pupils[type].size());
    f.before += impact.before;
    f.after += impact.after;
    // after/before compared exactly: a*pb > b*pa
    if (impact.after.attended * impact.before.possible >
        impact.before.attended * impact.after.possible) {
      ++f.improved;
    }
  };
  for (const store::ContactLogEntry& e : interventions.contacts) {
    for (const auto& [method, label] : kContactInterventions) {
      if (method == e.method) {
        count(e.pupil_id, core::Date::FromDays(static_cast<int32_t>(e.at / 86400)),
              std::string(store::ContactMethodName(method)), label);
      }
    }
  }
  for (const store::SupportEvent& e : interventions.support) {
    if (e.held_on < year_start) continue;
    if (e.kind == store::SupportKind::kPanelMeeting) {
      count(e.pupil_id, e.held_on, "panel_meeting", "Attendance panels");
    } else if (e.kind == store::SupportKind::kActionPlan) {
      count(e.pupil_id, e.held_on, "action_plan", "Action plans");
    }
  }
  for (const store::PartTimeTimetable& t : part_time) {
    if (t.start >= year_start) {
      count(t.pupil_id, t.start, "part_time_timetable", "Part-time timetables");
    }
  }
  std::vector<DashboardImpact> out;
  for (auto& [type, row] : rows) {
    if (!names_allowed && row.figures->pupils < kSmallGroup) row.figures.reset();
    out.push_back(std::move(row));
  }
  return out;
}

core::StatusOr<GovernorsReport> Dashboards::Governors(const Principal& who, core::Date as_of) {
  GovernorsReport r;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadSchoolSummary, {}));
    r.school = FactsOf(school_.snapshot());
  }
  const Evaluated state = school_.EvaluatedOn(as_of);
  const core::Scenario& scenario = *state.scenario;
  r.as_of = as_of;
  r.year = state.evaluation->period;
  // The report is for governors: no row about fewer than kSmallGroup pupils,
  // whoever reads it.
  auto figures = [](const core::Aggregate& a) { return FiguresFor(a, false); };
  // The half-terms are the calendar's terms that start in this academic year;
  // a year of six is named Autumn 1 to Summer 2.
  const core::Date next_year =
      core::Date::FromYmd(r.year.from.year() + 1, 8, 1).value_or(r.year.to);
  std::vector<core::Period> halves;
  size_t terms_in_year = 0;
  for (const core::Term& t : scenario.calendar.terms()) {
    if (t.start < r.year.from || t.start >= next_year) continue;
    ++terms_in_year;
    if (t.start <= r.year.to) halves.push_back({t.start, std::min(t.end, r.year.to)});
  }
  static constexpr const char* kHalfNames[] = {"Autumn 1", "Autumn 2", "Spring 1",
                                               "Spring 2", "Summer 1", "Summer 2"};
  std::vector<size_t> everyone(scenario.pupils.size());
  for (size_t i = 0; i < everyone.size(); ++i) everyone[i] = i;
  for (size_t h = 0; h < halves.size(); ++h) {
    r.half_terms.push_back(
        {halves[h],
         {terms_in_year == 6 ? kHalfNames[h] : fmt::format("Half-term {}", h + 1),
          figures(core::AggregateOver(scenario, everyone, halves[h]))}});
  }
  r.year_to_date = figures(state.evaluation->school);
  r.cohorts = CohortFigures(*state.evaluation, false);
  return r;
}

core::StatusOr<SchoolSummaryView> Dashboards::Summary(const Principal& who, core::Date as_of) {
  bool names_allowed = false;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadSchoolSummary, {}));
    names_allowed = school_.Allow(who, Action::kListPupils, {}).ok();
  }
  const Evaluated state = school_.EvaluatedOn(as_of);
  return SchoolSummaryView{as_of, FiguresFor(state.evaluation->school, names_allowed),
                           CohortFigures(*state.evaluation, names_allowed)};
}

}  // namespace rollcall::service
