// leave.h
//
// The store's records of requests for leave of absence and their decisions: one aggregate of the
// Store interface (store.h), with its types and the checks every backend applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/session.h"
#include "core/status.h"
#include "store/people.h"

namespace rollcall::store {

// A request for leave of absence (core/leave.h), from a parent or entered by
// the office. Append-only; decided once (LeaveDecision).
struct LeaveRequest {
  int64_t id = 0;  // assigned by AddLeaveRequest
  int64_t pupil_id = 0;
  core::SessionKey from;
  core::SessionKey to;                                             // inclusive; from <= to
  core::AttendanceCode code = core::AttendanceCode::kExceptional;  // C1, M, J1, S or C
  std::string reason;
  std::string evidence;  // what was provided: "appointment letter", "licence LA/123"
  core::Date received_on;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kParent;
};

// InvalidArgument LEAVE_INVALID: see Store::AddLeaveRequest.
core::Status CheckLeaveRequest(const LeaveRequest& r);

// What became of a request. The names are stored (leave_decisions.decision)
// and are the API's "decision": never rename them.
enum class LeaveOutcome : uint8_t {
  kGranted = 1,  // "granted": by the head
  kRefused,      // "refused": by the head
  kWithdrawn,    // "withdrawn": by whoever asked
};
std::string_view LeaveOutcomeName(LeaveOutcome outcome);
std::optional<LeaveOutcome> LeaveOutcomeFromName(std::string_view name);

// The one decision on a request: granted or refused (by the head), or
// withdrawn (by whoever asked), with the reason and the letter sent.
struct LeaveDecision {
  int64_t id = 0;
  int64_t request_id = 0;
  LeaveOutcome decision = LeaveOutcome::kGranted;
  std::string reason;
  std::optional<int64_t> letter_id;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kHead;
};

}  // namespace rollcall::store
