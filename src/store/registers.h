// registers.h
//
// The store's records of marks, their writes and their audit trail: one aggregate of the Store
// interface (store.h), with its types and the checks every backend applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/session.h"
#include "store/people.h"

namespace rollcall::store {

// Who makes a change, as recorded in the audit trail.
struct Actor {
  int64_t user_id = 0;
  std::string name;
  Role role = Role::kOffice;
};

struct Mark {
  int64_t pupil_id = 0;
  core::SessionKey slot;
  core::AttendanceCode code = core::AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;  // late arrivals
  int64_t recorded_at = 0;
  int64_t recorded_by = 0;  // user id
};

struct MarkWrite {
  int64_t pupil_id = 0;
  core::SessionKey slot;
  core::AttendanceCode code = core::AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;
  std::string reason;  // recorded in the audit row
  // Who and when, when not the SaveMarks call's actor and time: lets the
  // service commit writes from several users in one transaction.
  std::optional<Actor> actor;
  std::optional<int64_t> at;
};

// One row of the audit trail: every recording or change of a mark.
struct Amendment {
  int64_t id = 0;
  int64_t pupil_id = 0;
  core::SessionKey slot;
  std::optional<core::AttendanceCode> old_code;  // nullopt: first recording
  std::optional<int> old_arrival_minute;
  core::AttendanceCode new_code = core::AttendanceCode::kPresentAm;
  std::optional<int> new_arrival_minute;
  std::string reason;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

struct SaveMarksResult {
  int changed = 0;    // marks inserted or changed (one audit row each)
  int unchanged = 0;  // same code and arrival as stored: nothing written
};

}  // namespace rollcall::store
