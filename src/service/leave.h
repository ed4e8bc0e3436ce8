// leave.h
//
// Leave of absence (docs/rules.md section 6). Parents ask (or the office
// enters a request received on paper); the head decides, in advance and
// never retrospectively, with a letter stored with the decision; a parent,
// the office or the head may withdraw a request not yet decided. rollcall
// warns of short notice, restricted periods and leave beside a school
// holiday. Refused leave that is taken, once the office confirms, is coded G
// (or O); a pupil not back after granted leave is listed with the extra days
// to code as unauthorised, and after 10 school days the deletion ground (h)
// review is due. Granted leave is offered on the register as its code
// (PartTime::PlannedCodeFor).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/session.h"
#include "core/status.h"
#include "service/access.h"
#include "service/registers.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// One request and where it stands.
struct LeaveView {
  store::LeaveRequest r;
  std::string pupil_name;
  std::optional<int64_t> class_id;
  std::optional<store::LeaveDecision> decision;
  std::vector<core::SessionKey> sessions;  // open sessions covered
  std::vector<std::string> warnings;       // core::LeaveWarnings
};

// Where a request stands, as the API's "status": "pending" until decided,
// then the decision's name (store::LeaveOutcomeName).
std::string_view LeaveStatusName(const LeaveView& v);

// After a decision: refused leave taken (N on its sessions), or a pupil
// not back after granted leave (N straight after it).
struct LeaveFollowUp {
  LeaveView view;
  std::string kind;  // "taken" or "overstay"
  std::vector<core::SessionKey> sessions;
  core::AttendanceCode code = core::AttendanceCode::kHolidayNotGranted;  // to code them as
  bool ground_h = false;  // not back for 10 school days
};

// A request as entered, text fields as given ("" when not given), parsed
// here. Sessions default to the morning of the first day and the afternoon
// of the last; received_on to today (only the school may give it).
struct NewLeaveRequest {
  int64_t pupil_id = 0;
  std::string from, from_session, to, to_session;
  std::string code;  // C1, M, J1, S or C
  std::string reason, evidence, received_on;
};

struct LeaveDecisionRequest {
  std::string request_id;
  std::string decision;  // "granted", "refused" or "withdrawn"
  std::string reason;    // required to grant or refuse: it goes in the letter
};

// A pupil's leave as their page shows it to `who`.
struct PupilLeave {
  std::vector<LeaveView> requests;
  bool may_ask = false;
  bool may_decide = false;
  bool may_date_receipt = false;  // the school says when a request arrived
};

// The office's Today.
struct LeaveWorklist {
  std::vector<LeaveView> pending;  // awaiting the head's decision
  std::vector<LeaveFollowUp> follow_ups;
};

// "Mon 7 December 2026 (morning)".
std::string SlotWords(core::SessionKey s);

// The letter that goes with a decision (granted or refused) on request
// `r` for `pupil`, covering `sessions` open sessions, signed by `signatory`
// for `school_name`: to the first contact, quoting the dates, the parent's
// reason, the head's reason and the code the sessions take. Not stored: the
// caller sets the time and author.
store::Letter LeaveLetter(const std::string& school_name, const std::string& signatory,
                          const store::Pupil& pupil, const store::LeaveRequest& r, size_t sessions,
                          store::LeaveOutcome decision, const std::string& reason);

class Leave {
 public:
  Leave(School& school, Registers& registers) : school_(school), registers_(registers) {}

  // Asks for leave for a pupil: a parent for their own child, the office or
  // the head for any. Returns the request with its warnings.
  core::StatusOr<LeaveView> Request(const Principal& who, const NewLeaveRequest& r);
  // The head grants or refuses a pending request, in advance, storing the
  // letter with the decision; "withdrawn" is Withdraw. Returns the decision
  // as stored (with its letter's id).
  core::StatusOr<store::LeaveDecision> Decide(const Principal& who, const LeaveDecisionRequest& d);
  // Withdraws a pending request: those who may ask for it.
  core::StatusOr<store::LeaveDecision> Withdraw(const Principal& who,
                                                const std::string& request_id);
  // Codes a follow-up's sessions (register amendments by `who`, the office
  // or the head); returns how many changed.
  core::StatusOr<int> CodeFollowUp(const Principal& who, const std::string& request_id,
                                   const std::string& kind);

  // The requests `who` may see: of one pupil, or every pupil's, oldest first.
  std::vector<LeaveView> Views(const Principal& who, std::optional<int64_t> pupil);
  // A pupil's requests with what `who` may do; PermissionDenied for those
  // who may not see them.
  core::StatusOr<PupilLeave> ForPupil(const Principal& who, int64_t pupil_id);
  core::StatusOr<LeaveWorklist> Worklist(const Principal& who);
  // The pupil a request is for (where to go back to after a decision).
  std::optional<int64_t> PupilOf(const std::string& request_id) const;

 private:
  // Require school_.mutex() held (shared).
  std::vector<LeaveView> ViewsLocked(std::optional<int64_t> pupil) const;
  std::vector<LeaveFollowUp> FollowUpsLocked() const;
  // Decide and Withdraw, the decision parsed: see Decide.
  core::StatusOr<store::LeaveDecision> Record(const Principal& who, const std::string& request_id,
                                              store::LeaveOutcome decision,
                                              const std::string& reason);

  School& school_;
  Registers& registers_;
};

}  // namespace rollcall::service
