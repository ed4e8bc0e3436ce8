// app_la_views.cc: the local authority's cross-school views.
//
//   /la/schools[?cohort=fsm]   the school comparison with the national figures
//                              (JSON twin: GET /api/v1/la/schools)
//   /la/pupils[?upn=...]       a pupil across schools by UPN; movers; likely siblings
//   /la/schools/URN/pack[.pdf] the termly targeting-support meeting pack
//
// Every figure is an engine::GroupTotals of LaDirectory's snapshot, turned
// into a core::Aggregate and written by io::AggregateToJson, as the school's
// own dashboard writes its figures. Only LA officers use these views, and
// each sees only the schools of their LA (LaDirectory::Visible).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error_codes.h"
#include "core/graduated.h"
#include "core/upn.h"
#include "io/result_json.h"
#include "letters/pdf.h"
#include "service/la_directory.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/national.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// The figures of a group (all pupils or one cohort) of one school.
const engine::GroupTotals& GroupOf(const LaSnapshot& s, size_t school, const std::string& cohort,
                                   const engine::GroupTotals& empty) {
  const engine::SchoolStats& stats = s.stats.schools[school];
  if (cohort.empty()) return stats.school;
  const std::vector<std::string>& names = s.dataset.schools[school].cohort_names;
  auto it = std::find(names.begin(), names.end(), cohort);
  return it == names.end() ? empty : stats.cohorts[size_t(it - names.begin())];
}

json FiguresJson(const engine::GroupTotals& g) { return io::AggregateToJson(g.ToAggregate()); }

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

std::vector<std::string> PupilCohorts(const LaSnapshot& s, size_t school, size_t pupil) {
  std::vector<std::string> tags;
  const engine::School& columns = s.dataset.schools[school];
  for (size_t c = 0; c < columns.cohort_names.size(); ++c) {
    if ((columns.pupils[pupil].cohorts >> c) & 1) tags.push_back(columns.cohort_names[c]);
  }
  return tags;
}

std::string PupilAttendance(const LaSnapshot& s, size_t school, size_t pupil) {
  const engine::PupilStats& p = s.stats.schools[school].pupils[pupil];
  const std::optional<double> pct = core::Percent(p.attended, p.possible);
  std::string text = pct ? fmt::format("{:.1f}%", *pct) : "no sessions yet";
  if (p.severe_absence) {
    text += " (severe absence)";
  } else if (p.persistent_absence) {
    text += " (persistent absence)";
  }
  return text;
}

std::string EnrolmentText(const store::Pupil& p) {
  std::vector<std::string> parts;
  for (const store::Enrolment& e : p.enrolments) {
    std::string t = "from " + e.start.ToString();
    if (e.end) t += " to " + e.end->ToString();
    if (!e.destination.empty()) t += " (" + e.destination + ")";
    parts.push_back(t);
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

// The targeting-support meeting pack as sections of lines, so that the page
// and the PDF say the same.
struct PackSection {
  std::string heading;
  std::vector<std::string> lines;
};

std::vector<PackSection> Pack(const LaSnapshot& s, size_t school) {
  const LaSchool& ls = s.schools[school];
  const json all = FiguresJson(s.stats.schools[school].school);
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
  for (const NationalFigures& n : LatestNational(NationalPhaseFor(ls.school.phase), 1)) {
    headline.lines.push_back(
        fmt::format("National ({} schools, {}): attendance {}%, authorised {}%, unauthorised {}%, "
                    "persistent absence {}%.",
                    n.phase, n.academic_year, n.attendance_pct, n.authorised_pct,
                    n.unauthorised_pct, n.persistent_absence_pct));
  }
  out.push_back(std::move(headline));

  PackSection trend{"Trend (year to date at each month's end)", {}};
  for (const LaTrendPoint& t : s.trend) {
    const json f = FiguresJson(t.schools[school]);
    if (f["possible"].get<int64_t>() == 0) continue;
    trend.lines.push_back(fmt::format(
        "to {}: attendance {}, persistent absence {}", t.to.ToString(), Pct1(f["attendance_pct"]),
        CountAndPct(f, "persistent_absence", "persistent_absence_pct")));
  }
  out.push_back(std::move(trend));

  PackSection cohorts{"By cohort", {}};
  const engine::School& columns = s.dataset.schools[school];
  for (size_t c = 0; c < columns.cohort_names.size(); ++c) {
    const json f = FiguresJson(s.stats.schools[school].cohorts[c]);
    if (f["pupils"].get<int64_t>() == 0) continue;
    cohorts.lines.push_back(fmt::format(
        "{}: {} pupils, attendance {}, persistent absence {}, severe absence {}",
        CohortLabel(columns.cohort_names[c]), f["pupils"].get<int64_t>(), Pct1(f["attendance_pct"]),
        CountAndPct(f, "persistent_absence", "persistent_absence_pct"),
        CountAndPct(f, "severe_absence", "severe_absence_pct")));
  }
  out.push_back(std::move(cohorts));

  // Persistently absent pupils, grouped by their first cohort (none last),
  // each with their stage and the support recorded this year.
  const core::Date year_start = s.today.AcademicYearStart();
  std::map<std::string, std::vector<std::string>> by_cohort;
  int64_t meetings = 0, plans = 0, reviews = 0;
  for (const store::SupportEvent& e : ls.support) {
    if (e.held_on < year_start) continue;
    meetings += e.kind == store::SupportKind::kPanelMeeting;
    plans += e.kind == store::SupportKind::kActionPlan;
    reviews += e.kind == store::SupportKind::kReview;
  }
  for (size_t p = 0; p < ls.pupils.size(); ++p) {
    if (!s.stats.schools[school].pupils[p].persistent_absence) continue;
    const store::Pupil& pupil = ls.pupils[p];
    std::string stage = "no stage recorded";
    if (auto it = ls.stages.find(pupil.id); it != ls.stages.end() && !it->second.empty()) {
      stage = std::string(core::StageTitle(it->second.back().stage));
    }
    int64_t actions = 0;
    for (const store::SupportEvent& e : ls.support) {
      actions += e.pupil_id == pupil.id && e.held_on >= year_start;
    }
    const std::vector<std::string> tags = PupilCohorts(s, school, p);
    by_cohort[tags.empty() ? "~" : tags.front()].push_back(fmt::format(
        "{} ({}, {}): {}; cohorts {}; stage: {}; {} meeting{}, plan{} or review{} this year",
        DisplayName(pupil), pupil.upn,
        pupil.year_group == 0 ? "Reception" : fmt::format("Year {}", pupil.year_group),
        PupilAttendance(s, school, p),
        tags.empty() ? "none" : fmt::format("{}", fmt::join(tags, ", ")), stage, actions,
        actions == 1 ? "" : "s", actions == 1 ? "" : "s", actions == 1 ? "" : "s"));
  }
  for (auto& [cohort, lines] : by_cohort) {
    out.push_back({fmt::format("Persistently absent pupils: {}",
                               cohort == "~" ? "no cohort flag" : CohortLabel(cohort)),
                   std::move(lines)});
  }
  out.push_back({"Actions taken this year",
                 {fmt::format("{} attendance panel meeting{}, {} action plan{}, {} review{}.",
                              meetings, meetings == 1 ? "" : "s", plans, plans == 1 ? "" : "s",
                              reviews, reviews == 1 ? "" : "s")}});
  return out;
}

}  // namespace

StatusOr<std::shared_ptr<const LaSnapshot>> App::LaSnapshotFor(const Call& call) {
  RETURN_IF_ERROR(Authorize(*call.who, Action::kReadLaSchools, {}, call.who->la_code));
  return la_->Snapshot(clock_.Today(), clock_.NowSeconds());
}

Response App::LaSchoolsJson(Call& call) {
  StatusOr<std::shared_ptr<const LaSnapshot>> snapshot_or = LaSnapshotFor(call);
  if (!snapshot_or.ok()) return ErrorResponse(snapshot_or.status());
  const LaSnapshot& snapshot = **snapshot_or;
  const std::string cohort = Get(call.target.query, "cohort");
  json schools = json::array();
  engine::GroupTotals total;
  const engine::GroupTotals empty;
  for (size_t s : LaDirectory::Visible(snapshot, *call.who)) {
    const store::School& school = snapshot.schools[s].school;
    const engine::GroupTotals& g = GroupOf(snapshot, s, cohort, empty);
    total += g;
    schools.push_back({{"urn", school.urn},
                       {"name", school.name},
                       {"phase", school.phase},
                       {"la_code", school.la_code},
                       {"figures", FiguresJson(g)}});
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
  return JsonResponse(json{
      {"as_of", snapshot.today.ToString()},
      {"computed_at", IsoTime(snapshot.computed_at)},
      {"cohort", cohort},
      {"schools", schools},
      {"all_schools", FiguresJson(total)},
      {"national",
       national}}.dump());
}

Response App::PageLaSchools(Call& call) {
  StatusOr<std::shared_ptr<const LaSnapshot>> snapshot_or = LaSnapshotFor(call);
  if (!snapshot_or.ok()) return Refused(call.who, call.csrf, "", snapshot_or.status());
  const LaSnapshot& snapshot = **snapshot_or;
  const std::vector<size_t> visible = LaDirectory::Visible(snapshot, *call.who);
  const std::string cohort = Get(call.target.query, "cohort");
  std::set<std::string> cohorts;
  for (size_t s : visible) {
    const auto& names = snapshot.dataset.schools[s].cohort_names;
    cohorts.insert(names.begin(), names.end());
  }
  if (!cohort.empty() && !cohorts.count(cohort)) {
    return Refused(call.who, call.csrf, "",
                   core::InvalidArgument(core::kErrValueInvalid,
                                         fmt::format("No pupils are flagged {}.", cohort)));
  }
  Html options = Html::Format(R"(<option value=""{}>All pupils</option>)",
                              cohort.empty() ? Html::Trusted(" selected") : Html());
  for (const std::string& c : cohorts) {
    options += Html::Format(R"(<option value="{}"{}>{}</option>)", c,
                            c == cohort ? Html::Trusted(" selected") : Html(), CohortLabel(c));
  }
  auto cells = [](const json& f) {
    return Html::Format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                        f["pupils"].get<int64_t>(), PercentOf(f["attendance_pct"]),
                        PercentOf(f["authorised_pct"]), PercentOf(f["unauthorised_pct"]),
                        CountAndPct(f, "persistent_absence", "persistent_absence_pct"),
                        CountAndPct(f, "severe_absence", "severe_absence_pct"));
  };
  Html rows;
  engine::GroupTotals total;
  const engine::GroupTotals empty;
  std::set<std::string> phases;
  for (size_t s : visible) {
    const store::School& school = snapshot.schools[s].school;
    const engine::GroupTotals& g = GroupOf(snapshot, s, cohort, empty);
    total += g;
    phases.insert(std::string(NationalPhaseFor(school.phase)));
    rows += Html::Format(
        R"(<tr><th scope="row">{}</th><td>{}</td><td>{}</td>{}<td><a href="/la/schools/{}/pack">Pack</a> · <a href="/la/schools/{}/pack.pdf">PDF</a></td></tr>)",
        school.name, school.urn, school.phase, cells(FiguresJson(g)), school.urn, school.urn);
  }
  rows += Html::Format(
      R"(<tr class="total"><th scope="row">All {} schools</th><td></td><td></td>{}<td></td></tr>)",
      visible.size(), cells(FiguresJson(total)));
  for (const std::string& phase : phases) {
    for (const NationalFigures& n : LatestNational(phase, 1)) {
      rows += Html::Format(
          R"(<tr class="national"><th scope="row">National, {} ({})</th><td></td><td></td><td></td><td>{}%</td><td>{}%</td><td>{}%</td><td>{}%</td><td></td><td></td></tr>)",
          n.phase, n.academic_year, n.attendance_pct, n.authorised_pct, n.unauthorised_pct,
          n.persistent_absence_pct);
    }
  }
  const Html body = Html::Format(
      R"(<p>{} schools of LA {}, this academic year to {}; figures computed {}.</p>)"
      R"(<form method="get" action="/la/schools" class="inline"><label for="cohort">Pupils</label> )"
      R"(<select id="cohort" name="cohort">{}</select> <button type="submit">Show</button></form>)"
      R"(<table class="data"><caption>Attendance by school: {}</caption><thead><tr><th scope="col">School</th><th scope="col">URN</th><th scope="col">Phase</th>)"
      R"(<th scope="col">Pupils</th><th scope="col">Attendance</th><th scope="col">Authorised absence</th><th scope="col">Unauthorised absence</th>)"
      R"(<th scope="col">Persistent absence</th><th scope="col">Severe absence</th><th scope="col">Targeting support</th></tr></thead><tbody>{}</tbody></table>)"
      R"(<p>National figures are the DfE's for the latest full year (severe absence is not published by phase here).</p>)",
      visible.size(), call.who->la_code, snapshot.today.ToString(), IsoTime(snapshot.computed_at),
      options, CohortLabel(cohort), rows);
  return Layout(call.who, call.csrf, "", "Schools in your local authority", body);
}

Response App::PageLaPupils(Call& call) {
  StatusOr<std::shared_ptr<const LaSnapshot>> snapshot_or = LaSnapshotFor(call);
  if (!snapshot_or.ok()) return Refused(call.who, call.csrf, "", snapshot_or.status());
  const LaSnapshot& snapshot = **snapshot_or;
  const std::vector<size_t> visible = LaDirectory::Visible(snapshot, *call.who);
  auto row = [&](size_t s, size_t p) {
    const store::Pupil& pupil = snapshot.schools[s].pupils[p];
    return Html::Format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                        DisplayName(pupil), pupil.upn, snapshot.schools[s].school.name,
                        EnrolmentText(pupil), PupilAttendance(snapshot, s, p));
  };
  const Html head = Html::Trusted(
      R"(<thead><tr><th scope="col">Pupil</th><th scope="col">UPN</th><th scope="col">School</th><th scope="col">On roll</th><th scope="col">Attendance this year</th></tr></thead>)");
  Html found;
  std::string upn = Get(call.target.query, "upn");
  std::transform(upn.begin(), upn.end(), upn.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  upn.erase(std::remove(upn.begin(), upn.end(), ' '), upn.end());
  if (!upn.empty()) {
    if (Status bad = core::CheckUpn(upn); !bad.ok()) {
      found = Html::Format(R"(<p class="error" role="alert">{}</p>)", bad.message());
    } else {
      Html rows;
      for (size_t s : visible) {
        const std::vector<store::Pupil>& pupils = snapshot.schools[s].pupils;
        for (size_t p = 0; p < pupils.size(); ++p) {
          if (pupils[p].upn == upn) rows += row(s, p);
        }
      }
      found =
          rows.str().empty()
              ? Html::Format("<p>No pupil with UPN {} at your schools.</p>", upn)
              : Html::Format(
                    R"(<table class="data"><caption>UPN {}</caption>{}<tbody>{}</tbody></table>)",
                    upn, head, rows);
    }
  }
  auto links_table = [&](const std::vector<LaPupilLink>& links, const char* caption,
                         const char* none) {
    Html rows;
    for (const LaPupilLink& link : links) {
      for (auto [s, p] : link.pupils) rows += row(s, p);
      rows += Html::Trusted(R"(<tr class="gap"><td colspan="5"></td></tr>)");
    }
    if (rows.str().empty()) return Html::Format("<h2>{}</h2><p>{}</p>", caption, none);
    return Html::Format(R"(<h2>{}</h2><table class="data">{}<tbody>{}</tbody></table>)", caption,
                        head, rows);
  };
  const Html body =
      Html::Format(
          R"(<form method="get" action="/la/pupils" class="inline"><label for="upn">UPN</label> )"
          R"(<input id="upn" name="upn" value="{}" size="15" autocomplete="off"> <button type="submit">Find</button></form>{})",
          upn, found) +
      links_table(LaDirectory::Movers(snapshot, visible), "Moved between your schools this year",
                  "No pupil has been on the roll of two of your schools this year.") +
      links_table(LaDirectory::Siblings(snapshot, visible),
                  "Likely siblings at different schools (the same parent on the same phone)",
                  "No two pupils at different schools have the same parent on the same phone.");
  return Layout(call.who, call.csrf, "", "Pupils across schools", body);
}

Response App::PageLaPack(Call& call, const std::string& urn, bool pdf) {
  StatusOr<std::shared_ptr<const LaSnapshot>> snapshot_or = LaSnapshotFor(call);
  if (!snapshot_or.ok()) return Refused(call.who, call.csrf, "", snapshot_or.status());
  const LaSnapshot& snapshot = **snapshot_or;
  const std::vector<size_t> visible = LaDirectory::Visible(snapshot, *call.who);
  auto it = std::find_if(visible.begin(), visible.end(),
                         [&](size_t s) { return snapshot.schools[s].school.urn == urn; });
  if (it == visible.end()) {
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrNotFound,
                                  fmt::format("No school with URN {} among your schools.", urn)));
  }
  const LaSchool& school = snapshot.schools[*it];
  const std::vector<PackSection> sections = Pack(snapshot, *it);
  const std::string title = fmt::format("Targeting support meeting pack: {}", school.school.name);
  if (pdf) {
    std::vector<std::string> paragraphs;
    paragraphs.push_back(fmt::format("URN {}, LA {}. Figures to {}, computed {}.",
                                     school.school.urn, school.school.la_code,
                                     snapshot.today.ToString(), IsoTime(snapshot.computed_at)));
    for (const PackSection& section : sections) {
      std::string text = section.heading;
      for (const std::string& line : section.lines) text += "\n" + line;
      paragraphs.push_back(std::move(text));
    }
    const std::vector<letters::Page> pages = {{school.school.name, snapshot.today.ToString(),
                                               "Local authority attendance service",
                                               "Targeting support meeting pack", paragraphs}};
    StatusOr<std::string> bytes = letters::RenderPdf(pages);
    if (!bytes.ok()) return Refused(call.who, call.csrf, "", bytes.status());
    return PdfResponse(std::move(*bytes), fmt::format("targeting-support-{}.pdf", urn));
  }
  Html body = Html::Format(
      R"(<p>URN {}, LA {}. Figures to {}, computed {}. <a href="/la/schools/{}/pack.pdf">Download as PDF</a>.</p>)",
      school.school.urn, school.school.la_code, snapshot.today.ToString(),
      IsoTime(snapshot.computed_at), urn);
  for (const PackSection& section : sections) {
    Html items;
    for (const std::string& line : section.lines) items += Html::Format("<li>{}</li>", line);
    body += Html::Format("<h2>{}</h2><ul>{}</ul>", section.heading,
                         items.str().empty() ? Html::Trusted("<li>None.</li>") : items);
  }
  return Layout(call.who, call.csrf, "", title, body);
}

}  // namespace rollcall::web
