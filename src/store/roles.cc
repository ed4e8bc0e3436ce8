// roles.cc: the names of the store's enums as they appear in the API and
// the database (frozen: a stored name is never changed), and the checks
// every backend applies.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/error_codes.h"
#include "core/leave.h"
#include "core/part_time.h"
#include "store/store.h"

namespace rollcall::store {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kTeacher:
      return "teacher";
    case Role::kOffice:
      return "office";
    case Role::kHead:
      return "head";
    case Role::kGovernor:
      return "governor";
    case Role::kLaOfficer:
      return "la";
    case Role::kParent:
      return "parent";
    case Role::kSafeguardingLead:
      return "dsl";
    case Role::kSenco:
      return "senco";
    case Role::kAttendanceOfficer:
      return "attendance";
  }
  core::Unreachable();
}

std::optional<Role> RoleFromName(std::string_view name) {
  for (Role r : {Role::kTeacher, Role::kOffice, Role::kHead, Role::kGovernor, Role::kLaOfficer,
                 Role::kParent, Role::kSafeguardingLead, Role::kSenco, Role::kAttendanceOfficer}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::string SalutationOf(const Contact& contact) {
  return contact.salutation.empty() ? "Dear " + contact.name : contact.salutation;
}

std::string AddressBlockOf(const Contact& contact) {
  std::string out = contact.name;
  const auto add_line = [&](std::string_view line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!line.empty()) out += "\n" + std::string(line);
  };
  std::string_view lines = contact.address;
  while (!lines.empty()) {
    const size_t nl = lines.find('\n');
    add_line(lines.substr(0, nl));
    if (nl == std::string_view::npos) break;
    lines.remove_prefix(nl + 1);
  }
  add_line(contact.postcode);
  return out;
}

namespace {

constexpr ContactMethod kMethods[] = {ContactMethod::kCall,      ContactMethod::kText,
                                      ContactMethod::kEmail,     ContactMethod::kLetter,
                                      ContactMethod::kHomeVisit, ContactMethod::kMeeting,
                                      ContactMethod::kMessage};
constexpr ContactOutcome kOutcomes[] = {
    ContactOutcome::kSpoke,    ContactOutcome::kNoAnswer,    ContactOutcome::kLeftMessage,
    ContactOutcome::kSent,     ContactOutcome::kSeen,        ContactOutcome::kNotSeen,
    ContactOutcome::kAttended, ContactOutcome::kDidNotAttend};

}  // namespace

std::string_view ContactMethodName(ContactMethod method) {
  switch (method) {
    case ContactMethod::kCall:
      return "call";
    case ContactMethod::kText:
      return "text";
    case ContactMethod::kEmail:
      return "email";
    case ContactMethod::kLetter:
      return "letter";
    case ContactMethod::kHomeVisit:
      return "home_visit";
    case ContactMethod::kMeeting:
      return "meeting";
    case ContactMethod::kMessage:
      return "message";
  }
  core::Unreachable();
}

std::optional<ContactMethod> ContactMethodFromName(std::string_view name) {
  for (ContactMethod m : kMethods) {
    if (ContactMethodName(m) == name) return m;
  }
  return std::nullopt;
}

std::string_view ContactOutcomeName(ContactOutcome outcome) {
  switch (outcome) {
    case ContactOutcome::kSpoke:
      return "spoke";
    case ContactOutcome::kNoAnswer:
      return "no_answer";
    case ContactOutcome::kLeftMessage:
      return "left_message";
    case ContactOutcome::kSent:
      return "sent";
    case ContactOutcome::kSeen:
      return "seen";
    case ContactOutcome::kNotSeen:
      return "not_seen";
    case ContactOutcome::kAttended:
      return "attended";
    case ContactOutcome::kDidNotAttend:
      return "did_not_attend";
  }
  core::Unreachable();
}

std::optional<ContactOutcome> ContactOutcomeFromName(std::string_view name) {
  for (ContactOutcome o : kOutcomes) {
    if (ContactOutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

std::vector<ContactOutcome> OutcomesOf(ContactMethod method) {
  switch (method) {
    case ContactMethod::kCall:
      return {ContactOutcome::kSpoke, ContactOutcome::kNoAnswer, ContactOutcome::kLeftMessage};
    case ContactMethod::kText:
    case ContactMethod::kEmail:
    case ContactMethod::kLetter:
    case ContactMethod::kMessage:
      return {ContactOutcome::kSent};
    case ContactMethod::kHomeVisit:
      return {ContactOutcome::kSeen, ContactOutcome::kNotSeen};
    case ContactMethod::kMeeting:
      return {ContactOutcome::kAttended, ContactOutcome::kDidNotAttend};
  }
  core::Unreachable();
}

core::Status CheckContactLogEntry(const ContactLogEntry& entry) {
  const std::vector<ContactOutcome> allowed = OutcomesOf(entry.method);
  if (std::find(allowed.begin(), allowed.end(), entry.outcome) != allowed.end()) {
    return core::OkStatus();
  }
  std::string names;
  for (ContactOutcome o : allowed) {
    names += (names.empty() ? "" : ", ") + std::string(ContactOutcomeName(o));
  }
  return core::InvalidArgument(
      core::kErrContactOutcome,
      fmt::format("a {} cannot have the outcome '{}': use {}", ContactMethodName(entry.method),
                  ContactOutcomeName(entry.outcome), names));
}

std::string_view SupportKindName(SupportKind kind) {
  switch (kind) {
    case SupportKind::kPanelMeeting:
      return "panel_meeting";
    case SupportKind::kActionPlan:
      return "action_plan";
    case SupportKind::kReview:
      return "review";
  }
  core::Unreachable();
}

std::optional<SupportKind> SupportKindFromName(std::string_view name) {
  for (SupportKind k :
       {SupportKind::kPanelMeeting, SupportKind::kActionPlan, SupportKind::kReview}) {
    if (SupportKindName(k) == name) return k;
  }
  return std::nullopt;
}

core::Status CheckSupportEvent(const SupportEvent& e) {
  if (e.kind == SupportKind::kActionPlan && !e.review_date) {
    return core::InvalidArgument(core::kErrSupportEvent, "an action plan needs a review date");
  }
  if (e.kind == SupportKind::kReview && (!e.plan_id || !e.outcome)) {
    return core::InvalidArgument(
        core::kErrSupportEvent,
        "a review names the action plan it reviews and its outcome: improved or not_improved");
  }
  return core::OkStatus();
}

std::string_view PartTimeOutcomeName(PartTimeOutcome outcome) {
  switch (outcome) {
    case PartTimeOutcome::kContinue:
      return "continue";
    case PartTimeOutcome::kExtend:
      return "extend";
    case PartTimeOutcome::kEnd:
      return "end";
  }
  core::Unreachable();
}

std::optional<PartTimeOutcome> PartTimeOutcomeFromName(std::string_view name) {
  for (PartTimeOutcome o :
       {PartTimeOutcome::kContinue, PartTimeOutcome::kExtend, PartTimeOutcome::kEnd}) {
    if (PartTimeOutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

core::Status CheckPartTimeTimetable(const PartTimeTimetable& t) {
  auto invalid = [](std::string_view why) {
    return core::InvalidArgument(core::kErrPartTimeInvalid,
                                 std::string("part-time timetable: ") + std::string(why));
  };
  if (t.end < t.start) return invalid("the end date is before the start");
  if (t.end.days() - t.start.days() > 366) {
    return invalid("it must be time-limited: end it within a year of the start");
  }
  if (t.agreed_on > t.start) return invalid("it is agreed with the parent before it starts");
  if (t.review_date < t.start || t.review_date > t.end) {
    return invalid("the review date falls between its start and end");
  }
  const uint16_t sessions = t.attends & core::TimetablePattern::kAllSessions;
  if (sessions == 0 || t.attends != sessions) {
    return invalid("choose the sessions the pupil attends (at least one)");
  }
  if (sessions == core::TimetablePattern::kAllSessions) {
    return invalid("a timetable of every session is full time, not part time");
  }
  if (t.agreed_with.empty()) return invalid("name the parent who agreed it");
  if (t.reason.empty()) return invalid("give the reason for it");
  return core::OkStatus();
}

core::Status CheckPartTimeReview(const PartTimeReview& r, const PartTimeTimetable& t,
                                 core::Date current_end) {
  auto invalid = [](std::string_view why) {
    return core::InvalidArgument(core::kErrPartTimeInvalid,
                                 std::string("part-time review: ") + std::string(why));
  };
  if (r.held_on < t.agreed_on) return invalid("it is held on or after the agreement");
  switch (r.outcome) {
    case PartTimeOutcome::kContinue:
      if (r.end != current_end)
        return invalid("to continue keeps the end date; to change it, extend");
      break;
    case PartTimeOutcome::kExtend:
      if (r.end <= current_end) return invalid("an extension ends later than the current end");
      if (r.end.days() - t.start.days() > 366) {
        return invalid("it must stay time-limited: end it within a year of the start");
      }
      break;
    case PartTimeOutcome::kEnd:
      if (r.end > current_end || r.end < t.start.AddDays(-1)) {
        return invalid("ending it sets the last day on it, no later than the current end");
      }
      if (r.next_review) return invalid("an ended timetable has no next review");
      return core::OkStatus();
  }
  if (!r.next_review || *r.next_review <= r.held_on || *r.next_review > r.end) {
    return invalid("give the next review date, after this review and by the end date");
  }
  return core::OkStatus();
}

std::vector<core::TimetableReview> TimetableReviewsOf(const PartTimeTimetable& t,
                                                      const std::vector<PartTimeReview>& reviews) {
  std::vector<core::TimetableReview> out;
  for (const PartTimeReview& r : reviews) {
    if (r.timetable_id == t.id) out.push_back({r.end, r.next_review});
  }
  return out;
}

core::Status CheckPartTimeOverlap(const PartTimeTimetable& t,
                                  const std::vector<PartTimeTimetable>& others,
                                  const std::vector<PartTimeReview>& reviews) {
  for (const PartTimeTimetable& o : others) {
    if (o.pupil_id != t.pupil_id) continue;
    // The other's end as last reviewed: an extension can make it overlap,
    // and ending or cancelling it frees its days for a new agreement.
    const core::Date end = core::EndInForce(o.end, TimetableReviewsOf(o, reviews));
    if (core::TimetablesOverlap(t.start, t.end, o.start, end)) {
      return core::Conflict(core::kErrPartTimeOverlap,
                            fmt::format("pupil {} already has a part-time timetable from {} to {}",
                                        t.pupil_id, o.start.ToString(), end.ToString()));
    }
  }
  return core::OkStatus();
}

std::string_view PenaltyCaseKindName(PenaltyCaseKind kind) {
  switch (kind) {
    case PenaltyCaseKind::kAttendance:
      return "attendance";
    case PenaltyCaseKind::kLocal:
      return "local";
    case PenaltyCaseKind::kExclusion:
      return "exclusion";
  }
  core::Unreachable();
}

std::optional<PenaltyCaseKind> PenaltyCaseKindFromName(std::string_view name) {
  for (PenaltyCaseKind k :
       {PenaltyCaseKind::kAttendance, PenaltyCaseKind::kLocal, PenaltyCaseKind::kExclusion}) {
    if (PenaltyCaseKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view PenaltyEventKindName(PenaltyEventKind kind) {
  switch (kind) {
    case PenaltyEventKind::kDecision:
      return "decision";
    case PenaltyEventKind::kNti:
      return "nti";
    case PenaltyEventKind::kNtiOutcome:
      return "nti_outcome";
    case PenaltyEventKind::kNotice:
      return "notice";
    case PenaltyEventKind::kPayment:
      return "payment";
    case PenaltyEventKind::kWithdrawal:
      return "withdrawal";
    case PenaltyEventKind::kProsecution:
      return "prosecution";
    case PenaltyEventKind::kClosed:
      return "closed";
  }
  core::Unreachable();
}

std::optional<PenaltyEventKind> PenaltyEventKindFromName(std::string_view name) {
  for (PenaltyEventKind k :
       {PenaltyEventKind::kDecision, PenaltyEventKind::kNti, PenaltyEventKind::kNtiOutcome,
        PenaltyEventKind::kNotice, PenaltyEventKind::kPayment, PenaltyEventKind::kWithdrawal,
        PenaltyEventKind::kProsecution, PenaltyEventKind::kClosed}) {
    if (PenaltyEventKindName(k) == name) return k;
  }
  return std::nullopt;
}

core::Status CheckPenaltyEvent(const PenaltyEvent& e) {
  auto invalid = [&](std::string_view why) {
    return core::InvalidArgument(
        core::kErrPenaltyEvent,
        fmt::format("penalty case {}: {}", PenaltyEventKindName(e.kind), why));
  };
  const bool refers = e.kind == PenaltyEventKind::kPayment ||
                      e.kind == PenaltyEventKind::kWithdrawal ||
                      e.kind == PenaltyEventKind::kProsecution;
  if (refers != e.notice_id.has_value()) {
    return invalid(refers ? "name the notice (notice_id)"
                          : "only a payment, withdrawal or "
                            "prosecution refers to a notice");
  }
  switch (e.kind) {
    case PenaltyEventKind::kDecision:
      if (!e.decision) {
        return invalid(
            "the decision is support_first, notice_to_improve, penalty_notice or no_action");
      }
      if (e.text.empty()) return invalid("give the reasons for the decision");
      break;
    case PenaltyEventKind::kNti:
      if (!e.on || !e.end) return invalid("give the improvement period's start and end");
      if (e.text.empty()) return invalid("say what sufficient improvement means");
      break;
    case PenaltyEventKind::kNtiOutcome:
      if (!e.outcome) return invalid("the outcome is improved or not_improved");
      break;
    case PenaltyEventKind::kNotice:
      if (e.parent.empty() || !e.on || e.notice_number < 1 || e.notice_number > 2) {
        return invalid(
            "a notice names the parent, the day issued and whether it is the 1st or 2nd");
      }
      break;
    case PenaltyEventKind::kPayment:
      if (!e.on || e.amount_pence <= 0) return invalid("give the day paid and the amount");
      break;
    case PenaltyEventKind::kWithdrawal:
    case PenaltyEventKind::kClosed:
      if (e.text.empty()) return invalid("give the reason");
      break;
    case PenaltyEventKind::kProsecution:
      break;
  }
  if (e.decision && e.kind != PenaltyEventKind::kDecision) {
    return invalid("only a decision has a decision");
  }
  if (e.outcome && e.kind != PenaltyEventKind::kNtiOutcome) {
    return invalid("only an nti_outcome has an outcome");
  }
  return core::OkStatus();
}

core::Status CheckLetters(const std::vector<Letter>& letters) {
  if (letters.empty()) return core::InvalidArgument(core::kErrValueInvalid, "no letters to send");
  for (const Letter& l : letters) {
    if (l.subject.empty() || l.body.empty()) {
      return core::InvalidArgument(core::kErrValueInvalid, "a letter needs a subject and a body");
    }
    if (!l.figures_json.empty() &&
        !nlohmann::json::parse(l.figures_json, nullptr, false).is_object()) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "a letter's figures must be a JSON object");
    }
  }
  return core::OkStatus();
}

core::Status CheckLeaveRequest(const LeaveRequest& r) {
  if (!core::IsLeaveCode(r.code)) {
    return core::InvalidArgument(core::kErrLeaveInvalid,
                                 "leave is recorded as C1, M, J1, S or C (a part-time timetable "
                                 "is agreed as such)");
  }
  if (r.to < r.from) {
    return core::InvalidArgument(core::kErrLeaveInvalid, "the last session is before the first");
  }
  if (r.reason.empty()) return core::InvalidArgument(core::kErrLeaveInvalid, "give the reason");
  return core::OkStatus();
}

std::string NotificationKey(core::LaReturnKind kind, int64_t pupil_id, core::Date trigger) {
  return fmt::format("{}.{}.{}", core::LaReturnKindName(kind), pupil_id, trigger.ToString());
}

std::string_view LeaveOutcomeName(LeaveOutcome outcome) {
  switch (outcome) {
    case LeaveOutcome::kGranted:
      return "granted";
    case LeaveOutcome::kRefused:
      return "refused";
    case LeaveOutcome::kWithdrawn:
      return "withdrawn";
  }
  core::Unreachable();
}

std::optional<LeaveOutcome> LeaveOutcomeFromName(std::string_view name) {
  for (LeaveOutcome o :
       {LeaveOutcome::kGranted, LeaveOutcome::kRefused, LeaveOutcome::kWithdrawn}) {
    if (LeaveOutcomeName(o) == name) return o;
  }
  return std::nullopt;
}

core::Calendar CalendarOf(const std::vector<Term>& terms, const std::vector<Closure>& closures) {
  std::vector<core::Term> t;
  for (const Term& term : terms) t.push_back(core::Term{term.start, term.end});
  std::vector<core::Closure> c;
  for (const Closure& closure : closures) {
    c.push_back(core::Closure{closure.date, closure.sessions, closure.reason});
  }
  return core::Calendar(std::move(t), std::move(c));
}

std::string_view SecondFactorEventName(SecondFactorEventKind kind) {
  switch (kind) {
    case SecondFactorEventKind::kEnrolled:
      return "enrolled";
    case SecondFactorEventKind::kTurnedOff:
      return "turned_off";
    case SecondFactorEventKind::kReset:
      return "reset";
    case SecondFactorEventKind::kRecoveryCodeUsed:
      return "recovery_code_used";
    case SecondFactorEventKind::kNewRecoveryCodes:
      return "new_recovery_codes";
  }
  core::Unreachable();
}

std::optional<SecondFactorEventKind> SecondFactorEventFromName(std::string_view name) {
  for (SecondFactorEventKind k :
       {SecondFactorEventKind::kEnrolled, SecondFactorEventKind::kTurnedOff,
        SecondFactorEventKind::kReset, SecondFactorEventKind::kRecoveryCodeUsed,
        SecondFactorEventKind::kNewRecoveryCodes}) {
    if (SecondFactorEventName(k) == name) return k;
  }
  return std::nullopt;
}

}  // namespace rollcall::store
