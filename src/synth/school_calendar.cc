#include "synth/school_calendar.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

#include "core/error_codes.h"

namespace rollcall::synth {
namespace {

using core::Date;

Date Ymd(int year, unsigned month, unsigned day) { return *Date::FromYmd(year, month, day); }

int DayOfWeek(Date date) { return static_cast<int>(date.weekday()); }  // Monday = 0

Date NextMonday(Date date) { return date.AddDays((7 - DayOfWeek(date)) % 7); }

Date LastMondayOf(int year, unsigned month) {
  const Date last = month == 12 ? Ymd(year, 12, 31) : Ymd(year, month + 1, 1).AddDays(-1);
  return last.AddDays(-DayOfWeek(last));
}

// The last Monday-Friday on or before `date`.
Date WeekdayOnOrBefore(Date date) {
  while (date.IsWeekend()) date = date.AddDays(-1);
  return date;
}

// Schools start the autumn term on 1 September when it is a Monday to
// Wednesday, otherwise on the following Monday (LA patterns mostly do this).
Date AutumnStart(int year) {
  const Date first = Ymd(year, 9, 1);
  return DayOfWeek(first) <= 2 ? first : NextMonday(first);
}

// Spring term: 3 January unless that is a Friday or a weekend.
Date SpringStart(int year) {
  const Date third = Ymd(year, 1, 3);
  return DayOfWeek(third) <= 3 ? third : NextMonday(third);
}

// February half term: the Monday nearest 14 February.
Date FebruaryHalfTerm(int year) {
  const Date fourteenth = Ymd(year, 2, 14);
  const int dow = DayOfWeek(fourteenth);
  return dow <= 3 ? fourteenth.AddDays(-dow) : fourteenth.AddDays(7 - dow);
}

// The first weekday on or after `from` that is not a bank holiday: INSET days
// are working days for staff, so they never fall on a bank holiday.
Date WorkingDayFrom(Date from) {
  while (from.IsWeekend() || core::BankHolidayOn(from) != nullptr) from = from.AddDays(1);
  return from;
}

}  // namespace

Date EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return Ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

core::StatusOr<AcademicYearDates> AcademicYearCalendar(int start_year) {
  if (start_year < kFirstAcademicYear || start_year > kLastAcademicYear) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("academic year {}/{:02d} is outside {}/{:02d} to {}/{:02d}, the years whose "
                    "bank holidays are known",
                    start_year, (start_year + 1) % 100, kFirstAcademicYear,
                    (kFirstAcademicYear + 1) % 100, kLastAcademicYear,
                    (kLastAcademicYear + 1) % 100));
  }
  const int y = start_year;
  const Date october_break = LastMondayOf(y, 10);
  const Date february_break = FebruaryHalfTerm(y + 1);
  const Date easter = EasterSunday(y + 1);
  // Two weeks around Easter: the week before Easter Sunday and the week after,
  // so Good Friday and Easter Monday both fall in the holiday.
  const Date easter_break = easter.AddDays(-6);
  // The spring bank holiday week (last Monday of May).
  const Date may_break = LastMondayOf(y + 1, 5);

  AcademicYearDates dates;
  dates.start_year = y;
  dates.terms = {
      {AutumnStart(y), october_break.AddDays(-3)},
      {october_break.AddDays(7), WeekdayOnOrBefore(Ymd(y, 12, 20))},
      {SpringStart(y + 1), february_break.AddDays(-3)},
      {february_break.AddDays(7), easter_break.AddDays(-3)},
      {easter_break.AddDays(14), may_break.AddDays(-3)},
      {may_break.AddDays(7), WeekdayOnOrBefore(Ymd(y + 1, 7, 22))},
  };
  for (const core::Term& term : dates.terms) {
    for (Date d = term.start; d <= term.end; d = d.AddDays(1)) {
      if (const BankHoliday* holiday = core::BankHolidayOn(d);
          holiday != nullptr && !d.IsWeekend()) {
        dates.closures.push_back(
            {d, core::ClosureSessions::kBoth, fmt::format("Bank holiday: {}", holiday->title)});
      }
    }
  }
  // Five INSET days: the first two days of the year, and the first day back
  // after October half term, after Christmas and after May half term.
  const Date first_inset = WorkingDayFrom(dates.terms[0].start);
  const std::array<Date, 5> inset = {
      first_inset, WorkingDayFrom(first_inset.AddDays(1)), WorkingDayFrom(dates.terms[1].start),
      WorkingDayFrom(dates.terms[2].start), WorkingDayFrom(dates.terms[5].start)};
  for (Date d : inset) dates.closures.push_back({d, core::ClosureSessions::kBoth, "INSET"});
  std::sort(dates.closures.begin(), dates.closures.end(),
            [](const core::Closure& a, const core::Closure& b) { return a.date < b.date; });
  return dates;
}

core::StatusOr<core::Calendar> SchoolCalendar(int first_year, int last_year) {
  if (last_year < first_year) {
    return core::InvalidArgument(core::kErrValueInvalid, "no academic years requested");
  }
  std::vector<core::Term> terms;
  std::vector<core::Closure> closures;
  for (int year = first_year; year <= last_year; ++year) {
    ASSIGN_OR_RETURN(AcademicYearDates dates, AcademicYearCalendar(year));
    terms.insert(terms.end(), dates.terms.begin(), dates.terms.end());
    closures.insert(closures.end(), dates.closures.begin(), dates.closures.end());
  }
  return core::Calendar(std::move(terms), std::move(closures));
}

}  // namespace rollcall::synth
