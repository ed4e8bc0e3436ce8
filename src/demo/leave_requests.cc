// leave_requests.cc: leave of absence at several stages, from a request
// awaiting the head's decision to a refusal the family ignored.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/leave.h"
#include "demo/internal.h"
#include "service/leave.h"

namespace rollcall::cli::internal {

// Leave of absence at several stages. One pupil's leave request was refused
// and the family went anyway: Thursday and Friday of last week are N on the
// register (the office has still to confirm G). The rest are written by
// WriteLeave: parent1's child asks for next week, an appointment granted for
// Monday, a holiday refused and one withdrawn.
std::optional<RefusedLeavePlan> PlanRefusedLeave(const core::Calendar& calendar,
                                                 const std::vector<Draft>& drafts,
                                                 const std::array<ParentChoice, 3>& parents,
                                                 Date today, const LocalTime& time,
                                                 MarkPlan& plan) {
  const Date thursday = today.WeekStart().AddDays(-4);
  const Date friday = thursday.AddDays(1);
  if (!calendar.IsSchoolDay(thursday) || !calendar.IsSchoolDay(friday)) return std::nullopt;
  std::set<size_t> taken;
  for (const ParentChoice& p : parents) taken.insert(p.children.begin(), p.children.end());
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    const Draft& d = drafts[idx];
    if (!d.on_roll_today || d.pattern != synth::PupilPattern::kTypical || taken.contains(idx) ||
        idx % 97 == 13 || idx % 89 == 7 || idx % 83 != 11 || !d.record.OnRollOn(thursday)) {
      continue;
    }
    std::erase_if(plan.writes, [&](const PlannedWrite& w) {
      return w.pupil == idx && (w.slot.date == thursday || w.slot.date == friday);
    });
    for (Date day : {thursday, friday}) {
      for (Session s : {Session::kAm, Session::kPm}) {
        plan.writes.push_back(
            {.pupil = idx,
             .slot = {day, s},
             .code = AttendanceCode::kNoReasonYet,
             .at = time.At(day, s == Session::kAm ? kAmRegisterMinute : kPmRegisterMinute),
             .reason = std::string(kTeacherReason)});
      }
    }
    return RefusedLeavePlan{idx, {thursday, Session::kAm}, {friday, Session::kPm}};
  }
  return std::nullopt;
}
core::Status WriteLeave(store::Store& store, const core::Calendar& calendar,
                        const std::vector<Draft>& drafts,
                        const std::array<ParentChoice, 3>& parents, const Staff& staff,
                        const std::optional<RefusedLeavePlan>& refused, Date today,
                        const LocalTime& time, const std::string& school_name) {
  const size_t head = AccountIndex("head");
  const auto weekday = [](Date d) {
    while (d.IsWeekend()) d = d.AddDays(1);
    return d;
  };
  struct Planned {
    size_t pupil;
    core::SessionKey from, to;
    AttendanceCode code;
    std::string reason, evidence;
    Date received;
    size_t by;                                    // account
    std::optional<store::LeaveOutcome> decision;  // nullopt: awaiting the head
    std::string decision_reason;
  };
  std::vector<Planned> planned;
  const Date next_monday = today.WeekStart().AddDays(7);
  if (!parents[0].children.empty()) {
    planned.push_back({parents[0].children.front(),
                       {next_monday, Session::kAm},
                       {next_monday.AddDays(2), Session::kPm},
                       AttendanceCode::kExceptional,
                       "Grandfather's 80th birthday in Lahore; the family has not met since 2019",
                       "",
                       weekday(today.AddDays(-1)) > today ? today : today.AddDays(-1),
                       kParentAccounts[0],
                       std::nullopt,
                       ""});
  }
  std::set<size_t> used;
  for (const ParentChoice& p : parents) used.insert(p.children.begin(), p.children.end());
  if (refused) used.insert(refused->pupil);
  std::vector<size_t> others;
  for (size_t idx = 0; idx < drafts.size() && others.size() < 3; ++idx) {
    if (drafts[idx].on_roll_today && !used.contains(idx) && idx % 71 == 5) others.push_back(idx);
  }
  if (others.size() == 3) {
    planned.push_back({others[0],
                       {next_monday, Session::kAm},
                       {next_monday, Session::kAm},
                       AttendanceCode::kMedical,
                       "Orthodontist at the Royal Infirmary",
                       "Appointment letter",
                       today.AddDays(-6),
                       kOfficeAccount,
                       store::LeaveOutcome::kGranted,
                       "an appointment that cannot be made out of school hours"});
    planned.push_back({others[1],
                       {weekday(today.AddDays(14)), Session::kAm},
                       {weekday(today.AddDays(14)).AddDays(2), Session::kPm},
                       AttendanceCode::kExceptional,
                       "Family holiday: flights are half the price before the school holidays",
                       "",
                       today.AddDays(-8),
                       kOfficeAccount,
                       store::LeaveOutcome::kRefused,
                       "a holiday is not an exceptional circumstance"});
    planned.push_back({others[2],
                       {weekday(today.AddDays(9)), Session::kPm},
                       {weekday(today.AddDays(9)), Session::kPm},
                       AttendanceCode::kMedical,
                       "Hospital follow-up",
                       "",
                       today.AddDays(-5),
                       kOfficeAccount,
                       store::LeaveOutcome::kWithdrawn,
                       ""});
  }
  if (refused) {
    planned.push_back({refused->pupil, refused->from, refused->to, AttendanceCode::kExceptional,
                       "Long weekend in Spain", "", refused->from.date.AddDays(-20), kOfficeAccount,
                       store::LeaveOutcome::kRefused,
                       "a holiday in term time is not an exceptional circumstance"});
  }
  for (const Planned& p : planned) {
    const Date received = p.received > today ? today : p.received;
    store::LeaveRequest request{.pupil_id = drafts[p.pupil].id,
                                .from = p.from,
                                .to = p.to,
                                .code = p.code,
                                .reason = p.reason,
                                .evidence = p.evidence,
                                .received_on = received,
                                .at = std::min(time.At(received, kFirstSitting), time.now()),
                                .by_user_id = staff.user_ids[p.by],
                                .by_name = std::string(kAccounts[p.by].display_name),
                                .by_role = kAccounts[p.by].role};
    ASSIGN_OR_RETURN(request.id, store.AddLeaveRequest(request));
    const int64_t id = request.id;
    if (!p.decision) continue;
    const bool withdrawn = p.decision == store::LeaveOutcome::kWithdrawn;
    const Date decided = std::min(today, received.AddDays(2));
    const size_t account = withdrawn ? kOfficeAccount : head;
    std::optional<store::Letter> letter;
    if (!withdrawn) {
      // The letter the head's decision sends in the application itself.
      letter = service::LeaveLetter(
          school_name, std::string(kAccounts[head].display_name), drafts[p.pupil].pupil, request,
          core::LeaveSessions(calendar, p.from, p.to).size(), *p.decision, p.decision_reason);
      letter->at = std::min(time.At(decided, kLastSitting), time.now());
      letter->by_user_id = staff.user_ids[head];
      letter->by_name = std::string(kAccounts[head].display_name);
      letter->by_role = kAccounts[head].role;
    }
    RETURN_IF_ERROR(store
                        .DecideLeave({.request_id = id,
                                      .decision = *p.decision,
                                      .reason = p.decision_reason,
                                      .at = std::min(time.At(decided, kLastSitting), time.now()),
                                      .by_user_id = staff.user_ids[account],
                                      .by_name = std::string(kAccounts[account].display_name),
                                      .by_role = kAccounts[account].role},
                                     letter)
                        .status());
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
