// early_warning.h
//
// The early-warning list and the pupil page's forecast: for each pupil on
// roll, the chance of being persistently absent at the end of the academic
// year and the reasons that drive it (core/forecast.h, with the model the
// product ships). Figures come from School::EvaluatedOn(today), the same
// scenario every page of the day reads; "last year" is the pupil's marks of
// the previous academic year, else the figures recorded from their previous
// school's transfer file (store::PreviousAttendanceInYear).
//
// Who reads it (kReadEarlyWarning): those who work with every pupil's
// attendance — the head, the office, the attendance officer, the DSL and
// the SENCO. A class teacher, a governor, a parent and the LA do not: the
// list ranks named children by a guess about them, and it is a tool for the
// school's attendance lead, not a judgement to pass on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/forecast.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"

namespace rollcall::service {

// One pupil's forecast as of a day.
struct PupilForecast {
  int64_t pupil_id = 0;
  std::string name;                        // DisplayName
  int year_group = 0;                      // 0 = Reception
  std::string class_name;                  // "" without a class
  double chance = 0;                       // 0-1
  bool on_list = false;                    // chance >= core::kForecastListCutOff
  std::optional<double> year_absence_pct;  // absences per 100 possible sessions this year
  bool persistent_absence_now = false;     // the core's flag as of the day
  std::vector<core::ForecastReason> reasons;
};

// Which pupils the list shows.
struct EarlyWarningFilter {
  std::optional<int> year_group;
  std::optional<int64_t> class_id;
  // Everyone in the year or class, not only those at or above the cut-off.
  bool everyone = false;
};

struct EarlyWarningClass {
  int64_t id = 0;
  std::string name;
  int year_group = 0;
};

struct EarlyWarningView {
  std::string school;
  core::Date as_of;
  EarlyWarningFilter filter;
  // The pupils the filter selects, highest chance first (then school order).
  std::vector<PupilForecast> pupils;
  int64_t forecast = 0;  // pupils in the year or class with a forecast
  int64_t on_list = 0;   // of those, at or above the cut-off
  // Pupils on roll in the year or class with fewer than
  // core::kForecastMinPossible possible sessions this year: too early.
  int64_t too_early = 0;
  std::vector<int> year_groups;            // with pupils on roll, ascending
  std::vector<EarlyWarningClass> classes;  // by year group, then name
  int64_t model_examples = 0;              // what the model was trained on
};

class EarlyWarning {
 public:
  explicit EarlyWarning(School& school) : school_(school) {}

  // The list as of `today` (kReadEarlyWarning): pupils on roll that day with
  // at least core::kForecastMinPossible possible sessions this academic
  // year. InvalidArgument (CLASS_UNKNOWN) for a class that does not exist.
  core::StatusOr<EarlyWarningView> List(const Principal& who, core::Date today,
                                        const EarlyWarningFilter& filter);

  // The pupil page's forecast: nullopt when `who` may read the pupil but not
  // the early warning, or the pupil has fewer than core::kForecastMinPossible
  // possible sessions this year on `today`; NotFound PUPIL_UNKNOWN or
  // PermissionDenied as for the pupil.
  core::StatusOr<std::optional<PupilForecast>> ForPupil(const Principal& who, int64_t pupil_id,
                                                        core::Date today);

 private:
  School& school_;
};

}  // namespace rollcall::service
