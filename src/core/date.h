// date.h
//
// A school date: a calendar day, never a timestamp. Wraps a day count since
// 1970-01-01 (std::chrono::sys_days) so that arithmetic and comparison are
// integer operations; converts to and from year_month_day and ISO text.
// Leaves out times of day and time zones entirely.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::core {

enum class Weekday : uint8_t {
  kMonday = 0,
  kTuesday,
  kWednesday,
  kThursday,
  kFriday,
  kSaturday,
  kSunday
};

class Date {
 public:
  constexpr Date() = default;  // 1970-01-01
  constexpr explicit Date(std::chrono::year_month_day ymd)
      : days_(static_cast<int32_t>(std::chrono::sys_days(ymd).time_since_epoch().count())) {}
  static constexpr Date FromDays(int32_t days) {
    Date d;
    d.days_ = days;
    return d;
  }
  // Nullopt when the fields do not form a real date (e.g. 2025-02-29).
  static std::optional<Date> FromYmd(int year, unsigned month, unsigned day);
  // Strict ISO `YYYY-MM-DD` (exactly 10 characters, a real date, years 1900-9999).
  static std::optional<Date> Parse(std::string_view text);

  constexpr int32_t days() const { return days_; }
  std::chrono::year_month_day ymd() const {
    return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(days_)));
  }
  int year() const { return static_cast<int>(ymd().year()); }
  unsigned month() const { return static_cast<unsigned>(ymd().month()); }
  unsigned day() const { return static_cast<unsigned>(ymd().day()); }
  Weekday weekday() const {
    // 1970-01-01 was a Thursday (3 when Monday is 0).
    int32_t w = (days_ + 3) % 7;
    if (w < 0) w += 7;
    return static_cast<Weekday>(w);
  }
  bool IsWeekend() const { return weekday() >= Weekday::kSaturday; }
  // The Monday that starts this date's Monday-Sunday week.
  Date WeekStart() const { return FromDays(days_ - static_cast<int32_t>(weekday())); }
  // 1 August that starts the academic year (1 Aug - 31 Jul) containing this date.
  Date AcademicYearStart() const;
  // The same month and day `years` earlier; 29 February becomes 28 February
  // when the target year has none.
  Date YearsEarlier(int years) const;
  Date AddDays(int32_t n) const { return FromDays(days_ + n); }
  std::string ToString() const;        // YYYY-MM-DD
  std::string LongText() const;        // "2 December 2026", as people read a date in the UK
  std::string_view MonthName() const;  // "December"

  friend constexpr auto operator<=>(const Date&, const Date&) = default;
  friend constexpr bool operator==(const Date&, const Date&) = default;

 private:
  int32_t days_ = 0;
};

// An academic year by the calendar year it starts in, as schools and the DfE
// write it: 2024 is "2024/25".
std::string AcademicYearText(int first_year);

}  // namespace rollcall::core
