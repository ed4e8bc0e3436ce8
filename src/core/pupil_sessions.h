// pupil_sessions.h
//
// A pupil's session sequence: every open session of the calendar on which the
// pupil is on roll, up to and including the as-of day, in time order, each with
// its mark (recorded, else the default mark, else unrecorded). Of the as-of
// day itself only the sessions its DayPart counts belong to the sequence.
// Sessions while off roll are not the pupil's sessions at all. Marks after
// the sequence's end are ignored.
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

// Index of the first open session that does not count as of `as_of` and
// `part` (Calendar::SessionCount() when none is left).
int32_t SessionsEnd(const Calendar& calendar, Date as_of, DayPart part);

// `marks` must have passed CheckMark; marks on sessions outside the sequence
// are ignored.
std::vector<PupilSession> BuildPupilSessions(
    const Calendar& calendar, const PupilRecord& pupil, std::span<const RecordedMark> marks,
    const std::array<std::optional<AttendanceCode>, 2>& default_mark, Date as_of,
    DayPart part = DayPart::kWholeDay);

}  // namespace rollcall::core
