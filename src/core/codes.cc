#include "core/codes.h"

#include <array>

#include "core/status.h"

namespace rollcall::core {
namespace {

using C = AttendanceCode;
using K = StatCategory;
using S = CodeSet;

constexpr std::array<CodeInfo, kMaxStoredCode> kCodes{{
    {C::kPresentAm, "/", K::kPresent, S::kCommon, "present (AM)"},
    {C::kPresentPm, "\\", K::kPresent, S::kCommon, "present (PM)"},
    {C::kLateBeforeClose, "L", K::kPresent, S::kCommon, "late, before the register closed"},
    {C::kLaEducation, "K", K::kApprovedActivity, S::kSince2024, "education arranged by the LA"},
    {C::kEducationalVisit, "V", K::kApprovedActivity, S::kCommon, "educational visit or trip"},
    {C::kSportingActivity, "P", K::kApprovedActivity, S::kCommon, "approved sporting activity"},
    {C::kWorkExperience, "W", K::kApprovedActivity, S::kCommon, "work experience"},
    {C::kOtherApproved, "B", K::kApprovedActivity, S::kCommon,
     "other approved educational activity"},
    {C::kDualRegistered, "D", K::kNotPossible, S::kCommon, "dual registered, at the other school"},
    {C::kPerformance, "C1", K::kAuthorised, S::kSince2024,
     "leave: regulated performance or employment abroad"},
    {C::kMedical, "M", K::kAuthorised, S::kCommon, "medical or dental appointment"},
    {C::kInterview, "J1", K::kAuthorised, S::kSince2024, "leave: interview"},
    {C::kStudyLeave, "S", K::kAuthorised, S::kCommon, "study leave"},
    {C::kNotRequired, "X", K::kNotPossible, S::kCommon,
     "not of compulsory school age, not required"},
    {C::kPartTimeTimetable, "C2", K::kAuthorised, S::kSince2024,
     "leave: temporary part-time timetable"},
    {C::kExceptional, "C", K::kAuthorised, S::kCommon, "leave: exceptional circumstances"},
    {C::kTraveller, "T", K::kAuthorised, S::kCommon, "parent travelling for occupation"},
    {C::kReligious, "R", K::kAuthorised, S::kCommon, "religious observance"},
    {C::kIllness, "I", K::kAuthorised, S::kCommon, "illness"},
    {C::kExcluded, "E", K::kAuthorised, S::kCommon, "suspended or excluded, no provision"},
    {C::kLaArrangements, "Q", K::kNotPossible, S::kSince2024, "LA failed to arrange access"},
    {C::kTransport, "Y1", K::kNotPossible, S::kSince2024, "transport unavailable"},
    {C::kTravelDisruption, "Y2", K::kNotPossible, S::kSince2024, "widespread travel disruption"},
    {C::kPartClosed, "Y3", K::kNotPossible, S::kSince2024, "part of premises closed"},
    {C::kSiteClosed, "Y4", K::kNotPossible, S::kSince2024, "whole site unexpectedly closed"},
    {C::kDetention, "Y5", K::kNotPossible, S::kSince2024, "criminal justice detention"},
    {C::kPublicHealth, "Y6", K::kNotPossible, S::kSince2024, "public health guidance or law"},
    {C::kOtherUnavoidable, "Y7", K::kNotPossible, S::kSince2024, "other unavoidable cause"},
    {C::kHolidayNotGranted, "G", K::kUnauthorised, S::kCommon, "holiday not granted"},
    {C::kNoReasonYet, "N", K::kUnauthorised, S::kCommon, "reason not yet established"},
    {C::kOtherUnauthorised, "O", K::kUnauthorised, S::kCommon, "other unauthorised absence"},
    {C::kLateAfterClose, "U", K::kUnauthorised, S::kCommon, "arrived after the register closed"},
    {C::kNotOnRoll, "Z", K::kNotPossible, S::kCommon, "prospective pupil, not on roll"},
    {C::kPlannedClosure, "#", K::kNotPossible, S::kCommon, "planned school closure"},
    {C::kAgreedHoliday, "H", K::kAuthorised, S::kLegacyOnly, "agreed holiday (legacy)"},
    {C::kExtendedHoliday, "F", K::kAuthorised, S::kLegacyOnly, "agreed extended holiday (legacy)"},
    {C::kLegacyInterview, "J", K::kApprovedActivity, S::kLegacyOnly, "interview (legacy)"},
    {C::kLegacyUnable, "Y", K::kNotPossible, S::kLegacyOnly, "unable to attend (legacy)"},
}};

// Index by stored value; built once from kCodes so the two cannot disagree.
constexpr std::array<int, kMaxStoredCode + 1> BuildIndex() {
  std::array<int, kMaxStoredCode + 1> index{};
  for (auto& slot : index) slot = -1;
  for (size_t i = 0; i < kCodes.size(); ++i)
    index[static_cast<size_t>(kCodes[i].code)] = static_cast<int>(i);
  return index;
}
constexpr auto kIndex = BuildIndex();

}  // namespace

std::span<const CodeInfo> AllCodes() { return kCodes; }

const CodeInfo& InfoOf(AttendanceCode code) {
  return kCodes[static_cast<size_t>(kIndex[static_cast<size_t>(code)])];
}

std::optional<AttendanceCode> CodeFromSymbol(std::string_view symbol) {
  for (const CodeInfo& info : kCodes) {
    if (info.symbol == symbol) return info.code;
  }
  return std::nullopt;
}

std::optional<AttendanceCode> CodeFromStored(int stored) {
  if (stored < 1 || stored > kMaxStoredCode || kIndex[static_cast<size_t>(stored)] < 0) {
    return std::nullopt;
  }
  return static_cast<AttendanceCode>(stored);
}

bool IsValidOn(AttendanceCode code, Date date) {
  switch (InfoOf(code).set) {
    case CodeSet::kCommon:
      return true;
    case CodeSet::kLegacyOnly:
      return date < kCodeSwitchDate;
    case CodeSet::kSince2024:
      return date >= kCodeSwitchDate;
  }
  Unreachable();
}

std::string_view CategoryKey(StatCategory category) {
  switch (category) {
    case StatCategory::kPresent:
      return "present";
    case StatCategory::kApprovedActivity:
      return "approved_activity";
    case StatCategory::kAuthorised:
      return "authorised";
    case StatCategory::kUnauthorised:
      return "unauthorised";
    case StatCategory::kNotPossible:
      return "not_possible";
  }
  Unreachable();
}

std::string_view CategoryWords(StatCategory category) {
  switch (category) {
    case StatCategory::kPresent:
      return "present";
    case StatCategory::kApprovedActivity:
      return "attending an approved educational activity (counts as present)";
    case StatCategory::kAuthorised:
      return "authorised absence";
    case StatCategory::kUnauthorised:
      return "unauthorised absence";
    case StatCategory::kNotPossible:
      return "not a possible session: attendance not required or not possible";
  }
  Unreachable();
}

}  // namespace rollcall::core
