// policy.h
//
// A school's (or LA's) attendance policy: every threshold, code list and band
// that the rules read, with the national defaults of docs/rules.md section 8
// rule 14. A policy is plain data; parsing and key-by-key overrides live in io.
#pragma once

#include <bitset>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/decimal.h"

namespace rollcall::core {

// A set of attendance codes, for O(1) membership tests in rule loops.
class CodeMask {
 public:
  CodeMask() = default;
  CodeMask(std::initializer_list<AttendanceCode> codes) {
    for (AttendanceCode c : codes) Add(c);
  }
  void Add(AttendanceCode code) { bits_.set(static_cast<size_t>(code)); }
  bool Contains(AttendanceCode code) const { return bits_.test(static_cast<size_t>(code)); }
  bool empty() const { return bits_.none(); }
  // Codes in stored order.
  std::vector<AttendanceCode> Codes() const;
  friend bool operator==(const CodeMask&, const CodeMask&) = default;

 private:
  std::bitset<kMaxStoredCode + 1> bits_;
};

struct PenaltyPolicy {
  CodeMask codes{AttendanceCode::kHolidayNotGranted, AttendanceCode::kOtherUnauthorised,
                 AttendanceCode::kLateAfterClose};
  int64_t sessions = 10;
  int64_t school_weeks = 10;
  // Sessions before this date are not counted and notices issued before it do
  // not count towards the 3-year history; nullopt = no limit.
  std::optional<Date> framework_start = kCodeSwitchDate;
  // A notice sent by post is deemed served this many working days after
  // posting (the Interpretation Act's second working day for first class);
  // 0 when it is handed over.
  int service_working_days = 2;
};

// A local authority's code of conduct on top of the national threshold
// (local_code.h): off unless sessions > 0.
struct LocalCodePolicy {
  std::string name;  // "Burbage local code"
  CodeMask codes{AttendanceCode::kHolidayNotGranted};
  int64_t sessions = 0;  // in the current and the previous half-term
};

struct ContinuousAbsencePolicy {
  CodeMask codes{AttendanceCode::kHolidayNotGranted, AttendanceCode::kNoReasonYet,
                 AttendanceCode::kOtherUnauthorised};
  std::vector<int64_t> sessions{20, 40};  // run lengths that fire an alert
};

struct SicknessPolicy {
  CodeMask codes{AttendanceCode::kIllness};
  int64_t sessions = 30;
};

struct LatenessPolicy {
  CodeMask codes{AttendanceCode::kLateBeforeClose, AttendanceCode::kLateAfterClose};
  int64_t per_week = 3;
  int64_t per_year = 10;
};

// Leave of absence (docs/rules.md section 6): how much notice the school asks
// for, by the code the leave would be recorded with, and the periods in
// which it grants leave only if absence is the only option.
struct RestrictedPeriod {
  Date from;
  Date to;                       // inclusive
  std::vector<int> year_groups;  // empty: every year group
  std::string label;             // "Year 6 SATs week"
};

struct LeavePolicy {
  // Days of notice asked for, by code: C1 performance (a licence takes
  // time), M appointments (48 hours), J1 interviews, S study leave, C
  // exceptional circumstances.
  std::vector<std::pair<AttendanceCode, int64_t>> notice_days{{AttendanceCode::kPerformance, 28},
                                                              {AttendanceCode::kMedical, 2},
                                                              {AttendanceCode::kInterview, 2},
                                                              {AttendanceCode::kStudyLeave, 14},
                                                              {AttendanceCode::kExceptional, 14}};
  std::vector<RestrictedPeriod> restricted;
  // The first half-term of the school year is restricted too.
  bool first_half_term_restricted = true;
  // How the days a pupil is not back after granted leave are coded: G or O;
  // nullopt: G after exceptional-circumstances leave (a holiday), else O.
  std::optional<AttendanceCode> overstay_code;
};

struct Band {
  std::string name;
  Decimal min;  // attendance % at or above which the band applies
};
// A band's name as people read it: "Amber (lower)" for "amber_lower".
std::string BandText(std::string_view band);

struct Policy {
  PenaltyPolicy penalty;
  ContinuousAbsencePolicy continuous_absence;
  SicknessPolicy sickness;
  LatenessPolicy lateness;
  LeavePolicy leave;
  LocalCodePolicy local_code;
  int64_t n_overdue_school_days = 5;
  Decimal persistent_absence_pct = Decimal::FromInt(10);
  Decimal severe_absence_pct = Decimal::FromInt(50);
  std::vector<Band> bands{{"green", Decimal::FromInt(96)},
                          {"amber_upper", Decimal::FromInt(94)},
                          {"amber_lower", Decimal::FromInt(90)},
                          {"red", Decimal::FromInt(0)}};
};

}  // namespace rollcall::core
