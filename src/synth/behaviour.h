// behaviour.h
//
// Internal to rollcall_synth. Turns a pupil plan into registers, one academic
// year at a time. Each year the pupil gets an absence budget (their national
// quantile's rate times their sessions), spent as: term-time holidays next to
// school holidays (G, a few C, legacy H), unauthorised absence (O: long runs
// for the most absent, Fridays for the rest), suspensions (E), part-time
// timetables (C2), illness in multi-day spells that are commoner in winter
// (I), appointments (M) and exceptional leave (C). On top of the budget come
// school events (trips V, work experience W, travel disruption Y2 or legacy
// Y, a religious festival R, interviews J/J1, dual registration D), lateness
// (L, U), N for the last few days' unexplained absence and a few older ones,
// and registers not yet taken near as_of (explicit null).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/scenario.h"
#include "synth/random.h"
#include "synth/register_sheet.h"
#include "synth/roster.h"
#include "synth/school_days.h"

namespace rollcall::synth {

// Whole-school events, indexed like SchoolDays::years(); -1 = none that year.
struct SchoolEvents {
  std::vector<std::array<int32_t, 12>> trip_day;  // by year group: a day trip (V)
  std::vector<int32_t> work_experience_day;       // Year 10: first of 5 days (W)
  std::vector<int32_t> disruption_day;            // snow or strikes: Y2 (legacy Y)
  std::vector<int32_t> festival_day;              // a religious festival (R)
  int32_t unrecorded_day = -1;                    // this form's PM register is not taken
  std::string unrecorded_form;
};

// Draws the events of every year; the unrecorded register is on `last_day`
// (the last school day on or before as_of) for the form of a pupil on roll.
SchoolEvents DrawSchoolEvents(const SchoolDays& days, int32_t last_day,
                              const std::vector<PupilPlan>& pupils, Rng& rng);

class BehaviourModel {
 public:
  BehaviourModel(const SchoolDays& days, const SchoolEvents& events, int as_of_year,
                 core::Date as_of);

  // The pupil's recorded marks up to as_of, in time order. Also sets the
  // pupil's penalty_history, pattern and absence_propensity.
  std::vector<core::RecordedMark> Generate(PupilPlan& pupil, Rng& rng) const;

 private:
  struct YearContext;
  void GenerateYear(const YearContext& year, PupilPlan& pupil, RegisterSheet& sheet,
                    Rng& rng) const;
  void PlaceEvents(const YearContext& year, const PupilPlan& pupil, RegisterSheet& sheet,
                   Rng& rng) const;
  int32_t PlaceHolidays(const YearContext& year, int32_t budget, PupilPlan& pupil,
                        RegisterSheet& sheet, Rng& rng) const;
  int32_t PlaceLongRuns(const YearContext& year, int32_t budget, PupilPlan& pupil,
                        RegisterSheet& sheet, Rng& rng) const;
  int32_t PlaceSuspensions(const YearContext& year, int32_t budget, RegisterSheet& sheet,
                           Rng& rng) const;
  int32_t PlacePartTimeTimetable(const YearContext& year, int32_t budget, const PupilPlan& pupil,
                                 RegisterSheet& sheet, Rng& rng) const;
  int32_t PlaceSpells(const YearContext& year, int32_t budget, core::AttendanceCode code,
                      RegisterSheet& sheet, Rng& rng) const;
  int32_t PlaceUnauthorised(const YearContext& year, int32_t budget, RegisterSheet& sheet,
                            Rng& rng) const;
  int32_t PlaceSingles(const YearContext& year, int32_t budget, core::AttendanceCode code,
                       RegisterSheet& sheet, Rng& rng) const;
  void PlaceLateness(const YearContext& year, const PupilPlan& pupil, RegisterSheet& sheet,
                     Rng& rng) const;
  void PlaceRecentMarks(const YearContext& year, const PupilPlan& pupil, RegisterSheet& sheet,
                        Rng& rng) const;

  const SchoolDays& days_;
  const SchoolEvents& events_;
  int as_of_year_;
  core::Date as_of_;
  int32_t last_day_;     // last school day on or before as_of
  int32_t recent_from_;  // first of the last three school days up to as_of
  WeightedDays illness_weights_;
  WeightedDays truancy_weights_;
  WeightedDays uniform_weights_;
};

}  // namespace rollcall::synth
