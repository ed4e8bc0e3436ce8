// scenario.h
//
// Everything the rules need to evaluate a school as of one day: calendar,
// policy, pupils with their enrolment periods, cohorts and penalty history,
// and recorded marks. This is the in-memory form of the conformance scenario
// and of the service's data; validation of single marks is in register.h.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/policy.h"
#include "core/session.h"

namespace rollcall::core {

struct OnRollPeriod {
  std::optional<Date> from;  // nullopt: open-ended
  std::optional<Date> to;    // inclusive; nullopt: open-ended
  bool Contains(Date d) const { return (!from || *from <= d) && (!to || d <= *to); }
};

struct PenaltyNotice {
  Date issued;
  bool withdrawn = false;
};

// The cohort flags a school records of its pupils (free school meals, pupil
// premium, SEN support, an EHC plan, looked after, a social worker, young
// carer, English as an additional language), in the order pages list them.
// A scenario's cohorts may name others; these are the ones a school keeps.
inline constexpr std::string_view kCohortFlags[] = {"FSM", "PP", "SEN_K", "EHCP",
                                                    "CLA", "SW", "YC",    "EAL"};

struct PupilRecord {
  std::string id;
  std::vector<std::string> cohorts;
  std::vector<OnRollPeriod> on_roll;  // empty: on roll throughout
  std::vector<PenaltyNotice> penalty_history;

  bool OnRollOn(Date d) const;
};

// A recorded mark; an absent code means "no mark recorded" (unrecorded).
struct RecordedMark {
  SessionKey slot;
  std::optional<AttendanceCode> code;
};

// How much of the as-of day counts. During the school day only the sessions
// whose registers have opened count: a later session of the day is neither
// possible nor unrecorded until it opens.
enum class DayPart : uint8_t {
  kNoSession,  // before the morning register opens
  kAmOnly,     // the morning register has opened, the afternoon's not yet
  kWholeDay,
};

struct Scenario {
  Date as_of;
  // A past day, the conformance scenario and `rollcall evaluate` count the
  // whole day; the service narrows today to the registers that have opened.
  DayPart as_of_part = DayPart::kWholeDay;
  Calendar calendar;
  Policy policy;
  // Mark for a session with no entry in `marks`, by session (AM, PM).
  std::array<std::optional<AttendanceCode>, 2> default_mark;
  std::vector<PupilRecord> pupils;
  // marks[i] belongs to pupils[i]; any order, one entry per slot.
  std::vector<std::vector<RecordedMark>> marks;
};

}  // namespace rollcall::core
