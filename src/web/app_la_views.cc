// app_la_views.cc: the local authority's cross-school views.
//
//   /la/schools[?cohort=fsm]   the school comparison with the national figures
//                              (JSON twin: GET /api/v1/la/schools)
//   /la/pupils[?upn=...]       a pupil across schools by UPN; movers; likely siblings
//   /la/schools/URN/pack[.pdf] the termly targeting-support meeting pack
//
// Each is rendered from the view service::LaViews builds from LaDirectory's
// snapshot, holding only the schools of the officer's LA; every figure is
// written by io::AggregateToJson, as the school's own dashboard writes its
// figures.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error_codes.h"
#include "core/graduated.h"
#include "io/result_json.h"
#include "letters/pdf.h"
#include "service/la_views.h"
#include "service/records.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/national.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

json FiguresJson(const core::Aggregate& a) { return io::AggregateToJson(a); }

std::string CohortLabel(const std::string& tag) {
  if (tag.empty()) return "all pupils";
  std::string label = tag;
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

std::string Pct1(const json& v) {
  return v.is_number() ? fmt::format("{:.1f}%", v.get<double>()) : "–";
}

// A PA or SA count as "12 (8.1%)".
std::string CountAndPct(const json& figures, const char* count, const char* pct) {
  return fmt::format("{} ({})", figures[count].get<int64_t>(), Pct1(figures[pct]));
}

std::string AttendanceText(const service::LaPupilAttendance& a) {
  std::string text = a.pct ? fmt::format("{:.1f}%", *a.pct) : "no sessions yet";
  if (a.severe_absence) {
    text += " (severe absence)";
  } else if (a.persistent_absence) {
    text += " (persistent absence)";
  }
  return text;
}

std::string EnrolmentText(const std::vector<store::Enrolment>& enrolments) {
  std::vector<std::string> parts;
  for (const store::Enrolment& e : enrolments) {
    std::string t = "from " + e.start.ToString();
    if (e.end) t += " to " + e.end->ToString();
    if (!e.destination.empty()) t += " (" + e.destination + ")";
    parts.push_back(t);
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

json SchoolsJson(const service::LaSchoolsView& v) {
  json schools = json::array();
  for (const service::LaSchoolFigures& s : v.schools) {
    schools.push_back({{"urn", s.school.urn},
                       {"name", s.school.name},
                       {"phase", s.school.phase},
                       {"la_code", s.school.la_code},
                       {"figures", FiguresJson(s.figures)}});
  }
  json national = json::array();
  for (const NationalFigures& n : LatestNational("total", 1)) {
    national.push_back({{"academic_year", n.academic_year},
                        {"phase", n.phase},
                        {"attendance_pct", n.attendance_pct},
                        {"authorised_pct", n.authorised_pct},
                        {"unauthorised_pct", n.unauthorised_pct},
                        {"persistent_absence_pct", n.persistent_absence_pct}});
  }
  return json{{"as_of", v.as_of.ToString()},
              {"computed_at", IsoTime(v.computed_at)},
              {"cohort", v.cohort},
              {"schools", schools},
              {"all_schools", FiguresJson(v.all_schools)},
              {"national", national}};
}

Html LaSchoolsPage(const service::LaSchoolsView& v) {
  Html options = Html::Format(R"(<option value=""{}>All pupils</option>)",
                              v.cohort.empty() ? Html::Trusted(" selected") : Html());
  for (const std::string& c : v.cohorts) {
    options += Html::Format(R"(<option value="{}"{}>{}</option>)", c,
                            c == v.cohort ? Html::Trusted(" selected") : Html(), CohortLabel(c));
  }
  auto cells = [](const json& f) {
    return Html::Format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                        f["pupils"].get<int64_t>(), PercentOf(f["attendance_pct"]),
                        PercentOf(f["authorised_pct"]), PercentOf(f["unauthorised_pct"]),
                        CountAndPct(f, "persistent_absence", "persistent_absence_pct"),
                        CountAndPct(f, "severe_absence", "severe_absence_pct"));
  };
  Html rows;
  std::set<std::string> phases;
  for (const service::LaSchoolFigures& s : v.schools) {
    const store::School& school = s.school;
    phases.insert(std::string(NationalPhaseFor(school.phase)));
    rows += Html::Format(
        R"(<tr><th scope="row">{}</th><td>{}</td><td>{}</td>{}<td><a href="/la/schools/{}/pack">Pack</a> · <a href="/la/schools/{}/pack.pdf">PDF</a></td></tr>)",
        school.name, school.urn, school.phase, cells(FiguresJson(s.figures)), school.urn,
        school.urn);
  }
  rows += Html::Format(
      R"(<tr class="total"><th scope="row">All {} schools</th><td></td><td></td>{}<td></td></tr>)",
      v.schools.size(), cells(FiguresJson(v.all_schools)));
  for (const std::string& phase : phases) {
    for (const NationalFigures& n : LatestNational(phase, 1)) {
      rows += Html::Format(
          R"(<tr class="national"><th scope="row">National, {} ({})</th><td></td><td></td><td></td><td>{}%</td><td>{}%</td><td>{}%</td><td>{}%</td><td></td><td></td></tr>)",
          n.phase, n.academic_year, n.attendance_pct, n.authorised_pct, n.unauthorised_pct,
          n.persistent_absence_pct);
    }
  }
  return Html::Format(
      R"(<p>{} schools of LA {}, this academic year to {}; figures computed {}.</p>)"
      R"(<form method="get" action="/la/schools" class="inline"><label for="cohort">Pupils</label> )"
      R"(<select id="cohort" name="cohort">{}</select> <button type="submit">Show</button></form>)"
      R"(<table class="data"><caption>Attendance by school: {}</caption><thead><tr><th scope="col">School</th><th scope="col">URN</th><th scope="col">Phase</th>)"
      R"(<th scope="col">Pupils</th><th scope="col">Attendance</th><th scope="col">Authorised absence</th><th scope="col">Unauthorised absence</th>)"
      R"(<th scope="col">Persistent absence</th><th scope="col">Severe absence</th><th scope="col">Targeting support</th></tr></thead><tbody>{}</tbody></table>)"
      R"(<p>National figures are the DfE's for the latest full year (severe absence is not published by phase here).</p>)",
      v.schools.size(), v.la_code, v.as_of.ToString(), MomentText(v.computed_at), options,
      CohortLabel(v.cohort), rows);
}

Html LaPupilsPage(const service::LaPupilsView& v) {
  auto row = [](const service::LaPupilRow& r) {
    return Html::Format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", r.name,
                        r.upn, r.school_name, EnrolmentText(r.enrolments),
                        AttendanceText(r.attendance));
  };
  const Html head = Html::Trusted(
      R"(<thead><tr><th scope="col">Pupil</th><th scope="col">UPN</th><th scope="col">School</th><th scope="col">On roll</th><th scope="col">Attendance this year</th></tr></thead>)");
  Html found;
  if (!v.upn_problem.empty()) {
    found = Html::Format(R"(<p class="error" role="alert">{}</p>)", v.upn_problem);
  } else if (!v.upn.empty()) {
    Html rows;
    for (const service::LaPupilRow& r : v.found) rows += row(r);
    found = rows.str().empty()
                ? Html::Format("<p>No pupil with UPN {} at your schools.</p>", v.upn)
                : Html::Format(
                      R"(<table class="data"><caption>UPN {}</caption>{}<tbody>{}</tbody></table>)",
                      v.upn, head, rows);
  }
  auto links_table = [&](const std::vector<std::vector<service::LaPupilRow>>& links,
                         const char* caption, const char* none) {
    Html rows;
    for (const std::vector<service::LaPupilRow>& link : links) {
      for (const service::LaPupilRow& r : link) rows += row(r);
      rows += Html::Trusted(R"(<tr class="gap"><td colspan="5"></td></tr>)");
    }
    if (rows.str().empty()) return Html::Format("<h2>{}</h2><p>{}</p>", caption, none);
    return Html::Format(R"(<h2>{}</h2><table class="data">{}<tbody>{}</tbody></table>)", caption,
                        head, rows);
  };
  return Html::Format(
             R"(<form method="get" action="/la/pupils" class="inline"><label for="upn">UPN</label> )"
             R"(<input id="upn" name="upn" value="{}" size="15" autocomplete="off"> <button type="submit">Find</button></form>{})",
             v.upn, found) +
         links_table(v.movers, "Moved between your schools this year",
                     "No pupil has been on the roll of two of your schools this year.") +
         links_table(v.siblings,
                     "Likely siblings at different schools (the same parent on the same phone)",
                     "No two pupils at different schools have the same parent on the same phone.");
}

// The targeting-support meeting pack as sections of lines, so that the page
// and the PDF say the same.
struct PackSection {
  std::string heading;
  std::vector<std::string> lines;
};

std::vector<PackSection> PackSections(const service::LaPackView& v) {
  const json all = FiguresJson(v.figures);
  std::vector<PackSection> out;
  PackSection headline{"This year so far", {}};
  headline.lines.push_back(
      fmt::format("{} pupils. Attendance {}; authorised absence {}; unauthorised absence {}.",
                  all["pupils"].get<int64_t>(), Pct1(all["attendance_pct"]),
                  Pct1(all["authorised_pct"]), Pct1(all["unauthorised_pct"])));
  headline.lines.push_back(
      fmt::format("Persistently absent (10% or more): {}. Severely absent (50% or more): {}.",
                  CountAndPct(all, "persistent_absence", "persistent_absence_pct"),
                  CountAndPct(all, "severe_absence", "severe_absence_pct")));
  for (const NationalFigures& n : LatestNational(NationalPhaseFor(v.school.phase), 1)) {
    headline.lines.push_back(
        fmt::format("National ({} schools, {}): attendance {}%, authorised {}%, unauthorised {}%, "
                    "persistent absence {}%.",
                    n.phase, n.academic_year, n.attendance_pct, n.authorised_pct,
                    n.unauthorised_pct, n.persistent_absence_pct));
  }
  out.push_back(std::move(headline));

  PackSection trend{"Trend (year to date at each month's end)", {}};
  for (const service::LaPackView::Month& m : v.trend) {
    const json f = FiguresJson(m.figures);
    trend.lines.push_back(fmt::format(
        "to {}: attendance {}, persistent absence {}", m.to.ToString(), Pct1(f["attendance_pct"]),
        CountAndPct(f, "persistent_absence", "persistent_absence_pct")));
  }
  out.push_back(std::move(trend));

  PackSection cohorts{"By cohort", {}};
  for (const service::LaPackView::Cohort& c : v.cohorts) {
    const json f = FiguresJson(c.figures);
    cohorts.lines.push_back(
        fmt::format("{}: {} pupils, attendance {}, persistent absence {}, severe absence {}",
                    CohortLabel(c.cohort), f["pupils"].get<int64_t>(), Pct1(f["attendance_pct"]),
                    CountAndPct(f, "persistent_absence", "persistent_absence_pct"),
                    CountAndPct(f, "severe_absence", "severe_absence_pct")));
  }
  out.push_back(std::move(cohorts));

  // Persistently absent pupils, grouped by their first cohort (none last),
  // each with their stage and the support recorded this year.
  for (const service::LaPackView::Group& g : v.persistent_absence) {
    PackSection section{fmt::format("Persistently absent pupils: {}",
                                    g.cohort.empty() ? "no cohort flag" : CohortLabel(g.cohort)),
                        {}};
    for (const service::LaPackPupil& p : g.pupils) {
      const int64_t actions = p.actions;
      section.lines.push_back(fmt::format(
          "{} ({}, {}): {}; cohorts {}; stage: {}; {} meeting{}, plan{} or review{} this year",
          p.name, p.upn, service::YearGroupName(p.year_group), AttendanceText(p.attendance),
          p.cohorts.empty() ? "none" : fmt::format("{}", fmt::join(p.cohorts, ", ")),
          p.stage ? std::string(core::StageTitle(*p.stage)) : "no stage recorded", actions,
          actions == 1 ? "" : "s", actions == 1 ? "" : "s", actions == 1 ? "" : "s"));
    }
    out.push_back(std::move(section));
  }
  out.push_back({"Actions taken this year",
                 {fmt::format("{} attendance panel meeting{}, {} action plan{}, {} review{}.",
                              v.meetings, v.meetings == 1 ? "" : "s", v.plans,
                              v.plans == 1 ? "" : "s", v.reviews, v.reviews == 1 ? "" : "s")}});
  return out;
}

}  // namespace

Response App::LaSchoolsJson(Call& call) {
  StatusOr<service::LaSchoolsView> v =
      service::LaViews(*la_, clock_).Schools(*call.who, Get(call.target.query, "cohort"));
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(SchoolsJson(*v).dump());
}

Response App::PageLaSchools(Call& call) {
  StatusOr<service::LaSchoolsView> v =
      service::LaViews(*la_, clock_).Schools(*call.who, Get(call.target.query, "cohort"));
  if (!v.ok()) return Refused(call.who, call.csrf, "", v.status());
  // The API answers an unknown cohort with empty figures; the page, whose
  // picker offers only the cohorts there are, says so.
  if (!v->cohort.empty() && !std::binary_search(v->cohorts.begin(), v->cohorts.end(), v->cohort)) {
    return Refused(call.who, call.csrf, "",
                   core::InvalidArgument(core::kErrValueInvalid,
                                         fmt::format("No pupils are flagged {}.", v->cohort)));
  }
  return Layout(call.who, call.csrf, "", "Schools in your local authority", LaSchoolsPage(*v));
}

Response App::PageLaPupils(Call& call) {
  StatusOr<service::LaPupilsView> v =
      service::LaViews(*la_, clock_).Pupils(*call.who, Get(call.target.query, "upn"));
  if (!v.ok()) return Refused(call.who, call.csrf, "", v.status());
  return Layout(call.who, call.csrf, "", "Pupils across schools", LaPupilsPage(*v));
}

Response App::PageLaPack(Call& call, const std::string& urn, bool pdf) {
  StatusOr<service::LaPackView> v = service::LaViews(*la_, clock_).Pack(*call.who, urn);
  if (!v.ok()) return Refused(call.who, call.csrf, "", v.status());
  const store::School& school = v->school;
  const std::vector<PackSection> sections = PackSections(*v);
  const std::string title = fmt::format("Targeting support meeting pack: {}", school.name);
  if (pdf) {
    std::vector<std::string> paragraphs;
    paragraphs.push_back(fmt::format("URN {}, LA {}. Figures to {}, computed {}.", school.urn,
                                     school.la_code, v->as_of.ToString(),
                                     MomentText(v->computed_at)));
    for (const PackSection& section : sections) {
      std::string text = section.heading;
      for (const std::string& line : section.lines) text += "\n" + line;
      paragraphs.push_back(std::move(text));
    }
    const std::vector<letters::Page> pages = {{school.name, v->as_of.ToString(),
                                               "Local authority attendance service",
                                               "Targeting support meeting pack", paragraphs}};
    StatusOr<std::string> bytes = letters::RenderPdf(pages);
    if (!bytes.ok()) return Refused(call.who, call.csrf, "", bytes.status());
    return PdfResponse(std::move(*bytes), fmt::format("targeting-support-{}.pdf", urn));
  }
  Html body = Html::Format(
      R"(<p>URN {}, LA {}. Figures to {}, computed {}. <a href="/la/schools/{}/pack.pdf">Download as PDF</a>.</p>)",
      school.urn, school.la_code, v->as_of.ToString(), MomentText(v->computed_at), urn);
  for (const PackSection& section : sections) {
    Html items;
    for (const std::string& line : section.lines) items += Html::Format("<li>{}</li>", line);
    body += Html::Format("<h2>{}</h2><ul>{}</ul>", section.heading,
                         items.str().empty() ? Html::Trusted("<li>None.</li>") : items);
  }
  return Layout(call.who, call.csrf, "", title, body);
}

}  // namespace rollcall::web
