// app_penalty.cc: penalty-notice cases under the national framework
// (docs/rules.md section 5). A case opens by itself when the rules core's
// penalty_threshold alert fires this school year, citing its sessions. The
// head (or the LA) decides: support first, a notice to improve (a 3 to 6
// week improvement period, its outcome recorded at the end), a penalty
// notice, or no action. Notices go per parent per child; which one may be
// issued is core::PenaltyActionFor over that parent's notices for this child
// (the function the conformance cases check), and its amounts and deadlines
// come from core::TermsOf. The office records payments; unpaid after 28 days
// the LA prosecutes or withdraws. An evidence pack for the LA is generated in
// one click and stored as generated.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/error_codes.h"
#include "core/evaluate.h"
#include "core/local_code.h"
#include "core/penalty.h"
#include "core/pupil_sessions.h"
#include "letters/pdf.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr size_t kMaxPenaltyText = 2000;

}  // namespace

App::PenaltyView App::PenaltyViewOf(const store::PenaltyCase& c,
                                    const std::vector<store::PenaltyCase>& cases,
                                    const std::vector<store::PenaltyEvent>& all) const {
  PenaltyView v;
  v.c = c;
  const Date today = clock_.Today();
  if (auto it = snapshot_.pupil_index.find(c.pupil_id); it != snapshot_.pupil_index.end()) {
    const store::Pupil& p = snapshot_.pupils[it->second];
    v.pupil_name = DisplayName(p);
    v.class_id = p.class_id;
    for (const store::Contact& contact : p.contacts) {
      v.parents.push_back(
          {contact.name, contact.relationship, core::PenaltyAction::kFirstNotice, 0});
    }
  }
  const core::PenaltyPolicy& policy = snapshot_.scenario.policy.penalty;
  std::map<int64_t, size_t> notice_index;  // notice event id -> index in v.notices
  for (const store::PenaltyEvent& e : all) {
    if (e.case_id != c.id) continue;
    v.events.push_back(e);
    if (e.kind == "decision") v.decision = e;
    if (e.kind == "nti") v.nti = e;
    if (e.kind == "nti_outcome") v.nti_outcome = e;
    if (e.kind == "closed") v.closed = e;
    if (e.kind == "notice") {
      NoticeView n;
      n.notice = e;
      const core::PenaltyAction action = e.notice_number == 2 ? core::PenaltyAction::kSecondNotice
                                                              : core::PenaltyAction::kFirstNotice;
      n.terms = *core::TermsOf(
          c.kind == "exclusion" ? core::NoticeKind::kExclusion : core::NoticeKind::kAttendance,
          action, *e.on, policy.service_working_days);
      notice_index[e.id] = v.notices.size();
      v.notices.push_back(std::move(n));
    }
    if (e.notice_id && notice_index.contains(*e.notice_id)) {
      NoticeView& n = v.notices[notice_index[*e.notice_id]];
      if (e.kind == "payment") n.paid = e;
      if (e.kind == "withdrawal") n.withdrawn = e;
      if (e.kind == "prosecution") n.prosecuted = e;
    }
  }
  // Where each notice and the case stand today: core/penalty.h.
  core::PenaltyCaseRecord record;
  for (NoticeView& n : v.notices) {
    const core::NoticeRecord notice{.terms = n.terms,
                                    .paid = n.paid.has_value(),
                                    .withdrawn = n.withdrawn.has_value(),
                                    .prosecuted = n.prosecuted.has_value()};
    n.status = core::NoticeStatusOn(notice, today);
    record.notices.push_back(notice);
  }
  // What each parent may be given for this alert: their notices for this
  // child, from every case of the pupil, withdrawn ones marked.
  std::set<int64_t> case_ids;
  for (const store::PenaltyCase& other : cases) {
    if (other.pupil_id == c.pupil_id && other.kind != "exclusion") case_ids.insert(other.id);
  }
  std::set<int64_t> withdrawn;
  for (const store::PenaltyEvent& e : all) {
    if (e.kind == "withdrawal" && e.notice_id) withdrawn.insert(*e.notice_id);
  }
  for (ParentOption& option : v.parents) {
    std::vector<core::PenaltyNotice> history;
    for (const store::PenaltyEvent& e : all) {
      if (e.kind != "notice" || !case_ids.contains(e.case_id) || e.parent != option.parent)
        continue;
      if (e.case_id == c.id) continue;  // this case's own notices are shown as issued
      history.push_back({*e.on, withdrawn.contains(e.id)});
      if (!withdrawn.contains(e.id)) ++option.prior_notices;
    }
    option.action = core::PenaltyActionFor(history, c.alert.date, policy.framework_start);
    for (const NoticeView& n : v.notices) {
      if (n.notice.parent == option.parent && !n.withdrawn) option.issued_here = true;
    }
  }
  // Where the case stands, and what comes next. A decision or outcome the
  // store would not have accepted (store::CheckPenaltyEvent) reads as none.
  record.closed = v.closed.has_value();
  if (v.decision) record.decision = core::PenaltyDecisionFromName(v.decision->decision);
  if (v.nti) record.improvement_end = v.nti->end;
  if (v.nti_outcome) record.nti_outcome = core::ImprovementOutcomeFromName(v.nti_outcome->decision);
  v.stage = core::PenaltyStageOn(record, today);
  // In words, for the API and the pages; a stage that names the notice to
  // improve or the closing event has it.
  v.next_step = [&]() -> std::string {
    switch (v.stage) {
      case core::PenaltyStage::kClosed:
        return "Closed: " + v.closed->text;
      case core::PenaltyStage::kAwaitingDecision:
        return "The head decides: support first, a notice to improve, a penalty notice or no "
               "action";
      case core::PenaltyStage::kSupportFirst:
        return "Support first (see the graduated approach); close the case, or decide again "
               "if the absence goes on";
      case core::PenaltyStage::kNoAction:
        return "No action: close the case with the reason";
      case core::PenaltyStage::kNtiToIssue:
        return "Issue the notice to improve: a 3 to 6 week improvement period";
      case core::PenaltyStage::kNtiRunning:
        return fmt::format("Improvement period until {}", v.nti->end->ToString());
      case core::PenaltyStage::kNtiEnded:
        return fmt::format("The improvement period ended on {}: record the outcome",
                           v.nti->end->ToString());
      case core::PenaltyStage::kNtiImproved:
        return "Improved: close the case";
      case core::PenaltyStage::kNtiNotImproved:
        return "Not improved: decide on a penalty notice or other action";
      case core::PenaltyStage::kNoticeToIssue:
        return "Issue a penalty notice to each liable parent";
      case core::PenaltyStage::kUnpaid:
        return "Unpaid after 28 days: the LA prosecutes or withdraws the notice";
      case core::PenaltyStage::kNoticesIssued:
        return "Waiting for payment";
      case core::PenaltyStage::kNoticesSettled:
        return "Every notice is paid, withdrawn or with the prosecutor: close the case";
    }
    core::Unreachable();
  }();
  return v;
}

StatusOr<std::vector<App::PenaltyView>> App::PenaltyViews(const Call& call,
                                                          std::optional<int64_t> pupil,
                                                          std::optional<int64_t> case_id) {
  RETURN_IF_ERROR(Allow(call, Action::kReadPenalties, {}));
  ASSIGN_OR_RETURN(std::vector<store::PenaltyCase> cases, store_.ListPenaltyCases());
  ASSIGN_OR_RETURN(std::vector<store::PenaltyEvent> events, store_.PenaltyEvents());
  std::vector<PenaltyView> out;
  std::shared_lock lock(mu_);
  for (const store::PenaltyCase& c : cases) {
    if (pupil && c.pupil_id != *pupil) continue;
    if (case_id && c.id != *case_id) continue;
    if (!snapshot_.pupil_index.contains(c.pupil_id)) continue;
    out.push_back(PenaltyViewOf(c, cases, events));
  }
  return out;
}

json App::PenaltyJson(const PenaltyView& v) {
  json events = json::array();
  for (const store::PenaltyEvent& e : v.events) {
    json j{{"id", e.id},
           {"kind", e.kind},
           {"at", IsoTime(e.at)},
           {"by", {{"name", e.by_name}, {"role", store::RoleName(e.by_role)}}}};
    if (!e.decision.empty()) j["decision"] = e.decision;
    if (!e.parent.empty()) j["parent"] = e.parent;
    if (e.on) j["on"] = e.on->ToString();
    if (e.end) j["end"] = e.end->ToString();
    if (e.notice_id) j["notice_id"] = *e.notice_id;
    if (e.amount_pence) j["amount_pence"] = e.amount_pence;
    if (!e.text.empty()) j["text"] = e.text;
    events.push_back(std::move(j));
  }
  json notices = json::array();
  for (const NoticeView& n : v.notices) {
    notices.push_back({{"id", n.notice.id},
                       {"parent", n.notice.parent},
                       {"number", n.notice.notice_number},
                       {"issued", n.notice.on->ToString()},
                       {"served", n.terms.served.ToString()},
                       {"reduced_pence", n.terms.reduced_pence},
                       {"reduced_by", n.terms.reduced_by.ToString()},
                       {"full_pence", n.terms.full_pence},
                       {"full_by", n.terms.full_by.ToString()},
                       {"status", core::NoticeStatusName(n.status)}});
  }
  json parents = json::array();
  for (const ParentOption& p : v.parents) {
    parents.push_back({{"parent", p.parent},
                       {"relationship", p.relationship},
                       {"action", core::PenaltyActionName(p.action)},
                       {"prior_notices", p.prior_notices},
                       {"issued_in_this_case", p.issued_here}});
  }
  return json{
      {"id", v.c.id},
      {"kind", v.c.kind},
      {"pupil", {{"id", v.c.pupil_id}, {"name", v.pupil_name}}},
      {"alert",
       {{"date", v.c.alert.date.ToString()}, {"session", core::SessionName(v.c.alert.session)}}},
      {"evidence", v.c.evidence},
      {"stage", core::PenaltyStageName(v.stage)},
      {"next_step", v.next_step},
      {"parents", std::move(parents)},
      {"notices", std::move(notices)},
      {"events", std::move(events)}};
}

StatusOr<store::PenaltyEvent> App::AddPenalty(const Call& call, const std::string& case_text,
                                              const nlohmann::json& body) {
  ASSIGN_OR_RETURN(std::string kind, StringField(body, "kind", true));
  const bool money = kind == "payment";
  RETURN_IF_ERROR(Allow(call, money ? Action::kRecordPenaltyPayment : Action::kDecidePenalty, {}));
  const std::optional<int64_t> case_id = ParseId(case_text);
  if (!case_id) {
    return core::NotFound(core::kErrPenaltyCaseUnknown, "no penalty case '" + case_text + "'");
  }
  ASSIGN_OR_RETURN(std::vector<PenaltyView> found, PenaltyViews(call, std::nullopt, *case_id));
  if (found.empty()) {
    return core::NotFound(core::kErrPenaltyCaseUnknown, "no penalty case '" + case_text + "'");
  }
  const PenaltyView& v = found.front();
  const Date today = clock_.Today();
  store::PenaltyEvent e;
  e.case_id = v.c.id;
  e.kind = kind;
  ASSIGN_OR_RETURN(e.text, StringField(body, "text", false));
  if (e.text.size() > kMaxPenaltyText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'text' is longer than {} characters", kMaxPenaltyText));
  }
  ASSIGN_OR_RETURN(std::string on_text, StringField(body, "on", false));
  Date on = today;
  if (!on_text.empty()) {
    ASSIGN_OR_RETURN(on, ParseDateParam(on_text, "on"));
  }
  if (on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'on' is in the future: record it once it has happened");
  }
  e.on = on;
  auto conflict = [](std::string why) {
    return core::Conflict(core::kErrPenaltyEvent, std::move(why));
  };
  const std::string decision = v.decision ? v.decision->decision : "";
  if (kind == "decision") {
    ASSIGN_OR_RETURN(e.decision, StringField(body, "decision", true));
  } else if (kind == "nti") {
    if (decision != "notice_to_improve") {
      return conflict("decide on a notice to improve before issuing one");
    }
    if (v.nti) return conflict("this case already has a notice to improve");
    ASSIGN_OR_RETURN(std::string end, StringField(body, "end", true));
    ASSIGN_OR_RETURN(Date end_date, ParseDateParam(end, "end"));
    if (!core::ValidImprovementPeriod(on, end_date)) {
      return core::InvalidArgument(core::kErrPenaltyEvent,
                                   "the improvement period is 3 to 6 weeks (21 to 42 days from "
                                   "its start)");
    }
    e.end = end_date;
  } else if (kind == "nti_outcome") {
    if (!v.nti) return conflict("there is no notice to improve to record the outcome of");
    if (v.nti_outcome) return conflict("the outcome is already recorded");
    if (on < *v.nti->end) {
      return conflict(
          fmt::format("the improvement period runs until {}: record the outcome at "
                      "its end",
                      v.nti->end->ToString()));
    }
    ASSIGN_OR_RETURN(e.decision, StringField(body, "outcome", true));
  } else if (kind == "notice") {
    if (decision != "penalty_notice") return conflict("decide on a penalty notice first");
    ASSIGN_OR_RETURN(e.parent, StringField(body, "parent", true));
    auto option = std::find_if(v.parents.begin(), v.parents.end(),
                               [&](const ParentOption& p) { return p.parent == e.parent; });
    if (option == v.parents.end()) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "'" + e.parent + "' is not one of the pupil's contacts");
    }
    if (option->issued_here) return conflict(e.parent + " already has a notice in this case");
    if (on < v.c.alert.date) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a notice is issued after the threshold was met");
    }
    const core::NoticeKind notice_kind =
        v.c.kind == "exclusion" ? core::NoticeKind::kExclusion : core::NoticeKind::kAttendance;
    int service_days = 2;
    {
      std::shared_lock lock(mu_);
      service_days = snapshot_.scenario.policy.penalty.service_working_days;
    }
    const std::optional<core::NoticeTerms> terms =
        core::TermsOf(notice_kind, option->action, on, service_days);
    if (!terms) {
      return core::Conflict(core::kErrPenaltyThirdNotice,
                            fmt::format("{} has had two notices for this child in the last 3 "
                                        "years: a third cannot be issued; consider prosecution",
                                        e.parent));
    }
    e.notice_number = option->action == core::PenaltyAction::kSecondNotice ? 2 : 1;
    e.amount_pence = terms->reduced_pence;
  } else if (kind == "payment" || kind == "withdrawal" || kind == "prosecution") {
    if (!body.contains("notice_id") || !body["notice_id"].is_number_integer()) {
      return core::InvalidArgument(core::kErrRequiredKey, "name the notice: 'notice_id'");
    }
    e.notice_id = body["notice_id"].get<int64_t>();
    auto n = std::find_if(v.notices.begin(), v.notices.end(),
                          [&](const NoticeView& x) { return x.notice.id == *e.notice_id; });
    if (n == v.notices.end()) {
      return core::NotFound(core::kErrPenaltyNoticeUnknown,
                            fmt::format("case {} has no notice {}", v.c.id, *e.notice_id));
    }
    if (n->withdrawn) return conflict("the notice was withdrawn");
    if (n->paid) return conflict("the notice is paid");
    if (kind == "payment") {
      if (!body.contains("amount_pence") || !body["amount_pence"].is_number_integer()) {
        return core::InvalidArgument(core::kErrRequiredKey, "give 'amount_pence', e.g. 8000");
      }
      e.amount_pence = body["amount_pence"].get<int64_t>();
      if (on < *n->notice.on) {
        return core::InvalidArgument(core::kErrValueInvalid, "paid before the notice was issued");
      }
      const std::optional<int64_t> due = core::AmountDueOn(n->terms, on);
      if (!due) {
        return core::Conflict(core::kErrPenaltyNoticeLapsed,
                              fmt::format("the notice could be paid until {}: unpaid, the LA "
                                          "prosecutes or withdraws it",
                                          n->terms.full_by.ToString()));
      }
      if (e.amount_pence != *due) {
        return core::InvalidArgument(core::kErrValueInvalid,
                                     fmt::format("{} was due on {}, not {}", Pounds(*due),
                                                 on.ToString(), Pounds(e.amount_pence)));
      }
    } else if (kind == "prosecution") {
      if (n->prosecuted) return conflict("the notice is already referred for prosecution");
      if (today <= n->terms.full_by) {
        return conflict(
            fmt::format("the notice can be paid until {}", n->terms.full_by.ToString()));
      }
    }
  } else if (kind != "closed") {
    return core::InvalidArgument(core::kErrPenaltyEvent,
                                 "kind is decision, nti, nti_outcome, notice, payment, "
                                 "withdrawal, prosecution or closed");
  }
  e.at = clock_.NowSeconds();
  SetAuthor(e, *call.who);
  ASSIGN_OR_RETURN(e.id, store_.AddPenaltyEvent(e));
  return e;
}

StatusOr<int64_t> App::OpenExclusionCase(const Call& call, int64_t pupil_id,
                                         const nlohmann::json& body) {
  RETURN_IF_ERROR(Allow(call, Action::kDecidePenalty, {}));
  ASSIGN_OR_RETURN(std::string date_text, StringField(body, "date", true));
  ASSIGN_OR_RETURN(Date date, ParseDateParam(date_text, "date"));
  ASSIGN_OR_RETURN(std::string session_text, StringField(body, "session", false));
  ASSIGN_OR_RETURN(std::string text, StringField(body, "text", true));
  if (text.empty() || text.size() > kMaxPenaltyText) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "say where and when the pupil was seen (1 to 2000 characters)");
  }
  const std::optional<core::Session> session =
      session_text.empty() ? core::Session::kAm : core::SessionFromName(session_text);
  if (!session) return core::InvalidArgument(core::kErrValueInvalid, "'session' is AM or PM");
  const SessionKey slot{date, *session};
  store::PenaltyCase c{
      .pupil_id = pupil_id, .kind = "exclusion", .alert = slot, .opened_at = clock_.NowSeconds()};
  {
    std::shared_lock lock(mu_);
    ASSIGN_OR_RETURN(size_t index, PupilFor(call, pupil_id, Action::kReadPupil));
    // The pupil was excluded (E) then, within the first 5 school days of it.
    const core::Calendar& calendar = snapshot_.scenario.calendar;
    const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
        calendar, snapshot_.scenario.pupils[index], snapshot_.scenario.marks[index],
        snapshot_.scenario.default_mark, clock_.Today());
    const std::optional<int32_t> at = calendar.IndexOf(slot);
    auto it = std::find_if(sessions.begin(), sessions.end(),
                           [&](const core::PupilSession& s) { return at && s.index == *at; });
    if (it == sessions.end() || it->code != core::AttendanceCode::kExcluded) {
      return core::InvalidArgument(core::kErrPenaltyEvent,
                                   "the pupil is not recorded as excluded (E) at that session");
    }
    std::set<Date> days;
    for (auto s = it; s >= sessions.begin() && s->code == core::AttendanceCode::kExcluded; --s) {
      days.insert(calendar.SessionAt(s->index).date);
      if (s == sessions.begin()) break;
    }
    if (days.size() > 5) {
      return core::InvalidArgument(core::kErrPenaltyEvent,
                                   "an exclusion notice covers the first 5 school days of an "
                                   "exclusion only");
    }
    c.evidence = fmt::format("{} (excluded, school day {} of the exclusion): {}",
                             EvidenceText(calendar, std::span(&*it, 1)), days.size(), text);
  }
  return store_.OpenPenaltyCase(c);
}

Response App::PostExclusionCase(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"date", "session", "text"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<int64_t> id = OpenExclusionCase(call, pupil_id, *body);
  if (!id.ok()) return ErrorResponse(id.status());
  return GetPenaltyCaseCreated(call, std::to_string(*id));
}

Response App::ListPenaltyCases(Call& call) {
  StatusOr<std::vector<PenaltyView>> views = PenaltyViews(call, std::nullopt, std::nullopt);
  if (!views.ok()) return ErrorResponse(views.status());
  json items = json::array();
  for (const PenaltyView& v : *views) items.push_back(PenaltyJson(v));
  return JsonResponse(json{{"cases", std::move(items)}}.dump());
}

Response App::GetPenaltyCase(Call& call, const std::string& id) {
  const std::optional<int64_t> case_id = ParseId(id);
  StatusOr<std::vector<PenaltyView>> views =
      case_id ? PenaltyViews(call, std::nullopt, *case_id)
              : StatusOr<std::vector<PenaltyView>>(std::vector<PenaltyView>{});
  if (!views.ok()) return ErrorResponse(views.status());
  if (views->empty()) {
    return ErrorResponse(
        core::NotFound(core::kErrPenaltyCaseUnknown, "no penalty case '" + id + "'"));
  }
  return JsonResponse(PenaltyJson(views->front()).dump());
}

Response App::PostPenaltyEvent(Call& call, const std::string& id) {
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"kind", "decision", "outcome", "text", "on", "end", "parent", "notice_id", "amount_pence"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<store::PenaltyEvent> e = AddPenalty(call, id, *body);
  if (!e.ok()) return ErrorResponse(e.status());
  return GetPenaltyCaseCreated(call, id);
}

Response App::GetPenaltyCaseCreated(Call& call, const std::string& id) {
  Response res = GetPenaltyCase(call, id);
  if (res.status == http::status::ok) res.status = http::status::created;
  return res;
}

}  // namespace rollcall::web
