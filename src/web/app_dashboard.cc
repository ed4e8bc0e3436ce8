// app_dashboard.cc: the attendance dashboard (school, year group, class or
// cohort), its JSON twin GET /api/v1/school/dashboard, and the governors'
// half-termly report, rendered from the views service::Dashboards builds
// (every figure a core::Aggregate or core::Breakdown over the same as-of
// scenario as the school summary, so the page, the API and `rollcall
// evaluate` of the export agree). The page and the JSON come from the same
// view, and the view holds nothing its reader may not see.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/codes.h"
#include "io/result_json.h"
#include "service/dashboards.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/national.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h
using service::kImpactWeeks;

namespace {

json Pct(int64_t part, int64_t whole) {
  const std::optional<double> p = core::Percent(part, whole);
  return p ? json(*p) : json(nullptr);
}

// The dashboard as GET /api/v1/school/dashboard gives it; the page shows the
// same figures. A row about too few pupils for the reader says "suppressed"
// and carries no counts.
json DashboardJson(const service::DashboardView& v) {
  json out{{"as_of", v.as_of.ToString()},
           {"group", {{"id", v.group.id}, {"label", v.group.label}}},
           {"suppressed", !v.summary}};
  if (!v.summary) {
    out["message"] = fmt::format("fewer than {} pupils: figures are not shown", kSmallGroup);
    return out;
  }
  out["summary"] = io::AggregateToJson(*v.summary);
  json weeks = json::array();
  for (const service::DashboardWeek& w : v.weeks) {
    if (!w.counts) {
      weeks.push_back({{"week_start", w.week_start.ToString()}, {"suppressed", true}});
      continue;
    }
    const core::SessionCounts& c = *w.counts;
    weeks.push_back({{"week_start", w.week_start.ToString()},
                     {"possible", c.possible},
                     {"attended", c.attended},
                     {"authorised", c.authorised},
                     {"unauthorised", c.unauthorised},
                     {"attendance_pct", Pct(c.attended, c.possible)}});
  }
  out["weeks"] = std::move(weeks);
  json days = json::array();
  for (size_t i = 0; i < v.weekdays.size(); ++i) {
    if (!v.weekdays[i]) {
      days.push_back({{"day", kWeekdayNames[i]}, {"suppressed", true}});
      continue;
    }
    const core::SessionCounts& c = *v.weekdays[i];
    days.push_back({{"day", kWeekdayNames[i]},
                    {"possible", c.possible},
                    {"absence", c.absence},
                    {"absence_pct", Pct(c.absence, c.possible)}});
  }
  out["weekdays"] = std::move(days);
  json reasons = json::array();
  for (const service::DashboardReason& r : v.reasons) {
    const core::CodeInfo& info = *r.info;
    const bool authorised = info.category == core::StatCategory::kAuthorised;
    if (!r.sessions) {
      reasons.push_back({{"code", info.symbol},
                         {"meaning", info.meaning},
                         {"authorised", authorised},
                         {"suppressed", true}});
      continue;
    }
    reasons.push_back({{"code", info.symbol},
                       {"meaning", info.meaning},
                       {"authorised", authorised},
                       {"sessions", *r.sessions},
                       {"pct_of_possible", Pct(*r.sessions, v.sessions_possible)}});
  }
  out["reasons"] = std::move(reasons);
  json impact = json::array();
  for (const service::DashboardImpact& r : v.impact) {
    if (!r.figures) {
      impact.push_back({{"type", r.type}, {"label", r.label}, {"suppressed", true}});
      continue;
    }
    const service::DashboardImpact::Figures& f = *r.figures;
    impact.push_back({{"type", r.type},
                      {"label", r.label},
                      {"interventions", f.interventions},
                      {"improved", f.improved},
                      {"attendance_before_pct", Pct(f.before.attended, f.before.possible)},
                      {"attendance_after_pct", Pct(f.after.attended, f.after.possible)}});
  }
  out["impact"] = {{"school_weeks", kImpactWeeks}, {"by_type", std::move(impact)}};
  return out;
}

// The dashboard page's body: the group picker, then the group's figures
// against the target and the national figures, week by week, by weekday, by
// reason, the impact of interventions, the cohorts (whole school) and the
// persistently absent pupils (for those who may see names).
Html DashboardPage(const service::DashboardView& v) {
  const json j = DashboardJson(v);
  Html options;
  for (const service::DashboardGroup& g : v.groups) {
    options += Html::Format(R"(<option value="{}"{}>{}</option>)", g.id,
                            g.id == v.group.id ? Html::Trusted(" selected") : Html(), g.label);
  }
  Html picker = Html::Format(
      R"(<form method="get" action="/school" class="inline"><label for="group">Show</label> )"
      R"(<select id="group" name="group">{}</select> <button type="submit">Show</button></form>)",
      options);
  if (!v.summary) {
    return picker +
           Html::Format(R"(<div class="govuk-inset-text notice" role="status">{} has {}.</div>)",
                        v.group.label, j["message"].get<std::string>());
  }
  const json& sum = j["summary"];
  // Against the school's target and the national figures.
  const std::string& target = v.school.target_attendance_pct;
  const std::string_view national_phase = NationalPhaseFor(v.school.phase);
  const std::vector<NationalFigures> national = LatestNational(national_phase, 2);
  Html versus;
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
  const json illness_pct = v.illness ? Pct(*v.illness, v.sessions_possible) : json(nullptr);
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
    // The JSON's ISO date, as the page shows it ("7 Sep 2026").
    const Date week = *Date::Parse(w["week_start"].get<std::string>());
    const std::string week_text = fmt::format("{} {}", ShortDate(week), week.year());
    if (w.contains("suppressed")) {
      week_rows += Html::Format(R"(<tr><td>{}</td>{}</tr>)", week_text, hidden_cells);
      continue;
    }
    chart["weeks"].push_back(w["week_start"]);
    chart["attendance"].push_back(w["attendance_pct"]);
    week_rows += Html::Format(
        R"(<tr><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
        week_text, PercentOf(w["attendance_pct"]), w["authorised"].get<int64_t>(),
        w["unauthorised"].get<int64_t>());
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
          R"(<tr><td><span class="govuk-tag {} mark">{}</span></td><td>{}</td><td>{}</td><td colspan="2" class="muted">fewer than {} pupils: not shown</td></tr>)",
          r["authorised"].get<bool>() ? "govuk-tag--yellow" : "govuk-tag--red",
          r["code"].get<std::string>(), r["meaning"].get<std::string>(),
          r["authorised"].get<bool>() ? "authorised" : "unauthorised", kSmallGroup);
      continue;
    }
    reason_rows += Html::Format(
        R"(<tr><td><span class="govuk-tag {} mark">{}</span></td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
        r["authorised"].get<bool>() ? "govuk-tag--yellow" : "govuk-tag--red",
        r["code"].get<std::string>(), r["meaning"].get<std::string>(),
        r["authorised"].get<bool>() ? "authorised" : "unauthorised", r["sessions"].get<int64_t>(),
        PercentOf(r["pct_of_possible"]));
  }
  // Cohorts (the whole school's view only); a cohort too small for the
  // reader says so instead of its figures.
  Html cohort_rows;
  for (const service::LabelledFigures& c : v.cohorts) {
    if (!c.figures) {
      cohort_rows += Html::Format(
          R"(<tr><th scope="row">{}</th><td colspan="5">fewer than {} pupils: not shown</td></tr>)",
          CohortText(c.label), kSmallGroup);
      continue;
    }
    const json a = io::AggregateToJson(*c.figures);
    cohort_rows += Html::Format(
        R"(<tr><th scope="row"><a href="/school?group=cohort-{}">{}</a></th><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>)",
        c.label, CohortText(c.label), a["pupils"].get<int64_t>(), PercentOf(a["attendance_pct"]),
        PercentOf(a["unauthorised_pct"]), PercentOf(a["persistent_absence_pct"]),
        PercentOf(a["severe_absence_pct"]));
  }
  // Persistently and severely absent pupils, for those who may see them.
  Html pa_rows;
  for (const service::PersistentAbsentee& p : v.persistent_absence) {
    pa_rows += Html::Format(
        R"(<tr><td><a href="/pupils/{}">{}</a></td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>)",
        p.pupil_id, p.name, p.class_label, PercentOf(Pct(p.counts.attended, p.counts.possible)),
        p.counts.absence, p.severe ? "severe (50%+)" : "persistent (10%+)");
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
          LongDate(v.period.from), LongDate(v.period.to), cards, v.group.label, national_head,
          compare_rows, chart.dump(), week_rows, day_rows,
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
  if (v.group.id == "school") {
    body += Html::Format(
        R"(<h2>Cohorts</h2><div class="scroll"><table><thead><tr><th>Cohort</th><th class="num">Pupils</th>)"
        R"(<th class="num">Attendance</th><th class="num">Unauthorised</th><th class="num">Persistently absent</th>)"
        R"(<th class="num">Severely absent</th></tr></thead><tbody>{}</tbody></table></div>)",
        cohort_rows);
  }
  if (v.names_allowed) {
    body += Html::Format(
        R"(<h2>Persistently absent pupils ({})</h2><div class="scroll"><table><thead><tr><th>Pupil</th><th>Class</th>)"
        R"(<th class="num">Attendance</th><th class="num">Sessions missed</th><th>Absence</th></tr></thead><tbody>{}</tbody></table></div>)",
        v.persistent_absence.size(),
        pa_rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="5">None.</td></tr>)") : pa_rows);
  } else {
    body += Html::Trusted("<p class=\"muted\">Figures only: no pupil is named.</p>");
  }
  return body;
}

// The governors' report's body: half-term by half-term, then by cohort.
Html GovernorsPage(const service::GovernorsReport& r) {
  auto cells = [](const std::optional<core::Aggregate>& a) {
    if (!a) {
      return Html::Format(R"(<td colspan="6">fewer than {} pupils: not shown</td>)", kSmallGroup);
    }
    const json j = io::AggregateToJson(*a);
    return Html::Format(
        R"(<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td>)",
        a->pupils, PercentOf(j["attendance_pct"]), PercentOf(j["authorised_pct"]),
        PercentOf(j["unauthorised_pct"]), PercentOf(j["persistent_absence_pct"]),
        PercentOf(j["severe_absence_pct"]));
  };
  Html half_rows;
  for (const service::GovernorsReport::HalfTerm& h : r.half_terms) {
    half_rows += Html::Format(
        R"(<tr><th scope="row">{}<div class="muted">{} to {}</div></th>{}</tr>)", h.row.label,
        LongDate(h.period.from), LongDate(h.period.to), cells(h.row.figures));
  }
  half_rows +=
      Html::Format(R"(<tr><th scope="row">Year to date</th>{}</tr>)", cells(r.year_to_date));
  Html cohort_rows;
  for (const service::LabelledFigures& c : r.cohorts) {
    cohort_rows += Html::Format(R"(<tr><th scope="row">{}</th>{}</tr>)", CohortText(c.label),
                                cells(c.figures));
  }
  Html national_rows;
  for (const NationalFigures& f : LatestNational(NationalPhaseFor(r.school.phase), 2)) {
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
  const std::string& target = r.school.target_attendance_pct;
  return Html::Format(
      R"(<p>{}, academic year from {} to {}. School target: {}% attendance. )"
      R"(Figures only: no pupil is named, and groups of fewer than {} pupils are not shown. )"
      R"(Persistent and severe absence are judged on each half-term's own sessions.</p>)"
      R"(<p class="no-print"><button type="button" data-print>Print this report</button></p>)"
      R"(<h2>Half-term by half-term</h2><div class="scroll"><table>{}<tbody>{}{}</tbody></table></div>)"
      R"(<h2>Cohorts, year to date</h2><div class="scroll"><table>{}<tbody>{}</tbody></table></div>)",
      r.school.name, LongDate(r.year.from), LongDate(r.as_of),
      target.empty() ? std::string("no") : target, kSmallGroup, head, half_rows, national_rows,
      head, cohort_rows);
}

}  // namespace

std::string App::SchoolName() const { return services_.school_views().Facts().name; }

Response App::SchoolDashboard(Call& call) {
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  StatusOr<service::DashboardView> v =
      services_.dashboards().For(*call.who, Get(call.target.query, "group"), *as_of);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(DashboardJson(*v).dump());
}

// A refusal names the school in its heading unless the reader may not see
// the school's figures at all.
Response App::PageDashboard(Call& call) {
  StatusOr<service::DashboardView> v =
      services_.dashboards().For(*call.who, Get(call.target.query, "group"), clock_.Today());
  if (!v.ok()) {
    const bool denied = v.status().kind() == core::ErrorKind::kPermissionDenied;
    return Refused(call.who, call.csrf, denied ? std::string() : SchoolName(), v.status());
  }
  // A class's page links to its printable register and class list for those
  // who may read them (the class list's own check; governors may not).
  Html print;
  if (v->group.id.starts_with("class-")) {
    const std::optional<int64_t> class_id = ParseId(v->group.id.substr(6));
    if (class_id && services_.school_views().ClassList(*call.who, *class_id).ok()) {
      print = PrintLinks(*class_id, clock_.Today().ToString());
    }
  }
  return Layout(call.who, call.csrf, v->school.name, "Attendance: " + v->group.label,
                print + DashboardPage(*v));
}

Response App::PageGovernors(Call& call) {
  StatusOr<service::GovernorsReport> r =
      services_.dashboards().Governors(*call.who, clock_.Today());
  if (!r.ok()) {
    const bool denied = r.status().kind() == core::ErrorKind::kPermissionDenied;
    return Refused(call.who, call.csrf, denied ? std::string() : SchoolName(), r.status());
  }
  return Layout(call.who, call.csrf, r->school.name, "Governors' attendance report",
                GovernorsPage(*r));
}

}  // namespace rollcall::web
