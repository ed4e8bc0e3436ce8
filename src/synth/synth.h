// synth.h
//
// Synthesises a whole school's registers for demos, benchmarks and
// calibration tests: N pupils over Y consecutive English academic years,
// ending with the year that contains `as_of`. The result is an ordinary
// core::Scenario (conformance format) whose figures resemble England's (DfE,
// 2024/25): about 7% absence, a fifth of pupils persistently absent, illness
// in multi-day winter spells, Friday truancy, term-time holidays next to
// school holidays, a few long absences and children missing education,
// lateness, joiners and leavers. docs/synth.md describes the model and the
// measured figures.
//
// Deterministic: the same options give the same school, bit for bit, on any
// platform (own PRNG and distributions, see random.h). Pure: no files, clock
// or threads. Every mark passes core::CheckMark; Synthesize checks them all
// before returning. Marks dated after `as_of` are never written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/scenario.h"
#include "core/status.h"

namespace rollcall::synth {

// Which year groups the school teaches.
enum class Phase : uint8_t {
  kPrimary = 1,     // Reception to Year 6
  kSecondary = 2,   // Years 7 to 11
  kAllThrough = 3,  // Reception to Year 11: the national mix of both phases
};
std::string_view PhaseName(Phase phase);  // "primary", "secondary", "all-through"
std::optional<Phase> PhaseFromName(std::string_view name);

// The last day of the 2024/25 summer term in synthetic calendars.
inline constexpr core::Date kDefaultAsOf = core::Date(
    std::chrono::year_month_day(std::chrono::year(2025), std::chrono::July, std::chrono::day(22)));
inline constexpr int64_t kMaxPupils = 1'000'000;
inline constexpr int64_t kMaxYears = 10;

struct SynthOptions {
  // Wide integers so that a caller can pass whatever it parsed and get this
  // library's error message rather than an overflow.
  int64_t pupils = 0;  // 1..kMaxPupils: pupil records in the scenario
  int64_t years = 1;   // 1..kMaxYears academic years, the last one containing as_of
  uint64_t seed = 0;
  core::Date as_of = kDefaultAsOf;
  Phase phase = Phase::kAllThrough;
};

// Characteristics behind the cohort tags FSM, SEN_K, EHCP, CLA, SW and YC.
struct CohortFlags {
  bool free_school_meals = false;  // FSM (about 24%)
  bool sen_support = false;        // SEN_K (about 13%)
  bool ehc_plan = false;           // EHCP (about 3%), never also SEN_K
  bool looked_after = false;       // CLA (about 1%); always also social_worker
  bool social_worker = false;      // SW (about 3%)
  bool young_carer = false;        // YC (about 2%)
};

// What shaped a pupil's registers, for demo stories and tests.
enum class PupilPattern : uint8_t {
  kTypical = 1,
  kLongAbsence = 2,       // at least one run of 10+ school days of unauthorised absence
  kMissingEducation = 3,  // a run of N marks, then taken off roll
};

// What the scenario does not say about a pupil.
struct SynthPupil {
  std::string given_name;  // invented: combinations of common names
  std::string family_name;
  int year_group = 0;  // in the as-of academic year: 0 = Reception, 1-11 = Years 1-11
  std::string form;    // registration group, e.g. "9C" or "RA"
  CohortFlags flags;
  bool holiday_family = false;  // takes holidays in term time
  PupilPattern pattern = PupilPattern::kTypical;
  double absence_propensity = 0;  // underlying absence rate (0-1) in the as-of year
};

struct SynthSchool {
  core::Scenario scenario;
  std::vector<SynthPupil> pupils;  // pupils[i] describes scenario.pupils[i]
};

// Ok, or InvalidArgument (VALUE_INVALID) naming the first bad option: pupils
// or years out of range, or an as_of whose academic years are not all within
// the bank-holiday table (2012/13 to 2027/28).
core::Status ValidateOptions(const SynthOptions& options);

// The synthetic school. Errors: those of ValidateOptions; Internal if a
// generated mark fails core::CheckMark (a bug here).
core::StatusOr<SynthSchool> Synthesize(const SynthOptions& options);

// The cohort tags of `flags`, in the order listed in CohortFlags.
std::vector<std::string> CohortTags(const CohortFlags& flags);

}  // namespace rollcall::synth
