#include "synth/behaviour.h"

#include <algorithm>
#include <array>

#include "core/codes.h"
#include "synth/absence_rates.h"

namespace rollcall::synth {
namespace {

using core::AttendanceCode;
using Code = core::AttendanceCode;

// Calibration (docs/synth.md has the measured result). Indexed [primary,
// secondary] by the pupil's year group. The band tables are 2022/23, a worse
// year than 2024/25 (5.25% and 8.59% absence): rates below 50% are scaled
// down to it (severe absence was no lower).
constexpr std::array<double, 2> kRateScale = {0.9, 0.93};
// Unauthorised "other" absence (O) per unit of absence above 2%, growing with
// the absence rate: primary and secondary differ most here (0.8% vs 2.9% of
// possible sessions nationally).
constexpr std::array<double, 2> kUnauthorisedPerExcess = {0.17, 0.28};
constexpr double kMedicalShare = 0.045;     // M: appointments, of the budget
constexpr double kExceptionalShare = 0.06;  // C: funerals, family emergencies
constexpr double kHolidayCap = 0.9;         // term-time holidays, at most of the budget
// Chance of arriving late at a morning register, times the pupil's habit
// (L is 1.1% of possible sessions in primary, 3.0% in secondary), and the
// share of late arrivals after the register closed (U: 0.15% and 0.23%).
constexpr std::array<double, 2> kLatenessFactor = {0.9, 2.45};
constexpr std::array<double, 2> kLateAfterCloseShare = {0.14, 0.08};

// Relative chance of an absence starting on a day, by month (January first)
// and weekday (Monday first). Illness peaks in winter; truancy on Fridays and
// Mondays and in the last weeks of the summer term.
constexpr std::array<uint32_t, 12> kIllnessByMonth = {130, 115, 100, 85,  80,  75,
                                                      70,  70,  70,  100, 115, 140};
constexpr std::array<uint32_t, 5> kIllnessByWeekday = {105, 90, 90, 100, 110};
constexpr std::array<uint32_t, 5> kTruancyByWeekday = {100, 75, 85, 100, 170};

size_t WeekdayIndex(core::Date date) { return static_cast<size_t>(date.weekday()); }

uint32_t IllnessWeight(core::Date date) {
  return kIllnessByMonth[date.month() - 1] * kIllnessByWeekday[WeekdayIndex(date) % 5];
}

uint32_t TruancyWeight(core::Date date) {
  const uint32_t summer = (date.month() == 6 || date.month() == 7) ? 125 : 100;
  return summer * kTruancyByWeekday[WeekdayIndex(date) % 5];
}

// Illness spells in school days: mostly one or two, a few over a week.
int32_t IllnessSpellDays(Rng& rng) {
  static constexpr std::array<uint32_t, 6> kWeights = {45, 25, 13, 7, 5, 5};
  const size_t pick = rng.Pick(kWeights);
  return pick < 5 ? static_cast<int32_t>(pick) + 1 : rng.Between(6, 10);
}

bool InRange(int32_t day, int32_t lo, int32_t hi) { return day >= lo && day < hi; }

}  // namespace

struct BehaviourModel::YearContext {
  size_t index;  // into SchoolDays::years()
  int start_year;
  int year_group;
  bool secondary;   // Year 7 or above
  bool since_2024;  // the 2024 code set applies (from 2024/25)
  int32_t lo;       // the pupil's school days this year where behaviour is drawn
  int32_t hi;
  double rate;  // the pupil's underlying absence rate this year
};

SchoolEvents DrawSchoolEvents(const SchoolDays& days, int32_t last_day,
                              const std::vector<PupilPlan>& pupils, Rng& rng) {
  SchoolEvents events;
  for (const YearSpan& year : days.years()) {
    std::array<int32_t, 12> trips;
    trips.fill(-1);
    const bool long_year = year.end - year.first > 40;
    if (long_year) {
      for (int32_t& trip : trips) trip = rng.Between(year.first + 10, year.end - 11);
    }
    events.trip_day.push_back(trips);
    // Work experience: a Monday-to-Friday week between mid-June and mid-July.
    int32_t week = days.FirstOnOrAfter(
        core::Date::FromYmd(year.start_year + 1, 6, 15)->AddDays(7 * rng.Between(0, 3)));
    while (week < year.end && days.date(week).weekday() != core::Weekday::kMonday) ++week;
    events.work_experience_day.push_back(week + 5 <= year.end ? week : -1);
    // Snow or a transport strike closes roads for some pupils in half the winters.
    int32_t disruption = -1;
    if (rng.Chance(0.5)) {
      disruption = days.FirstOnOrAfter(
          core::Date::FromYmd(year.start_year, 12, 1)->AddDays(rng.Between(0, 80)));
      if (!InRange(disruption, year.first, year.end)) disruption = -1;
    }
    events.disruption_day.push_back(disruption);
    events.festival_day.push_back(long_year ? rng.Between(year.first, year.end - 1) : -1);
  }
  if (last_day >= 0 && !pupils.empty()) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      const PupilPlan& pupil = pupils[rng.Below(pupils.size())];
      if (InRange(last_day, pupil.first_day, pupil.end_day)) {
        events.unrecorded_day = last_day;
        events.unrecorded_form = pupil.meta.form;
        break;
      }
    }
  }
  return events;
}

BehaviourModel::BehaviourModel(const SchoolDays& days, const SchoolEvents& events, int as_of_year,
                               core::Date as_of)
    : days_(days),
      events_(events),
      as_of_year_(as_of_year),
      as_of_(as_of),
      last_day_(days.LastOnOrBefore(as_of)),
      recent_from_(std::max(0, last_day_ - 2)),
      illness_weights_(days, IllnessWeight),
      truancy_weights_(days, TruancyWeight),
      uniform_weights_(days, [](core::Date) -> uint32_t { return 1; }) {}

std::vector<core::RecordedMark> BehaviourModel::Generate(PupilPlan& pupil, Rng& rng) const {
  std::vector<core::RecordedMark> marks;
  if (pupil.first_day >= pupil.end_day) return marks;
  RegisterSheet sheet(days_, pupil.first_day, pupil.end_day);
  double rank = pupil.absence_rank;
  bool first_year = true;
  const std::vector<YearSpan>& years = days_.years();
  for (size_t index = 0; index < years.size(); ++index) {
    const YearSpan& span = years[index];
    const int32_t lo = std::max(span.first, pupil.first_day);
    int32_t hi = std::min(span.end, pupil.end_day);
    if (lo >= hi) continue;
    // Most pupils stay where they were in the distribution from one year to the next.
    if (!first_year && rng.Chance(0.25)) rank = rng.Uniform();
    first_year = false;
    // Children missing education: N from the start of the run to leaving the roll.
    if (pupil.missing_first >= 0 && pupil.missing_first < hi) {
      const int32_t from = std::max(lo, pupil.missing_first);
      for (int32_t day = from; day < hi; ++day) sheet.SetDay(day, Code::kNoReasonYet);
      hi = from;
    }
    const int year_group = YearGroupIn(pupil, as_of_year_, span.start_year);
    const CohortFlags& flags = pupil.meta.flags;
    double rate = AbsenceRateAtQuantile(year_group, flags.free_school_meals,
                                        flags.sen_support || flags.ehc_plan, rank);
    if (rate < 0.5) rate *= kRateScale[year_group >= 7 ? 1 : 0];
    pupil.meta.absence_propensity = rate;
    const YearContext year{.index = index,
                           .start_year = span.start_year,
                           .year_group = year_group,
                           .secondary = year_group >= 7,
                           .since_2024 = span.start_year >= 2024,
                           .lo = lo,
                           .hi = hi,
                           .rate = rate};
    if (lo < hi) GenerateYear(year, pupil, sheet, rng);
  }
  sheet.AppendMarks(marks);
  return marks;
}

void BehaviourModel::GenerateYear(const YearContext& year, PupilPlan& pupil, RegisterSheet& sheet,
                                  Rng& rng) const {
  PlaceEvents(year, pupil, sheet, rng);
  const int32_t sessions = sheet.FreeSessions(year.lo, year.hi);
  const size_t phase = year.secondary ? 1 : 0;
  // Late arrivals after the register closed (U) are absences too: leave room.
  const double late_after_close =
      pupil.lateness * kLatenessFactor[phase] * kLateAfterCloseShare[phase] * sessions / 2;
  const int32_t budget =
      std::min(sessions, rng.RoundRandomly(std::max(0.0, year.rate * sessions - late_after_close)));

  const auto holiday_cap = static_cast<int32_t>(kHolidayCap * budget);
  const int32_t remaining = budget - PlaceHolidays(year, holiday_cap, pupil, sheet, rng);
  const double excess = std::max(0.0, year.rate - 0.02) * (1 + 1.5 * year.rate);
  const int32_t unauthorised =
      std::min(remaining, rng.RoundRandomly(kUnauthorisedPerExcess[phase] * excess * sessions));
  int32_t authorised = remaining - unauthorised;

  int32_t unauthorised_left = unauthorised;
  if (year.rate >= 0.2) unauthorised_left -= PlaceLongRuns(year, unauthorised, pupil, sheet, rng);
  authorised -= PlaceSuspensions(year, authorised, sheet, rng);
  authorised -= PlacePartTimeTimetable(year, authorised, pupil, sheet, rng);
  const int32_t medical = std::min(authorised, rng.RoundRandomly(kMedicalShare * budget));
  const int32_t exceptional =
      std::min(authorised - medical, rng.RoundRandomly(kExceptionalShare * budget));
  const int32_t illness = authorised - medical - exceptional;

  const int32_t ill = PlaceSpells(year, illness, Code::kIllness, sheet, rng);
  PlaceUnauthorised(year, unauthorised_left, sheet, rng);
  PlaceSingles(year, illness - ill, Code::kIllness, sheet, rng);  // a crowded register
  PlaceSingles(year, medical, Code::kMedical, sheet, rng);
  PlaceSingles(year, exceptional, Code::kExceptional, sheet, rng);
  PlaceLateness(year, pupil, sheet, rng);
  PlaceRecentMarks(year, pupil, sheet, rng);
}

int32_t BehaviourModel::PlaceSuspensions(const YearContext& year, int32_t budget,
                                         RegisterSheet& sheet, Rng& rng) const {
  // Secondary pupils who are often absent are also more often suspended, some
  // of them twice a year.
  if (!year.secondary || year.rate < 0.06 || !rng.Chance(std::min(0.6, 0.1 + 2.5 * year.rate))) {
    return 0;
  }
  int32_t placed = 0;
  for (int suspension = rng.Chance(0.35) ? 2 : 1; suspension > 0; --suspension) {
    const int32_t days = std::min(rng.Between(1, 4), (budget - placed) / 2);
    const int32_t day = sheet.FindFreeDay(rng, uniform_weights_, year.lo, year.hi);
    if (days < 1 || day < 0) break;
    placed += sheet.FillForward(day, year.hi, days, Code::kExcluded, true);
  }
  return placed;
}

int32_t BehaviourModel::PlacePartTimeTimetable(const YearContext& year, int32_t budget,
                                               const PupilPlan& pupil, RegisterSheet& sheet,
                                               Rng& rng) const {
  // Afternoons off for a few weeks, for a few pupils with SEN (C2 exists from 2024/25).
  const CohortFlags& flags = pupil.meta.flags;
  if (!year.since_2024 || !(flags.sen_support || flags.ehc_plan) || year.rate < 0.15 ||
      !rng.Chance(0.1)) {
    return 0;
  }
  const int32_t wanted = std::min(rng.Between(10, 30), budget / 2);
  int32_t placed = 0;
  int32_t day = sheet.FindFreeSession(rng, uniform_weights_, year.lo, year.hi, Half::kPm);
  for (; day >= 0 && day < year.hi && placed < wanted; ++day) {
    if (!sheet.IsFree(day, Half::kPm)) continue;
    sheet.Set(day, Half::kPm, Stored(Code::kPartTimeTimetable));
    ++placed;
  }
  return placed;
}

void BehaviourModel::PlaceEvents(const YearContext& year, const PupilPlan& pupil,
                                 RegisterSheet& sheet, Rng& rng) const {
  const auto free_day = [&](int32_t day) {
    return InRange(day, year.lo, year.hi) && sheet.IsDayFree(day);
  };
  const int32_t trip = events_.trip_day[year.index][static_cast<size_t>(year.year_group)];
  if (free_day(trip) && rng.Chance(0.9)) sheet.SetDay(trip, Code::kEducationalVisit);
  const int32_t work = events_.work_experience_day[year.index];
  if (year.year_group == 10 && work >= 0 && rng.Chance(0.85)) {
    for (int32_t day = work; day < work + 5; ++day) {
      if (free_day(day)) sheet.SetDay(day, Code::kWorkExperience);
    }
  }
  const int32_t disruption = events_.disruption_day[year.index];
  if (free_day(disruption) && rng.Chance(0.07)) {
    sheet.SetDay(disruption, year.since_2024 ? Code::kTravelDisruption : Code::kLegacyUnable);
  }
  const int32_t festival = events_.festival_day[year.index];
  if (pupil.religious_observance && free_day(festival)) sheet.SetDay(festival, Code::kReligious);
  // Year 11: a morning at a college or apprenticeship interview, January to March.
  if (year.year_group == 11 && rng.Chance(0.3)) {
    const int32_t lo =
        std::max(year.lo, days_.FirstOnOrAfter(*core::Date::FromYmd(year.start_year + 1, 1, 1)));
    const int32_t hi =
        std::min(year.hi, days_.FirstOnOrAfter(*core::Date::FromYmd(year.start_year + 1, 4, 1)));
    const int32_t day = sheet.FindFreeSession(rng, uniform_weights_, lo, hi, Half::kAm);
    if (day >= 0) {
      sheet.Set(day, Half::kAm,
                Stored(year.since_2024 ? Code::kInterview : Code::kLegacyInterview));
    }
  }
  if (pupil.dual_registered_weekday >= 0 && year.secondary) {
    for (int32_t day = year.lo; day < year.hi; ++day) {
      if (static_cast<int>(days_.date(day).weekday()) == pupil.dual_registered_weekday &&
          sheet.IsDayFree(day)) {
        sheet.SetDay(day, Code::kDualRegistered);
      }
    }
  }
}

int32_t BehaviourModel::PlaceHolidays(const YearContext& year, int32_t budget, PupilPlan& pupil,
                                      RegisterSheet& sheet, Rng& rng) const {
  if (!pupil.meta.holiday_family || budget < 2) return 0;
  // Trips a year (0, 1, 2): primary families take more (0.56% of sessions
  // are G in primary, 0.34% in secondary).
  static constexpr std::array<std::array<uint32_t, 3>, 2> kTripsPerYear = {
      {{20, 50, 30}, {45, 45, 10}}};
  const size_t trips = rng.Pick(kTripsPerYear[year.secondary ? 1 : 0]);
  // Holidays are taken next to school holidays: mostly leaving early, some
  // coming back late.
  std::vector<int32_t> edges;  // day >= 0: leave after it; ~day: come back on it
  std::vector<uint32_t> weights;
  for (int32_t day = year.lo; day < year.hi; ++day) {
    if (days_.BreakAfter(day)) {
      edges.push_back(day);
      weights.push_back(3);
    }
    if (days_.BreakBefore(day)) {
      edges.push_back(~day);
      weights.push_back(1);
    }
  }
  if (edges.empty()) return 0;
  int32_t placed = 0;
  for (size_t trip = 0; trip < trips; ++trip) {
    const int32_t days = std::min(rng.Between(2, 5), (budget - placed) / 2);
    if (days < 1) break;
    const int32_t edge = edges[rng.Pick(weights)];
    Code code = Code::kHolidayNotGranted;
    if (year.since_2024 ? rng.Chance(0.05) : rng.Chance(0.1)) {
      code = year.since_2024 ? Code::kExceptional : Code::kAgreedHoliday;
    }
    const int32_t written = edge >= 0 ? sheet.FillBackward(edge, year.lo, days, code)
                                      : sheet.FillForward(~edge, year.hi, days, code, true);
    placed += written;
    // Ten sessions of holiday meet the penalty threshold; some schools issue a notice.
    if (code == Code::kHolidayNotGranted && year.since_2024 && written >= 10 && rng.Chance(0.35)) {
      const int32_t last = edge >= 0 ? edge : ~edge + written / 2 - 1;
      const core::Date issued = days_.date(last).AddDays(rng.Between(14, 35));
      if (issued <= as_of_) pupil.record.penalty_history.push_back({issued, rng.Chance(0.1)});
    }
  }
  return placed;
}

int32_t BehaviourModel::PlaceLongRuns(const YearContext& year, int32_t budget, PupilPlan& pupil,
                                      RegisterSheet& sheet, Rng& rng) const {
  int32_t placed = 0;
  for (int run = 0; run < 4 && budget - placed >= 30 && rng.Chance(0.6); ++run) {
    const int32_t days = std::min((budget - placed) / 2, rng.Between(12, 40));
    if (year.hi - year.lo < days + 2) break;
    const int32_t start = rng.Between(year.lo, year.hi - days);
    // Runs carry on across holidays: the absence does not end with the term.
    const int32_t written =
        sheet.FillForward(start, year.hi, days, Code::kOtherUnauthorised, false);
    placed += written;
    if (written >= 20 && pupil.meta.pattern == PupilPattern::kTypical) {
      pupil.meta.pattern = PupilPattern::kLongAbsence;
    }
  }
  return placed;
}

int32_t BehaviourModel::PlaceSpells(const YearContext& year, int32_t budget, Code code,
                                    RegisterSheet& sheet, Rng& rng) const {
  int32_t placed = 0;
  for (int failures = 0; placed < budget && failures < 10;) {
    const int32_t left = budget - placed;
    // A parent who has not yet said why a child is off: N until they do.
    const auto code_at = [&](int32_t day) {
      return day >= recent_from_ && rng.Chance(0.4) ? Code::kNoReasonYet : code;
    };
    if (left == 1 || rng.Chance(0.15)) {  // sent home at lunch, or back after lunch
      const Half half = rng.Chance(0.65) ? Half::kPm : Half::kAm;
      const int32_t day = sheet.FindFreeSession(rng, illness_weights_, year.lo, year.hi, half);
      if (day < 0) {
        ++failures;
        continue;
      }
      sheet.Set(day, half, Stored(code_at(day)));
      placed += 1;
      continue;
    }
    const int32_t day = sheet.FindFreeDay(rng, illness_weights_, year.lo, year.hi);
    if (day < 0) break;
    const int32_t written = sheet.FillForward(
        day, year.hi, std::min(IllnessSpellDays(rng), left / 2), code_at(day), true);
    placed += written;
    failures += written == 0 ? 1 : 0;
  }
  return placed;
}

int32_t BehaviourModel::PlaceUnauthorised(const YearContext& year, int32_t budget,
                                          RegisterSheet& sheet, Rng& rng) const {
  int32_t placed = 0;
  for (int failures = 0; placed < budget && failures < 10;) {
    const int32_t left = budget - placed;
    // Secondary pupils often skip the afternoon only.
    if (left == 1 || (year.secondary && rng.Chance(0.35))) {
      const int32_t day = sheet.FindFreeSession(rng, truancy_weights_, year.lo, year.hi, Half::kPm);
      if (day < 0) {
        ++failures;
        continue;
      }
      sheet.Set(day, Half::kPm, Stored(Code::kOtherUnauthorised));
      placed += 1;
      continue;
    }
    const int32_t days = year.rate >= 0.15 && rng.Chance(0.3) ? rng.Between(2, 4) : 1;
    const int32_t day = sheet.FindFreeDay(rng, truancy_weights_, year.lo, year.hi);
    if (day < 0) break;
    const int32_t written =
        sheet.FillForward(day, year.hi, std::min(days, left / 2), Code::kOtherUnauthorised, true);
    placed += written;
    failures += written == 0 ? 1 : 0;
  }
  return placed;
}

int32_t BehaviourModel::PlaceSingles(const YearContext& year, int32_t budget, Code code,
                                     RegisterSheet& sheet, Rng& rng) const {
  int32_t placed = 0;
  for (int failures = 0; placed < budget && failures < 10;) {
    const Half half = rng.Chance(0.5) ? Half::kAm : Half::kPm;
    const int32_t day = sheet.FindFreeSession(rng, uniform_weights_, year.lo, year.hi, half);
    if (day < 0) {
      ++failures;
      continue;
    }
    sheet.Set(day, half, Stored(code));
    ++placed;
  }
  return placed;
}

void BehaviourModel::PlaceLateness(const YearContext& year, const PupilPlan& pupil,
                                   RegisterSheet& sheet, Rng& rng) const {
  const double habit = pupil.lateness * kLatenessFactor[year.secondary ? 1 : 0];
  for (int32_t day = year.lo; day < year.hi; ++day) {
    if (sheet.IsFree(day, Half::kAm)) {
      const bool monday = days_.date(day).weekday() == core::Weekday::kMonday;
      const double late = habit * (monday ? 1.2 : 0.95);
      const double x = rng.Uniform();
      if (x < late) {
        sheet.Set(day, Half::kAm, Stored(Code::kLateBeforeClose));
      } else if (x < late * (1 + kLateAfterCloseShare[year.secondary ? 1 : 0])) {
        sheet.Set(day, Half::kAm, Stored(Code::kLateAfterClose));
      }
    }
    // Afternoon registers are shorter affairs; lateness there is rarer.
    if (sheet.IsFree(day, Half::kPm) && rng.Chance(habit * 0.1)) {
      sheet.Set(day, Half::kPm, Stored(Code::kLateBeforeClose));
    }
  }
}

void BehaviourModel::PlaceRecentMarks(const YearContext& year, const PupilPlan& pupil,
                                      RegisterSheet& sheet, Rng& rng) const {
  const auto replace = [&](int32_t day, Half half, Code from, uint8_t to) {
    if (sheet.Get(day, half) == Stored(from)) sheet.Set(day, half, to);
  };
  // Unexplained absence in the last three school days is still being followed up.
  for (int32_t day = std::max(year.lo, recent_from_); day < year.hi; ++day) {
    replace(day, Half::kAm, Code::kOtherUnauthorised, Stored(Code::kNoReasonYet));
    replace(day, Half::kPm, Code::kOtherUnauthorised, Stored(Code::kNoReasonYet));
  }
  // A few older ones were never followed up (they raise n_overdue alerts).
  if (rng.Chance(0.03)) {
    std::vector<int32_t> truant_days;
    for (int32_t day = year.lo; day < year.hi; ++day) {
      if (sheet.Get(day, Half::kAm) == Stored(Code::kOtherUnauthorised)) truant_days.push_back(day);
    }
    if (!truant_days.empty()) {
      const int32_t day = truant_days[rng.Below(truant_days.size())];
      replace(day, Half::kAm, Code::kOtherUnauthorised, Stored(Code::kNoReasonYet));
      replace(day, Half::kPm, Code::kOtherUnauthorised, Stored(Code::kNoReasonYet));
    }
  }
  // Registers not taken yet: one form's afternoon, and the odd pupil's session.
  if (InRange(events_.unrecorded_day, year.lo, year.hi) &&
      pupil.meta.form == events_.unrecorded_form) {
    sheet.Set(events_.unrecorded_day, Half::kPm, RegisterSheet::kUnrecorded);
  }
  const int32_t recent_lo = std::max(year.lo, recent_from_);
  if (recent_lo < year.hi && rng.Chance(0.003)) {
    const int32_t day = rng.Between(recent_lo, year.hi - 1);
    sheet.Set(day, rng.Chance(0.5) ? Half::kAm : Half::kPm, RegisterSheet::kUnrecorded);
  }
}

}  // namespace rollcall::synth
