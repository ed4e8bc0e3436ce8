// app_census.cc: the school census attendance module (docs/census.md).
//
//   GET  /census[?census=spring&year=2026]   choose a census; its checks, totals by
//                                            year group and the returns downloaded
//   POST /census/return.xml                  the return as XML, recorded as downloaded
//   GET  /census/return.csv?census=&year=    the same figures as CSV
//   GET  /census/returns/{id}.xml            a return downloaded before, again
//
// Each renders service::CensusReturns' view; the figures come from the rules core.
#include <fmt/format.h>

#include <charconv>

#include "core/error_codes.h"
#include "service/census.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr core::Census kCensuses[] = {core::Census::kSpring, core::Census::kSummer,
                                      core::Census::kAutumn};

// "Spring census: returns the autumn term".
std::string_view CensusChoice(core::Census census) {
  switch (census) {
    case core::Census::kSpring:
      return "Spring census (January): returns the autumn term";
    case core::Census::kSummer:
      return "Summer census (May): returns the spring term";
    case core::Census::kAutumn:
      return "Autumn census (October): returns the summer term, in two halves";
  }
  core::Unreachable();
}

// The census and year of a query or form.
StatusOr<service::CensusRequest> RequestOf(const std::map<std::string, std::string>& fields) {
  const std::optional<core::Census> census = core::CensusFromName(Get(fields, "census"));
  if (!census) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "Choose the spring, summer or autumn census");
  }
  const std::string year_text = Get(fields, "year");
  int year = 0;
  const auto [end, ec] =
      std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
  if (ec != std::errc() || end != year_text.data() + year_text.size() || year_text.size() != 4) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "Enter the year the census is taken in as four digits, like 2026");
  }
  return service::CensusRequest{*census, year};
}

Html ChooseForm(core::Census census, const std::string& year) {
  Html options;
  for (core::Census c : kCensuses) {
    options += Html::Format(R"(<option value="{}"{}>{}</option>)", core::CensusName(c),
                            c == census ? Html::Trusted(" selected") : Html(), CensusChoice(c));
  }
  return Html::Format(
      R"(<form method="get" action="/census" novalidate>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="census">Census</label>)"
      R"(<select class="govuk-select" id="census" name="census">{}</select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="year">Year the census is )"
      R"(taken in</label><input class="govuk-input govuk-input--width-4" id="year" name="year" )"
      R"(inputmode="numeric" value="{}"></div>)"
      R"(<button type="submit" class="govuk-button govuk-button--secondary">Check the return</button></form>)",
      options, year);
}

// What the census returns, in words.
Html PeriodsText(const service::CensusView& v) {
  Html parts;
  for (const core::CensusPart& p : v.parts) {
    parts += Html::Format("<li>{}: {} to {}</li>", p.label, LongDate(p.period.from),
                          LongDate(p.period.to));
  }
  return Html::Format(
      R"(<p class="govuk-body">{} (census day {}) returns, for every pupil enrolment:</p>)"
      R"(<ul class="govuk-list govuk-list--bullet">{}</ul>)",
      service::CensusTitle(v.request), LongDate(v.reference_date), parts);
}

Html ProblemsHtml(const service::CensusView& v) {
  if (v.problems.empty()) {
    return Html::Format(R"(<h2 class="govuk-heading-m">Checks</h2>{})",
                        Notice(Html::Text("Every check passed.")));
  }
  Html must, check;
  for (const service::CensusProblemLine& p : v.problems) {
    (p.blocking ? must : check) += Html::Format("<li>{}</li>", p.text);
  }
  Html out = Html::Trusted(R"(<h2 class="govuk-heading-m">Checks</h2>)");
  if (v.blocking > 0) {
    out += Html::Format(
        R"(<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>)"
        R"(<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>)"
        R"({} to put right before you send the return</strong></div>)"
        R"(<ul class="govuk-list govuk-list--bullet" id="census-must">{}</ul>)",
        Plural(v.blocking, "problem"), must);
  }
  if (!check.str().empty()) {
    out += Html::Format(R"(<h3 class="govuk-heading-s">To look at</h3>)"
                        R"(<ul class="govuk-list govuk-list--bullet" id="census-check">{}</ul>)",
                        check);
  }
  return out;
}

std::vector<std::string> TotalsRow(std::string label, const service::CensusTotals& t) {
  return {std::move(label),
          std::to_string(t.pupils),
          std::to_string(t.enrolments),
          std::to_string(t.possible),
          std::to_string(t.attended),
          std::to_string(t.authorised),
          std::to_string(t.unauthorised)};
}

PackTable TotalsTable(const service::CensusView& v) {
  PackTable t{
      "Totals by year group",
      fmt::format("{}: sessions by the pupils' year group now", service::CensusTitle(v.request)),
      {"Year group", "Pupils", "Enrolments", "Possible sessions", "Attended", "Authorised absence",
       "Unauthorised absence"},
      {},
      "No pupil was on roll in the term."};
  for (const service::CensusTotals& y : v.year_groups) {
    t.rows.push_back(TotalsRow(service::YearGroupName(y.year_group), y));
  }
  if (!v.year_groups.empty()) t.rows.push_back(TotalsRow("All", v.total));
  return t;
}

PackTable ReturnsTable(const std::vector<store::CensusReturnRecord>& returns) {
  PackTable t{"Returns downloaded",
              "Each return downloaded, newest first",
              {"Census", "Downloaded", "Pupils", "Enrolments", "Problems to put right", "File"},
              {},
              "No return has been downloaded yet.",
              {},
              "Download again"};
  for (const store::CensusReturnRecord& r : returns) {
    t.rows.push_back({service::CensusTitle({r.census, r.year}),
                      fmt::format("{} by {}", MomentText(r.produced_at), r.by_name),
                      std::to_string(r.pupils), std::to_string(r.enrolments),
                      std::to_string(r.problems)});
    t.links.push_back(fmt::format("/census/returns/{}.xml", r.id));
  }
  return t;
}

}  // namespace

Response App::PageCensus(Call& call) {
  service::CensusReturns& census = services_.census();
  const std::string school = SchoolName();
  StatusOr<std::vector<store::CensusReturnRecord>> returns = census.Returns(*call.who);
  if (!returns.ok()) return Refused(call.who, call.csrf, school, returns.status());
  const bool chosen = call.target.query.count("census") > 0 || call.target.query.count("year") > 0;
  const service::CensusRequest latest = service::LatestCensus(clock_.Today());
  StatusOr<service::CensusRequest> request = chosen ? RequestOf(call.target.query) : latest;
  const core::Census shown_census =
      request.ok() ? request->census
                   : core::CensusFromName(Get(call.target.query, "census")).value_or(latest.census);
  const std::string shown_year =
      request.ok() ? std::to_string(request->year) : Get(call.target.query, "year");
  Html body;
  StatusOr<service::CensusView> v = request.ok() ? census.Prepare(*call.who, *request)
                                                 : StatusOr<service::CensusView>(request.status());
  if (!v.ok() && v.status().kind() == core::ErrorKind::kPermissionDenied) {
    return Refused(call.who, call.csrf, school, v.status());
  }
  if (!v.ok()) body += ErrorSummary(v.status().message(), "year");
  body += ChooseForm(shown_census, shown_year);
  if (v.ok()) {
    const std::string query =
        fmt::format("census={}&year={}", core::CensusName(v->request.census), v->request.year);
    body += PeriodsText(*v) + ProblemsHtml(*v) + TablesHtml({TotalsTable(*v)});
    body += Html::Format(
        R"(<h2 class="govuk-heading-m">Download</h2>)"
        R"(<p class="govuk-body">Downloading the XML records the return, with its totals, for the )"
        R"(school and the local authority to see.</p>)"
        R"(<form method="post" action="/census/return.xml" class="govuk-button-group">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="census" value="{}">)"
        R"(<input type="hidden" name="year" value="{}">)"
        R"(<button type="submit" class="govuk-button">Download the return (XML)</button>)"
        R"(<a class="govuk-link" href="/census/return.csv?{}">Download the figures (CSV)</a></form>)",
        call.csrf, core::CensusName(v->request.census), v->request.year, query);
  }
  body += TablesHtml({ReturnsTable(*returns)});
  return Layout(call.who, call.csrf, school, "School census: attendance", body,
                v.ok() ? http::status::ok : http::status::bad_request);
}

// `file` is "{id}.xml": the return as it was downloaded, so the school can
// fetch what it sent.
Response App::GetCensusReturn(Call& call, const std::string& file) {
  constexpr std::string_view kXml = ".xml";
  const std::optional<int64_t> id =
      file.ends_with(kXml) ? ParseId(std::string_view(file).substr(0, file.size() - kXml.size()))
                           : std::nullopt;
  StatusOr<service::CensusFile> xml = id ? services_.census().RecordedXml(*call.who, *id)
                                         : StatusOr<service::CensusFile>(core::NotFound(
                                               core::kErrNotFound, "No such census return."));
  if (!xml.ok()) {
    return NotSaved(call.who, call.csrf, xml.status(), "/census", "Not downloaded", SchoolName());
  }
  return Attachment(std::move(xml->text), "application/xml; charset=utf-8", xml->name);
}

Response App::PostCensusXml(Call& call) {
  const std::map<std::string, std::string> form = FormFields(call.req);
  StatusOr<service::CensusRequest> request = RequestOf(form);
  if (!request.ok()) {
    return NotSaved(call.who, call.csrf, request.status(), "/census", "Not downloaded",
                    SchoolName());
  }
  service::CensusReturns& census = services_.census();
  StatusOr<service::CensusView> v = census.Prepare(*call.who, *request);
  if (!v.ok())
    return NotSaved(call.who, call.csrf, v.status(), "/census", "Not downloaded", SchoolName());
  StatusOr<service::CensusFile> file = census.RecordXml(*call.who, *v);
  if (!file.ok())
    return NotSaved(call.who, call.csrf, file.status(), "/census", "Not downloaded", SchoolName());
  return Attachment(std::move(file->text), "application/xml; charset=utf-8", file->name);
}

Response App::GetCensusCsv(Call& call) {
  const std::string school = SchoolName();
  StatusOr<service::CensusRequest> request = RequestOf(call.target.query);
  if (!request.ok()) return Refused(call.who, call.csrf, school, request.status());
  service::CensusReturns& census = services_.census();
  StatusOr<service::CensusView> v = census.Prepare(*call.who, *request);
  if (!v.ok()) return Refused(call.who, call.csrf, school, v.status());
  service::CensusFile csv = census.Csv(*v);
  return Attachment(std::move(csv.text), "text/csv; charset=utf-8", csv.name);
}

}  // namespace rollcall::web
