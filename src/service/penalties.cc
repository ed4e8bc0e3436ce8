// penalties.cc: penalty-notice cases (penalties.h). The head (or the LA)
// decides: support first, a notice to improve (a 3 to 6 week improvement
// period, its outcome recorded at the end), a penalty notice, or no action.
// Notices go per parent per child; which one may be issued is
// core::PenaltyActionFor over that parent's notices for this child (the
// function the conformance cases check), and its amounts and deadlines come
// from core::TermsOf. The office records payments; unpaid after 28 days the
// LA prosecutes or withdraws.
#include "service/penalties.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <utility>

#include "core/alerts.h"
#include "core/error_codes.h"
#include "core/local_code.h"
#include "core/pupil_sessions.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::Date;
using core::SessionKey;

constexpr size_t kMaxPenaltyText = 2000;

// A field the event's kind needs, worded as a JSON body's missing key.
core::StatusOr<std::string> RequiredPenaltyField(const std::optional<std::string>& value,
                                                 const char* key) {
  if (!value) {
    return core::InvalidArgument(core::kErrRequiredKey, fmt::format("'{}' is required", key));
  }
  return *value;
}

// Conflict NO_PARENT_RECORDED when no contact of the case's pupil has
// parental responsibility: the office records who has it first.
core::Status RequireParents(const PenaltyView& v) {
  if (!v.parents.empty()) return core::OkStatus();
  return core::Conflict(core::kErrNoParentRecorded,
                        fmt::format("no contact of {} is recorded as having parental "
                                    "responsibility: the office records who has it on the "
                                    "pupil's contacts before a notice can be issued",
                                    v.pupil_name));
}

core::NoticeKind NoticeKindOfCase(const store::PenaltyCase& c) {
  return c.kind == store::PenaltyCaseKind::kExclusion ? core::NoticeKind::kExclusion
                                                      : core::NoticeKind::kAttendance;
}

}  // namespace

PenaltyRights Penalties::RightsOf(const Principal& who) const {
  auto lock = school_.Read();
  return {.decide = school_.Allow(who, Action::kDecidePenalty, {}).ok(),
          .record_payment = school_.Allow(who, Action::kRecordPenaltyPayment, {}).ok()};
}

PenaltyView Penalties::ViewOf(const store::PenaltyCase& c,
                              const std::vector<store::PenaltyCase>& cases,
                              const std::vector<store::PenaltyEvent>& all) const {
  const Snapshot& snap = school_.snapshot();
  PenaltyView v;
  v.c = c;
  v.local_code_name = snap.scenario.policy.local_code.name;
  const Date today = school_.clock().Today();
  if (auto it = snap.pupil_index.find(c.pupil_id); it != snap.pupil_index.end()) {
    const store::Pupil& p = snap.pupils[it->second];
    v.pupil_name = DisplayName(p);
    v.class_id = p.class_id;
    for (const store::Contact& contact : p.contacts) {
      if (!contact.parental_responsibility) continue;
      v.parents.push_back(
          {contact.name, contact.relationship, core::PenaltyAction::kFirstNotice, 0});
    }
  }
  const core::PenaltyPolicy& policy = snap.scenario.policy.penalty;
  using Kind = store::PenaltyEventKind;
  std::map<int64_t, size_t> notice_index;  // notice event id -> index in v.notices
  for (const store::PenaltyEvent& e : all) {
    if (e.case_id != c.id) continue;
    v.events.push_back(e);
    if (e.kind == Kind::kDecision) v.decision = e;
    if (e.kind == Kind::kNti) v.nti = e;
    if (e.kind == Kind::kNtiOutcome) v.nti_outcome = e;
    if (e.kind == Kind::kClosed) v.closed = e;
    if (e.kind == Kind::kNotice) {
      NoticeView n;
      n.notice = e;
      const core::PenaltyAction action = e.notice_number == 2 ? core::PenaltyAction::kSecondNotice
                                                              : core::PenaltyAction::kFirstNotice;
      n.terms = *core::TermsOf(NoticeKindOfCase(c), action, *e.on, policy.service_working_days);
      notice_index[e.id] = v.notices.size();
      v.notices.push_back(std::move(n));
    }
    if (e.notice_id && notice_index.contains(*e.notice_id)) {
      NoticeView& n = v.notices[notice_index[*e.notice_id]];
      if (e.kind == Kind::kPayment) n.paid = e;
      if (e.kind == Kind::kWithdrawal) n.withdrawn = e;
      if (e.kind == Kind::kProsecution) n.prosecuted = e;
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
    if (other.pupil_id == c.pupil_id && other.kind != store::PenaltyCaseKind::kExclusion) {
      case_ids.insert(other.id);
    }
  }
  std::set<int64_t> withdrawn;
  for (const store::PenaltyEvent& e : all) {
    if (e.kind == Kind::kWithdrawal && e.notice_id) withdrawn.insert(*e.notice_id);
  }
  for (ParentOption& option : v.parents) {
    std::vector<core::PenaltyNotice> history;
    for (const store::PenaltyEvent& e : all) {
      if (e.kind != Kind::kNotice || !case_ids.contains(e.case_id) || e.parent != option.parent)
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
  // Where the case stands, and what comes next.
  record.closed = v.closed.has_value();
  if (v.decision) record.decision = v.decision->decision;
  if (v.nti) record.improvement_end = v.nti->end;
  if (v.nti_outcome) record.nti_outcome = v.nti_outcome->outcome;
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
        return fmt::format("Improvement period until {}", LongDate(*v.nti->end));
      case core::PenaltyStage::kNtiEnded:
        return fmt::format("The improvement period ended on {}: record the outcome",
                           LongDate(*v.nti->end));
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

core::StatusOr<std::vector<PenaltyView>> Penalties::Views(const Principal& who,
                                                          std::optional<int64_t> pupil,
                                                          std::optional<int64_t> case_id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadPenalties, {}));
  }
  store::Store& store = school_.store();
  ASSIGN_OR_RETURN(std::vector<store::PenaltyCase> cases, store.ListPenaltyCases());
  ASSIGN_OR_RETURN(std::vector<store::PenaltyEvent> events, store.PenaltyEvents());
  std::vector<PenaltyView> out;
  auto lock = school_.Read();
  for (const store::PenaltyCase& c : cases) {
    if (pupil && c.pupil_id != *pupil) continue;
    if (case_id && c.id != *case_id) continue;
    if (!school_.snapshot().pupil_index.contains(c.pupil_id)) continue;
    out.push_back(ViewOf(c, cases, events));
  }
  return out;
}

core::StatusOr<std::vector<PenaltyView>> Penalties::Cases(const Principal& who,
                                                          std::optional<int64_t> pupil) {
  return Views(who, pupil, std::nullopt);
}

core::StatusOr<PenaltyView> Penalties::Case(const Principal& who, const std::string& case_id) {
  const std::optional<int64_t> id = ParseId(case_id);
  if (id) {
    ASSIGN_OR_RETURN(std::vector<PenaltyView> found, Views(who, std::nullopt, *id));
    if (!found.empty()) return std::move(found.front());
  }
  return core::NotFound(core::kErrPenaltyCaseUnknown, "no penalty case '" + case_id + "'");
}

core::StatusOr<std::vector<PenaltyView>> Penalties::ToActOn(const Principal& who) {
  ASSIGN_OR_RETURN(std::vector<PenaltyView> views, Views(who, std::nullopt, std::nullopt));
  // The stages that wait on the school (or the LA) rather than on time or
  // the family.
  using S = core::PenaltyStage;
  std::erase_if(views, [](const PenaltyView& v) {
    return v.stage != S::kAwaitingDecision && v.stage != S::kNtiEnded && v.stage != S::kUnpaid &&
           v.stage != S::kNoticeToIssue && v.stage != S::kNtiToIssue;
  });
  return views;
}

core::StatusOr<std::vector<AvoidanceView>> Penalties::Patterns(const Principal& who,
                                                               std::optional<int64_t> pupil) {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kReadPenalties, {}));
  const Snapshot& snap = school_.snapshot();
  const core::Calendar& calendar = snap.scenario.calendar;
  const Date today = school_.clock().Today();
  std::vector<AvoidanceView> out;
  for (size_t i = 0; i < snap.pupils.size(); ++i) {
    const store::Pupil& p = snap.pupils[i];
    if (pupil && p.id != *pupil) continue;
    if (!snap.scenario.pupils[i].OnRollOn(today)) continue;
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, snap.scenario.pupils[i], snap.scenario.marks[i],
                                 snap.scenario.default_mark, today, school_.DayPartOf(today));
    for (const core::AvoidancePattern& a :
         core::ThresholdAvoidance(calendar, snap.scenario.policy, sessions)) {
      out.push_back({p.id, DisplayName(p), a.description, a.evidence.size(),
                     EvidenceText(calendar, a.evidence)});
    }
  }
  return out;
}

core::StatusOr<store::PenaltyEvent> Penalties::AddEvent(const Principal& who,
                                                        const PenaltyEventRequest& r) {
  using Kind = store::PenaltyEventKind;
  // An unknown kind needs kDecidePenalty, and is refused once the case and
  // the date are checked.
  const std::optional<Kind> kind = store::PenaltyEventKindFromName(r.kind);
  const bool money = kind == Kind::kPayment;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(
        school_.Allow(who, money ? Action::kRecordPenaltyPayment : Action::kDecidePenalty, {}));
  }
  const std::optional<int64_t> case_id = ParseId(r.case_id);
  if (!case_id) {
    return core::NotFound(core::kErrPenaltyCaseUnknown, "no penalty case '" + r.case_id + "'");
  }
  // One writer at a time from reading the case to storing the event, so two
  // people cannot both issue the one notice a parent may be given.
  const auto write = school_.BeginWrite();
  ASSIGN_OR_RETURN(std::vector<PenaltyView> found, Views(who, std::nullopt, *case_id));
  if (found.empty()) {
    return core::NotFound(core::kErrPenaltyCaseUnknown, "no penalty case '" + r.case_id + "'");
  }
  const PenaltyView& v = found.front();
  const Date today = school_.clock().Today();
  store::PenaltyEvent e;
  e.case_id = v.c.id;
  e.text = r.text;
  if (e.text.size() > kMaxPenaltyText) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("'text' is longer than {} characters", kMaxPenaltyText));
  }
  Date on = today;
  if (!r.on.empty()) {
    ASSIGN_OR_RETURN(on, ParseDateParam(r.on, "on"));
  }
  if (on > today) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "'on' is in the future: record it once it has happened");
  }
  e.on = on;
  auto conflict = [](std::string why) {
    return core::Conflict(core::kErrPenaltyEvent, std::move(why));
  };
  if (!kind) {
    return core::InvalidArgument(core::kErrPenaltyEvent,
                                 "kind is decision, nti, nti_outcome, notice, payment, "
                                 "withdrawal, prosecution or closed");
  }
  e.kind = *kind;
  // The head's decision so far; a pointer rather than a copied optional,
  // which GCC 12 at -O2 takes for read uninitialized in the comparisons.
  const core::PenaltyDecision* decision =
      v.decision && v.decision->decision ? &*v.decision->decision : nullptr;
  // A decision or outcome that names none is left unset, which
  // store::CheckPenaltyEvent refuses, naming those there are.
  if (e.kind == Kind::kDecision) {
    ASSIGN_OR_RETURN(const std::string name, RequiredPenaltyField(r.decision, "decision"));
    e.decision = core::PenaltyDecisionFromName(name);
  } else if (e.kind == Kind::kNti) {
    if (!decision || *decision != core::PenaltyDecision::kNoticeToImprove) {
      return conflict("decide on a notice to improve before issuing one");
    }
    if (v.nti) return conflict("this case already has a notice to improve");
    RETURN_IF_ERROR(RequireParents(v));
    ASSIGN_OR_RETURN(std::string end, RequiredPenaltyField(r.end, "end"));
    ASSIGN_OR_RETURN(Date end_date, ParseDateParam(end, "end"));
    if (!core::ValidImprovementPeriod(on, end_date)) {
      return core::InvalidArgument(core::kErrPenaltyEvent,
                                   "the improvement period is 3 to 6 weeks (21 to 42 days from "
                                   "its start)");
    }
    e.end = end_date;
  } else if (e.kind == Kind::kNtiOutcome) {
    if (!v.nti) return conflict("there is no notice to improve to record the outcome of");
    if (v.nti_outcome) return conflict("the outcome is already recorded");
    if (on < *v.nti->end) {
      return conflict(
          fmt::format("the improvement period runs until {}: record the outcome at "
                      "its end",
                      v.nti->end->ToString()));
    }
    ASSIGN_OR_RETURN(const std::string name, RequiredPenaltyField(r.outcome, "outcome"));
    e.outcome = core::ImprovementOutcomeFromName(name);
  } else if (e.kind == Kind::kNotice) {
    if (!decision || *decision != core::PenaltyDecision::kPenaltyNotice) {
      return conflict("decide on a penalty notice first");
    }
    RETURN_IF_ERROR(RequireParents(v));
    ASSIGN_OR_RETURN(e.parent, RequiredPenaltyField(r.parent, "parent"));
    auto option = std::find_if(v.parents.begin(), v.parents.end(),
                               [&](const ParentOption& p) { return p.parent == e.parent; });
    if (option == v.parents.end()) {
      auto lock = school_.Read();
      const store::Pupil& pupil =
          school_.snapshot().pupils[school_.snapshot().pupil_index.at(v.c.pupil_id)];
      for (const store::Contact& contact : pupil.contacts) {
        if (contact.name != e.parent) continue;
        return core::InvalidArgument(
            core::kErrNotAParent,
            fmt::format("{} ({}) does not have parental responsibility for {}: a notice goes "
                        "only to a parent or a person who has care of the child",
                        contact.name, contact.relationship, v.pupil_name));
      }
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "'" + e.parent + "' is not one of the pupil's contacts");
    }
    if (option->issued_here) return conflict(e.parent + " already has a notice in this case");
    if (on < v.c.alert.date) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a notice is issued after the threshold was met");
    }
    int service_days = 2;
    {
      auto lock = school_.Read();
      service_days = school_.snapshot().scenario.policy.penalty.service_working_days;
    }
    const std::optional<core::NoticeTerms> terms =
        core::TermsOf(NoticeKindOfCase(v.c), option->action, on, service_days);
    if (!terms) {
      return core::Conflict(core::kErrPenaltyThirdNotice,
                            fmt::format("{} has had two notices for this child in the last 3 "
                                        "years: a third cannot be issued; consider prosecution",
                                        e.parent));
    }
    e.notice_number = option->action == core::PenaltyAction::kSecondNotice ? 2 : 1;
    e.amount_pence = terms->reduced_pence;
  } else if (e.kind == Kind::kPayment || e.kind == Kind::kWithdrawal ||
             e.kind == Kind::kProsecution) {
    if (!r.notice_id) {
      return core::InvalidArgument(core::kErrRequiredKey, "name the notice: 'notice_id'");
    }
    e.notice_id = *r.notice_id;
    auto n = std::find_if(v.notices.begin(), v.notices.end(),
                          [&](const NoticeView& x) { return x.notice.id == *e.notice_id; });
    if (n == v.notices.end()) {
      return core::NotFound(core::kErrPenaltyNoticeUnknown,
                            fmt::format("case {} has no notice {}", v.c.id, *e.notice_id));
    }
    if (n->withdrawn) return conflict("the notice was withdrawn");
    if (n->paid) return conflict("the notice is paid");
    if (e.kind == Kind::kPayment) {
      if (!r.amount_pence) {
        return core::InvalidArgument(core::kErrRequiredKey, "give 'amount_pence', e.g. 8000");
      }
      e.amount_pence = *r.amount_pence;
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
    } else if (e.kind == Kind::kProsecution) {
      if (n->prosecuted) return conflict("the notice is already referred for prosecution");
      if (today <= n->terms.full_by) {
        return conflict(
            fmt::format("the notice can be paid until {}", n->terms.full_by.ToString()));
      }
    }
  }
  e.at = school_.clock().NowSeconds();
  e.by_user_id = who.user_id;
  e.by_name = who.name;
  e.by_role = who.role;
  ASSIGN_OR_RETURN(e.id, school_.store().AddPenaltyEvent(e));
  return e;
}

core::StatusOr<int64_t> Penalties::OpenExclusionCase(const Principal& who,
                                                     const ExclusionCaseRequest& r) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kDecidePenalty, {}));
  }
  ASSIGN_OR_RETURN(std::string date_text, RequiredPenaltyField(r.date, "date"));
  ASSIGN_OR_RETURN(Date date, ParseDateParam(date_text, "date"));
  ASSIGN_OR_RETURN(std::string text, RequiredPenaltyField(r.text, "text"));
  if (text.empty() || text.size() > kMaxPenaltyText) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "say where and when the pupil was seen (1 to 2000 characters)");
  }
  const std::optional<core::Session> session =
      r.session.empty() ? core::Session::kAm : core::SessionFromName(r.session);
  if (!session) return core::InvalidArgument(core::kErrValueInvalid, "'session' is AM or PM");
  const SessionKey slot{date, *session};
  const core::Clock& clock = school_.clock();
  store::PenaltyCase c{.pupil_id = r.pupil_id,
                       .kind = store::PenaltyCaseKind::kExclusion,
                       .alert = slot,
                       .opened_at = clock.NowSeconds()};
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, r.pupil_id, Action::kReadPupil));
    // The pupil was excluded (E) then, within the first 5 school days of it.
    const core::Calendar& calendar = snap.scenario.calendar;
    const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
        calendar, snap.scenario.pupils[index], snap.scenario.marks[index],
        snap.scenario.default_mark, clock.Today(), school_.DayPartOf(clock.Today()));
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
  const auto write = school_.BeginWrite();
  return school_.store().OpenPenaltyCase(c);
}

}  // namespace rollcall::service
