#include "core/date.h"

#include <fmt/format.h>

namespace rollcall::core {

std::optional<Date> Date::FromYmd(int year, unsigned month, unsigned day) {
  std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                                  std::chrono::day(day)};
  if (!ymd.ok()) return std::nullopt;
  return Date(ymd);
}

std::optional<Date> Date::Parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t len, int& out) {
    out = 0;
    for (size_t i = from; i < from + len; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int year = 0, month = 0, day = 0;
  if (!digits(0, 4, year) || !digits(5, 2, month) || !digits(8, 2, day)) return std::nullopt;
  if (year < 1900 || month < 1 || month > 12 || day < 1) return std::nullopt;
  return FromYmd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Date Date::AcademicYearStart() const {
  int y = year();
  if (month() < 8) --y;
  return *FromYmd(y, 8, 1);
}

Date Date::YearsEarlier(int years) const {
  int y = year() - years;
  if (auto d = FromYmd(y, month(), day())) return *d;
  return *FromYmd(y, 2, 28);  // only 29 February can fail
}

std::string Date::ToString() const {
  return fmt::format("{:04d}-{:02d}-{:02d}", year(), month(), day());
}

std::string_view Date::MonthName() const {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  return kMonths[static_cast<size_t>(month() - 1)];
}

std::string Date::LongText() const { return fmt::format("{} {} {}", day(), MonthName(), year()); }

std::string AcademicYearText(int first_year) {
  return fmt::format("{}/{:02}", first_year, (first_year + 1) % 100);
}

}  // namespace rollcall::core
