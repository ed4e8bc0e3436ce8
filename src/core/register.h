// register.h
//
// The checks every mark must pass before it is recorded (docs/rules.md
// section 8 rule 13): the session is open, the pupil is on roll that day, and
// the code is valid on that date. Shared by `rollcall evaluate` and the
// service so both refuse exactly the same marks.
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

}  // namespace rollcall::core
