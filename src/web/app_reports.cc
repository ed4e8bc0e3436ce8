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
  if (!done.ok()) {
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(R"(<p class="error" role="alert">{}</p><p><a href="/today">Back</a></p>)",
                     done.status().message()),
        HttpStatusFor(done.status().kind()));
  }
  return Redirect("/today");
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
  return Html::Format(R"(<form class="call-form" method="post" action="/today/report/{}">)"
                      R"(<input type="hidden" name="_csrf" value="{}"><span>{}</span> )"
                      R"(<label>Code <select name="code">{}</select></label> )"
                      R"(<button type="submit">Confirm and code the sessions</button></form>)",
                      r.id, call.csrf,
                      suggested ? fmt::format("Suggested: {} ({})", core::SymbolOf(*suggested),
                                              core::InfoOf(*suggested).meaning)
                                : std::string("No code suggested: choose one"),
                      options);
}

}  // namespace rollcall::web
