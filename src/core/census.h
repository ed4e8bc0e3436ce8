// census.h
//
// The school census attendance module (docs/census.md): which term each of
// the three censuses returns, and per pupil enrolment the sessions possible,
// authorised, unauthorised and per absence reason within it, counted by the
// rules core's session classification (statistics.h), never a second count.
// Also the checks a school runs before it submits. Pure.
//
// A census is named by the calendar year it is taken in: the spring census
// of 2026 (January 2026) returns the autumn term of 2025; the summer census
// of 2026 the spring term of 2026 up to Easter Sunday; the autumn census of
// 2026 (October 2026) the summer term of 2026, in two halves returned
// separately.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/codes.h"
#include "core/pupil_sessions.h"
#include "core/scenario.h"
#include "core/statistics.h"

namespace rollcall::core {

enum class Census : uint8_t { kSpring = 1, kSummer = 2, kAutumn = 3 };

// "spring", "summer", "autumn": the words the command line and pages use.
std::string_view CensusName(Census census);
std::optional<Census> CensusFromName(std::string_view name);

// Easter Sunday of `year` in the Gregorian calendar (the anonymous
// algorithm), so a census period does not depend on the bank holiday table's
// years.
Date EasterSunday(int year);
// The spring bank holiday: the last Monday of May.
Date SpringBankHoliday(int year);
// The census day: the third Thursday of January (spring) or May (summer),
// the first Thursday of October (autumn).
Date CensusDay(Census census, int year);

// Whether the module covers a pupil born on `date_of_birth`: aged 4 to 15 on
// 31 August at the start of the academic year the census returns.
bool InCensusAgeRange(Date date_of_birth, Census census, int year);

// One period a census returns: the whole term, or one half of the summer term.
struct CensusPart {
  std::string_view label;  // "Autumn term", "Summer term, first half", ...
  Period period;
};
// In time order: one part, or two for the autumn census.
std::vector<CensusPart> CensusParts(Census census, int year);

// How an absence code is returned: the AttendanceReason written for it, or
// not returned at all. Whether the DfE takes the 2024 codes as they are is
// not confirmed (docs/census.md): `confirmed` says so per code.
struct CensusCodeRow {
  AttendanceCode code;
  std::string reason;  // "" when the code is not returned as a reason
  bool confirmed = true;
};

// A returned absence reason and its sessions.
struct CensusReason {
  std::string reason;
  StatCategory category = StatCategory::kAuthorised;
  int64_t sessions = 0;
};

// The figures of one pupil enrolment over one census part.
struct CensusEnrolment {
  size_t pupil = 0;  // index into the scenario's pupils
  size_t part = 0;   // index into CensusParts
  OnRollPeriod dates;
  Period counted;  // the part's period within the enrolment's dates
  SessionCounts counts;
  std::vector<CensusReason> reasons;  // sessions > 0, in the order of the DfE code table
  std::string upn;                    // filled by the caller; "" when none is recorded
};

// Every enrolment of `pupil` (each on-roll period; a pupil who left and
// came back has two) with at least one session in a part, with its counts
// over the part within its dates. One with no possible session (every
// session unmarked, say) is for the checks only: the return leaves it out. `sessions` is the
// pupil's session sequence (BuildPupilSessions); `codes` the code-to-reason table.
std::vector<CensusEnrolment> CensusEnrolments(const Calendar& calendar, const PupilRecord& pupil,
                                              size_t pupil_index,
                                              std::span<const PupilSession> sessions,
                                              std::span<const CensusPart> parts,
                                              std::span<const CensusCodeRow> codes);

// Marks recorded on open sessions inside a part while `pupil` was not on
// roll: a return leaves them out, and the school should know why.
int64_t MarksOutsideEnrolments(const Calendar& calendar, const PupilRecord& pupil,
                               std::span<const RecordedMark> marks,
                               std::span<const CensusPart> parts);

enum class CensusCheck : uint8_t {
  kIdentity = 1,     // possible != attended + absence
  kOutsideDates,     // counted outside the enrolment or the period
  kReasonTotals,     // reasons do not add up to the authorised or unauthorised total
  kNoUpn,            // no UPN recorded
  kBadUpn,           // the UPN's form or check letter is wrong
  kUnrecorded,       // sessions with no mark
  kMarksOffRoll,     // marks recorded while off roll (left out of the return)
  kUnconfirmedCode,  // a code whose place in the return is not confirmed
  kTermNotOver,      // the figures are to today (said by the caller, who knows the day)
};

struct CensusProblem {
  CensusCheck check = CensusCheck::kIdentity;
  bool blocking = true;             // the return should not be sent until it is put right
  std::optional<size_t> enrolment;  // index into the enrolments checked
  std::optional<size_t> pupil;      // index into the scenario's pupils
  std::string message;              // the caller names the pupil
};

// The pre-submission checks over every enrolment of a return; a pupil's UPN
// is checked once, on their first enrolment.
// `marks_off_roll[i]` is MarksOutsideEnrolments of pupil i (may be empty).
std::vector<CensusProblem> CheckCensus(std::span<const CensusEnrolment> enrolments,
                                       std::span<const CensusPart> parts,
                                       std::span<const CensusCodeRow> codes,
                                       std::span<const int64_t> marks_off_roll);

}  // namespace rollcall::core
