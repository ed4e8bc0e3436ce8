// app_la.cc: the queue of notifications the school owes its local
// authority (docs/rules.md section 4, "Returns to the LA", and section 7), as
// JSON, a page and a CSV, and marking one sent (the school) or acknowledged
// (the LA). What is owed, when it is due and who may mark it are
// service::LaReturns' (service/la_returns.h).
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "core/error_codes.h"
#include "core/la_returns.h"
#include "service/la_returns.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

json LaNotificationJson(const service::LaNotification& n) {
  json j{{"key", n.key},
         {"kind", core::LaReturnKindName(n.kind)},
         {"title", n.title},
         {"pupil", {{"id", n.pupil_id}, {"name", n.pupil_name}, {"upn", n.upn}}},
         {"trigger", n.trigger.ToString()},
         {"due", n.due.ToString()},
         {"content", n.content},
         {"status", core::LaReturnStatusName(n.status)}};
  if (n.deletion) {
    const service::DeletionNotice& d = *n.deletion;
    j["deletion"] = {{"name", d.legal_name},         {"last_day", d.last_day.ToString()},
                     {"ground", d.ground},           {"ground_words", d.ground_words},
                     {"destination", d.destination}, {"address", d.address},
                     {"parents", d.parents},         {"emergency_phone", d.emergency_phone}};
  }
  if (n.last) {
    j["updated"] = {{"at", IsoTime(n.last->at)},
                    {"by", {{"name", n.last->by_name}, {"role", store::RoleName(n.last->by_role)}}},
                    {"note", n.last->note}};
  }
  return j;
}

// "sent" or "acknowledged", the two things done with a notification.
std::optional<core::LaReturnStatus> LaActionOf(const std::string& action) {
  const std::optional<core::LaReturnStatus> status = core::LaReturnStatusFromName(action);
  if (status == core::LaReturnStatus::kSent || status == core::LaReturnStatus::kAcknowledged) {
    return status;
  }
  return std::nullopt;
}

}  // namespace

Response App::GetLaNotifications(Call& call) {
  StatusOr<std::vector<service::LaNotification>> list = services_.la_returns().Queue(*call.who);
  if (!list.ok()) return ErrorResponse(list.status());
  json items = json::array();
  for (const service::LaNotification& n : *list) items.push_back(LaNotificationJson(n));
  return JsonResponse(json{{"notifications", std::move(items)}}.dump());
}

Response App::PostLaNotification(Call& call, const std::string& key, const std::string& action) {
  const std::optional<core::LaReturnStatus> status = LaActionOf(action);
  if (!status) {
    return ErrorResponse(
        core::NotFound(core::kErrNotFound, "no such API path: " + call.req.target));
  }
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"note"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> note = StringField(*body, "note", false);
  if (!note.ok()) return ErrorResponse(note.status());
  if (Status s = services_.la_returns().Mark(*call.who, key, *status, *note); !s.ok()) {
    return ErrorResponse(s);
  }
  return JsonResponse(json{{"key", key}, {"status", action}}.dump());
}

Response App::PageLaNotifications(Call& call, bool csv) {
  service::LaReturns& returns = services_.la_returns();
  StatusOr<std::vector<service::LaNotification>> list = returns.Queue(*call.who);
  const std::string school = SchoolName();
  if (!list.ok()) return Refused(call.who, call.csrf, school, list.status());
  if (csv) {
    std::string out = "key,kind,pupil,upn,trigger,due,status,content,updated_by,note\r\n";
    for (const service::LaNotification& n : *list) {
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\r\n", CsvField(n.key),
                         CsvField(std::string(core::LaReturnKindName(n.kind))),
                         CsvField(n.pupil_name), CsvField(n.upn), n.trigger.ToString(),
                         n.due.ToString(), core::LaReturnStatusName(n.status), CsvField(n.content),
                         CsvField(n.last ? n.last->by_name : ""),
                         CsvField(n.last ? n.last->note : ""));
    }
    return Attachment(std::move(out), "text/csv; charset=utf-8", "la-notifications.csv");
  }
  const service::LaRights rights = returns.RightsOf(*call.who);
  const bool may_send = rights.send;
  const bool may_ack = rights.acknowledge;
  auto filter = call.target.query.find("status");
  const std::string wanted = filter == call.target.query.end() ? "" : filter->second;
  Html rows;
  int overdue = 0;
  for (const service::LaNotification& n : *list) {
    const std::string_view status = core::LaReturnStatusName(n.status);
    overdue += n.status == core::LaReturnStatus::kOverdue ? 1 : 0;
    if (!wanted.empty() && status != wanted) continue;
    Html action;
    const bool can_send = may_send && (n.status == core::LaReturnStatus::kDue ||
                                       n.status == core::LaReturnStatus::kOverdue);
    const bool can_ack = may_ack && n.status == core::LaReturnStatus::kSent;
    if (can_send || can_ack) {
      action = Html::Format(
          R"(<form class="call-form" method="post" action="/la-notifications/{}/{}">)"
          R"(<input type="hidden" name="_csrf" value="{}"><label>Note <input name="note" maxlength="2000" size="14"></label> )"
          R"(<button type="submit">{}</button></form>)",
          n.key,
          core::LaReturnStatusName(can_send ? core::LaReturnStatus::kSent
                                            : core::LaReturnStatus::kAcknowledged),
          call.csrf, can_send ? "Mark as sent" : "Acknowledge");
    }
    // A deletion's particulars a line each, as the LA reads them.
    Html details = Html::Text(n.content);
    if (n.deletion) {
      Html lines;
      for (const std::string& line : service::DeletionLines(*n.deletion)) {
        lines += Html::Format("<li>{}</li>", line);
      }
      details = Html::Format(R"(<ul class="govuk-list">{}</ul>)", lines);
    }
    Html updated;
    if (n.last) {
      updated = Html::Format(R"(<div class="muted">{} by {}{}</div>)", MomentText(n.last->at),
                             n.last->by_name, n.last->note.empty() ? "" : ": " + n.last->note);
    }
    rows += Html::Format(
        R"(<tr class="note-{}"><td class="date">{}</td><td>{}</td><td><a href="/pupils/{}">{}</a></td><td>{}</td>)"
        R"(<td><strong>{}</strong>{}</td><td>{}</td></tr>)",
        status, LongDate(n.due), n.title, n.pupil_id, n.pupil_name, details, status, updated,
        action);
  }
  Html body = Html::Format(
      R"(<p>What the school owes the local authority, from the registers: new pupils within {} days, )"
      R"(deletions, sickness and continuous-absence returns and persistent lateness within {} school days, )"
      R"(and CME referrals by day 10. {} overdue.</p>)"
      R"(<form method="get" action="/la-notifications" class="inline"><label for="status">Show</label> )"
      R"(<select id="status" name="status"><option value="">all</option><option value="overdue">overdue</option>)"
      R"(<option value="due">due</option><option value="sent">sent</option><option value="acknowledged">acknowledged</option></select> )"
      R"(<button type="submit">Show</button> <a href="/la-notifications.csv">Download as CSV</a> )"
      R"(<a href="/api/v1/la-notifications">JSON</a></form>)"
      R"(<div class="scroll"><table><thead><tr><th>Due</th><th>Notification</th><th>Pupil</th><th>Details</th>)"
      R"(<th>Status</th><th></th></tr></thead><tbody>{}</tbody></table></div>)",
      core::kAdmissionReturnDays, core::kAlertReturnSchoolDays, overdue,
      rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="6">None.</td></tr>)") : rows);
  return Layout(call.who, call.csrf, school, "LA notifications",
                DoneBanner(call.target.query) + body);
}

Response App::PageMarkNotification(Call& call, const std::string& key, const std::string& action) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const std::optional<core::LaReturnStatus> status = LaActionOf(action);
  const Status s = status ? services_.la_returns().Mark(*call.who, key, *status, form["note"])
                          : core::NotFound(core::kErrNotFound, "No such action.");
  if (!s.ok()) {
    return NotSaved(call.who, call.csrf, s, "/la-notifications");
  }
  return RedirectDone("/la-notifications", status == core::LaReturnStatus::kSent
                                               ? Done::kNotificationSent
                                               : Done::kNotificationReceived);
}

Html App::LaTodaySection(const Call& call) {
  StatusOr<std::vector<service::LaNotification>> list = services_.la_returns().Queue(*call.who);
  if (!list.ok()) return Html();
  int overdue = 0, due = 0;
  for (const service::LaNotification& n : *list) {
    overdue += n.status == core::LaReturnStatus::kOverdue ? 1 : 0;
    due += n.status == core::LaReturnStatus::kDue ? 1 : 0;
  }
  return Html::Format(
      R"(<h2>Notifications to the local authority</h2><p><a href="/la-notifications?status=overdue">{} overdue</a>, )"
      R"(<a href="/la-notifications?status=due">{} due</a>.</p>)",
      overdue, due);
}

}  // namespace rollcall::web
