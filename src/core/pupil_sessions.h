// pupil_sessions.h
//
// A pupil's session sequence: every open session of the calendar on which the
// pupil is on roll, up to and including the as-of day, in time order, each with
// its mark (recorded, else the default mark, else unrecorded). Sessions while
// off roll are not the pupil's sessions at all. Marks after as-of are ignored.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/scenario.h"

namespace rollcall::core {

struct PupilSession {
  int32_t index;                       // into Calendar::SessionAt
  std::optional<AttendanceCode> code;  // nullopt: no mark recorded
};

// `marks` must have passed CheckMark; marks on sessions outside the sequence
// are ignored.
std::vector<PupilSession> BuildPupilSessions(
    const Calendar& calendar, const PupilRecord& pupil, std::span<const RecordedMark> marks,
    const std::array<std::optional<AttendanceCode>, 2>& default_mark, Date as_of);

}  // namespace rollcall::core
