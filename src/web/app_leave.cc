// app_leave.cc: the pages and API of leave of absence (service/leave.h,
// docs/rules.md section 6): requests, the head's decisions with their
// letters, and coding what follows a decision.
#include <fmt/format.h>

#include <tuple>

#include "core/error_codes.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h
using service::SlotWords;

namespace {

// A request from a JSON body (the API's, or a form's put as one).
StatusOr<service::NewLeaveRequest> LeaveRequestOf(int64_t pupil_id, const nlohmann::json& body) {
  service::NewLeaveRequest r;
  r.pupil_id = pupil_id;
  for (auto [key, field, required] :
       {std::tuple{"from", &r.from, true}, std::tuple{"from_session", &r.from_session, false},
        std::tuple{"to", &r.to, true}, std::tuple{"to_session", &r.to_session, false},
        std::tuple{"code", &r.code, true}, std::tuple{"reason", &r.reason, true},
        std::tuple{"evidence", &r.evidence, false},
        std::tuple{"received_on", &r.received_on, false}}) {
    ASSIGN_OR_RETURN(*field, StringField(body, key, required));
  }
  return r;
}

StatusOr<service::LeaveDecisionRequest> DecisionOf(const std::string& id,
                                                   const nlohmann::json& body) {
  service::LeaveDecisionRequest d;
  d.request_id = id;
  ASSIGN_OR_RETURN(d.decision, StringField(body, "decision", true));
  ASSIGN_OR_RETURN(d.reason, StringField(body, "reason", false));
  return d;
}

}  // namespace

json App::LeaveJson(const LeaveView& v) {
  json j{{"id", v.r.id},
         {"pupil", {{"id", v.r.pupil_id}, {"name", v.pupil_name}}},
         {"from",
          {{"date", v.r.from.date.ToString()}, {"session", core::SessionName(v.r.from.session)}}},
         {"to", {{"date", v.r.to.date.ToString()}, {"session", core::SessionName(v.r.to.session)}}},
         {"code", core::SymbolOf(v.r.code)},
         {"reason", v.r.reason},
         {"evidence", v.r.evidence},
         {"received_on", v.r.received_on.ToString()},
         {"sessions", v.sessions.size()},
         {"warnings", v.warnings},
         {"status", service::LeaveStatusName(v)},
         {"requested_by", {{"name", v.r.by_name}, {"role", store::RoleName(v.r.by_role)}}}};
  if (v.decision) {
    j["decision"] = {
        {"decision", store::LeaveOutcomeName(v.decision->decision)},
        {"reason", v.decision->reason},
        {"at", IsoTime(v.decision->at)},
        {"by", {{"name", v.decision->by_name}, {"role", store::RoleName(v.decision->by_role)}}},
        {"letter_id", v.decision->letter_id ? json(*v.decision->letter_id) : json(nullptr)}};
  }
  return j;
}

// ---------------------------------------------------------------------------
// API

Response App::PostLeaveRequest(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"from", "from_session", "to", "to_session", "code", "reason", "evidence", "received_on"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<service::NewLeaveRequest> r = LeaveRequestOf(pupil_id, *body);
  if (!r.ok()) return ErrorResponse(r.status());
  StatusOr<LeaveView> v = services_.leave().Request(*call.who, *r);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(LeaveJson(*v).dump(), http::status::created);
}

Response App::ListLeaveRequests(Call& call) {
  json items = json::array();
  for (const LeaveView& v : services_.leave().Views(*call.who, std::nullopt)) {
    items.push_back(LeaveJson(v));
  }
  return JsonResponse(json{{"leave_requests", std::move(items)}}.dump());
}

Response App::PostLeaveDecision(Call& call, const std::string& id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"decision", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<service::LeaveDecisionRequest> asked = DecisionOf(id, *body);
  if (!asked.ok()) return ErrorResponse(asked.status());
  StatusOr<store::LeaveDecision> d = services_.leave().Decide(*call.who, *asked);
  if (!d.ok()) return ErrorResponse(d.status());
  return JsonResponse(json{{"id", d->request_id},
                           {"decision", store::LeaveOutcomeName(d->decision)},
                           {"letter_id", d->letter_id ? json(*d->letter_id) : json(nullptr)}}
                          .dump(),
                      http::status::created);
}

// ---------------------------------------------------------------------------
// Pages

Html App::LeaveSection(const Call& call, const store::Pupil& p, bool parent_card) {
  StatusOr<service::PupilLeave> leave = services_.leave().ForPupil(*call.who, p.id);
  if (!leave.ok()) return Html();  // not theirs to see
  Html items;
  for (const LeaveView& v : leave->requests) {
    Html warnings;
    if (!parent_card) {
      for (const std::string& w : v.warnings) warnings += Html::Format("<li>{}</li>", w);
    }
    Html decide;
    if (leave->may_decide && !v.decision) {
      decide = Html::Format(
          R"(<form class="call-form" method="post" action="/leave/{}/decide"><input type="hidden" name="_csrf" value="{}">)"
          R"(<label>Reason <input name="reason" required maxlength="1000" size="24"></label> )"
          R"(<button name="decision" value="granted">Grant</button> <button name="decision" value="refused">Refuse</button></form>)",
          v.r.id, call.csrf);
    }
    items += Html::Format(
        R"(<li><strong>{} to {}</strong> ({}, {}): {}{}. Asked {} by {}. <strong>{}</strong>{}{}{}</li>)",
        SlotWords(v.r.from), SlotWords(v.r.to),
        Plural(static_cast<int64_t>(v.sessions.size()), "session"), CodeText(v.r.code), v.r.reason,
        v.r.evidence.empty() ? std::string() : "; evidence: " + v.r.evidence,
        LongDate(v.r.received_on), v.r.by_name,
        v.decision ? service::LeaveStatusName(v) : "awaiting the head's decision",
        v.decision && !v.decision->reason.empty() ? Html::Format(" — {}", v.decision->reason)
                                                  : Html(),
        warnings.str().empty() ? Html() : Html::Format(R"(<ul class="muted">{}</ul>)", warnings),
        decide);
  }
  Html form;
  if (leave->may_ask) {
    Html codes;
    for (core::AttendanceCode c :
         {core::AttendanceCode::kExceptional, core::AttendanceCode::kMedical,
          core::AttendanceCode::kInterview, core::AttendanceCode::kStudyLeave,
          core::AttendanceCode::kPerformance}) {
      codes += Html::Format(R"(<option value="{}">{}</option>)", core::SymbolOf(c),
                            core::InfoOf(c).meaning);
    }
    const std::string id = std::to_string(p.id);
    form = Html::Format(
        R"(<details><summary>Ask for leave of absence</summary><form class="stack" method="post" action="/leave/request">)"
        R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="pupil" value="{}">)"
        R"({}{})"
        R"(<label for="lv-code-{}">Kind of leave</label><select id="lv-code-{}" name="code">{}</select>)"
        R"(<label for="lv-reason-{}">Reason</label><input id="lv-reason-{}" name="reason" required maxlength="1000">)"
        R"(<label for="lv-evidence-{}">Evidence (letter, licence…)</label><input id="lv-evidence-{}" name="evidence" maxlength="1000">)"
        R"({}<p><button type="submit">Send the request</button></p></form></details>)",
        call.csrf, p.id, DateInput("lv-from-" + id, "from", "First day", std::nullopt),
        DateInput("lv-to-" + id, "to", "Last day", std::nullopt), id, id, codes, id, id, id, id,
        leave->may_date_receipt
            ? DateInput("lv-received-" + id, "received_on", "Received on", clock_.Today(), false)
            : Html());
  }
  return Html::Format(R"({}<ul>{}</ul>{})",
                      parent_card ? Html::Trusted("<h3>Leave of absence</h3>")
                                  : Html::Trusted(R"(<h2 id="leave">Leave of absence</h2>)"),
                      items.str().empty() ? Html::Trusted("<li>No requests.</li>") : items, form);
}

Html App::LeaveTodaySection(const Call& call) {
  StatusOr<service::LeaveWorklist> work = services_.leave().Worklist(*call.who);
  if (!work.ok()) return Html();
  Html pending;
  for (const LeaveView& v : work->pending) {
    pending += Html::Format(
        R"(<li><a href="/pupils/{}#leave">{}</a>: {} to {} ({}), {}, {}{}</li>)", v.r.pupil_id,
        v.pupil_name, SlotWords(v.r.from), SlotWords(v.r.to), CodeText(v.r.code), v.r.reason,
        v.warnings.empty() ? std::string("no warnings") : v.warnings.front(),
        v.warnings.size() > 1 ? fmt::format(" (+{} more)", v.warnings.size() - 1) : "");
  }
  Html follow;
  for (const service::LeaveFollowUp& f : work->follow_ups) {
    follow += Html::Format(
        R"(<li><a href="/pupils/{}#leave">{}</a>: {} — {} still N from {}{} )"
        R"(<form class="inline-form" method="post" action="/today/leave/{}/{}"><input type="hidden" name="_csrf" value="{}">)"
        R"(<button type="submit">Code them {}</button></form></li>)",
        f.view.r.pupil_id, f.view.pupil_name,
        f.kind == "taken" ? "refused leave taken" : "not back after granted leave",
        Plural(static_cast<int64_t>(f.sessions.size()), "session"), SlotWords(f.sessions.front()),
        f.ground_h
            ? Html::Trusted(" <strong>— 10 school days: deletion ground (h) review due</strong>")
            : Html(),
        f.view.r.id, f.kind, call.csrf, core::SymbolOf(f.code));
  }
  return Html::Format(
      R"(<h2>Leave requests awaiting a decision</h2><ul>{}</ul><h2>After leave: to code</h2><ul>{}</ul>)",
      pending.str().empty() ? Html::Trusted("<li>None.</li>") : pending,
      follow.str().empty() ? Html::Trusted("<li>None.</li>") : follow);
}

Response App::PageLeave(Call& call, const std::string& id, const std::string& action) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const bool parent = call.who->role == Role::kParent;
  std::string back = parent ? "/parent" : "/today";
  Status s;
  Done done = Done::kLeaveCoded;
  if (action == "request") {
    const std::optional<int64_t> pupil = ParseId(form["pupil"]);
    if (!pupil) {
      return Refused(call.who, call.csrf, "",
                     core::NotFound(core::kErrPupilUnknown, "No such pupil."));
    }
    nlohmann::json body;
    for (const char* key : {"from", "to", "code", "reason", "evidence", "received_on"}) {
      if (!form[key].empty() || std::string(key) == "reason" || std::string(key) == "code") {
        body[key] = form[key];
      }
    }
    StatusOr<service::NewLeaveRequest> r = LeaveRequestOf(*pupil, body);
    s = r.ok() ? services_.leave().Request(*call.who, *r).status() : r.status();
    if (!parent) back = fmt::format("/pupils/{}#leave", *pupil);
    done = parent ? Done::kLeaveSent : Done::kLeaveRecorded;
  } else if (action == "decide") {
    StatusOr<store::LeaveDecision> d =
        services_.leave().Decide(*call.who, {id, form["decision"], form["reason"]});
    s = d.status();
    if (d.ok()) {
      done = d->decision == store::LeaveOutcome::kGranted   ? Done::kLeaveGranted
             : d->decision == store::LeaveOutcome::kRefused ? Done::kLeaveRefused
                                                            : Done::kLeaveWithdrawn;
    }
    if (const std::optional<int64_t> pupil = services_.leave().PupilOf(id)) {
      back = fmt::format("/pupils/{}#leave", *pupil);
    }
  } else {
    s = services_.leave().CodeFollowUp(*call.who, id, action).status();
    back = "/today";
  }
  if (!s.ok()) {
    return NotSaved(call.who, call.csrf, s, back);
  }
  return RedirectDone(back, done);
}

}  // namespace rollcall::web
