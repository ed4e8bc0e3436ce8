// app_find.cc: finding a pupil.
//
//   the header's search form   on every page of those who may list pupils
//   /pupils[?q=&class=&year=&band=&cohort=]   the pupil list, its filters and
//                              the search's results; a UPN searched goes
//                              straight to that pupil's page
//
// The pupils found and what the filters offer are service::SchoolViews'
// FindPupils view, which holds only the pupils the reader may see.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

#include "service/school_views.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// One <select> of the filter form: "" (everyone) first, then each choice.
Html FilterSelect(const char* id, const char* label, const char* everyone,
                  const std::vector<std::pair<std::string, std::string>>& choices,
                  const std::string& chosen) {
  Html options = Html::Format(R"(<option value="">{}</option>)", everyone);
  for (const auto& [value, text] : choices) {
    options += Html::Format(R"(<option value="{}"{}>{}</option>)", value,
                            value == chosen ? Html::Trusted(" selected") : Html(), text);
  }
  return Html::Format(
      R"(<div class="govuk-form-group"><label class="govuk-label" for="filter-{}">{}</label>)"
      R"(<select class="govuk-select" id="filter-{}" name="{}">{}</select></div>)",
      id, label, id, id, options);
}

Html PupilsPage(const service::PupilSearchView& v) {
  const service::PupilFilter& f = v.filter;
  std::vector<std::pair<std::string, std::string>> classes, years, bands, cohorts;
  for (const service::ClassRef& c : v.classes) classes.emplace_back(std::to_string(c.id), c.name);
  for (int y : v.years) years.emplace_back(std::to_string(y), service::YearGroupName(y));
  for (const std::string& b : v.bands) bands.emplace_back(b, service::BandText(b));
  for (const std::string& c : v.cohorts) cohorts.emplace_back(c, CohortLabel(c));
  Html form = Html::Format(
      R"(<form method="get" action="/pupils" class="card"><div class="govuk-form-group">)"
      R"(<label class="govuk-label" for="filter-q">Name or UPN</label>)"
      R"(<input class="govuk-input" id="filter-q" name="q" value="{}" autocomplete="off"></div>)"
      R"({}{}{}{}<button class="govuk-button" type="submit">Show pupils</button></form>)",
      f.text, FilterSelect("class", "Class", "All classes", classes, f.class_id),
      FilterSelect("year", "Year group", "All year groups", years, f.year),
      FilterSelect("band", "Attendance band", "All bands", bands, f.band),
      cohorts.empty() ? Html()
                      : FilterSelect("cohort", "Cohort", "All cohorts", cohorts, f.cohort));
  if (v.pupils.empty()) {
    return form + Html::Trusted(R"(<p class="govuk-body">No pupil you may see matches.</p>)");
  }
  Html rows;
  for (const service::FoundPupil& found : v.pupils) {
    const service::PupilListItem& p = found.pupil;
    std::vector<std::string> cohort_labels;
    for (const std::string& c : found.cohorts) cohort_labels.push_back(CohortLabel(c));
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><th scope="row" class="govuk-table__header"><a class="govuk-link" href="/pupils/{}">{}</a>{}</th>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>)",
        p.id, p.name, p.on_roll ? Html() : Html::Trusted(" (not on roll today)"), p.upn,
        p.class_ref ? p.class_ref->name : std::string("no class"),
        service::YearGroupName(p.year_group),
        found.band ? service::BandText(*found.band) : std::string("no sessions yet"),
        cohort_labels.empty() ? std::string("none")
                              : fmt::format("{}", fmt::join(cohort_labels, ", ")));
  }
  return form +
         Html::Format(
             R"(<div class="scroll"><table class="govuk-table" id="pupil-list"><caption class="govuk-table__caption govuk-table__caption--s">{} {}</caption>)"
             R"(<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Pupil</th>)"
             R"(<th scope="col" class="govuk-table__header">UPN</th><th scope="col" class="govuk-table__header">Class</th>)"
             R"(<th scope="col" class="govuk-table__header">Year group</th><th scope="col" class="govuk-table__header">Attendance band</th>)"
             R"(<th scope="col" class="govuk-table__header">Cohorts</th></tr></thead>)"
             R"(<tbody class="govuk-table__body">{}</tbody></table></div>)",
             v.pupils.size(), v.pupils.size() == 1 ? "pupil" : "pupils", rows);
}

}  // namespace

Html internal::PupilSearchForm(const Principal& who) {
  // Governors see no pupil, and parents have their children's page.
  if (who.role == Role::kGovernor || who.role == Role::kParent) return Html();
  return Html::Trusted(
      R"(<form method="get" action="/pupils" role="search" class="pupil-search">)"
      R"(<input class="govuk-input" type="search" name="q" autocomplete="off" placeholder="Name or UPN")"
      R"( aria-label="Find a pupil by name or UPN"> <button type="submit">Find a pupil</button></form>)");
}

Response App::PagePupils(Call& call) {
  const auto& q = call.target.query;
  StatusOr<service::PupilSearchView> v = services_.school_views().FindPupils(
      *call.who, {Get(q, "q"), Get(q, "class"), Get(q, "year"), Get(q, "band"), Get(q, "cohort")});
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  if (v->upn_match) return Redirect(fmt::format("/pupils/{}", *v->upn_match));
  const Html admit =
      services_.admissions().MayAdmit(*call.who)
          ? Html::Trusted(
                R"(<p class="govuk-body"><a class="govuk-button govuk-button--secondary" href="/pupils/new">Admit a pupil</a></p>)")
          : Html();
  return Layout(call.who, call.csrf, SchoolName(), "Pupils", admit + PupilsPage(*v));
}

}  // namespace rollcall::web
