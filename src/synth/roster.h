// roster.h
//
// Internal to rollcall_synth. Who is in the synthetic school: each pupil's
// invented name, year group and form, cohort characteristics (with the
// national rates and the usual overlaps, e.g. FSM pupils more often SEN),
// their place in the national absence distribution, lateness habit, and when
// they were on roll (year-group intake, joiners, leavers, and a few children
// missing education who leave the roll after a run of N marks).
#pragma once

#include <cstdint>
#include <vector>

#include "core/scenario.h"
#include "synth/random.h"
#include "synth/school_days.h"
#include "synth/synth.h"

namespace rollcall::synth {

struct PupilPlan {
  SynthPupil meta;
  core::PupilRecord record;
  // School days on roll, up to as_of: [first_day, end_day).
  int32_t first_day = 0;
  int32_t end_day = 0;
  double absence_rank = 0;  // quantile in the national distribution, first year
  double lateness = 0;      // chance of arriving late (L or U) at a morning register
  bool religious_observance = false;
  int dual_registered_weekday = -1;  // 0-4: weekly day at another school (D); -1: none
  // Children missing education: the school days [missing_first, end_day) are N.
  int32_t missing_first = -1;
};

struct RosterContext {
  const SchoolDays& days;
  Phase phase;
  int as_of_year;    // start year of the academic year containing as_of
  int32_t last_day;  // last school day on or before as_of (-1: none)
};

// Year groups taught in `phase`: [lowest, highest].
int LowestYearGroup(Phase phase);
int HighestYearGroup(Phase phase);
// The pupil's year group in academic year `start_year`.
int YearGroupIn(const PupilPlan& pupil, int as_of_year, int start_year);

// `pupils` plans, pupil i drawing from its own stream of `seed`; whole-school
// choices (year groups, who goes missing) from `school_rng`.
std::vector<PupilPlan> BuildRoster(const RosterContext& context, int64_t pupils, uint64_t seed,
                                   Rng& school_rng);

}  // namespace rollcall::synth
