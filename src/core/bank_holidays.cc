// bank_holidays.cc: the GOV.UK table and working days.
#include "core/bank_holidays.h"

#include <algorithm>

namespace rollcall::core {
namespace {

constexpr BankHoliday kBankHolidays[] = {
#include "core/bank_holidays.inc"
};

}  // namespace

std::span<const BankHoliday> EnglandAndWalesBankHolidays() { return kBankHolidays; }

const BankHoliday* BankHolidayOn(Date date) {
  const int year = date.year();
  const unsigned month = date.month();
  const unsigned day = date.day();
  for (const BankHoliday& holiday : kBankHolidays) {
    if (holiday.year == year && holiday.month == month && holiday.day == day) return &holiday;
  }
  return nullptr;
}

bool IsWorkingDay(Date date) { return !date.IsWeekend() && BankHolidayOn(date) == nullptr; }

Date AddWorkingDays(Date from, int n) {
  Date d = from;
  for (int k = 0; k < n;) {
    d = d.AddDays(1);
    if (IsWorkingDay(d)) ++k;
  }
  return d;
}

}  // namespace rollcall::core
