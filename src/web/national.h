// national.h: the national attendance figures the dashboards compare a school
// with, compiled in from data/reference/dfe_national_attendance.csv (derived
// from the DfE attendance data dashboard by scripts/national-reference).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace rollcall::web {

// One national row: an academic year and phase, figures as published (to two
// decimal places, as text, so they are shown exactly as the DfE gives them).
struct NationalFigures {
  std::string academic_year;  // "2024/25"
  std::string phase;          // "primary", "secondary", "special", "total"
  std::string attendance_pct;
  std::string absence_pct;
  std::string authorised_pct;
  std::string unauthorised_pct;
  std::string illness_pct;
  std::string persistent_absence_pct;
  std::string source;  // the DfE file it came from
};

// Parses the reference CSV. InvalidArgument naming the line and the problem.
core::StatusOr<std::vector<NationalFigures>> ParseNationalFigures(std::string_view csv);

// The compiled-in table, parsed once.
const std::vector<NationalFigures>& NationalReference();

// The DfE phase a school of `school_phase` ("primary", "secondary",
// "all-through", ...) is compared with: all-through and unknown phases with
// all state-funded schools ("total").
std::string_view NationalPhaseFor(std::string_view school_phase);

// The newest `count` years of `phase`, newest first.
std::vector<NationalFigures> LatestNational(std::string_view phase, size_t count);

}  // namespace rollcall::web
