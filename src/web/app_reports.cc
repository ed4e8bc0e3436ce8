// app_reports.cc: confirming a parent's absence report. The office sees the
// code the reason suggests (illness I, appointment M, religious observance
// R), may choose another, and one action records it on every session the
// report covers up to now that is still N or unmarked, through RecordMark
// (the same checks and audit trail as any register change), then resolves
// the report once none of its days is still to come.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/error_codes.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

std::optional<core::AttendanceCode> SuggestedCode(std::string_view reason) {
  // Whole words only: "will" is not "ill".
  std::vector<std::string> words;
  std::string word;
  for (char c : std::string(reason) + " ") {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  const auto any = [&](std::initializer_list<std::string_view> wanted) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
      return std::find(wanted.begin(), wanted.end(), w) != wanted.end();
    });
  };
  // Appointments first: "hospital appointment for her cough" is an appointment.
  if (any({"appointment", "appt", "dentist", "dental", "doctor", "doctors", "hospital",
           "orthodontist", "optician", "opticians", "clinic", "gp", "surgery"})) {
    return core::AttendanceCode::kMedical;
  }
  if (any({"ill",     "illness", "sick",       "unwell",   "poorly",   "temperature",
           "fever",   "vomit",   "vomiting",   "sickness", "cough",    "cold",
           "flu",     "covid",   "chickenpox", "headache", "migraine", "tummy",
           "stomach", "bug",     "diarrhoea"})) {
    return core::AttendanceCode::kIllness;
  }
  if (any({"religious", "eid", "diwali", "kippur", "rosh", "vaisakhi", "holy"})) {
    return core::AttendanceCode::kReligious;
  }
  return std::nullopt;
}

StatusOr<App::ReportConfirmation> App::ConfirmReport(const Call& call, int64_t report_id,
                                                     const std::string& code_text) {
  RETURN_IF_ERROR(Allow(call, Action::kResolveAbsenceReport, {}));
  ASSIGN_OR_RETURN(std::vector<store::AbsenceReport> open, store_.ListAbsenceReports(true));
  auto r = std::find_if(open.begin(), open.end(),
                        [&](const store::AbsenceReport& a) { return a.id == report_id; });
  if (r == open.end()) {
    return core::NotFound(core::kErrReportUnknown,
                          fmt::format("no open absence report {}", report_id));
  }
  const std::optional<core::AttendanceCode> code = core::CodeFromSymbol(code_text);
  if (!code) {
    return core::InvalidArgument(core::kErrCodeUnknown,
                                 fmt::format("'{}' is not an attendance code", code_text));
  }
  const Date today = clock_.Today();
  ReportConfirmation out;
  std::vector<core::SessionKey> slots;
  bool afternoon_to_come = false;
  {
    std::shared_lock lock(mu_);
    const core::Calendar& calendar = snapshot_.scenario.calendar;
    auto it = snapshot_.pupil_index.find(r->pupil_id);
    if (it == snapshot_.pupil_index.end()) {
      return core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", r->pupil_id));
    }
    const int now_minute = clock_.MinuteOfDay();
    for (int32_t i = calendar.FirstSessionOnOrAfter(r->from);
         i < calendar.SessionCount() && calendar.SessionAt(i).date <= std::min(r->to, today); ++i) {
      const core::SessionKey slot = calendar.SessionAt(i);
      if (slot.date == today && slot.session == core::Session::kPm &&
          now_minute < snapshot_.settings.pm_start_minute) {
        afternoon_to_come = true;  // coded once it has started
        continue;
      }
      if (!snapshot_.scenario.pupils[it->second].OnRollOn(slot.date)) continue;
      const std::optional<core::AttendanceCode> current = MarkAt(it->second, slot).code;
      if (!current || *current == core::AttendanceCode::kNoReasonYet) slots.push_back(slot);
    }
  }
  for (const core::SessionKey& slot : slots) {
    MarkRequest m{slot.date.ToString(),
                  std::string(core::SessionName(slot.session)),
                  std::to_string(r->pupil_id),
                  code_text,
                  "Parent reported: " + r->reason,
                  ""};
    ASSIGN_OR_RETURN(MarkResult result, RecordMark(call, m));
    (void)result;
    out.coded.push_back(slot);
  }
  out.resolved = r->to < today || (r->to == today && !afternoon_to_come);
  if (out.resolved) {
    std::string sessions;
    for (const core::SessionKey& s : out.coded) {
      sessions += (sessions.empty() ? "" : ", ") + s.date.ToString() + " " +
                  std::string(core::SessionName(s.session));
    }
    const std::string resolution =
        out.coded.empty()
            ? fmt::format("Confirmed as {}: the sessions were already coded", code_text)
            : fmt::format("Recorded as {} ({}): {}", code_text, core::InfoOf(*code).meaning,
                          sessions);
    RETURN_IF_ERROR(
        store_.ResolveAbsenceReport(r->id, clock_.NowSeconds(), call.who->user_id, resolution));
  }
  return out;
}

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
  StatusOr<ReportConfirmation> done = ConfirmReport(call, *id, *code);
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
  StatusOr<ReportConfirmation> done =
      id ? ConfirmReport(call, *id, form["code"])
         : StatusOr<ReportConfirmation>(core::NotFound(core::kErrReportUnknown, "No such report."));
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
