// app_la_views.cc: the local authority's cross-school views.
//
//   /la/schools[?cohort=fsm]   the school comparison with the national figures
//                              (JSON twin: GET /api/v1/la/schools)
//   /la/schools/URN            one school's figures as the LA holds them: its dashboard
//   /la/pupils[?upn=...]       a pupil across schools by UPN; movers; likely siblings
//   /la/schools/URN/pack[.pdf] the termly targeting-support meeting pack, as tables
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
#include "service/census.h"
#include "service/la_views.h"
#include "service/letters.h"
#include "service/records.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/national.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

json FiguresJson(const core::Aggregate& a) { return io::AggregateToJson(a); }

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
    std::string t = "from " + LongDate(e.start);
    if (e.end) t += " to " + LongDate(*e.end);
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
        R"(<tr><th scope="row"><a href="/la/schools/{}">{}</a></th><td>{}</td><td>{}</td>{}<td><a href="/la/schools/{}/pack">Pack</a> · <a href="/la/schools/{}/pack.pdf">PDF</a></td></tr>)",
        school.urn, school.name, school.urn, school.phase, cells(FiguresJson(s.figures)),
        school.urn, school.urn);
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
      v.schools.size(), v.la_code, LongDate(v.as_of), MomentText(v.computed_at), options,
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
    found = ErrorSummary(v.upn_problem, "upn");
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

// The figures the LA holds of one school: this year against the national
// figures, the trend month by month and each cohort.
std::vector<PackTable> FigureTables(const service::LaSchoolView& v) {
  const json all = FiguresJson(v.figures);
  std::vector<PackTable> out;
  PackTable year{"This year so far",
                 fmt::format("{}, this academic year to {}, and the national figures",
                             v.school.name, service::LongDate(v.as_of)),
                 {"", "Pupils", "Attendance", "Authorised absence", "Unauthorised absence",
                  "Persistent absence (10% or more)", "Severe absence (50% or more)"},
                 {},
                 ""};
  year.rows.push_back({v.school.name, std::to_string(all["pupils"].get<int64_t>()),
                       Pct1(all["attendance_pct"]), Pct1(all["authorised_pct"]),
                       Pct1(all["unauthorised_pct"]),
                       CountAndPct(all, "persistent_absence", "persistent_absence_pct"),
                       CountAndPct(all, "severe_absence", "severe_absence_pct")});
  for (const NationalFigures& n : LatestNational(NationalPhaseFor(v.school.phase), 1)) {
    year.rows.push_back({fmt::format("National ({} schools, {})", n.phase, n.academic_year), "–",
                         fmt::format("{}%", n.attendance_pct), fmt::format("{}%", n.authorised_pct),
                         fmt::format("{}%", n.unauthorised_pct),
                         fmt::format("{}%", n.persistent_absence_pct), "not published"});
  }
  out.push_back(std::move(year));

  PackTable trend{
      "Trend (year to date at each month's end)",
      "Attendance and persistent absence from the start of the year to each month's end",
      {"To", "Attendance", "Persistent absence"},
      {},
      "No sessions yet this year."};
  for (const service::LaSchoolView::Month& m : v.trend) {
    const json f = FiguresJson(m.figures);
    trend.rows.push_back({service::LongDate(m.to), Pct1(f["attendance_pct"]),
                          CountAndPct(f, "persistent_absence", "persistent_absence_pct")});
  }
  out.push_back(std::move(trend));

  PackTable cohorts{"By cohort",
                    "Each cohort's pupils this year so far",
                    {"Cohort", "Pupils", "Attendance", "Persistent absence", "Severe absence"},
                    {},
                    "No pupil holds a cohort flag."};
  for (const service::LaSchoolView::Cohort& c : v.cohorts) {
    const json f = FiguresJson(c.figures);
    cohorts.rows.push_back({CohortLabel(c.cohort), std::to_string(f["pupils"].get<int64_t>()),
                            Pct1(f["attendance_pct"]),
                            CountAndPct(f, "persistent_absence", "persistent_absence_pct"),
                            CountAndPct(f, "severe_absence", "severe_absence_pct")});
  }
  out.push_back(std::move(cohorts));
  return out;
}

// The last school census return the school downloaded, as the LA sees it;
// nothing for those who may not see the returns.
Html LastCensusHtml(const service::LaSchoolView& v) {
  if (!v.last_census) {
    return Html::Trusted(
        R"(<h2 class="govuk-heading-m">School census</h2>)"
        R"(<p class="govuk-body" id="last-census">No census return downloaded yet.</p>)");
  }
  const store::CensusReturnRecord& r = *v.last_census;
  return Html::Format(
      R"(<h2 class="govuk-heading-m">School census</h2><p class="govuk-body" id="last-census">)"
      R"(Last return: {}, downloaded {} by {}: {} pupils, {} enrolments, {} possible sessions, )"
      R"({} authorised and {} unauthorised absences; {} when downloaded.</p>)",
      service::CensusTitle({r.census, r.year}), MomentText(r.produced_at), r.by_name, r.pupils,
      r.enrolments, r.possible, r.authorised, r.unauthorised,
      r.problems == 0 ? std::string("every check passed")
                      : Plural(r.problems, "problem") + " still to put right");
}

// The pack: the school's figures, then its persistently absent pupils
// grouped by their first cohort (none last), each with their stage and the
// support recorded this year, then the actions taken.
std::vector<PackTable> PackTables(const service::LaPackView& v) {
  std::vector<PackTable> out = FigureTables(v);
  const std::vector<std::string> columns = {"Pupil",
                                            "UPN",
                                            "Year group",
                                            "Attendance this year",
                                            "Cohorts",
                                            "Stage",
                                            "Meetings, plans and reviews this year"};
  for (const service::LaPackView::Group& g : v.persistent_absence) {
    const std::string cohort = g.cohort.empty() ? "no cohort flag" : CohortLabel(g.cohort);
    PackTable table{
        fmt::format("Persistently absent pupils: {}", cohort),
        g.cohort.empty()
            ? std::string("Persistently absent pupils who hold no cohort flag")
            : fmt::format("Persistently absent pupils whose first cohort flag is {}", cohort),
        columns,
        {},
        ""};
    for (const service::LaPackPupil& p : g.pupils) {
      std::vector<std::string> cohort_words;
      for (const std::string& tag : p.cohorts) cohort_words.push_back(CohortLabel(tag));
      table.rows.push_back(
          {p.name, p.upn, service::YearGroupName(p.year_group), AttendanceText(p.attendance),
           cohort_words.empty() ? "none" : fmt::format("{}", fmt::join(cohort_words, ", ")),
           p.stage ? std::string(core::StageTitle(*p.stage)) : "no stage recorded",
           std::to_string(p.actions)});
    }
    out.push_back(std::move(table));
  }
  if (v.persistent_absence.empty()) {
    out.push_back({"Persistently absent pupils",
                   "",
                   columns,
                   {},
                   "No pupil is persistently absent this year."});
  }
  out.push_back({"Actions taken this year",
                 "Support recorded for the school's pupils this year",
                 {"Action", "Number"},
                 {{"Attendance panel meetings", std::to_string(v.meetings)},
                  {"Action plans", std::to_string(v.plans)},
                  {"Reviews", std::to_string(v.reviews)}},
                 ""});
  return out;
}

// Each table as a paragraph for the PDF: its heading, then a line a row,
// each cell after the first under its column's name.
std::vector<std::string> TablesText(const std::vector<PackTable>& tables) {
  std::vector<std::string> out;
  for (const PackTable& t : tables) {
    std::string text = t.heading;
    if (t.rows.empty()) text += "\n" + t.none;
    for (const std::vector<std::string>& row : t.rows) {
      std::vector<std::string> cells;
      for (size_t i = 1; i < row.size() && i < t.columns.size(); ++i) {
        cells.push_back(t.columns[i] + " " + row[i]);
      }
      text += fmt::format("\n{}: {}", row.front(), fmt::join(cells, "; "));
    }
    out.push_back(std::move(text));
  }
  return out;
}

}  // namespace

Html internal::TablesHtml(const std::vector<PackTable>& tables) {
  Html out;
  for (const PackTable& t : tables) {
    out += Html::Format(R"(<h2 class="govuk-heading-m">{}</h2>)", t.heading);
    if (t.rows.empty()) {
      out += Html::Format(R"(<p class="govuk-body">{}</p>)", t.none);
      continue;
    }
    Html head;
    for (const std::string& c : t.columns) {
      head += Html::Format(R"(<th scope="col" class="govuk-table__header">{}</th>)", c);
    }
    Html rows;
    for (size_t r = 0; r < t.rows.size(); ++r) {
      const std::vector<std::string>& row = t.rows[r];
      Html cells;
      for (size_t i = 0; i < row.size(); ++i) {
        cells +=
            i == 0 ? Html::Format(R"(<th scope="row" class="govuk-table__header">{}</th>)", row[i])
                   : Html::Format(R"(<td class="govuk-table__cell">{}</td>)", row[i]);
      }
      if (r < t.links.size()) {
        cells += t.links[r].empty()
                     ? Html::Format(R"(<td class="govuk-table__cell"></td>)")
                     : Html::Format(R"(<td class="govuk-table__cell"><a class="govuk-link" )"
                                    R"(href="{}">{}<span class="govuk-visually-hidden"> {})"
                                    R"(</span></a></td>)",
                                    t.links[r], t.link_text, row.empty() ? "" : row[0]);
      }
      rows += Html::Format(R"(<tr class="govuk-table__row">{}</tr>)", cells);
    }
    out += Html::Format(
        R"(<div class="scroll"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--s">{}</caption>)"
        R"(<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>)"
        R"(<tbody class="govuk-table__body">{}</tbody></table></div>)",
        t.caption, head, rows);
  }
  return out;
}

std::string internal::CohortLabel(const std::string& tag) {
  return tag.empty() ? std::string("all pupils") : service::CohortText(tag);
}

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

Response App::PageLaSchool(Call& call, const std::string& urn) {
  StatusOr<service::LaSchoolView> v = service::LaViews(*la_, clock_).SchoolFigures(*call.who, urn);
  if (!v.ok()) return Refused(call.who, call.csrf, "", v.status());
  // The school this server keeps has its full dashboard; of the others the
  // LA holds only these figures.
  const bool served = services_.school_views().Facts().urn == v->school.urn;
  Html body = Html::Format(
      R"(<p class="govuk-body">URN {}, LA {}. Figures to {}, computed {}.</p><ul class="govuk-list">)"
      R"(<li><a class="govuk-link" href="/la/schools/{}/pack">Targeting support meeting pack</a> )"
      R"((<a class="govuk-link" href="/la/schools/{}/pack.pdf">PDF</a>)</li>{}</ul>)",
      v->school.urn, v->school.la_code, service::LongDate(v->as_of), LocalTime(v->computed_at), urn,
      urn,
      served ? Html::Trusted(
                   R"(<li><a class="govuk-link" href="/school">The school's full dashboard: )"
                   R"(year groups, classes, weeks, reasons and pupils</a></li>)")
             : Html());
  return Layout(call.who, call.csrf, "", "Dashboard: " + v->school.name,
                body + TablesHtml(FigureTables(*v)) + LastCensusHtml(*v));
}

Response App::PageLaPack(Call& call, const std::string& urn, bool pdf) {
  StatusOr<service::LaPackView> v = service::LaViews(*la_, clock_).Pack(*call.who, urn);
  if (!v.ok()) return Refused(call.who, call.csrf, "", v.status());
  const store::School& school = v->school;
  const std::vector<PackTable> tables = PackTables(*v);
  const std::string title = fmt::format("Targeting support meeting pack: {}", school.name);
  if (pdf) {
    std::vector<std::string> paragraphs;
    paragraphs.push_back(fmt::format("URN {}, LA {}. Figures to {}, computed {}.", school.urn,
                                     school.la_code, service::LongDate(v->as_of),
                                     MomentText(v->computed_at)));
    for (std::string& text : TablesText(tables)) paragraphs.push_back(std::move(text));
    const std::vector<letters::Page> pages = {{school.name, service::LongDate(v->as_of),
                                               "Local authority attendance service",
                                               "Targeting support meeting pack", paragraphs}};
    StatusOr<std::string> bytes = letters::RenderPdf(pages);
    if (!bytes.ok()) return Refused(call.who, call.csrf, "", bytes.status());
    return PdfResponse(std::move(*bytes), fmt::format("targeting-support-{}.pdf", urn));
  }
  Html body = Html::Format(
      R"(<p class="govuk-body">URN {}, LA {}. Figures to {}, computed {}. )"
      R"(<a class="govuk-link" href="/la/schools/{}/pack.pdf">Download as PDF</a>.</p>)",
      school.urn, school.la_code, service::LongDate(v->as_of), MomentText(v->computed_at), urn);
  return Layout(call.who, call.csrf, "", title, body + TablesHtml(tables));
}

}  // namespace rollcall::web
