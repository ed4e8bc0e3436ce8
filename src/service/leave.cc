// leave.cc: leave of absence, its decision letters and what follows a
// decision (leave.h).
#include "service/leave.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "core/error_codes.h"
#include "core/leave.h"
#include "letters/letters.h"
#include "service/fields.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

using core::Date;
using core::SessionKey;

constexpr size_t kMaxLeaveText = 1000;
constexpr int kGroundHSchoolDays = 10;

// A session from a date and an optional session name.
core::StatusOr<SessionKey> SlotOf(const std::string& date, const std::string& session,
                                  const char* date_key, const char* session_key,
                                  core::Session fallback) {
  ASSIGN_OR_RETURN(Date d, ParseDateParam(date, date_key));
  if (session.empty()) return SessionKey{d, fallback};
  const std::optional<core::Session> s = core::SessionFromName(session);
  if (!s) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("'{}' is AM or PM, not '{}'", session_key, session));
  }
  return SessionKey{d, *s};
}

}  // namespace

std::string SlotWords(SessionKey s) {
  return fmt::format("{} ({})", DayDate(s.date),
                     s.session == core::Session::kAm ? "morning" : "afternoon");
}

std::string_view LeaveStatusName(const LeaveView& v) {
  return v.decision ? store::LeaveOutcomeName(v.decision->decision) : "pending";
}

store::Letter LeaveLetter(const std::string& school_name, const std::string& signatory,
                          const store::Pupil& pupil, const store::LeaveRequest& r, size_t sessions,
                          store::LeaveOutcome decision, const std::string& reason) {
  const bool granted = decision == store::LeaveOutcome::kGranted;
  letters::Facts f;
  f.school_name = school_name;
  f.signatory = signatory;
  const LetterRecipient to = RecipientOf(pupil);
  f.addressee = to.addressee;
  f.salutation = to.salutation;
  f.pupil_name = DisplayName(pupil);
  f.leave_dates = fmt::format("from {} to {}", SlotWords(r.from), SlotWords(r.to));
  f.leave_reason = r.reason;
  f.decision_reason = reason;
  f.leave_code = fmt::format("{} ({})", core::SymbolOf(r.code), core::InfoOf(r.code).meaning);
  const letters::Text text = letters::Compose(
      granted ? letters::Template::kLeaveGranted : letters::Template::kLeaveRefused, f);
  return store::Letter{.pupil_id = r.pupil_id,
                       .template_key = granted ? "leave_granted" : "leave_refused",
                       .addressee = f.addressee,
                       .address = to.address,
                       .subject = text.subject,
                       .body = letters::JoinParagraphs(text.paragraphs),
                       .figures_json = nlohmann::ordered_json{{"request", r.id},
                                                              {"sessions", sessions},
                                                              {"code", core::SymbolOf(r.code)}}
                                           .dump()};
}

core::StatusOr<LeaveView> Leave::Request(const Principal& who, const NewLeaveRequest& req) {
  store::LeaveRequest r;
  r.pupil_id = req.pupil_id;
  ASSIGN_OR_RETURN(r.from,
                   SlotOf(req.from, req.from_session, "from", "from_session", core::Session::kAm));
  ASSIGN_OR_RETURN(r.to, SlotOf(req.to, req.to_session, "to", "to_session", core::Session::kPm));
  const std::optional<core::AttendanceCode> c = core::CodeFromSymbol(req.code);
  if (!c || !core::IsLeaveCode(*c)) {
    return core::InvalidArgument(core::kErrLeaveInvalid,
                                 "'code' is C1 (performance), M (appointment), J1 (interview), S "
                                 "(study leave) or C (exceptional circumstances)");
  }
  r.code = *c;
  r.reason = req.reason;
  r.evidence = req.evidence;
  if (r.reason.size() > kMaxLeaveText || r.evidence.size() > kMaxLeaveText) {
    return core::InvalidArgument(
        core::kErrValueInvalid, fmt::format("a field is longer than {} characters", kMaxLeaveText));
  }
  const Date today = school_.clock().Today();
  r.received_on = today;
  if (!req.received_on.empty()) {
    if (who.role == store::Role::kParent) {
      return core::InvalidArgument(core::kErrValueInvalid,
                                   "the school records the day it received the request");
    }
    ASSIGN_OR_RETURN(r.received_on, ParseDateParam(req.received_on, "received_on"));
    if (r.received_on > today) {
      return core::InvalidArgument(core::kErrValueInvalid, "'received_on' is in the future");
    }
  }
  if (r.to.date.days() - r.from.date.days() > 60) {
    return core::InvalidArgument(core::kErrLeaveInvalid,
                                 "a request covers at most 60 days: talk to the school");
  }
  {
    auto lock = school_.Read();
    ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, r.pupil_id, Action::kRequestLeave));
    (void)index;
    if (core::LeaveSessions(school_.snapshot().scenario.calendar, r.from, r.to).empty()) {
      return core::InvalidArgument(core::kErrLeaveInvalid,
                                   "the school is not open on any of those sessions");
    }
  }
  r.at = school_.clock().NowSeconds();
  StampAuthor(r, who);
  {
    const auto write_lock = school_.BeginWrite();
    ASSIGN_OR_RETURN(r.id, school_.store().AddLeaveRequest(r));
    school_.Apply([&](Snapshot& s) { s.leave_requests.push_back(r); });
  }
  auto lock = school_.Read();
  for (LeaveView& v : ViewsLocked(r.pupil_id)) {
    if (v.r.id == r.id) return std::move(v);
  }
  return core::Internal(core::kErrInternal, "the request was not kept");
}

core::StatusOr<store::LeaveDecision> Leave::Decide(const Principal& who,
                                                   const LeaveDecisionRequest& req) {
  const std::optional<store::LeaveOutcome> decision = store::LeaveOutcomeFromName(req.decision);
  if (!decision) {
    return core::InvalidArgument(core::kErrLeaveInvalid,
                                 "'decision' is granted, refused or withdrawn");
  }
  return Record(who, req.request_id, *decision, req.reason);
}

core::StatusOr<store::LeaveDecision> Leave::Withdraw(const Principal& who,
                                                     const std::string& request_id) {
  return Record(who, request_id, store::LeaveOutcome::kWithdrawn, "");
}

core::StatusOr<store::LeaveDecision> Leave::Record(const Principal& who,
                                                   const std::string& request_id,
                                                   store::LeaveOutcome decision,
                                                   const std::string& reason) {
  const bool withdrawn = decision == store::LeaveOutcome::kWithdrawn;
  if (!withdrawn && (reason.empty() || reason.size() > kMaxLeaveText)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "give the reason for the decision (it goes in the letter)");
  }
  // Only the head grants or refuses; whoever may ask for leave may withdraw
  // it. The action decides which rule applies to this pupil below.
  const Action action = withdrawn ? Action::kRequestLeave : Action::kDecideLeave;
  const std::optional<int64_t> id = ParseId(request_id);
  std::optional<LeaveView> view;
  std::optional<store::Letter> letter;
  {
    auto lock = school_.Read();
    const Snapshot& snap = school_.snapshot();
    // Who may act at all, before saying whether the request exists (a
    // parent's right depends on the child, so is checked once it is known).
    if (!withdrawn || who.role != store::Role::kParent) {
      RETURN_IF_ERROR(school_.Allow(who, action, {}));
    }
    for (LeaveView& v : ViewsLocked(std::nullopt)) {
      if (id && v.r.id == *id) view = std::move(v);
    }
    if (!view) {
      return core::NotFound(core::kErrLeaveUnknown, "no leave request '" + request_id + "'");
    }
    const store::Pupil& p = snap.pupils[snap.pupil_index.at(view->r.pupil_id)];
    RETURN_IF_ERROR(school_.Allow(who, action, {p.id, p.class_id}));
    if (view->decision) {
      return core::Conflict(core::kErrLeaveDecided,
                            fmt::format("this request is already {}",
                                        store::LeaveOutcomeName(view->decision->decision)));
    }
    if (decision == store::LeaveOutcome::kGranted) {
      // Never retrospectively: the first session must not have begun.
      const SessionKey first = view->sessions.front();
      const Date today = school_.clock().Today();
      const int start = first.session == core::Session::kAm ? snap.settings.am_start_minute
                                                            : snap.settings.pm_start_minute;
      if (first.date < today || (first.date == today && school_.clock().MinuteOfDay() >= start)) {
        return core::Conflict(core::kErrLeaveRetrospective,
                              "leave is granted in advance, never for sessions that have begun");
      }
    }
    if (!withdrawn) {
      std::string signatory = "The headteacher";
      if (auto u = snap.users.find(who.user_id); u != snap.users.end()) {
        signatory = u->second.display_name;
      }
      letter = LeaveLetter(snap.school.name, signatory, p, view->r, view->sessions.size(), decision,
                           reason);
      letter->at = school_.clock().NowSeconds();
      StampAuthor(*letter, who);
    }
  }
  store::LeaveDecision d{.request_id = view->r.id,
                         .decision = decision,
                         .reason = reason,
                         .at = school_.clock().NowSeconds()};
  StampAuthor(d, who);
  const auto write_lock = school_.BeginWrite();
  ASSIGN_OR_RETURN(d.id, school_.store().DecideLeave(d, letter));
  ASSIGN_OR_RETURN(std::vector<store::LeaveDecision> all, school_.store().ListLeaveDecisions());
  school_.Apply([&](Snapshot& s) {
    s.leave_decisions = std::move(all);
    for (const store::LeaveDecision& x : s.leave_decisions) {
      if (x.id == d.id) d = x;
    }
  });
  return d;
}

core::StatusOr<int> Leave::CodeFollowUp(const Principal& who, const std::string& request_id,
                                        const std::string& kind) {
  std::optional<LeaveFollowUp> found;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kResolveAbsenceReport, {}));
    for (LeaveFollowUp& f : FollowUpsLocked()) {
      if (std::to_string(f.view.r.id) == request_id && f.kind == kind) found = std::move(f);
    }
  }
  if (!found) {
    return core::NotFound(core::kErrLeaveUnknown,
                          "nothing to code for leave request '" + request_id + "'");
  }
  const std::string reason =
      kind == "taken" ? fmt::format("Leave refused (request {}) and taken", found->view.r.id)
                      : fmt::format("Not back after leave granted to {} (request {})",
                                    LongDate(found->view.r.to.date), found->view.r.id);
  int coded = 0;
  for (const SessionKey& s : found->sessions) {
    ASSIGN_OR_RETURN(
        MarkResult m,
        registers_.RecordMark(who, {s.date.ToString(), std::string(core::SessionName(s.session)),
                                    std::to_string(found->view.r.pupil_id),
                                    std::string(core::SymbolOf(found->code)), reason, ""}));
    coded += m.changed ? 1 : 0;
  }
  return coded;
}

std::vector<LeaveView> Leave::Views(const Principal& who, std::optional<int64_t> pupil) {
  auto lock = school_.Read();
  std::vector<LeaveView> out;
  for (LeaveView& v : ViewsLocked(pupil)) {
    if (school_.Allow(who, Action::kReadLeave, {v.r.pupil_id, v.class_id}).ok()) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

core::StatusOr<PupilLeave> Leave::ForPupil(const Principal& who, int64_t pupil_id) {
  auto lock = school_.Read();
  ASSIGN_OR_RETURN(size_t index, school_.PupilFor(who, pupil_id, Action::kReadLeave));
  const store::Pupil& p = school_.snapshot().pupils[index];
  PupilLeave out;
  out.requests = ViewsLocked(pupil_id);
  out.may_ask = school_.Allow(who, Action::kRequestLeave, {p.id, p.class_id}).ok();
  out.may_decide = school_.Allow(who, Action::kDecideLeave, {p.id, p.class_id}).ok();
  // The school, entering a family's request, dates when it came in.
  out.may_date_receipt = out.may_ask && who.role != store::Role::kParent;
  return out;
}

core::StatusOr<LeaveWorklist> Leave::Worklist(const Principal& who) {
  auto lock = school_.Read();
  RETURN_IF_ERROR(school_.Allow(who, Action::kReadWorklist, {}));
  LeaveWorklist out;
  for (LeaveView& v : ViewsLocked(std::nullopt)) {
    if (!v.decision) out.pending.push_back(std::move(v));
  }
  out.follow_ups = FollowUpsLocked();
  return out;
}

std::optional<int64_t> Leave::PupilOf(const std::string& request_id) const {
  auto lock = school_.Read();
  for (const store::LeaveRequest& r : school_.snapshot().leave_requests) {
    if (std::to_string(r.id) == request_id) return r.pupil_id;
  }
  return std::nullopt;
}

std::vector<LeaveView> Leave::ViewsLocked(std::optional<int64_t> pupil) const {
  const Snapshot& snap = school_.snapshot();
  std::vector<LeaveView> out;
  const core::Calendar& calendar = snap.scenario.calendar;
  for (const store::LeaveRequest& r : snap.leave_requests) {
    if (pupil && r.pupil_id != *pupil) continue;
    auto it = snap.pupil_index.find(r.pupil_id);
    if (it == snap.pupil_index.end()) continue;
    const store::Pupil& p = snap.pupils[it->second];
    LeaveView v;
    v.r = r;
    v.pupil_name = DisplayName(p);
    v.class_id = p.class_id;
    for (const store::LeaveDecision& d : snap.leave_decisions) {
      if (d.request_id == r.id) v.decision = d;
    }
    v.sessions = core::LeaveSessions(calendar, r.from, r.to);
    v.warnings = core::LeaveWarnings(calendar, snap.scenario.policy.leave, r.code, r.received_on,
                                     r.from, r.to, p.year_group);
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<LeaveFollowUp> Leave::FollowUpsLocked() const {
  const Snapshot& snap = school_.snapshot();
  std::vector<LeaveFollowUp> out;
  const Date today = school_.clock().Today();
  const core::Calendar& calendar = snap.scenario.calendar;
  for (const LeaveView& v : ViewsLocked(std::nullopt)) {
    if (!v.decision || v.decision->decision == store::LeaveOutcome::kWithdrawn) continue;
    const size_t index = snap.pupil_index.at(v.r.pupil_id);
    auto unexplained = [&](SessionKey s) {
      const SlotMark m = school_.MarkAt(index, s);
      return !m.code || *m.code == core::AttendanceCode::kNoReasonYet;
    };
    LeaveFollowUp f;
    f.view = v;
    if (v.decision->decision == store::LeaveOutcome::kRefused) {
      // Taken anyway: the request's sessions up to now still N or unmarked.
      for (const SessionKey& s : v.sessions) {
        if (s.date > today) break;
        if (unexplained(s) && school_.MarkAt(index, s).code) f.sessions.push_back(s);
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
        if (s.date > today || !school_.MarkAt(index, s).code || !unexplained(s)) break;
        f.sessions.push_back(s);
      }
      f.kind = "overstay";
      // As the policy says; by default holiday overstay G, otherwise O
      // (docs/rules.md section 6).
      f.code = snap.scenario.policy.leave.overstay_code.value_or(
          v.r.code == core::AttendanceCode::kExceptional
              ? core::AttendanceCode::kHolidayNotGranted
              : core::AttendanceCode::kOtherUnauthorised);
      f.ground_h = static_cast<int>(f.sessions.size()) >= 2 * kGroundHSchoolDays;
    }
    if (!f.sessions.empty()) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace rollcall::service
