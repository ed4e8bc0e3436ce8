// codes.h
//
// The national attendance codes as data: the 2024 set (from 19 August 2024)
// and the legacy set (sessions up to 18 August 2024), each code's statistical
// category and the dates on which it may be used. Pure lookups; what a school
// may *choose* to count (penalty codes, lateness codes) is policy, not here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/date.h"

namespace rollcall::core {

// Stored in the database and in exports. Never renumber or reuse a value.
enum class AttendanceCode : uint8_t {
  kPresentAm = 1,           // "/"
  kPresentPm = 2,           // "\"
  kLateBeforeClose = 3,     // "L"
  kLaEducation = 4,         // "K"
  kEducationalVisit = 5,    // "V"
  kSportingActivity = 6,    // "P"
  kWorkExperience = 7,      // "W"
  kOtherApproved = 8,       // "B"
  kDualRegistered = 9,      // "D"
  kPerformance = 10,        // "C1"
  kMedical = 11,            // "M"
  kInterview = 12,          // "J1"
  kStudyLeave = 13,         // "S"
  kNotRequired = 14,        // "X"
  kPartTimeTimetable = 15,  // "C2"
  kExceptional = 16,        // "C"
  kTraveller = 17,          // "T"
  kReligious = 18,          // "R"
  kIllness = 19,            // "I"
  kExcluded = 20,           // "E"
  kLaArrangements = 21,     // "Q"
  kTransport = 22,          // "Y1"
  kTravelDisruption = 23,   // "Y2"
  kPartClosed = 24,         // "Y3"
  kSiteClosed = 25,         // "Y4"
  kDetention = 26,          // "Y5"
  kPublicHealth = 27,       // "Y6"
  kOtherUnavoidable = 28,   // "Y7"
  kHolidayNotGranted = 29,  // "G"
  kNoReasonYet = 30,        // "N"
  kOtherUnauthorised = 31,  // "O"
  kLateAfterClose = 32,     // "U"
  kNotOnRoll = 33,          // "Z"
  kPlannedClosure = 34,     // "#"
  kAgreedHoliday = 35,      // "H": withdrawn August 2024, kept for older registers
  kExtendedHoliday = 36,    // "F": withdrawn August 2024 (merged into H in 2013)
  kLegacyInterview = 37,    // "J": became J1 (and authorised) in August 2024
  kLegacyUnable = 38,       // "Y": split into Y1-Y7 in August 2024
};
inline constexpr int kMaxStoredCode = 38;

// Statistical category, rule 1 of docs/rules.md section 8.
enum class StatCategory : uint8_t {
  kPresent = 1,
  kApprovedActivity = 2,
  kAuthorised = 3,
  kUnauthorised = 4,
  kNotPossible = 5,
};

// Which code set a code belongs to, and so on which session dates it is valid.
enum class CodeSet : uint8_t {
  kCommon = 1,      // any date
  kLegacyOnly = 2,  // sessions before 2024-08-19
  kSince2024 = 3,   // sessions on or after 2024-08-19
};

// The first session date on which the 2024 code set applies.
inline constexpr Date kCodeSwitchDate = Date(std::chrono::year_month_day(
    std::chrono::year(2024), std::chrono::August, std::chrono::day(19)));

struct CodeInfo {
  AttendanceCode code;
  std::string_view symbol;
  StatCategory category;
  CodeSet set;
  std::string_view meaning;
};

// All codes, in the order of the DfE table.
std::span<const CodeInfo> AllCodes();
const CodeInfo& InfoOf(AttendanceCode code);
std::optional<AttendanceCode> CodeFromSymbol(std::string_view symbol);
// Validates a stored number (database, binary files) before it becomes a code.
std::optional<AttendanceCode> CodeFromStored(int stored);

inline std::string_view SymbolOf(AttendanceCode code) { return InfoOf(code).symbol; }
inline StatCategory CategoryOf(AttendanceCode code) { return InfoOf(code).category; }
// True when `code` may be recorded for a session on `date` (docs/rules.md 1.3).
bool IsValidOn(AttendanceCode code, Date date);
inline bool IsPossible(AttendanceCode code) {
  return CategoryOf(code) != StatCategory::kNotPossible;
}
// An absence, authorised or not (approved activities are not absences).
inline bool IsAbsence(StatCategory category) {
  return category == StatCategory::kAuthorised || category == StatCategory::kUnauthorised;
}
inline bool IsAbsence(AttendanceCode code) { return IsAbsence(CategoryOf(code)); }
// A category as the API names it ("not_possible") and in words ("not possible:
// attendance not required or not possible").
std::string_view CategoryKey(StatCategory category);
std::string_view CategoryWords(StatCategory category);

}  // namespace rollcall::core
