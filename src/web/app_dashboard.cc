// app_dashboard.cc: the attendance dashboard (school, year group, class or
// cohort), its JSON twin GET /api/v1/school/dashboard, and the governors'
// half-termly report. Every figure is a core::Aggregate or core::Breakdown
// over the same as-of scenario as the school summary, so the page, the API
// and `rollcall evaluate` of the export agree.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "core/breakdown.h"
#include "core/codes.h"
#include "core/error_codes.h"
#include "core/pupil_sessions.h"
#include "io/result_json.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/national.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr const char* kWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};

std::string YearLabel(int year_group) {
  return year_group == 0 ? std::string("Reception") : fmt::format("Year {}", year_group);
}

json Pct(int64_t part, int64_t whole) {
  const std::optional<double> p = core::Percent(part, whole);
  return p ? json(*p) : json(nullptr);
}

}  // namespace

StatusOr<App::Dashboard> App::DashboardFor(const Call& call, const std::string& group, Date as_of) {
  StatusOr<SchoolState> state = SchoolAt(as_of);
  if (!state.ok()) return state.status();
  Dashboard d;
  d.state = *state;
  const core::Scenario& scenario = *d.state.scenario;
  const core::Evaluation& evaluation = *d.state.evaluation;
  std::shared_lock lock(mu_);
  d.names_allowed = Authorize(*call.who, Action::kListPupils, {}, snapshot_.school.la_code).ok();
  // Every group the school has, for the picker: years, classes, cohorts.
  d.groups.emplace_back("school", "Whole school");
  std::set<int> years;
  for (const store::Pupil& p : snapshot_.pupils) years.insert(p.year_group);
  for (int y : years) d.groups.emplace_back(fmt::format("year-{}", y), YearLabel(y));
  for (const auto& [id, c] : snapshot_.classes) {
    d.groups.emplace_back(fmt::format("class-{}", id), "Class " + c.name);
  }
  for (const auto& [tag, aggregate] : evaluation.cohorts) {
    d.groups.emplace_back("cohort-" + tag, "Cohort " + tag);
  }
  d.group = group.empty() ? "school" : group;
  auto known = std::find_if(d.groups.begin(), d.groups.end(),
                            [&](const auto& g) { return g.first == d.group; });
  if (known == d.groups.end()) {
    return core::NotFound(
        core::kErrNotFound,
        "no group '" + d.group + "': use school, year-N, class-ID or cohort-TAG as listed");
  }
  d.label = known->second;
  for (size_t i = 0; i < snapshot_.pupils.size() && i < scenario.pupils.size(); ++i) {
    const store::Pupil& p = snapshot_.pupils[i];
    bool in = d.group == "school";
    if (d.group.starts_with("year-")) in = fmt::format("year-{}", p.year_group) == d.group;
    if (d.group.starts_with("class-")) {
      in = p.class_id && fmt::format("class-{}", *p.class_id) == d.group;
    }
    if (d.group.starts_with("cohort-")) {
      const std::vector<std::string>& tags = scenario.pupils[i].cohorts;
      in = std::find(tags.begin(), tags.end(), d.group.substr(7)) != tags.end();
    }
    if (!in) continue;
    d.pupils.push_back(i);
    d.aggregate.Add(evaluation.pupils[i]);
  }
  // A group of a handful of pupils identifies them: those who may not see
  // names (governors) see its figures only from kSmallGroup pupils up.
  d.suppressed = !d.names_allowed && d.aggregate.pupils < kSmallGroup;
  lock.unlock();
  if (!d.suppressed) {
    d.breakdown = core::BreakdownOf(scenario, d.pupils, evaluation.period);
    RETURN_IF_ERROR(AddImpact(*call.who, d));
  }
  return d;
}

Status App::AddImpact(const Principal& who, Dashboard& d) {
  // This academic year's interventions only, as every other figure here: the
  // log is read from the year's start, not from the beginning of time.
  const Date year_start = d.state.evaluation->period.from;
  ASSIGN_OR_RETURN(service::Support::Interventions interventions,
                   services_.support().InterventionsSince(who, year_start));
  const std::vector<store::ContactLogEntry>& contacts = interventions.contacts;
  const std::vector<store::SupportEvent>& support = interventions.support;
  const core::Scenario& scenario = *d.state.scenario;
  std::map<int64_t, size_t> group;  // pupil id -> scenario index
  {
    std::shared_lock lock(mu_);
    for (size_t i : d.pupils) group.emplace(snapshot_.pupils[i].id, i);
  }
  std::map<size_t, std::vector<core::PupilSession>> sessions;  // built once per pupil
  std::map<std::string, Dashboard::ImpactRow> rows;
  std::map<std::string, std::set<int64_t>> row_pupils;
  auto count = [&](int64_t pupil_id, Date at, const std::string& type, const std::string& label) {
    auto it = group.find(pupil_id);
    if (it == group.end()) return;
    auto s = sessions.find(it->second);
    if (s == sessions.end()) {
      s = sessions
              .emplace(it->second,
                       core::BuildPupilSessions(scenario.calendar, scenario.pupils[it->second],
                                                scenario.marks[it->second], scenario.default_mark,
                                                scenario.as_of))
              .first;
    }
    const core::Impact impact = core::ImpactAround(scenario.calendar, s->second, at, kImpactWeeks);
    if (!impact.complete || impact.before.possible == 0 || impact.after.possible == 0) return;
    Dashboard::ImpactRow& row = rows[type];
    row.type = type;
    row.label = label;
    ++row.interventions;
    row_pupils[type].insert(pupil_id);
    row.pupils = static_cast<int64_t>(row_pupils[type].size());
    row.before += impact.before;
    row.after += impact.after;
    // after/before compared exactly: a*pb > b*pa
    if (impact.after.attended * impact.before.possible >
        impact.before.attended * impact.after.possible) {
      ++row.improved;
    }
  };
  static constexpr std::pair<store::ContactMethod, const char*> kLabels[] = {
      {store::ContactMethod::kCall, "Phone calls"},
      {store::ContactMethod::kText, "Texts"},
      {store::ContactMethod::kEmail, "Emails"},
      {store::ContactMethod::kLetter, "Letters"},
      {store::ContactMethod::kHomeVisit, "Home visits"},
      {store::ContactMethod::kMeeting, "Meetings"},
      {store::ContactMethod::kMessage, "Messages to parents"}};
  for (const store::ContactLogEntry& e : contacts) {
    for (const auto& [method, label] : kLabels) {
      if (method == e.method) {
        count(e.pupil_id, Date::FromDays(static_cast<int32_t>(e.at / 86400)),
              std::string(store::ContactMethodName(method)), label);
      }
    }
  }
  for (const store::SupportEvent& e : support) {
    if (e.held_on < year_start) continue;
    if (e.kind == store::SupportKind::kPanelMeeting) {
      count(e.pupil_id, e.held_on, "panel_meeting", "Attendance panels");
    } else if (e.kind == store::SupportKind::kActionPlan) {
      count(e.pupil_id, e.held_on, "action_plan", "Action plans");
    }
  }
  std::vector<store::PartTimeTimetable> part_time;
  {
    std::shared_lock lock(mu_);
    part_time = snapshot_.part_time;
  }
  for (const store::PartTimeTimetable& t : part_time) {
    if (t.start >= year_start)
      count(t.pupil_id, t.start, "part_time_timetable", "Part-time timetables");
  }
  for (auto& [type, row] : rows) d.impact.push_back(std::move(row));
  return core::OkStatus();
}

std::string App::SchoolName() const {
  std::shared_lock lock(mu_);
  return snapshot_.school.name;
}

std::tuple<std::string, std::string, std::string> App::SchoolFacts() const {
  std::shared_lock lock(mu_);
  return {snapshot_.school.name, snapshot_.settings.target_attendance_pct, snapshot_.school.phase};
}

json App::DashboardJson(const Dashboard& d) {
  json out{{"as_of", d.state.evaluation->as_of.ToString()},
           {"group", {{"id", d.group}, {"label", d.label}}},
           {"suppressed", d.suppressed}};
  if (d.suppressed) {
    out["message"] = fmt::format("fewer than {} pupils: figures are not shown", kSmallGroup);
    return out;
  }
  out["summary"] = io::AggregateToJson(d.aggregate);
  // Whoever may not see names sees no figure about fewer than kSmallGroup
  // pupils, in any row: the row says "suppressed" and carries no counts.
  auto hidden = [&](int64_t pupils) { return !d.names_allowed && pupils < kSmallGroup; };
  json weeks = json::array();
  for (const core::WeekCounts& w : d.breakdown.weeks) {
    if (hidden(w.pupils)) {
      weeks.push_back({{"week_start", w.week_start.ToString()}, {"suppressed", true}});
      continue;
    }
    weeks.push_back({{"week_start", w.week_start.ToString()},
                     {"possible", w.counts.possible},
                     {"attended", w.counts.attended},
                     {"authorised", w.counts.authorised},
                     {"unauthorised", w.counts.unauthorised},
                     {"attendance_pct", Pct(w.counts.attended, w.counts.possible)}});
  }
  out["weeks"] = std::move(weeks);
  json days = json::array();
  for (size_t i = 0; i < 5; ++i) {
    const core::SessionCounts& c = d.breakdown.weekday[i];
    if (hidden(d.breakdown.weekday_pupils[i])) {
      days.push_back({{"day", kWeekdays[i]}, {"suppressed", true}});
      continue;
    }
    days.push_back({{"day", kWeekdays[i]},
                    {"possible", c.possible},
                    {"absence", c.absence},
                    {"absence_pct", Pct(c.absence, c.possible)}});
  }
  out["weekdays"] = std::move(days);
  json reasons = json::array();
  const core::SessionCounts& total = d.breakdown.total;
  for (const core::CodeInfo& info : core::AllCodes()) {
    const core::StatCategory cat = info.category;
    if (cat != core::StatCategory::kAuthorised && cat != core::StatCategory::kUnauthorised) {
      continue;
    }
    const int64_t n = total.by_code[static_cast<size_t>(info.code)];
    if (n == 0) continue;
    if (hidden(d.breakdown.code_pupils[static_cast<size_t>(info.code)])) {
      reasons.push_back({{"code", info.symbol},
                         {"meaning", info.meaning},
                         {"authorised", cat == core::StatCategory::kAuthorised},
                         {"suppressed", true}});
      continue;
    }
    reasons.push_back({{"code", info.symbol},
                       {"meaning", info.meaning},
                       {"authorised", cat == core::StatCategory::kAuthorised},
                       {"sessions", n},
                       {"pct_of_possible", Pct(n, total.possible)}});
  }
  out["reasons"] = std::move(reasons);
  json impact = json::array();
  for (const Dashboard::ImpactRow& r : d.impact) {
    if (hidden(r.pupils)) {
      impact.push_back({{"type", r.type}, {"label", r.label}, {"suppressed", true}});
      continue;
    }
    impact.push_back({{"type", r.type},
                      {"label", r.label},
                      {"interventions", r.interventions},
                      {"improved", r.improved},
                      {"attendance_before_pct", Pct(r.before.attended, r.before.possible)},
                      {"attendance_after_pct", Pct(r.after.attended, r.after.possible)}});
  }
  out["impact"] = {{"school_weeks", kImpactWeeks}, {"by_type", std::move(impact)}};
  return out;
}

Response App::SchoolDashboard(Call& call) {
  if (Status s = Allow(call, Action::kReadSchoolSummary, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  auto group = call.target.query.find("group");
  StatusOr<Dashboard> d =
      DashboardFor(call, group == call.target.query.end() ? "" : group->second, *as_of);
  if (!d.ok()) return ErrorResponse(d.status());
  return JsonResponse(DashboardJson(*d).dump());
}

Response App::PageDashboard(Call& call) {
  if (Status s = Allow(call, Action::kReadSchoolSummary, {}); !s.ok()) {
    return Refused(call.who, call.csrf, "", s);
  }
  const Date today = clock_.Today();
  auto group_param = call.target.query.find("group");
  StatusOr<Dashboard> found =
      DashboardFor(call, group_param == call.target.query.end() ? "" : group_param->second, today);
  const auto [school, target, phase] = SchoolFacts();
  if (!found.ok()) return Refused(call.who, call.csrf, school, found.status());
  const Dashboard& d = *found;
  const json j = DashboardJson(d);
  Html options;
  for (const auto& [id, label] : d.groups) {
    options += Html::Format(R"(<option value="{}"{}>{}</option>)", id,
                            id == d.group ? Html::Trusted(" selected") : Html(), label);
  }
  Html picker = Html::Format(
      R"(<form method="get" action="/school" class="inline"><label for="group">Show</label> )"
      R"(<select id="group" name="group">{}</select> <button type="submit">Show</button></form>)",
      options);
  const std::string_view national_phase = NationalPhaseFor(phase);
  const std::vector<NationalFigures> national = LatestNational(national_phase, 2);
  if (d.suppressed) {
    Html body = picker + Html::Format(R"(<p class="notice" role="status">{} has {}.</p>)", d.label,
                                      j["message"].get<std::string>());
    return Layout(call.who, call.csrf, school, "Attendance: " + d.label, body);
  }
  const json& sum = j["summary"];
  // Against the school's target and the national figures.
  Html versus;
  const std::string pct_text = sum["attendance_pct"].is_null()
                                   ? ""
                                   : fmt::format("{:.1f}", sum["attendance_pct"].get<double>());
  if (!sum["attendance_pct"].is_null() && !target.empty()) {
    const double gap = sum["attendance_pct"].get<double>() - std::stod(target);
    versus =
        Html::Format("<div>{} the school's target of {}%</div>",
                     gap >= 0 ? "At or above" : fmt::format("{:.1f} points below", -gap), target);
  }
  Html national_head, national_cells[6];
  for (const NationalFigures& f : national) {
    national_head +=
        Html::Format(R"(<th class="num">National {}, {}</th>)", national_phase, f.academic_year);
    const std::string* values[] = {&f.attendance_pct,   &f.absence_pct, &f.authorised_pct,
                                   &f.unauthorised_pct, &f.illness_pct, &f.persistent_absence_pct};
    for (int i = 0; i < 6; ++i) {
      national_cells[i] += Html::Format(R"(<td class="num">{}%</td>)", *values[i]);
    }
  }
  const auto illness_code = static_cast<size_t>(core::AttendanceCode::kIllness);
  const int64_t illness = d.breakdown.total.by_code[illness_code];
  // As the reasons table: nothing about fewer than kSmallGroup pupils.
  const json illness_pct = !d.names_allowed && d.breakdown.code_pupils[illness_code] < kSmallGroup
                               ? json(nullptr)
                               : Pct(illness, d.breakdown.total.possible);
  const json* ours[] = {&sum["attendance_pct"], &sum["absence_pct"],
                        &sum["authorised_pct"], &sum["unauthorised_pct"],
                        &illness_pct,           &sum["persistent_absence_pct"]};
  const char* labels[] = {"Attendance",         "Absence",
                          "Authorised absence", "Unauthorised absence",
                          "Illness (I)",        "Persistently absent pupils (10%+)"};
  Html compare_rows;
  for (int i = 0; i < 6; ++i) {
    compare_rows += Html::Format(R"(<tr><th scope="row">{}</th><td class="num">{}</td>{}</tr>)",
                                 labels[i], PercentOf(*ours[i]), national_cells[i]);
  }
  Html cards = Html::Format(
      R"(<div class="cards"><div class="card"><div class="muted">Attendance</div>)"
      R"(<div class="big">{}</div>{}</div>)"
      R"(<div class="card"><div class="muted">Pupils</div><div class="big">{}</div><div>{} possible sessions</div></div>)"
      R"(<div class="card"><div class="muted">Persistently absent (10%+)</div><div class="big">{}</div><div>{} pupils</div></div>)"
      R"(<div class="card"><div class="muted">Severely absent (50%+)</div><div class="big">{}</div><div>{} pupils</div></div></div>)",
      PercentOf(sum["attendance_pct"]), versus, sum["pupils"].get<int64_t>(),
      sum["possible"].get<int64_t>(), PercentOf(sum["persistent_absence_pct"]),
      sum["persistent_absence"].get<int64_t>(), PercentOf(sum["severe_absence_pct"]),
      sum["severe_absence"].get<int64_t>());
  // Weekly trend: a uPlot chart drawn by app.js from the JSON below, and the
  // same figures as a table for screen readers and for no JavaScript.
  json chart{{"weeks", json::array()}, {"attendance", json::array()}, {"target", nullptr}};
  if (!target.empty()) chart["target"] = std::stod(target);
  if (!national.empty()) chart["national"] = std::stod(national[0].attendance_pct);
  Html week_rows;
  const Html hidden_cells = Html::Format(
      R"(<td colspan="3" class="muted">fewer than {} pupils: not shown</td>)", kSmallGroup);
  for (const json& w : j["weeks"]) {
    if (w.contains("suppressed")) {
      week_rows += Html::Format(R"(<tr><td>{}</td>{}</tr>)", w["week_start"].get<std::string>(),
                                hidden_cells);
      continue;
    }
    chart["weeks"].push_back(w["week_start"]);
    chart["attendance"].push_back(w["attendance_pct"]);
    week_rows += Html::Format(
        R"(<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
        w["week_start"].get<std::string>(), PercentOf(w["attendance_pct"]),
        w["authorised"].get<int64_t>(), w["unauthorised"].get<int64_t>());
  }
  Html day_rows;
  for (const json& w : j["weekdays"]) {
    if (w.contains("suppressed")) {
      day_rows += Html::Format(R"(<tr><th scope="row">{}</th>{}</tr>)", w["day"].get<std::string>(),
                               hidden_cells);
      continue;
    }
    const double pct = w["absence_pct"].is_null() ? 0.0 : w["absence_pct"].get<double>();
    day_rows += Html::Format(
        R"(<tr><th scope="row">{}</th><td class="num">{}</td><td class="bar-cell"><span )"
        R"(class="bar w{}"></span></td></tr>)",
        w["day"].get<std::string>(), PercentOf(w["absence_pct"]),
        // 12.5% absence fills the cell; widths in steps of 5% (app.css
        // w0-w100), as the page allows no inline style.
        static_cast<int>(std::lround(std::min(100.0, pct * 8) / 5)) * 5);
  }
  Html reason_rows;
  for (const json& r : j["reasons"]) {
    if (r.contains("suppressed")) {
      reason_rows += Html::Format(
          R"(<tr><td><span class="mark {}">{}</span></td><td>{}</td><td>{}</td><td colspan="2" class="muted">fewer than {} pupils: not shown</td></tr>)",
          r["authorised"].get<bool>() ? "cat-authorised" : "cat-unauthorised",
          r["code"].get<std::string>(), r["meaning"].get<std::string>(),
          r["authorised"].get<bool>() ? "authorised" : "unauthorised", kSmallGroup);
      continue;
    }
    reason_rows += Html::Format(
        R"(<tr><td><span class="mark {}">{}</span></td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
        r["authorised"].get<bool>() ? "cat-authorised" : "cat-unauthorised",
        r["code"].get<std::string>(), r["meaning"].get<std::string>(),
        r["authorised"].get<bool>() ? "authorised" : "unauthorised", r["sessions"].get<int64_t>(),
        PercentOf(r["pct_of_possible"]));
  }
  // Cohorts of the whole school; small cohorts hidden from those who may
  // not see names.
  Html cohort_rows;
  if (d.group == "school") {
    for (const auto& [tag, aggregate] : d.state.evaluation->cohorts) {
      const json a = io::AggregateToJson(aggregate);
      if (!d.names_allowed && aggregate.pupils < kSmallGroup) {
        cohort_rows += Html::Format(
            R"(<tr><th scope="row">{}</th><td colspan="5">fewer than {} pupils: not shown</td></tr>)",
            tag, kSmallGroup);
        continue;
      }
      cohort_rows += Html::Format(
          R"(<tr><th scope="row"><a href="/school?group=cohort-{}">{}</a></th><td class="num">{}</td><td class="num">{}</td>)"
          R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
          tag, tag, a["pupils"].get<int64_t>(), PercentOf(a["attendance_pct"]),
          PercentOf(a["unauthorised_pct"]), PercentOf(a["persistent_absence_pct"]),
          PercentOf(a["severe_absence_pct"]));
    }
  }
  // Persistently and severely absent pupils, for those who may see them.
  Html pa_rows;
  int pa_listed = 0;
  if (d.names_allowed) {
    std::shared_lock lock(mu_);
    struct Row {
      double pct;
      Html html;
    };
    std::vector<Row> rows;
    for (size_t i : d.pupils) {
      const core::PupilEvaluation& e = d.state.evaluation->pupils[i];
      if (!e.persistent_absence || i >= snapshot_.pupils.size()) continue;
      const store::Pupil& p = snapshot_.pupils[i];
      if (!Authorize(*call.who, Action::kReadPupil, {p.id, p.class_id}, snapshot_.school.la_code)
               .ok()) {
        continue;
      }
      const json pct = Pct(e.counts.attended, e.counts.possible);
      rows.push_back(
          {pct.is_null() ? 0.0 : pct.get<double>(),
           Html::Format(
               R"(<tr><td><a href="/pupils/{}">{}</a></td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>)",
               p.id, DisplayName(p),
               p.class_id && snapshot_.classes.contains(*p.class_id)
                   ? snapshot_.classes.at(*p.class_id).name
                   : YearLabel(p.year_group),
               PercentOf(pct), e.counts.absence,
               e.severe_absence ? "severe (50%+)" : "persistent (10%+)")});
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.pct < b.pct; });
    for (const Row& r : rows) pa_rows += r.html;
    pa_listed = static_cast<int>(rows.size());
  }
  Html body =
      picker +
      Html::Format(
          R"(<p>This academic year, {} to {}.</p>{})"
          R"(<h2>Against the national figures</h2><div class="scroll"><table><thead><tr><th>Measure</th>)"
          R"(<th class="num">{}</th>{}</tr></thead><tbody>{}</tbody></table></div>)"
          R"(<h2>Week by week</h2><div id="trend-chart" class="chart" aria-hidden="true" data-chart="{}"></div>)"
          R"(<details><summary>Weekly attendance as a table</summary><div class="scroll"><table><thead><tr>)"
          R"(<th>Week of</th><th class="num">Attendance</th><th class="num">Authorised absences</th>)"
          R"(<th class="num">Unauthorised absences</th></tr></thead><tbody>{}</tbody></table></div></details>)"
          R"(<h2>Absence by day of the week</h2><table><thead><tr><th>Day</th><th class="num">Absence</th>)"
          R"(<th><span class="hide-small">Compared</span></th></tr></thead><tbody>{}</tbody></table>)"
          R"(<h2>Absence by reason</h2><div class="scroll"><table><thead><tr><th>Code</th><th>Reason</th><th>Kind</th>)"
          R"(<th class="num">Sessions</th><th class="num">Of possible</th></tr></thead><tbody>{}</tbody></table></div>)",
          d.state.evaluation->period.from.ToString(), d.state.evaluation->period.to.ToString(),
          cards, d.label, national_head, compare_rows, chart.dump(), week_rows, day_rows,
          reason_rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="5">No absence.</td></tr>)")
                                    : reason_rows);
  Html impact_rows;
  for (const json& r : j["impact"]["by_type"]) {
    if (r.contains("suppressed")) {
      impact_rows += Html::Format(
          R"(<tr><th scope="row">{}</th><td colspan="5" class="muted">fewer than {} pupils: not shown</td></tr>)",
          r["label"].get<std::string>(), kSmallGroup);
      continue;
    }
    const json& before = r["attendance_before_pct"];
    const json& after = r["attendance_after_pct"];
    const double change =
        before.is_number() && after.is_number() ? after.get<double>() - before.get<double>() : 0.0;
    impact_rows += Html::Format(
        R"(<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td></tr>)",
        r["label"].get<std::string>(), r["interventions"].get<int64_t>(), PercentOf(before),
        PercentOf(after), fmt::format("{:+.1f}", change), r["improved"].get<int64_t>());
  }
  body += Html::Format(
      R"(<h2>Impact of interventions</h2><p class="muted">Attendance of the pupils concerned in the {} school )"
      R"(weeks before each intervention and the {} from it, where those weeks have passed.</p>)"
      R"(<div class="scroll"><table><thead><tr><th>Intervention</th><th class="num">Number</th>)"
      R"(<th class="num">Attendance before</th><th class="num">After</th><th class="num">Change (points)</th>)"
      R"(<th class="num">Improved</th></tr></thead><tbody>{}</tbody></table></div>)",
      kImpactWeeks, kImpactWeeks,
      impact_rows.str().empty()
          ? Html::Trusted(
                R"(<tr><td colspan="6">No interventions with four school weeks after them yet.</td></tr>)")
          : impact_rows);
  if (d.group == "school") {
    body += Html::Format(
        R"(<h2>Cohorts</h2><div class="scroll"><table><thead><tr><th>Cohort</th><th class="num">Pupils</th>)"
        R"(<th class="num">Attendance</th><th class="num">Unauthorised</th><th class="num">Persistently absent</th>)"
        R"(<th class="num">Severely absent</th></tr></thead><tbody>{}</tbody></table></div>)",
        cohort_rows);
  }
  if (d.names_allowed) {
    body += Html::Format(
        R"(<h2>Persistently absent pupils ({})</h2><div class="scroll"><table><thead><tr><th>Pupil</th><th>Class</th>)"
        R"(<th class="num">Attendance</th><th class="num">Sessions missed</th><th>Absence</th></tr></thead><tbody>{}</tbody></table></div>)",
        pa_listed,
        pa_rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="5">None.</td></tr>)") : pa_rows);
  } else {
    body += Html::Trusted("<p class=\"muted\">Figures only: no pupil is named.</p>");
  }
  return Layout(call.who, call.csrf, school, "Attendance: " + d.label, body);
}

// ---------------------------------------------------------------------------
// Governors' report: half-term by half-term, aggregates only.

Response App::PageGovernors(Call& call) {
  if (Status s = Allow(call, Action::kReadSchoolSummary, {}); !s.ok()) {
    return Refused(call.who, call.csrf, "", s);
  }
  const Date today = clock_.Today();
  StatusOr<SchoolState> state = SchoolAt(today);
  const auto [school, target, phase] = SchoolFacts();
  if (!state.ok()) return Refused(call.who, call.csrf, school, state.status());
  const core::Scenario& scenario = *state->scenario;
  const core::Period year = state->evaluation->period;
  // The half-terms are the calendar's terms that start in this academic year;
  // a year of six is named Autumn 1 to Summer 2.
  const Date next_year = Date::FromYmd(year.from.year() + 1, 8, 1).value_or(year.to);
  std::vector<core::Period> halves;
  size_t terms_in_year = 0;
  for (const core::Term& t : scenario.calendar.terms()) {
    if (t.start < year.from || t.start >= next_year) continue;
    ++terms_in_year;
    if (t.start <= year.to) halves.push_back({t.start, std::min(t.end, year.to)});
  }
  static constexpr const char* kHalfNames[] = {"Autumn 1", "Autumn 2", "Spring 1",
                                               "Spring 2", "Summer 1", "Summer 2"};
  std::vector<size_t> everyone(scenario.pupils.size());
  for (size_t i = 0; i < everyone.size(); ++i) everyone[i] = i;
  auto cells = [&](const core::Aggregate& a) {
    // The report is for governors: no row about fewer than kSmallGroup pupils.
    if (a.pupils < kSmallGroup) {
      return Html::Format(R"(<td colspan="6">fewer than {} pupils: not shown</td>)", kSmallGroup);
    }
    const json j = io::AggregateToJson(a);
    return Html::Format(
        R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td>)",
        a.pupils, PercentOf(j["attendance_pct"]), PercentOf(j["authorised_pct"]),
        PercentOf(j["unauthorised_pct"]), PercentOf(j["persistent_absence_pct"]),
        PercentOf(j["severe_absence_pct"]));
  };
  Html half_rows;
  for (size_t h = 0; h < halves.size(); ++h) {
    const core::Aggregate a = core::AggregateOver(scenario, everyone, halves[h]);
    half_rows +=
        Html::Format(R"(<tr><th scope="row">{}<div class="muted">{} to {}</div></th>{}</tr>)",
                     terms_in_year == 6 ? kHalfNames[h] : fmt::format("Half-term {}", h + 1),
                     halves[h].from.ToString(), halves[h].to.ToString(), cells(a));
  }
  half_rows += Html::Format(R"(<tr><th scope="row">Year to date</th>{}</tr>)",
                            cells(state->evaluation->school));
  Html cohort_rows;
  for (const auto& [tag, a] : state->evaluation->cohorts) {
    cohort_rows += Html::Format(R"(<tr><th scope="row">{}</th>{}</tr>)", tag, cells(a));
  }
  Html national_rows;
  for (const NationalFigures& f : LatestNational(NationalPhaseFor(phase), 2)) {
    national_rows += Html::Format(
        R"(<tr><th scope="row">National ({}, {})</th><td></td><td class="num">{}%</td><td class="num">{}%</td>)"
        R"(<td class="num">{}%</td><td class="num">{}%</td><td></td></tr>)",
        f.phase, f.academic_year, f.attendance_pct, f.authorised_pct, f.unauthorised_pct,
        f.persistent_absence_pct);
  }
  const Html head = Html::Trusted(
      R"(<thead><tr><th></th><th class="num">Pupils</th><th class="num">Attendance</th>)"
      R"(<th class="num">Authorised absence</th><th class="num">Unauthorised absence</th>)"
      R"(<th class="num">Persistently absent</th><th class="num">Severely absent</th></tr></thead>)");
  Html body = Html::Format(
      R"(<p>{}, academic year from {} to {}. School target: {}% attendance. )"
      R"(Figures only: no pupil is named, and groups of fewer than {} pupils are not shown. )"
      R"(Persistent and severe absence are judged on each half-term's own sessions.</p>)"
      R"(<p class="no-print"><button type="button" data-print>Print this report</button></p>)"
      R"(<h2>Half-term by half-term</h2><div class="scroll"><table>{}<tbody>{}{}</tbody></table></div>)"
      R"(<h2>Cohorts, year to date</h2><div class="scroll"><table>{}<tbody>{}</tbody></table></div>)",
      school, year.from.ToString(), today.ToString(), target.empty() ? std::string("no") : target,
      kSmallGroup, head, half_rows, national_rows, head, cohort_rows);
  return Layout(call.who, call.csrf, school, "Governors' attendance report", body);
}

}  // namespace rollcall::web
