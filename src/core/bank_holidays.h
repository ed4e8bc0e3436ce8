// bank_holidays.h
//
// England and Wales bank holidays, a compiled-in copy of the GOV.UK feed
// (data/reference/govuk-bank-holidays.json, through bank_holidays.inc), and
// the working days they define: Monday to Friday, not a bank holiday. Pure.
// Dates outside the table (see FirstYear/LastYear) are treated as having no
// bank holidays.
#pragma once

#include <span>

#include "core/date.h"

namespace rollcall::core {

struct BankHoliday {
  int year;
  unsigned month;
  unsigned day;
  const char* title;
};

// Sorted by date.
std::span<const BankHoliday> EnglandAndWalesBankHolidays();
// The title of the bank holiday on `date`, or nullptr.
const BankHoliday* BankHolidayOn(Date date);
bool IsWorkingDay(Date date);
// The `n`th working day after `from` (n >= 0; 0 gives `from` itself).
Date AddWorkingDays(Date from, int n);

}  // namespace rollcall::core
