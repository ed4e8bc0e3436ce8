#include "synth/synth.h"

#include <fmt/format.h>

#include <utility>

#include "core/error_codes.h"
#include "core/register.h"
#include "synth/behaviour.h"
#include "synth/random.h"
#include "synth/roster.h"
#include "synth/school_calendar.h"
#include "synth/school_days.h"

namespace rollcall::synth {

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kPrimary:
      return "primary";
    case Phase::kSecondary:
      return "secondary";
    case Phase::kAllThrough:
      return "all-through";
  }
  core::Unreachable();
}

std::optional<Phase> PhaseFromName(std::string_view name) {
  for (Phase phase : {Phase::kPrimary, Phase::kSecondary, Phase::kAllThrough}) {
    if (name == PhaseName(phase)) return phase;
  }
  return std::nullopt;
}

std::vector<std::string> CohortTags(const CohortFlags& flags) {
  std::vector<std::string> tags;
  if (flags.free_school_meals) tags.emplace_back("FSM");
  if (flags.sen_support) tags.emplace_back("SEN_K");
  if (flags.ehc_plan) tags.emplace_back("EHCP");
  if (flags.looked_after) tags.emplace_back("CLA");
  if (flags.social_worker) tags.emplace_back("SW");
  if (flags.young_carer) tags.emplace_back("YC");
  return tags;
}

core::Status ValidateOptions(const SynthOptions& options) {
  if (options.pupils < 1 || options.pupils > kMaxPupils) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("pupils must be between 1 and {}, not {}", kMaxPupils, options.pupils));
  }
  if (options.years < 1 || options.years > kMaxYears) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("years must be between 1 and {}, not {}", kMaxYears, options.years));
  }
  const int last_year = options.as_of.AcademicYearStart().year();
  const int first_year = last_year - static_cast<int>(options.years) + 1;
  if (first_year < kFirstAcademicYear || last_year > kLastAcademicYear) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("as_of {} with {} year(s) needs academic years {} to {}; bank holidays are "
                    "known only for {} to {}",
                    options.as_of.ToString(), options.years, core::AcademicYearText(first_year),
                    core::AcademicYearText(last_year), core::AcademicYearText(kFirstAcademicYear),
                    core::AcademicYearText(kLastAcademicYear)));
  }
  return core::OkStatus();
}

core::StatusOr<SynthSchool> Synthesize(const SynthOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  const int as_of_year = options.as_of.AcademicYearStart().year();
  const int first_year = as_of_year - static_cast<int>(options.years) + 1;
  ASSIGN_OR_RETURN(core::Calendar calendar, SchoolCalendar(first_year, as_of_year));
  const SchoolDays days(calendar);
  const int32_t last_day = days.LastOnOrBefore(options.as_of);

  Rng school_rng(StreamSeed(options.seed, kSchoolStream));
  std::vector<PupilPlan> roster = BuildRoster(
      {.days = days, .phase = options.phase, .as_of_year = as_of_year, .last_day = last_day},
      options.pupils, options.seed, school_rng);
  Rng events_rng(StreamSeed(options.seed, kEventsStream));
  const SchoolEvents events = DrawSchoolEvents(days, last_day, roster, events_rng);
  const BehaviourModel model(days, events, as_of_year, options.as_of);

  SynthSchool school;
  core::Scenario& scenario = school.scenario;
  scenario.as_of = options.as_of;
  scenario.default_mark = {core::AttendanceCode::kPresentAm, core::AttendanceCode::kPresentPm};
  scenario.pupils.reserve(roster.size());
  scenario.marks.reserve(roster.size());
  school.pupils.reserve(roster.size());
  for (size_t idx = 0; idx < roster.size(); ++idx) {
    PupilPlan& plan = roster[idx];
    Rng rng(StreamSeed(options.seed, kMarksStreamBase + idx));
    std::vector<core::RecordedMark> marks = model.Generate(plan, rng);
    // The generator's own invariant, checked in every build: a scenario that
    // `rollcall evaluate` would refuse is worse than no scenario.
    for (const core::RecordedMark& mark : marks) {
      if (core::Status valid = core::CheckMark(calendar, plan.record, mark.slot, mark.code);
          !valid.ok()) {
        return core::Internal(valid.code(),
                              fmt::format("synth generated an invalid mark for {} on {} {}: {}",
                                          plan.record.id, mark.slot.date.ToString(),
                                          core::SessionName(mark.slot.session), valid.message()));
      }
    }
    scenario.pupils.push_back(std::move(plan.record));
    scenario.marks.push_back(std::move(marks));
    school.pupils.push_back(std::move(plan.meta));
  }
  scenario.calendar = std::move(calendar);
  return school;
}

}  // namespace rollcall::synth
