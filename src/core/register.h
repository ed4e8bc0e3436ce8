// register.h
//
// The checks every mark must pass before it is recorded (docs/rules.md
// section 8 rule 13): the session is open, the pupil is on roll that day, and
// the code is valid on that date. Shared by `rollcall evaluate` and the
// service so both refuse exactly the same marks. Also the one rule that makes
// a late arrival L or U.
#pragma once

#include <optional>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/scenario.h"
#include "core/status.h"

namespace rollcall::core {

// Ok, or InvalidArgument with code SESSION_NOT_OPEN, PUPIL_NOT_ON_ROLL,
// CODE_NOT_YET_VALID or CODE_WITHDRAWN; the message says why in a few words.
Status CheckMark(const Calendar& calendar, const PupilRecord& pupil, SessionKey slot,
                 std::optional<AttendanceCode> code);

// Why an arrival after the register closed is still L, not U. Only the
// school's own policy exempts: the DfE rule alone is the close time.
struct LateExemption {
  // The pupil's school transport was late that session (a delay recorded
  // for their route): the school's policy is not to mark them U.
  bool transport_delayed = false;
};

// The late code for a pupil arriving at `arrival_minute` to a session whose
// register closes at `close_minute` (both minutes after midnight): L when
// they arrived before the close, U at the close or after it (the register
// closes at that minute), and L again when `exemption` applies.
AttendanceCode LateCode(int arrival_minute, int close_minute, LateExemption exemption = {});

}  // namespace rollcall::core
