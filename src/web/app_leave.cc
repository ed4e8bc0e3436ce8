// app_leave.cc: leave of absence (docs/rules.md section 6). Parents ask (or the
// office enters a request received on paper); the head decides, in advance
// and never retrospectively, with a letter stored with the decision.
// rollcall warns of short notice, restricted periods and leave beside a
// school holiday. Granted leave is offered on the register as its code (and
// "mark everyone present" records it). Refused leave that is taken, once the
// office confirms, is coded G (or O); a pupil not back after granted leave
// is listed with the extra days to code as unauthorised, and after 10 school
// days the deletion ground (h) review is due.
#include <fmt/format.h>

#include <algorithm>

#include "core/error_codes.h"
#include "core/leave.h"
#include "letters/letters.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr size_t kMaxLeaveText = 1000;
constexpr int kGroundHSchoolDays = 10;

std::string SlotWords(SessionKey s) {
  return fmt::format("{} ({})", s.date.ToString(),
                     s.session == core::Session::kAm ? "morning" : "afternoon");
}

StatusOr<SessionKey> SlotField(const nlohmann::json& body, const char* date_key,
                               const char* session_key, core::Session fallback) {
  ASSIGN_OR_RETURN(std::string date, StringField(body, date_key, true));
  ASSIGN_OR_RETURN(Date d, ParseDateParam(date, date_key));
  ASSIGN_OR_RETURN(std::string session, StringField(body, session_key, false));
  if (session.empty()) return SessionKey{d, fallback};
  const std::optional<core::Session> s = core::SessionFromName(session);
  if (!s) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("'{}' is AM or PM, not '{}'", session_key, session));
  }
  return SessionKey{d, *s};
}

}  // namespace

std::vector<App::LeaveView> App::LeaveViewsLocked(std::optional<int64_t> pupil) const {
  std::vector<LeaveView> out;
  const core::Calendar& calendar = snapshot_.scenario.calendar;
  for (const store::LeaveRequest& r : snapshot_.leave_requests) {
    if (pupil && r.pupil_id != *pupil) continue;
    auto it = snapshot_.pupil_index.find(r.pupil_id);
    if (it == snapshot_.pupil_index.end()) continue;
    const store::Pupil& p = snapshot_.pupils[it->second];
    LeaveView v;
    v.r = r;
    v.pupil_name = DisplayName(p);
    v.class_id = p.class_id;
    for (const store::LeaveDecision& d : snapshot_.leave_decisions) {
      if (d.request_id == r.id) v.decision = d;
    }
    v.sessions = core::LeaveSessions(calendar, r.from, r.to);
    v.warnings = core::LeaveWarnings(calendar, snapshot_.scenario.policy.leave, r.code,
                                     r.received_on, r.from, r.to, p.year_group);
    v.status = v.decision ? v.decision->decision : "pending";
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<std::pair<core::AttendanceCode, int64_t>> App::LeaveOn(size_t index,
                                                                     SessionKey slot) const {
  const int64_t pupil_id = snapshot_.pupils[index].id;
  for (const store::LeaveRequest& r : snapshot_.leave_requests) {
    if (r.pupil_id != pupil_id || slot < r.from || r.to < slot) continue;
    for (const store::LeaveDecision& d : snapshot_.leave_decisions) {
      if (d.request_id == r.id && d.decision == "granted") return std::make_pair(r.code, r.id);
    }
  }
  return std::nullopt;
}

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
         {"status", v.status},
         {"requested_by", {{"name", v.r.by_name}, {"role", store::RoleName(v.r.by_role)}}}};
  if (v.decision) {
    j["decision"] = {
        {"decision", v.decision->decision},
        {"reason", v.decision->reason},
        {"at", IsoTime(v.decision->at)},
        {"by", {{"name", v.decision->by_name}, {"role", store::RoleName(v.decision->by_role)}}},
        {"letter_id", v.decision->letter_id ? json(*v.decision->letter_id) : json(nullptr)}};
  }
  return j;
}

StatusOr<store::LeaveRequest> App::RequestLeave(const Call& call, int64_t pupil_id,
                                                const nlohmann::json& body) {
  store::LeaveRequest r;
  r.pupil_id = pupil_id;
  ASSIGN_OR_RETURN(r.from, SlotField(body, "from", "from_session", core::Session::kAm));
  ASSIGN_OR_RETURN(r.to, SlotField(body, "to", "to_session", core::Session::kPm));
  ASSIGN_OR_RETURN(std::string code, StringField(body, "code", true));
  const std::optional<core::AttendanceCode> c = core::CodeFromSymbol(code);
  if (!c || !core::IsLeaveCode(*c)) {
    return core::InvalidArgument(core::kErrLeaveInvalid,
                                 "'code' is C1 (performance), M (appointment), J1 (interview), S "
                                 "(study leave) or C (exceptional circumstances)");
  }
  r.code = *c;
  ASSIGN_OR_RETURN(r.reason, StringField(body, "reason", true));
  ASSIGN_OR_RETURN(r.evidence, StringField(body, "evidence", false));
  if (r.reason.size() > kMaxLeaveText || r.evidence.size() > kMaxLeaveText) {
    return core::InvalidArgument(
        core::kErrValueInvalid, fmt::format("a field is longer than {} characters", kMaxLeaveText));
  }
  const Date today = clock_.Today();
  r.received_on = today;
  ASSIGN_OR_RETURN(std::string received, StringField(body, "received_on", false));
  if (!received.empty()) {
    if (call.who->role == Role::kParent) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "the school records the day it received the request");
    }
    ASSIGN_OR_RETURN(r.received_on, ParseDateParam(received, "received_on"));
    if (r.received_on > today) {
      return core::InvalidArgument(core::kErrValueInvalid, "'received_on' is in the future");
    }
  }
  if (r.to.date.days() - r.from.date.days() > 60) {
    return core::InvalidArgument(core::kErrLeaveInvalid,
                                 "a request covers at most 60 days: talk to the school");
  }
  {
    std::shared_lock lock(mu_);
    ASSIGN_OR_RETURN(size_t index, PupilFor(call, pupil_id, Action::kRequestLeave));
    if (core::LeaveSessions(snapshot_.scenario.calendar, r.from, r.to).empty()) {
      return core::InvalidArgument(core::kErrLeaveInvalid,
                                   "the school is not open on any of those sessions");
    }
    (void)index;
  }
  r.at = clock_.NowSeconds();
  SetAuthor(r, *call.who);
  const auto write_lock = school_.BeginWrite();
  ASSIGN_OR_RETURN(r.id, store_.AddLeaveRequest(r));
  school_.Apply([&](service::Snapshot& s) { s.leave_requests.push_back(r); });
  return r;
}

StatusOr<store::LeaveDecision> App::DecideLeave(const Call& call, const std::string& id_text,
                                                const nlohmann::json& body) {
  ASSIGN_OR_RETURN(std::string decision, StringField(body, "decision", true));
  ASSIGN_OR_RETURN(std::string reason, StringField(body, "reason", false));
  if (decision != "granted" && decision != "refused" && decision != "withdrawn") {
    return core::InvalidArgument(core::kErrLeaveInvalid,
                                 "'decision' is granted, refused or withdrawn");
  }
  if (decision != "withdrawn" && (reason.empty() || reason.size() > kMaxLeaveText)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "give the reason for the decision (it goes in the letter)");
  }
  // Who may act at all, before saying whether the request exists.
  if (decision != "withdrawn") {
    RETURN_IF_ERROR(Allow(call, Action::kDecideLeave, {}));
  } else if (call.who->role != Role::kParent) {
    RETURN_IF_ERROR(Allow(call, Action::kRequestLeave, {}));
  }
  const std::optional<int64_t> id = ParseId(id_text);
  std::optional<LeaveView> view;
  std::optional<store::Letter> letter;
  {
    std::shared_lock lock(mu_);
    for (LeaveView& v : LeaveViewsLocked(std::nullopt)) {
      if (id && v.r.id == *id) view = std::move(v);
    }
    if (!view) return core::NotFound(core::kErrLeaveUnknown, "no leave request '" + id_text + "'");
    const size_t index = snapshot_.pupil_index.at(view->r.pupil_id);
    const store::Pupil& p = snapshot_.pupils[index];
    if (decision == "withdrawn") {
      RETURN_IF_ERROR(Authorize(*call.who, Action::kRequestLeave, {p.id, p.class_id},
                                snapshot_.school.la_code));
    } else {
      RETURN_IF_ERROR(
          Authorize(*call.who, Action::kDecideLeave, {p.id, p.class_id}, snapshot_.school.la_code));
    }
    if (view->decision) {
      return core::Conflict(core::kErrLeaveDecided,
                            fmt::format("this request is already {}", view->decision->decision));
    }
    if (decision == "granted") {
      // Never retrospectively: the first session must not have begun.
      const SessionKey first = view->sessions.front();
      const Date today = clock_.Today();
      const int start = first.session == core::Session::kAm ? snapshot_.settings.am_start_minute
                                                            : snapshot_.settings.pm_start_minute;
      if (first.date < today || (first.date == today && clock_.MinuteOfDay() >= start)) {
        return core::Conflict(core::kErrLeaveRetrospective,
                              "leave is granted in advance, never for sessions that have begun");
      }
    }
    if (decision != "withdrawn") {
      std::string signatory = "The headteacher";
      for (const auto& [uid, u] : snapshot_.users) {
        if (u.id == call.who->user_id) signatory = u.display_name;
      }
      letters::Facts f;
      f.school_name = snapshot_.school.name;
      f.signatory = signatory;
      f.addressee =
          p.contacts.empty() ? "Parent or carer of " + DisplayName(p) : p.contacts[0].name;
      f.pupil_name = DisplayName(p);
      f.leave_dates = fmt::format("from {} to {}", SlotWords(view->r.from), SlotWords(view->r.to));
      f.leave_reason = view->r.reason;
      f.decision_reason = reason;
      f.leave_code =
          fmt::format("{} ({})", core::SymbolOf(view->r.code), core::InfoOf(view->r.code).meaning);
      const letters::Text text =
          letters::Compose(decision == "granted" ? letters::Template::kLeaveGranted
                                                 : letters::Template::kLeaveRefused,
                           f);
      letter =
          store::Letter{.pupil_id = p.id,
                        .template_key = decision == "granted" ? "leave_granted" : "leave_refused",
                        .addressee = f.addressee,
                        .subject = text.subject,
                        .body = letters::JoinParagraphs(text.paragraphs),
                        .figures_json = json{{"request", view->r.id},
                                             {"sessions", view->sessions.size()},
                                             {"code", core::SymbolOf(view->r.code)}}
                                            .dump(),
                        .at = clock_.NowSeconds()};
      SetAuthor(*letter, *call.who);
    }
  }
  store::LeaveDecision d{
      .request_id = view->r.id, .decision = decision, .reason = reason, .at = clock_.NowSeconds()};
  SetAuthor(d, *call.who);
  const auto write_lock = school_.BeginWrite();
  ASSIGN_OR_RETURN(d.id, store_.DecideLeave(d, letter));
  ASSIGN_OR_RETURN(std::vector<store::LeaveDecision> all, store_.ListLeaveDecisions());
  school_.Apply([&](service::Snapshot& s) {
    s.leave_decisions = std::move(all);
    for (const store::LeaveDecision& x : s.leave_decisions) {
      if (x.id == d.id) d = x;
    }
  });
  return d;
}

std::vector<App::LeaveFollowUp> App::LeaveFollowUps() const {
  std::vector<LeaveFollowUp> out;
  const Date today = clock_.Today();
  const core::Calendar& calendar = snapshot_.scenario.calendar;
  for (const LeaveView& v : LeaveViewsLocked(std::nullopt)) {
    if (v.status != "granted" && v.status != "refused") continue;
    const size_t index = snapshot_.pupil_index.at(v.r.pupil_id);
    auto unexplained = [&](SessionKey s) {
      const SlotMark m = MarkAt(index, s);
      return !m.code || *m.code == core::AttendanceCode::kNoReasonYet;
    };
    LeaveFollowUp f;
    f.view = v;
    if (v.status == "refused") {
      // Taken anyway: the request's sessions up to now still N or unmarked.
      for (const SessionKey& s : v.sessions) {
        if (s.date > today) break;
        if (unexplained(s) && MarkAt(index, s).code) f.sessions.push_back(s);
      }
      f.kind = "taken";
      f.code = v.r.code == core::AttendanceCode::kExceptional
                   ? core::AttendanceCode::kHolidayNotGranted
                   : core::AttendanceCode::kOtherUnauthorised;
    } else {
      // Not back: the N sessions straight after the leave ended.
      const std::optional<int32_t> last = calendar.IndexOf(v.sessions.back());
      if (!last) continue;
      for (int32_t i = *last + 1; i < calendar.SessionCount(); ++i) {
        const SessionKey s = calendar.SessionAt(i);
        if (s.date > today || !MarkAt(index, s).code || !unexplained(s)) break;
        f.sessions.push_back(s);
      }
      f.kind = "overstay";
      // As the policy says; by default holiday overstay G, otherwise O
      // (docs/rules.md section 6).
      f.code = snapshot_.scenario.policy.leave.overstay_code.value_or(
          v.r.code == core::AttendanceCode::kExceptional
              ? core::AttendanceCode::kHolidayNotGranted
              : core::AttendanceCode::kOtherUnauthorised);
      f.ground_h = static_cast<int>(f.sessions.size()) >= 2 * kGroundHSchoolDays;
    }
    if (!f.sessions.empty()) out.push_back(std::move(f));
  }
  return out;
}

StatusOr<int> App::CodeLeaveFollowUp(const Call& call, const std::string& id_text,
                                     const std::string& kind) {
  RETURN_IF_ERROR(Allow(call, Action::kResolveAbsenceReport, {}));
  std::optional<LeaveFollowUp> found;
  {
    std::shared_lock lock(mu_);
    for (LeaveFollowUp& f : LeaveFollowUps()) {
      if (std::to_string(f.view.r.id) == id_text && f.kind == kind) found = std::move(f);
    }
  }
  if (!found) {
    return core::NotFound(core::kErrLeaveUnknown,
                          "nothing to code for leave request '" + id_text + "'");
  }
  const std::string reason =
      kind == "taken" ? fmt::format("Leave refused (request {}) and taken", found->view.r.id)
                      : fmt::format("Not back after leave granted to {} (request {})",
                                    found->view.r.to.date.ToString(), found->view.r.id);
  int coded = 0;
  for (const SessionKey& s : found->sessions) {
    ASSIGN_OR_RETURN(MarkResult m,
                     RecordMark(call, {s.date.ToString(), std::string(core::SessionName(s.session)),
                                       std::to_string(found->view.r.pupil_id),
                                       std::string(core::SymbolOf(found->code)), reason, ""}));
    coded += m.changed ? 1 : 0;
  }
  return coded;
}

// ---------------------------------------------------------------------------
// API

Response App::PostLeaveRequest(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"from", "from_session", "to", "to_session", "code", "reason", "evidence", "received_on"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<store::LeaveRequest> r = RequestLeave(call, pupil_id, *body);
  if (!r.ok()) return ErrorResponse(r.status());
  std::shared_lock lock(mu_);
  for (const LeaveView& v : LeaveViewsLocked(pupil_id)) {
    if (v.r.id == r->id) return JsonResponse(LeaveJson(v).dump(), http::status::created);
  }
  return ErrorResponse(core::Internal(core::kErrInternal, "the request was not kept"));
}

Response App::ListLeaveRequests(Call& call) {
  std::shared_lock lock(mu_);
  json items = json::array();
  for (const LeaveView& v : LeaveViewsLocked(std::nullopt)) {
    if (!Authorize(*call.who, Action::kReadLeave, {v.r.pupil_id, v.class_id},
                   snapshot_.school.la_code)
             .ok()) {
      continue;
    }
    items.push_back(LeaveJson(v));
  }
  return JsonResponse(json{{"leave_requests", std::move(items)}}.dump());
}

Response App::PostLeaveDecision(Call& call, const std::string& id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"decision", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<store::LeaveDecision> d = DecideLeave(call, id, *body);
  if (!d.ok()) return ErrorResponse(d.status());
  return JsonResponse(json{{"id", d->request_id},
                           {"decision", d->decision},
                           {"letter_id", d->letter_id ? json(*d->letter_id) : json(nullptr)}}
                          .dump(),
                      http::status::created);
}

// ---------------------------------------------------------------------------
// Pages

Html App::LeaveSection(const Call& call, const store::Pupil& p, bool parent_card) {
  std::shared_lock lock(mu_);
  const std::string& la = snapshot_.school.la_code;
  if (!Authorize(*call.who, Action::kReadLeave, {p.id, p.class_id}, la).ok()) return Html();
  const bool may_ask = Authorize(*call.who, Action::kRequestLeave, {p.id, p.class_id}, la).ok();
  const bool may_decide = Authorize(*call.who, Action::kDecideLeave, {p.id, p.class_id}, la).ok();
  const bool staff = call.who->role == Role::kOffice || call.who->role == Role::kHead;
  Html items;
  for (const LeaveView& v : LeaveViewsLocked(p.id)) {
    Html warnings;
    if (!parent_card) {
      for (const std::string& w : v.warnings) warnings += Html::Format("<li>{}</li>", w);
    }
    Html decide;
    if (may_decide && v.status == "pending") {
      decide = Html::Format(
          R"(<form class="call-form" method="post" action="/leave/{}/decide"><input type="hidden" name="_csrf" value="{}">)"
          R"(<label>Reason <input name="reason" required maxlength="1000" size="24"></label> )"
          R"(<button name="decision" value="granted">Grant</button> <button name="decision" value="refused">Refuse</button></form>)",
          v.r.id, call.csrf);
    }
    items += Html::Format(
        R"(<li><strong>{} to {}</strong> ({} sessions, {} {}): {}{}. Asked {} by {}. <strong>{}</strong>{}{}{}</li>)",
        SlotWords(v.r.from), SlotWords(v.r.to), v.sessions.size(), core::SymbolOf(v.r.code),
        core::InfoOf(v.r.code).meaning, v.r.reason,
        v.r.evidence.empty() ? std::string() : "; evidence: " + v.r.evidence,
        v.r.received_on.ToString(), v.r.by_name,
        v.status == "pending" ? std::string("awaiting the head's decision") : v.status,
        v.decision && !v.decision->reason.empty() ? Html::Format(" — {}", v.decision->reason)
                                                  : Html(),
        warnings.str().empty() ? Html() : Html::Format(R"(<ul class="muted">{}</ul>)", warnings),
        decide);
  }
  Html form;
  if (may_ask) {
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
        R"(<label for="lv-from-{}">First day</label><input id="lv-from-{}" type="date" name="from" required>)"
        R"(<label for="lv-to-{}">Last day</label><input id="lv-to-{}" type="date" name="to" required>)"
        R"(<label for="lv-code-{}">Kind of leave</label><select id="lv-code-{}" name="code">{}</select>)"
        R"(<label for="lv-reason-{}">Reason</label><input id="lv-reason-{}" name="reason" required maxlength="1000">)"
        R"(<label for="lv-evidence-{}">Evidence (letter, licence…)</label><input id="lv-evidence-{}" name="evidence" maxlength="1000">)"
        R"({}<p><button type="submit">Send the request</button></p></form></details>)",
        call.csrf, p.id, id, id, id, id, id, id, codes, id, id, id, id,
        staff
            ? Html::Format(
                  R"(<label for="lv-received-{}">Received on</label><input id="lv-received-{}" type="date" name="received_on" value="{}">)",
                  id, id, clock_.Today().ToString())
            : Html());
  }
  return Html::Format(R"({}<ul>{}</ul>{})",
                      parent_card ? Html::Trusted("<h3>Leave of absence</h3>")
                                  : Html::Trusted(R"(<h2 id="leave">Leave of absence</h2>)"),
                      items.str().empty() ? Html::Trusted("<li>No requests.</li>") : items, form);
}

Html App::LeaveTodaySection(const Call& call) {
  std::shared_lock lock(mu_);
  Html pending;
  for (const LeaveView& v : LeaveViewsLocked(std::nullopt)) {
    if (v.status != "pending") continue;
    pending += Html::Format(
        R"(<li><a href="/pupils/{}#leave">{}</a>: {} to {} ({} {}), {}{}</li>)", v.r.pupil_id,
        v.pupil_name, SlotWords(v.r.from), SlotWords(v.r.to), core::SymbolOf(v.r.code), v.r.reason,
        v.warnings.empty() ? std::string("no warnings") : v.warnings.front(),
        v.warnings.size() > 1 ? fmt::format(" (+{} more)", v.warnings.size() - 1) : "");
  }
  Html follow;
  for (const LeaveFollowUp& f : LeaveFollowUps()) {
    follow += Html::Format(
        R"(<li><a href="/pupils/{}#leave">{}</a>: {} — {} session{} still N from {}{} )"
        R"(<form class="inline-form" method="post" action="/today/leave/{}/{}"><input type="hidden" name="_csrf" value="{}">)"
        R"(<button type="submit">Code them {}</button></form></li>)",
        f.view.r.pupil_id, f.view.pupil_name,
        f.kind == "taken" ? "refused leave taken" : "not back after granted leave",
        f.sessions.size(), f.sessions.size() == 1 ? "" : "s", SlotWords(f.sessions.front()),
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
  std::string back = call.who->role == Role::kParent ? "/parent" : "/today";
  Status s;
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
    s = RequestLeave(call, *pupil, body).status();
    if (call.who->role != Role::kParent) back = fmt::format("/pupils/{}#leave", *pupil);
  } else if (action == "decide") {
    s = DecideLeave(call, id, json{{"decision", form["decision"]}, {"reason", form["reason"]}})
            .status();
    std::shared_lock lock(mu_);
    for (const store::LeaveRequest& r : snapshot_.leave_requests) {
      if (std::to_string(r.id) == id) back = fmt::format("/pupils/{}#leave", r.pupil_id);
    }
  } else {
    s = CodeLeaveFollowUp(call, id, action).status();
    back = "/today";
  }
  if (!s.ok()) {
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(R"(<p class="error" role="alert">{}</p><p><a href="{}">Back</a></p>)",
                     s.message(), back),
        HttpStatusFor(s.kind()));
  }
  return Redirect(back);
}

}  // namespace rollcall::web

namespace rollcall::web {

std::optional<PlannedCode> App::PlannedCodeFor(size_t index, SessionKey slot) const {
  if (const auto leave = LeaveOn(index, slot)) {
    return PlannedCode{leave->first, "Leave granted",
                       fmt::format("Leave of absence granted (request {})", leave->second)};
  }
  if (const auto off = OffTimetable(index, slot)) {
    return PlannedCode{*off, "Off timetable", "Part-time timetable: not timetabled this session"};
  }
  return std::nullopt;
}

}  // namespace rollcall::web
