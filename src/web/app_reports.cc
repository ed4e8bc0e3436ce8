// app_reports.cc: confirming a parent's absence report. The office sees the
// code the reason suggests (illness I, appointment M, religious observance
// R) and may choose another; service::AbsenceReports records it on every
// session the report covers up to now that is still N or unmarked and
// resolves the report (service/absence_reports.h).
#include <fmt/format.h>

#include <string>

#include "core/codes.h"
#include "core/error_codes.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// What confirming a report did: "Confirmed: 2 sessions coded I (illness).",
// and whether the report stays on the list for its days still to come.
std::string ConfirmedWords(const service::ReportConfirmation& done, const std::string& symbol) {
  const std::optional<core::AttendanceCode> code = core::CodeFromSymbol(symbol);
  std::string words =
      done.coded.empty()
          ? std::string("Confirmed: no session of the report needed coding yet.")
          : fmt::format("Confirmed: {} session{} coded {}{}.", done.coded.size(),
                        done.coded.size() == 1 ? "" : "s", symbol,
                        code ? fmt::format(" ({})", core::InfoOf(*code).meaning) : std::string());
  words += done.resolved ? " The report is done."
                         : " The report stays on the list for its days still to come.";
  return words;
}

}  // namespace

Response App::PostConfirmReport(Call& call, const std::string& id_text) {
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) {
    return ErrorResponse(
        core::NotFound(core::kErrReportUnknown, "no absence report '" + id_text + "'"));
  }
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"code"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> code = StringField(*body, "code", true);
  if (!code.ok()) return ErrorResponse(code.status());
  StatusOr<service::ReportConfirmation> done =
      services_.absence_reports().Confirm(*call.who, {*id, *code});
  if (!done.ok()) return ErrorResponse(done.status());
  json coded = json::array();
  for (const core::SessionKey& s : done->coded) {
    coded.push_back({{"date", s.date.ToString()}, {"session", core::SessionName(s.session)}});
  }
  return JsonResponse(
      json{{"id", *id}, {"coded", std::move(coded)}, {"resolved", done->resolved}}.dump());
}

Response App::PageConfirmReport(Call& call, const std::string& id_text) {
  std::map<std::string, std::string> form = FormFields(call.req);
  std::optional<int64_t> id = ParseId(id_text);
  StatusOr<service::ReportConfirmation> done =
      id ? services_.absence_reports().Confirm(*call.who, {*id, form["code"]})
         : StatusOr<service::ReportConfirmation>(
               core::NotFound(core::kErrReportUnknown, "No such report."));
  if (call.req.htmx) {
    // In place of the report's item on Today: what was done, or why not.
    // htmx swaps only a 2xx answer, so a refusal is one too.
    if (!done.ok()) {
      return HtmlResponse(
          Html::Format(R"(<li>{}<p class="govuk-body"><a class="govuk-link" href="/today">)"
                       R"(Reload the page</a> to see the report again.</p></li>)",
                       ErrorSummary("Not saved: " + done.status().message()))
              .str());
    }
    return HtmlResponse(
        Html::Format("<li>{}</li>", SuccessBanner(ConfirmedWords(*done, form["code"]))).str());
  }
  if (!done.ok()) {
    return NotSaved(call.who, call.csrf, done.status(), "/today");
  }
  return RedirectDone("/today", Done::kReportConfirmed);
}

Html App::ReportConfirmForm(const Call& call, const store::AbsenceReport& r) const {
  const std::optional<core::AttendanceCode> suggested = SuggestedCode(r.reason);
  Html options;
  const Date today = clock_.Today();
  for (const core::CodeInfo& info : core::AllCodes()) {
    if ((info.category != core::StatCategory::kAuthorised &&
         info.category != core::StatCategory::kUnauthorised) ||
        !core::IsValidOn(info.code, today) || info.code == core::AttendanceCode::kNoReasonYet ||
        info.code == core::AttendanceCode::kLateAfterClose) {
      continue;
    }
    options += Html::Format(R"(<option value="{}"{}>{}: {}</option>)", info.symbol,
                            suggested == info.code ? Html::Trusted(" selected") : Html(),
                            info.symbol, info.meaning);
  }
  return Html::Format(R"(<form class="call-form" method="post" action="/today/report/{}" )"
                      R"(hx-post="/today/report/{}" hx-target="closest li" hx-swap="outerHTML">)"
                      R"(<input type="hidden" name="_csrf" value="{}"><span>{}</span> )"
                      R"(<label>Code <select name="code">{}</select></label> )"
                      R"(<button type="submit">Confirm and code the sessions</button></form>)",
                      r.id, r.id, call.csrf,
                      suggested ? fmt::format("Suggested: {} ({})", core::SymbolOf(*suggested),
                                              core::InfoOf(*suggested).meaning)
                                : std::string("No code suggested: choose one"),
                      options);
}

}  // namespace rollcall::web
