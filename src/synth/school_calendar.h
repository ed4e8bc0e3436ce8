// school_calendar.h
//
// A plausible English school calendar, computed from rules rather than read
// from a school: six half-terms a year with the usual breaks (October half
// term, Christmas, February half term, two weeks around Easter, the spring
// bank holiday week, summer), England and Wales bank holidays inside term as
// closures, and five INSET days. About 190 pupil days a year. The bank
// holidays are a compiled-in copy of the GOV.UK feed (bank_holidays.inc), so
// only academic years whose holidays it lists can be built. Pure: no files,
// no clock. Real schools differ by a day here and there; nothing in rollcall
// relies on these rules, they only make synthetic data look familiar.
#pragma once

#include <span>
#include <vector>

#include "core/bank_holidays.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/status.h"

namespace rollcall::synth {

// England and Wales bank holidays (core/bank_holidays.h), sorted by date.
using core::BankHoliday;
using core::EnglandAndWalesBankHolidays;

// Academic years (named by the calendar year they start in: 2024 = 2024/25)
// whose dates the bank-holiday table covers.
inline constexpr int kFirstAcademicYear = 2012;
inline constexpr int kLastAcademicYear = 2027;

// Easter Sunday of `year` in the Gregorian calendar (the anonymous
// "Meeus/Jones/Butcher" algorithm).
core::Date EasterSunday(int year);

// One academic year's terms and closures.
struct AcademicYearDates {
  int start_year = 0;
  std::vector<core::Term> terms;        // the six half-terms, in order
  std::vector<core::Closure> closures;  // bank holidays in term and INSET days, by date
};

// The dates of academic year `start_year`/`start_year + 1`. InvalidArgument
// (VALUE_INVALID) outside kFirstAcademicYear..kLastAcademicYear.
core::StatusOr<AcademicYearDates> AcademicYearCalendar(int start_year);

// Consecutive academic years first_year..last_year as one calendar.
// InvalidArgument when a year is outside the table or last_year < first_year.
core::StatusOr<core::Calendar> SchoolCalendar(int first_year, int last_year);

}  // namespace rollcall::synth
