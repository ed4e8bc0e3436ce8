// system_clock.cc: wall-clock time through time(2) and localtime_r(3).
#include "cli/system_clock.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

#include "core/error_codes.h"

namespace rollcall::cli {
namespace {

void UseLondonTime() {
  setenv("TZ", "Europe/London", /*overwrite=*/0);
  tzset();
}

std::tm LocalAt(std::time_t at) {
  std::tm local{};
  localtime_r(&at, &local);
  return local;
}

}  // namespace

SystemClock::SystemClock(int64_t offset) : offset_(offset) { UseLondonTime(); }

int64_t SystemClock::NowSeconds() const {
  return static_cast<int64_t>(std::time(nullptr)) + offset_;
}

core::Date SystemClock::Today() const {
  const std::tm t = LocalAt(static_cast<std::time_t>(NowSeconds()));
  return *core::Date::FromYmd(t.tm_year + 1900, static_cast<unsigned>(t.tm_mon + 1),
                              static_cast<unsigned>(t.tm_mday));
}

int SystemClock::MinuteOfDay() const {
  const std::tm t = LocalAt(static_cast<std::time_t>(NowSeconds()));
  return t.tm_hour * 60 + t.tm_min;
}

core::StatusOr<int64_t> OffsetToLocalTime(std::string_view text) {
  UseLondonTime();
  const auto bad = [&] {
    return core::InvalidArgument(
        core::kErrTimeInvalid,
        fmt::format("--now '{}' is not a UK local time YYYY-MM-DDTHH:MM, e.g. 2026-11-25T10:30",
                    text));
  };
  const auto two_digits = [](std::string_view two) {
    return std::isdigit(static_cast<unsigned char>(two[0])) &&
           std::isdigit(static_cast<unsigned char>(two[1]));
  };
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') return bad();
  const std::optional<core::Date> date = core::Date::Parse(text.substr(0, 10));
  if (!date || !two_digits(text.substr(11, 2)) || !two_digits(text.substr(14, 2))) return bad();
  const int hour = std::stoi(std::string(text.substr(11, 2)));
  const int minute = std::stoi(std::string(text.substr(14, 2)));
  if (hour > 23 || minute > 59) return bad();
  std::tm want{};
  want.tm_year = date->year() - 1900;
  want.tm_mon = static_cast<int>(date->month()) - 1;
  want.tm_mday = static_cast<int>(date->day());
  want.tm_hour = hour;
  want.tm_min = minute;
  want.tm_isdst = -1;  // summer time as it was on that day
  const std::time_t at = std::mktime(&want);
  if (at == static_cast<std::time_t>(-1)) return bad();
  return static_cast<int64_t>(at) - static_cast<int64_t>(std::time(nullptr));
}

}  // namespace rollcall::cli
