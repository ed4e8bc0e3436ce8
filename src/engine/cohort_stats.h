// cohort_stats.h
//
// The statistics pass over a column store: each pupil's session counts for
// the statistics period (1 August to as-of), persistent and severe absence
// and band, and the totals by school, by cohort within each school, and
// across all schools by cohort tag. The same rules as core/statistics.h:
// counts come from one histogram of each pupil's bytes, and PA, SA and bands
// from exact integer thresholds precomputed from the policy's decimals.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/evaluate.h"
#include "core/statistics.h"
#include "engine/column_store.h"

namespace rollcall::engine {

struct PupilStats {
  uint16_t possible = 0;
  uint16_t present = 0;
  uint16_t late_before_close = 0;
  uint16_t late_after_close = 0;
  uint16_t approved_activity = 0;
  uint16_t attended = 0;
  uint16_t authorised = 0;
  uint16_t unauthorised = 0;
  uint16_t absence = 0;
  uint16_t not_possible = 0;
  uint16_t unrecorded = 0;
  bool persistent_absence = false;
  bool severe_absence = false;
  int8_t band = -1;  // index into the policy's bands; -1: none
};

// The session counts the statistics pass keeps, one counter each.
enum Lane : size_t {
  kLanePresent = 0,
  kLaneApproved = 1,
  kLaneAuthorised = 2,
  kLaneUnauthorised = 3,
  kLaneNotPossible = 4,
  kLaneUnrecorded = 5,
  kLaneLateBeforeClose = 6,
  kLaneLateAfterClose = 7,
  kLanes = 8
};

// Totals over pupils with at least one possible session (as core::Aggregate).
struct GroupTotals {
  int64_t pupils = 0;
  int64_t persistent_absence = 0;
  int64_t severe_absence = 0;
  std::array<int64_t, kLanes> sessions{};

  GroupTotals& operator+=(const GroupTotals& other);
  // by_code is left empty: CodeBreakdown gives it.
  core::Aggregate ToAggregate() const;
};

struct SchoolStats {
  std::vector<PupilStats> pupils;
  GroupTotals school;
  std::vector<GroupTotals> cohorts;  // by School::cohort_names index
};

struct Statistics {
  core::Period period;
  std::vector<SchoolStats> schools;
  GroupTotals all;                             // every school
  std::map<std::string, GroupTotals> cohorts;  // every school, by tag
};

// The statistics period's bytes of a school: its year block and the range
// [offset, offset + length) of each pupil's row (year null: no sessions).
struct PeriodRange {
  const YearBlock* year = nullptr;
  int32_t offset = 0;
  int32_t length = 0;
};
PeriodRange RangeOf(const School& school, const core::Period& period, core::Date as_of);

// threads <= 0: one per core.
Statistics ComputeStatistics(const Dataset& dataset, core::Date as_of, int threads = 0);

// Sessions by stored code (index 0: unrecorded) in the statistics period,
// per school: the code breakdown of LA returns, a second pass because the
// statistics pass counts categories, not codes.
using CodeCounts = std::array<int64_t, core::kMaxStoredCode + 1>;
std::vector<CodeCounts> CodeBreakdown(const Dataset& dataset, core::Date as_of, int threads = 0);

// A pupil's counts in the core's form (by_code left empty).
core::SessionCounts ToSessionCounts(const PupilStats& stats);

}  // namespace rollcall::engine
